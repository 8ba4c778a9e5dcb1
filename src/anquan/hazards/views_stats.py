"""统计分析 page and the enterprise's statutory hazard statistics download.

Why a page of its own: every number here comes from ``stats`` (one function per figure, the
same ones the statutory report uses) over ``selectors.hazard_list(user, params)``, so it is
scoped like the lists and each number links to the list of exactly the records it counts.
The query count does not grow with the data: each figure is one COUNT or GROUP BY.
"""
from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from anquan.accounts.scope import active_assignments
from anquan.core.services import safe_id
from anquan.core.views import login_required
from anquan.enterprises.models import Enterprise
from anquan.enterprises.views import filter_options
from anquan.orgs.models import OrgUnit, UnitKind
from anquan.rules.calendar import today
from anquan.rules.deadlines import annual_report_due, quarter_report_due

from . import stats as figures
from .choices import HazardLevel
from .models import Hazard
from .selectors import hazard_list
from .statutory_report import QUARTER_NAMES, enterprise_report_xlsx

#: Colours of the level and status charts (the list's badges use the same meanings).
LEVEL_COLOURS = {"general": "#f0ad4e", "major": "#d62828"}
STATUS_COLOURS = {"pending": "#d62828", "rectifying": "#f0ad4e", "awaiting_verification": "#0d6efd", "closed": "#198754"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2000


def _date_or(value, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return default


def _period(request, now: datetime.date) -> tuple[datetime.date, datetime.date]:
    """found_from / found_to from the query, default the current year (Asia/Shanghai)."""
    start = _date_or(request.GET.get("found_from"), datetime.date(now.year, 1, 1))
    end = _date_or(request.GET.get("found_to"), datetime.date(now.year, 12, 31))
    return (start, end) if start <= end else (end, start)


def _territory_unit(user, unit_id) -> OrgUnit | None:
    """The chosen unit if visible; else the highest unit the user's own assignments are anchored to
    (its street for street staff, its district for a department). Visible ancestors are not a default."""
    pk = safe_id(unit_id)
    if pk:
        return OrgUnit.objects.visible_to(user).filter(pk=pk, voided_at__isnull=True).first()
    anchors = [a.unit or (a.department.unit if a.department_id else None) for a in active_assignments(user)]
    anchors = [u for u in anchors if u is not None]
    return min(anchors, key=lambda u: (u.depth, u.path), default=None)


def _by_territory(qs, params, unit: OrgUnit | None) -> list:
    """Streets under a district or city; grids under a street or community; nothing under a grid."""
    if unit is None or unit.kind == UnitKind.GRID:
        return []
    kind = UnitKind.GRID if unit.kind in (UnitKind.STREET, UnitKind.COMMUNITY) else None
    return figures.by_territory(qs, params, unit, kind)


def _chart(figures, colours=None) -> list[dict]:
    return [{"name": f.label, "value": f.value, **({"color": colours[f.key]} if colours and f.key in colours else {})}
            for f in figures]


def own_enterprise_id(user) -> int | None:
    """The enterprise of an enterprise user's active assignment (the report's default)."""
    return next((a.enterprise_id for a in active_assignments(user) if a.enterprise_id), None)


def _report_form(user, enterprise_param, year: int) -> dict | None:
    """The report form's context: the enterprise and the due dates of ``year``'s reports."""
    pk = safe_id(enterprise_param) or own_enterprise_id(user)
    if not pk:
        return None
    enterprise = Enterprise.objects.visible_to(user).filter(pk=pk).select_related("unit").first()
    if enterprise is None:
        return None
    unit = enterprise.unit
    dues = [(q, name, quarter_report_due(year, q, unit=unit)) for q, name in QUARTER_NAMES.items()]
    return {"enterprise": enterprise, "year": year, "dues": dues, "annual_due": annual_report_due(year, unit=unit)}


@require_GET
@login_required
def stats(request):
    """统计分析: headline figures, breakdowns and charts for the user's hazards in a period and unit."""
    user = request.user
    now = today()
    start, end = _period(request, now)
    unit = _territory_unit(user, request.GET.get("unit"))
    params = {"found_from": start.isoformat(), "found_to": end.isoformat()}
    if request.GET.get("unit"):
        params["unit"] = str(unit.pk) if unit else str(request.GET["unit"])
    qs = figures.prepare(hazard_list(user, params, today=now).order_by(), params, now)  # every figure in one scan
    head = figures.headline(qs, params, now)
    levels = figures.by_level(qs, params)
    head["major"] = next(f for f in levels if f.key == HazardLevel.MAJOR)
    statuses, sources = figures.by_status(qs, params), figures.by_source(qs, params)
    territory = _by_territory(qs, params, unit)
    context = {
        "nav_active": "hazards",
        "start": start, "end": end, "today": now, "unit": unit, "params": request.GET,
        "unit_options": filter_options(user)["unit_options"],
        "head": head,
        "statuses": statuses, "levels": levels, "sources": sources,
        "categories": figures.by_category(qs, params), "industries": figures.by_industry(qs, params),
        "territory": territory,
        "territory_title": "各网格" if territory and unit.kind in (UnitKind.STREET, UnitKind.COMMUNITY) else "各下级单位",
        "charts": {"status": _chart(statuses, STATUS_COLOURS), "level": _chart(levels, LEVEL_COLOURS),
                   "source": _chart(sources), "territory": _chart(territory)},
        "report": _report_form(user, request.GET.get("enterprise"), now.year),
        "years": range(now.year, max(FIRST_YEAR, now.year - 5) - 1, -1),
    }
    return render(request, "hazards/stats.html", context)


def _report_year_quarter(request, now: datetime.date) -> tuple[int, int | None]:
    """year (default this year) and quarter (1–4, or 全年 when empty/"all"); ValueError with a Chinese message."""
    raw_year = (request.GET.get("year") or "").strip() or str(now.year)
    if not raw_year.isdigit() or not FIRST_YEAR <= int(raw_year) <= now.year:
        raise ValueError(f"年份无效：请填写{FIRST_YEAR}至{now.year}之间的年份。")
    raw_quarter = (request.GET.get("quarter") or "").strip()
    if raw_quarter in ("", "all", "0"):
        return int(raw_year), None
    if raw_quarter not in ("1", "2", "3", "4"):
        raise ValueError("季度无效：请选择第一至第四季度或全年。")
    return int(raw_year), int(raw_quarter)


@require_GET
@login_required
def enterprise_report(request):
    """The statutory quarterly/annual hazard statistics (令第16号 第十四条) as .xlsx, counted within the user's scope."""
    user = request.user
    now = today()
    try:
        year, quarter = _report_year_quarter(request, now)
    except ValueError as err:
        messages.error(request, str(err))
        return redirect(reverse("hazards:stats"))
    pk = safe_id(request.GET.get("enterprise")) if request.GET.get("enterprise") else own_enterprise_id(user)
    if not pk:
        if request.GET.get("enterprise"):
            raise Http404("企业不存在或无权查看")
        messages.error(request, "请指定要统计的企业。")
        return redirect(reverse("hazards:stats"))
    enterprise = Enterprise.objects.visible_to(user).filter(pk=pk).select_related("unit").first()
    if enterprise is None:
        raise Http404("企业不存在或无权查看")
    body = enterprise_report_xlsx(enterprise, year, quarter, hazards=Hazard.objects.visible_to(user), today=now)
    period = f"{year}年{QUARTER_NAMES[quarter]}" if quarter else f"{year}年度"
    response = HttpResponse(body, content_type=XLSX)
    filename = f"隐患排查治理统计分析表-{enterprise.pk}-{period}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"hazard-report-{enterprise.pk}-{year}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response
