"""一案双查 from an accident: the look-back view (read-only, ``lookback.accident_lookback``) and where accountability
records (三责同追) are opened from."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required

from .lookback import accident_lookback
from .views import LEVEL_BADGES, get_accident, permits_any


@require_GET
@login_required
def lookback_page(request, pk):
    accident = get_accident(request.user, pk)
    report = accident_lookback(request.user, accident, whole_enterprise=request.GET.get("scope") == "enterprise")
    return render(request, "accidents/lookback.html", {
        "a": accident, "accident": accident, "report": report, "badge": LEVEL_BADGES[accident.level],
        "whole": request.GET.get("scope") == "enterprise", "can_account": permits_any(request.user, "accountability.record"),
        "nav_active": "accidents",
    })
