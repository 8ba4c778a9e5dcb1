"""The enterprise's statutory hazard statistics (事故隐患排查治理情况统计分析表).

Why: 安全生产事故隐患排查治理暂行规定（原安监总局令第16号）第十四条 requires every enterprise to
analyse its hazard work each quarter and each year and report it — quarterly by the 15th of
the month after the quarter, annually by 31 January — signed by its 主要负责人. The due
dates come from ``rules.deadlines`` (a locality may change them) and every number from
``stats`` (the same functions as the dashboards), so the form and the pages agree.

The figures cover the hazards *found in the period* at the enterprise's sites: found (一般/重大),
rectified (closed by the end of the period, or by today for a period still running),
unrectified, 整改率, funds put into the rectified ones, and major hazards listed for
supervision (挂牌督办) in the period. Callers check that the user may see the enterprise;
pass ``hazards`` (e.g. ``Hazard.objects.visible_to(user)``) to count within a scope.
"""
from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from anquan.core.text import sheet_value, xml_safe
from anquan.rules.calendar import SHANGHAI
from anquan.rules.calendar import today as shanghai_today
from anquan.rules.deadlines import annual_report_due, quarter_report_due

from .choices import HazardLevel
from .models import Hazard
from .stats import Figure, Rate, on_time_rate, rectification_rate

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
TITLE = "生产经营单位事故隐患排查治理情况统计分析表"
BASIS = "依据《安全生产事故隐患排查治理暂行规定》（原国家安全生产监督管理总局令第16号）第十四条：每季、每年进行统计分析，分别于下一季度15日前和下一年1月31日前报送，由主要负责人签字。"
LEVELS = (("general", HazardLevel.GENERAL), ("major", HazardLevel.MAJOR))


def report_period(year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date, str]:
    """(first day, last day, label) of a quarter (1–4) or, without one, of the year."""
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度"
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"季度必须是1–4：{quarter!r}")
    start = datetime.date(year, quarter * 3 - 2, 1)
    end = datetime.date(year + (quarter == 4), quarter * 3 % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end, f"{year}年{QUARTER_NAMES[quarter]}"


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def _level_figures(found, params, as_of) -> dict:
    rate = rectification_rate(found, params, as_of)
    found_n, closed_n = rate.denominator.value, rate.numerator.value
    funds = rate.numerator.queryset.aggregate(s=Sum("funds"))["s"] or Decimal("0")
    return {"found": rate.denominator, "rectified": rate.numerator, "unrectified": found_n - closed_n, "rate": rate,
            "funds": funds}


def enterprise_report(enterprise, year: int, quarter: int | None = None, *, hazards=None,
                      today: datetime.date | None = None) -> dict:
    """The figures of one enterprise's quarterly (``quarter`` 1–4) or annual report, with its due date.

    Keys: enterprise fields, ``period_label``, ``start``, ``end``, ``as_of``, ``due``, ``principal``;
    ``total`` / ``general`` / ``major``: dicts of ``found`` and ``rectified`` (``stats.Figure``,
    linkable), ``unrectified`` (int), ``rate`` (``stats.Rate``), ``funds`` (Decimal, 元);
    ``on_time_rate`` (Rate), ``listed`` (Figure: major hazards listed for supervision in the period).
    """
    start, end, label = report_period(year, quarter)
    today = today or shanghai_today()
    as_of = min(end, today)
    unit = enterprise.unit
    due = annual_report_due(year, unit=unit) if quarter is None else quarter_report_due(year, quarter, unit=unit)
    base = hazards if hazards is not None else Hazard.objects.all()
    params = {"enterprise": str(enterprise.pk), "found_from": start.isoformat(), "found_to": end.isoformat()}
    found = base.filter(enterprise=enterprise, voided_at__isnull=True, found_on__gte=start, found_on__lte=end)
    report = {
        "title": TITLE, "basis": BASIS,
        "enterprise": enterprise.name, "credit_code": enterprise.credit_code, "address": enterprise.address,
        "principal": enterprise.principal_name, "year": year, "quarter": quarter, "period_label": label,
        "start": start, "end": end, "as_of": as_of, "due": due, "overdue_report": today > due,
        "total": _level_figures(found, params, as_of),
    }
    for key, level in LEVELS:
        report[key] = _level_figures(found.filter(level=level), {**params, "level": level}, as_of)
    report["on_time_rate"] = on_time_rate(report["total"]["rectified"].queryset, report["total"]["rectified"].params)
    listed = found.filter(level=HazardLevel.MAJOR, listings__listed_at__gte=_moment(start),
                          listings__listed_at__lt=_moment(end + datetime.timedelta(days=1))).distinct()
    report["listed"] = Figure("挂牌督办重大事故隐患", listed.count(), listed, {**params, "level": "major", "listed": "1"}, "listed")
    return report


# ---------------------------------------------------------------- xlsx


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _value(item) -> object:
    if isinstance(item, Rate):
        return item.display
    if isinstance(item, Figure):
        return item.value
    if isinstance(item, Decimal):
        return float(item)
    return item


def _table_rows(report: dict) -> list[tuple[str, object, object, object]]:
    g, m, t = report["general"], report["major"], report["total"]
    return [
        ("排查发现隐患（项）", g["found"], m["found"], t["found"]),
        ("已整改销号（项）", g["rectified"], m["rectified"], t["rectified"]),
        ("未整改（项）", g["unrectified"], m["unrectified"], t["unrectified"]),
        ("整改率", g["rate"], m["rate"], t["rate"]),
        ("已整改隐患投入资金（元）", g["funds"], m["funds"], t["funds"]),
        ("挂牌督办（项）", "—", report["listed"], report["listed"]),
        ("按期整改率", "—", "—", report["on_time_rate"]),
    ]


def enterprise_report_xlsx(enterprise, year: int, quarter: int | None = None, *, hazards=None,
                           today: datetime.date | None = None) -> bytes:
    """The report as an .xlsx (one sheet, ready to print, sign and stamp)."""
    report = enterprise_report(enterprise, year, quarter, hazards=hazards, today=today)
    wb = Workbook()
    ws = wb.active
    ws.title = xml_safe(report["period_label"])[:31]
    for column, width in zip("ABCD", (30, 18, 18, 18), strict=True):
        ws.column_dimensions[column].width = width
    ws.merge_cells("A1:D1")
    sheet_value(ws["A1"], report["title"])
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.merge_cells("A2:D2")
    ws["A2"] = f"（{report['period_label']}）"
    ws["A2"].alignment = CENTER
    info = [
        ("单位名称", report["enterprise"]), ("统一社会信用代码", report["credit_code"]), ("地址", report["address"]),
        ("统计期间", f"{report['start']:%Y年%m月%d日}至{report['end']:%Y年%m月%d日}（数据截至{report['as_of']:%Y年%m月%d日}）"),
        ("报送期限", f"{report['due']:%Y年%m月%d日}前"),
    ]
    row = 4
    for label, value in info:
        ws.cell(row, 1, label).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet_value(ws.cell(row, 2), value)  # the enterprise's own texts: safe and never a formula
        row += 1
    row += 1
    for col, title in enumerate(("项目", "一般事故隐患", "重大事故隐患", "合计"), start=1):
        cell = ws.cell(row, col, title)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
    for label, *values in _table_rows(report):
        row += 1
        ws.cell(row, 1, label).border = BOX
        for col, item in enumerate(values, start=2):
            cell = ws.cell(row, col, _value(item))
            cell.alignment, cell.border = CENTER, BOX
    row += 2
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.cell(row, 1, report["basis"]).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 48
    row += 2
    ws.cell(row, 1, f"主要负责人（签字）：{'':_<12}")
    ws.cell(row, 3, "填报人：")
    row += 2
    ws.cell(row, 1, "单位（盖章）")
    ws.cell(row, 3, "日期：    年  月  日")
    sheet_value(ws.cell(row + 1, 1), f"（主要负责人：{report['principal']}）").font = Font(color="666666")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
