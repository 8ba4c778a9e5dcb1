"""Badges of the hazard pages (status, level, 逾期N天) and the hazards section of the
enterprise and site pages (一企一档), so those pages need one line each, not a view change."""
from __future__ import annotations

from django import template
from django.utils.html import format_html

from anquan.rules.calendar import today
from anquan.rules.deadlines import overdue_q

from ..choices import OPEN_FOR_RECTIFIER, HazardLevel, HazardStatus

register = template.Library()

STATUS_CLASS = {
    HazardStatus.PENDING: "text-bg-warning",
    HazardStatus.RECTIFYING: "text-bg-primary",
    HazardStatus.AWAITING: "text-bg-info",
    HazardStatus.CLOSED: "text-bg-success",
}
#: How many hazards the enterprise/site section lists before linking to the full list.
SECTION_ROWS = 10


def overdue_days(hazard, on=None) -> int:
    """Days past the deadline in force while still 待整改/整改中 (0 when not overdue)."""
    cached = getattr(hazard, "overdue_days", None)
    if cached is not None and on is None:
        return cached
    on = on or today()
    if hazard.status in OPEN_FOR_RECTIFIER and on > hazard.deadline_in_force:
        return (on - hazard.deadline_in_force).days
    return 0


@register.simple_tag
def hazard_status(hazard):
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASS.get(hazard.status, "text-bg-secondary"),
                       hazard.get_status_display())


@register.simple_tag
def hazard_overdue(hazard):
    days = overdue_days(hazard)
    if not days:
        return ""
    return format_html('<span class="badge text-bg-danger" title="已超过现行整改期限">逾期{}天</span>', days)


@register.simple_tag
def hazard_level(hazard, short: bool = False):
    if hazard.level == HazardLevel.MAJOR:
        return format_html('<span class="badge text-bg-danger-subtle text-danger-emphasis border border-danger-subtle">{}</span>',
                           "重大" if short else hazard.get_level_display())
    return format_html('<span class="badge text-bg-light border">{}</span>', "一般" if short else hazard.get_level_display())


@register.simple_tag
def posted_value(posted, action: str, field: str, default=""):
    """What the user typed into ``field`` of the action form ``action`` before an error (else ``default``)."""
    if posted and posted.get("action") == action:
        return posted["values"].get(field, default)
    return default


@register.simple_tag
def posted_errors(posted, action: str, field: str):
    if posted and posted.get("action") == action:
        return posted.get("errors", {}).get(field, [])
    return []


@register.inclusion_tag("hazards/_section.html", takes_context=True)
def hazard_section(context, obj):
    """The hazards of an enterprise or a site that the signed-in user may see, overdue first."""
    from anquan.enterprises.models import Enterprise

    from ..views import annotate_rows, can_record, hazard_queryset

    request = context["request"]
    user = request.user
    key = "enterprise" if isinstance(obj, Enterprise) else "site"
    qs = hazard_queryset(user, {key: str(obj.pk)})
    total = qs.count()
    open_count = qs.exclude(status=HazardStatus.CLOSED).count() if total else 0
    on = today()
    overdue_count = qs.filter(overdue_q(on)).count() if open_count else 0
    rows = annotate_rows(qs[:SECTION_ROWS], on) if total else []
    record_url = ""
    if key == "site" and obj.voided_at is None and can_record(user):
        from anquan.enterprises.models import Site

        if Site.objects.visible_to(user, "hazard.record").filter(pk=obj.pk).exists():
            record_url = f"/hazards/new/?site={obj.pk}"
    return {
        "rows": rows, "total": total, "open_count": open_count, "overdue_count": overdue_count,
        "more_url": f"/hazards/?{key}={obj.pk}", "record_url": record_url, "key": key,
    }


@register.simple_tag
def verifier(hazard):
    """Who verified or closed the hazard (the responsibility list's 验收人), or a dash."""
    from ..exports import verifier_of

    return verifier_of(hazard) or "—"


@register.simple_tag
def finder_unit(hazard):
    """The unit that found the hazard: a department, a street/grid, or the enterprise (自查)."""
    from ..exports import finder_unit_of

    return finder_unit_of(hazard) or "—"
