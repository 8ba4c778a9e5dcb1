"""排查覆盖 as an .xlsx workbook: 汇总, 按街道, 按网格, 场所明细 (write-only, streamed, fixed query count).

The sheet of sites streams the annotated frame with ``iterator()``; the kinds of inspection per
site come from one GROUP BY over the whole frame, so a district of 20,000 sites is a handful of
queries and flat memory.
"""
from __future__ import annotations

import datetime
import tempfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from anquan.core.text import text_cells, write_only_cell
from anquan.enterprises.exporter import MAX_ROWS, xlsx_response
from anquan.enterprises.models import Site

from . import coverage as cov

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B3D91")
_TITLE_FONT = Font(bold=True, size=13)

COUNT_COLUMNS = [("场所总数", 10), ("已检查场所", 11), ("未检查场所", 11), ("场所覆盖率", 11), ("企业总数", 10),
                 ("已检查企业", 11), ("应检查次数", 11), ("已检查次数", 11), ("欠检次数", 10), ("未达频次场所", 12)]
SITE_COLUMNS = [("场所", 30), ("企业", 32), ("统一社会信用代码", 20), ("街道", 14), ("网格", 16), ("行业领域", 16),
                ("风险等级", 14), ("是否检查", 9), ("检查次数", 9), ("检查类型（次数）", 30), ("最近检查时间", 17),
                ("应检查次数", 10), ("欠检次数", 9), ("已安排待检查", 11)]


def _sheet(wb, title: str, columns: list[tuple[str, int]]):
    ws = wb.create_sheet(title)
    for i, (_, width) in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    return ws


def _header(ws, columns) -> list:
    cells = []
    for name, _ in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _count_row(c: cov.Counts) -> list:
    return [c.sites, c.covered, c.uncovered, (c.percent / 100) if c.percent is not None else None, c.enterprises,
            c.enterprises_covered, c.expected, c.done, c.shortfall, c.short_sites]


def _percent_cell(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "0.0%"
    return cell


def _counts_sheet(wb, title: str, first: list[tuple[str, int]], rows: list[tuple[list, cov.Counts]], total: cov.Counts):
    columns = first + COUNT_COLUMNS
    ws = _sheet(wb, title, columns)
    ws.append(_header(ws, columns))
    for lead, counts in [*rows, ([total.label] + [""] * (len(first) - 1), total)]:
        values = _count_row(counts)
        values[3] = _percent_cell(ws, values[3])
        ws.append(text_cells(ws, [*lead, *values]))


def _summary(wb, report: cov.Report, territory_name: str, on: datetime.date):
    p = report.params
    ws = _sheet(wb, "汇总", [("项目", 26), ("内容", 60), ("", 14), ("", 14), ("", 14), ("", 14)])
    title = write_only_cell(ws, f"{territory_name}拉网式排查覆盖情况（{p.start:%Y年%m月%d日}至{p.end:%Y年%m月%d日}）")
    title.font = _TITLE_FONT
    ws.append([title])
    ws.append(text_cells(ws, ["行业领域", p.industry.name if p.industry else "全部"]))
    ws.append(["计入的检查类型", "、".join(str(cov.KIND_LABELS[k]) for k in p.kinds)])
    ws.append(["期间完整月数", p.months])
    ws.append(["导出日期", on])
    t = report.total
    ws.append(["场所：已检查 / 总数", f"{t.covered} / {t.sites}（{t.percent_display}）"])
    ws.append(["企业：已检查 / 总数", f"{t.enterprises_covered} / {t.enterprises}"])
    ws.append(["应检查次数 / 已检查次数 / 欠检次数", f"{t.expected} / {t.done} / {t.shortfall}"])
    ws.append([])
    ws.append(_header(ws, [("风险等级", 0), ("检查频次", 0), ("每场所应检查", 0), ("场所数", 0), ("欠检次数", 0), ("未达频次场所", 0)]))
    for c in report.colours:
        ws.append(text_cells(ws, [c.label, f"每{c.extra['frequency']}个月至少1次", c.extra["per_site"], c.sites, c.shortfall,
                                  c.short_sites]))
    ws.append(["说明", "检查频次为地方可配置的默认值（非法定频次），可在“规则与日历”中按地区调整；无所属企业的场所按蓝色计。"])
    ws.append([])
    ws.append(_header(ws, [("检查类型", 0), ("检查次数", 0), ("覆盖场所", 0)]))
    for k in report.kinds:
        ws.append(text_cells(ws, [k["label"], k["visits"], k["sites"]]))


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _sites(wb, user, report: cov.Report):
    p = report.params
    ws = _sheet(wb, "场所明细", SITE_COLUMNS)
    ws.append(_header(ws, SITE_COLUMNS))
    frame = cov.frame(user, p).values("pk")
    kinds = cov.kinds_of_sites(user, p, frame)
    streets = cov.street_names(p.territory)
    details = {pk: rest for pk, *rest in Site.objects.filter(pk__in=frame).values_list(
        "pk", "enterprise__name", "enterprise__credit_code", "grid__name", "industry__name").iterator(chunk_size=5000)}
    for r in cov.table(report.sites, p.only)[:MAX_ROWS]:
        enterprise, credit_code, grid, industry = details[r.pk]
        ws.append(text_cells(ws, [
            r.name, enterprise or "（无所属企业）", credit_code or "", cov.street_of(r.grid_path, streets), grid,
            industry or "", str(cov.COLOUR_LABELS.get(r.colour, "")), "是" if r.n_done else "否", r.n_done,
            "、".join(f"{label}{n}次" for label, n in kinds.get(r.pk, [])), _local(r.last_at), r.n_expected,
            r.n_short, r.n_pending,
        ]))


def export(user, p: cov.Params, on: datetime.date):
    """The open temporary .xlsx file (at its start) of the coverage report for ``p``."""
    report = cov.report(user, p)
    wb = Workbook(write_only=True)
    _summary(wb, report, p.territory.name, on)
    if report.streets:
        _counts_sheet(wb, "按街道", [("街道", 18)], [([c.label], c) for c in report.streets], report.total)
    _counts_sheet(wb, "按网格", [("网格", 18), ("所属社区", 16)],
                  [([c.label, c.extra.get("parent", "")], c) for c in report.grids], report.total)
    _sites(wb, user, report)
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def response(user, p: cov.Params, on: datetime.date):
    stream = export(user, p, on)
    name = f"排查覆盖_{p.territory.name}_{p.start:%Y%m%d}-{p.end:%Y%m%d}.xlsx"
    return xlsx_response(stream, name, f"coverage_{p.territory.pk}_{p.start:%Y%m%d}-{p.end:%Y%m%d}.xlsx")
