"""事故统计 page and its downloads: the period against the same period last year (比上年同期), by level, kind,
industry and territory, every number linking to the list of exactly the accidents it counts; the statutory tables
(生产安全事故统计调查制度) as .xlsx. All figures come from ``stats`` over the reader's ``visible_to`` scope."""
from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required
from anquan.orgs.models import Industry, OrgUnit
from anquan.rules.calendar import today

from . import exports, stats
from .choices import AccidentKind, AccidentLevel
from .models import Accident

DIMENSIONS = (("level", "按事故等级"), ("kind", "按事故类别"), ("industry", "按行业领域"), ("unit", "按区域"))


def period_of(request) -> stats.Period:
    """``from``/``to`` from the query; default 1 January of this year (Asia/Shanghai) to today."""
    now = today()
    start = stats._date(request.GET.get("from")) or datetime.date(now.year, 1, 1)
    end = stats._date(request.GET.get("to")) or now
    if end < start:
        start, end = end, start
    if (end - start).days > 366 * 5:
        start = end - datetime.timedelta(days=366 * 5)
    return stats.Period(start, end)


def _compute(request):
    params = stats.clean_params(request.GET)
    period = period_of(request)
    scoped = Accident.objects.visible_to(request.user)
    head = stats.headline(scoped, params, period, request.user)
    sections = [(label, stats.breakdown(scoped, params, period, dim, request.user)) for dim, label in DIMENSIONS]
    return params, period, head, sections


@require_GET
@login_required
def stats_page(request):
    params, period, head, sections = _compute(request)
    units = OrgUnit.objects.visible_to(request.user).filter(voided_at__isnull=True, kind__in=["city", "district", "street"]).order_by("path")[:200]
    return render(request, "accidents/stats.html", {
        "params": params, "period": period, "head": head, "head_rows": [head], "sections": sections, "sentence": stats.summary_sentence(head),
        "measures": [(m, stats.MEASURE_LABELS[m]) for m in stats.MEASURES], "levels": AccidentLevel.choices,
        "kinds": AccidentKind.choices, "industries": Industry.objects.order_by("sort", "pk"), "units": units,
        "query": request.GET.urlencode(), "tables": exports.TABLES, "nav_active": "accident_stats",
    })


@require_GET
@login_required
def stats_download(request, table):
    if table not in exports.TABLES:
        raise Http404()
    params, period, head, sections = _compute(request)
    if table == "compare":
        return exports.download(request, key=table, params={**params, **period.params()}, columns=exports.compare_headers(),
                                rows=exports.compare_rows([("合计", [head]), *sections]))
    qs = stats.filter_accidents(Accident.objects.visible_to(request.user), {**params, **period.params()}, request.user)
    if table == "register":
        columns = [(c, 14) for c in stats.REGISTER_COLUMNS]
        return exports.download(request, key=table, params={**params, **period.params()}, columns=columns,
                                rows=stats.register_rows(qs))
    column = "industry" if table == "industry" else "unit"
    columns = [("行业领域" if column == "industry" else "事故发生地（区划）", 22)] + [(c, 14) for c in stats.SUMMARY_COLUMNS]
    rows = [[label, *values] for label, values in stats.summary_rows(qs, column)]
    return exports.download(request, key=table, params={**params, **period.params()}, columns=columns, rows=rows)
