"""Excel export of enterprises (一企一档台账) and the import template, as write-only workbooks.

Write-only mode streams rows to a temporary file, so memory stays flat for a district's
20,000 enterprises; an .xlsx sheet holds at most 1,048,576 rows (one is the header).
"""
from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from anquan.core.text import text_cells, write_only_cell
from anquan.orgs.models import Industry

from .models import EnterpriseStatus, RiskColour, Scale, StandardGrade

#: The data rows one sheet can hold (1,048,576 minus the header row).
MAX_ROWS = 1_048_575

#: Column headers, shared by the export, the import template and the importer.
HEADERS = [
    "企业名称", "统一社会信用代码", "法定代表人", "主要负责人", "联系电话", "注册地址", "所属网格",
    "行业领域", "规模", "经营状态", "风险等级", "标准化等级", "证书编号", "证书有效期至",
]
WIDTHS = [34, 22, 12, 12, 15, 40, 16, 24, 8, 10, 16, 11, 20, 14]
#: Headers that must be filled for a new enterprise.
REQUIRED = ["企业名称", "统一社会信用代码", "法定代表人", "主要负责人", "注册地址", "所属网格", "行业领域"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B3D91")
_REQUIRED_FILL = PatternFill("solid", fgColor="B3261E")


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _header_row(ws, headers: list[str], mark_required: bool = False) -> list:
    cells = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if (mark_required and title in REQUIRED) else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cells.append(cell)
    return cells


def _new_sheet(wb, title: str, headers: list[str], widths: list[int], mark_required: bool = False):
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths):
        ws.column_dimensions[_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append(_header_row(ws, headers, mark_required))
    return ws


def _labels(choices) -> dict:
    return dict(choices)


def enterprise_row(enterprise, industry_names: dict[int, str]) -> list:
    """One enterprise as export cells (labels in Chinese, dates as dates)."""
    scales, statuses, risks, grades = (_labels(c.choices) for c in (Scale, EnterpriseStatus, RiskColour, StandardGrade))
    return [
        enterprise.name,
        enterprise.credit_code,
        enterprise.legal_representative,
        enterprise.principal_name,
        enterprise.principal_phone,
        enterprise.address,
        enterprise.unit.name,
        "、".join(industry_names.get(i.pk, i.name) for i in enterprise.industries.all()),
        str(scales.get(enterprise.scale, enterprise.scale)),
        str(statuses.get(enterprise.status, enterprise.status)),
        str(risks.get(enterprise.risk_colour, enterprise.risk_colour)),
        str(grades.get(enterprise.standard_grade, enterprise.standard_grade)),
        enterprise.standard_cert_no,
        enterprise.standard_cert_expiry,
    ]


def export_enterprises(queryset):
    """Write ``queryset`` (already scoped and filtered) to a temporary .xlsx; the open file, at its start."""
    wb = Workbook(write_only=True)
    ws = _new_sheet(wb, "企业档案", HEADERS, WIDTHS)
    industry_names = dict(Industry.objects.values_list("pk", "name"))
    rows = queryset.select_related("unit").prefetch_related("industries").iterator(chunk_size=2000)
    for enterprise in rows:
        ws.append(text_cells(ws, enterprise_row(enterprise, industry_names)))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def template_workbook(grids: list[tuple[int, str, str]], industries: list[tuple[str, str]]):
    """The import template: the header row (required columns in red), an example, and a sheet of valid values.

    ``grids`` are (id, name, long name) of the grids the user may create enterprises in;
    ``industries`` are (code, name) of the industry catalogue.
    """
    wb = Workbook(write_only=True)
    ws = _new_sheet(wb, "企业档案", HEADERS, WIDTHS, mark_required=True)
    example_grid = grids[0][1] if grids else "第一网格"
    example_industry = "、".join(name for _, name in industries[:2]) or "建筑施工"
    example = ["（示例，导入前请删除此行）某某建材有限公司", "91310101MA1FL0000A", "张三", "李四", "13800000000",
               "某某路1号", example_grid, example_industry, "小型", "正常", "黄", "三级", "AQBIII2024001", "2027-12-31"]
    cells = []
    for value in example:
        cell = write_only_cell(ws, value)
        cell.font = Font(italic=True, color="888888")
        cells.append(cell)
    ws.append(cells)

    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for row in [
        ["栏目", "填写要求"],
        ["红色表头", "必填：企业名称、统一社会信用代码、法定代表人、主要负责人、注册地址、所属网格、行业领域"],
        ["统一社会信用代码", "18位，按GB 32100-2015校验第18位校验码；已存在于您管辖范围内的企业将按文件内容更新，文件内不得重复"],
        ["所属网格", "填网格名称，或下方“可选网格”中的网格编号（名称重名时必须填编号）"],
        ["行业领域", "一个或多个行业名称，用顿号“、”分隔，须为下方“行业目录”中的名称"],
        ["规模", "大型 / 中型 / 小型 / 微型（不填为小型）"],
        ["经营状态", "正常 / 关闭取缔（不填为正常）"],
        ["风险等级", "红 / 橙 / 黄 / 蓝（即重大/较大/一般/低风险，不填为蓝）"],
        ["标准化等级", "一级 / 二级 / 三级 / 未达标；已达标的须填写证书编号"],
        ["证书有效期至", "日期，如 2027-12-31"],
        ["更新已有企业", "只更新文件中出现的列；某一列留空表示清空该项（必填项不能留空）"],
        [],
        ["行业目录", "代码 · 名称"],
        *[["", f"{code} · {name}"] for code, name in industries],
        [],
        ["可选网格", "编号 · 名称（所属街道/社区）"],
        *[["", f"{pk} · {name}（{long}）"] for pk, name, long in grids],
    ]:
        notes.append(text_cells(notes, row))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def xlsx_response(fileobj, filename: str, ascii_name: str = "") -> FileResponse:
    """An attachment: ``filename*=utf-8''…`` (RFC 5987) for the Chinese name, plus a plain ASCII fallback."""
    response = FileResponse(fileobj, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    fallback = ascii_name or "".join(c for c in filename if c.isascii() and (c.isalnum() or c in "._-")) or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
