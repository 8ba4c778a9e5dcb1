"""The enterprise ledger's 行政处罚案件 (issue 14, item 8): only the cases the signed-in user may see (``visible_to``:
the territory and the enterprise itself from 告知 on, another district never); nothing is shown when none is."""
from __future__ import annotations

from django import template

register = template.Library()

SECTION_ROWS = 20


@register.inclusion_tag("enforcement/_enterprise_cases.html", takes_context=True)
def enterprise_cases(context, enterprise):
    from ..models import Case

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"cases": [], "total": 0}
    qs = (Case.objects.visible_to(user).filter(enterprise=enterprise, voided_at__isnull=True)
          .select_related("organ").order_by("-opened_at", "-pk"))
    total = qs.count()
    return {"cases": list(qs[:SECTION_ROWS]) if total else [], "total": total}
