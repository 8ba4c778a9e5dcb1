"""排查覆盖 pages: the coverage of a territory in a period (figures, breakdowns, the site table) and its .xlsx.

Both read ``coverage.report`` with the same filters, so the download holds exactly what the
page shows; the number of queries does not depend on the number of sites.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required, paginate
from anquan.orgs.models import Industry
from anquan.rules.calendar import today

from . import coverage as cov
from .coverage_export import response as xlsx_response

DENIED = "排查覆盖情况仅向负责制定检查计划的属地和行业部门工作人员开放。"


def _bar_colour(percent: float | None) -> str:
    if percent is None or percent < 60:
        return "#d62828"
    return "#f0ad4e" if percent < 90 else "#198754"


def _chart(rows: list[cov.Counts]) -> list[dict]:
    return [{"name": r.label, "value": r.percent or 0, "color": _bar_colour(r.percent)} for r in rows if r.sites]


def _denied(request):
    """403 with the reason in Chinese, on the platform's one refusal page (core.error_pages)."""
    raise PermissionDenied(DENIED + "如需了解本单位的检查情况，请查看“检查任务”，或联系所在街道、行业主管部门。")


def _prepare(request):
    user = request.user
    params, errors = cov.parse_params(user, request.GET, today())
    for error in errors:
        messages.warning(request, error)
    return params


@require_GET
@login_required
def coverage(request):
    """The coverage page: headline, per street / grid / colour / kind, and the sites (filterable) with their visits."""
    if not cov.may_view(request.user):
        return _denied(request)
    p = _prepare(request)
    user = request.user
    report = cov.report(user, p)
    page = paginate(request, cov.table(report.sites, p.only))
    rows = cov.with_sites(list(page.object_list))
    kinds = cov.kinds_of_sites(user, p, [s.pk for s in rows])
    streets = cov.street_names(p.territory)
    for site in rows:
        site.kind_counts = kinds.get(site.pk, [])
        site.street_name = cov.street_of(site.grid.path, streets)
    query = urlencode(p.query())
    breakdown = report.streets or report.grids
    context = {
        "nav_active": "coverage",
        "p": p, "report": report, "page": page, "rows": rows, "today": today(),
        "query": query, "table_query": urlencode([kv for kv in p.query() if kv[0] != "only"]),
        "unit_query": urlencode([kv for kv in p.query() if kv[0] not in ("only", "territory")]),
        "territories": cov.territory_options(user), "industries": Industry.objects.all(),
        "kind_choices": list(cov.KIND_LABELS.items()), "only_choices": list(cov.ONLY_CHOICES.items()),
        "chart": _chart(breakdown), "chart_title": "各街道检查覆盖率" if report.streets else "各网格检查覆盖率",
        "months": p.months, "custom_kinds": tuple(p.kinds) != cov.DEFAULT_KINDS,
    }
    return render(request, "inspections/coverage.html", context)


@require_GET
@login_required
def coverage_export(request):
    """The same report as .xlsx: summary, per street, per grid, and every site of the (filtered) table."""
    if not cov.may_view(request.user):
        return _denied(request)
    p = _prepare(request)
    return xlsx_response(request.user, p, today())
