"""行政执法统计 page, its .xlsx download, and the list behind every number (``stats.records``: the same query
counts and lists, so they cannot disagree). Reads only, through ``visible_to``."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required, paginate, query_without

from . import exports, stats


@require_GET
@login_required
def stats_page(request):
    period = stats.period_of(request.GET)
    return render(request, "enforcement/stats.html", {
        "period": period, "labels": [stats.LABELS[m] for m in stats.METRICS], "total_rows": [stats.totals(request.user, period)],
        "departments": stats.by_department(request.user, period), "industries": stats.by_industry(request.user, period),
        "query": request.GET.urlencode(),
    })


@require_GET
@login_required
def stats_download(request):
    return exports.download(request, stats.period_of(request.GET))


@require_GET
@login_required
def stats_list(request):
    metric = request.GET.get("metric")
    if metric not in stats.METRICS:
        metric = "filed"
    period = stats.period_of(request.GET)
    filters = stats.clean_filters(request.GET)
    cases = stats.listed_cases(request.user, metric, period, filters)
    qs = cases if cases is not None else stats.records(request.user, metric, period, filters)
    if metric == "suspensions":
        qs = qs.select_related("site", "hazard").order_by("-started_at", "-pk")
    elif metric == "closures":
        qs = qs.select_related("enterprise", "organ").order_by("-created_at", "-pk")
    else:
        qs = qs.order_by("-opened_at", "-pk")
    figure = stats.value_of(metric, stats.records(request.user, metric, period, filters))
    return render(request, "enforcement/stats_list.html", {
        "metric": metric, "label": stats.LABELS[metric], "figure": figure, "period": period, "filters": filters,
        "page": paginate(request, qs, 50), "query": query_without(request), "kind": "cases" if cases is not None else metric,
    })
