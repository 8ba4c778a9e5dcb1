"""The look-back page (倒查), read-only: pick a site or an enterprise in scope and a date range.

Reads through ``lookback.lookback`` (scoped with visible_to): an out-of-scope site or
enterprise answers 404, as if it did not exist. Nothing on this page can be edited.
"""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.errors import Invalid
from anquan.core.views import login_required
from anquan.enterprises.models import Enterprise, Site
from anquan.rules.calendar import today

from .lookback import lookback

DEFAULT_DAYS = 365
SEARCH_LIMIT = 20


def parse_date(value, default: datetime.date) -> datetime.date | None:
    """A date from the query string; the default when empty, None when unreadable."""
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _search(user, text: str) -> dict:
    text = text.strip()
    if not text:
        return {}
    sites = (Site.objects.visible_to(user).filter(voided_at__isnull=True)
             .filter(Q(name__icontains=text) | Q(address__icontains=text)).select_related("enterprise", "grid")
             .order_by("name", "id")[:SEARCH_LIMIT])
    firms = (Enterprise.objects.visible_to(user).filter(voided_at__isnull=True)
             .filter(Q(name__icontains=text) | Q(credit_code__icontains=text.upper())).order_by("name", "id")[:SEARCH_LIMIT])
    return {"found_sites": list(sites), "found_enterprises": list(firms)}


@require_GET
@login_required
def lookback_page(request):
    end = today()
    date_from = parse_date(request.GET.get("from"), end - datetime.timedelta(days=DEFAULT_DAYS))
    date_to = parse_date(request.GET.get("to"), end)
    context = {"params": request.GET, "date_from": date_from or "", "date_to": date_to or "", "errors": {}}
    context.update(_search(request.user, request.GET.get("q", "")))
    site, enterprise = request.GET.get("site"), request.GET.get("enterprise")
    if site or enterprise:
        if date_from is None or date_to is None:
            context["errors"] = {"from": ["日期格式应为YYYY-MM-DD"]}
        else:
            try:
                context["report"] = lookback(request.user, site=site, enterprise=enterprise, date_from=date_from, date_to=date_to)
            except Invalid as err:
                context["errors"] = err.errors
    return render(request, "hazards/lookback.html", context)
