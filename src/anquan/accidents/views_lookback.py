"""一案双查 from an accident: the look-back view (read-only, ``lookback.accident_lookback``) and where accountability
records (三责同追) are opened from."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required
from anquan.orgs.models import Department, OrgUnit

from .lookback import accident_lookback
from .views import LEVEL_BADGES, _accountability, get_accident, permits_any


@require_GET
@login_required
def lookback_page(request, pk):
    accident = get_accident(request.user, pk)
    report = accident_lookback(request.user, accident, whole_enterprise=request.GET.get("scope") == "enterprise")
    chain = accident.unit.ancestor_ids()
    territories = list(OrgUnit.objects.filter(pk__in=chain, kind__in=["street", "district"]).order_by("path"))
    departments = list(Department.objects.filter(unit_id__in=chain, voided_at__isnull=True)
                       .select_related("unit").order_by("unit__path", "pk")[:40])
    return render(request, "accidents/lookback.html", {
        "a": accident, "accident": accident, "report": report, "badge": LEVEL_BADGES[accident.level],
        "whole": request.GET.get("scope") == "enterprise", "can_account": permits_any(request.user, "accountability.record"),
        "nav_active": "accidents", "records": _accountability(request.user, accident),
        "territories": territories, "departments": departments,
    })
