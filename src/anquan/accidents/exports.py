"""The accident statistics and the statutory tables as .xlsx (``jobs.xlsx``: inline strings, never a formula), audited.

Downloads take rows out of the system, so who downloaded which table with which filters is written to the
audit trail (as ``workbench.export.register_download`` does for registers).

The statutory tables' columns (``stats.REGISTER_COLUMNS``/``SUMMARY_COLUMNS``) follow the 2012 生产安全事故统计报表制度's
layout; they are NOT confirmed against the forms of the 生产安全事故统计调查制度 in force (应急管理部, 2020-11-25, approved
by 国家统计局): its forms, 表号, approval number and period of validity were not found — see the note in ``stats.py``."""
from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.enterprises.exporter import xlsx_response
from anquan.jobs.xlsx import write_xlsx
from anquan.rules.calendar import today

from . import stats

#: The tables one may download: key → title.
TABLES = {
    "compare": "事故统计（比上年同期）",
    "register": "生产安全事故情况（逐起）",
    "industry": "各类生产安全事故综合情况（按行业）",
    "territory": "地区生产安全事故综合情况",
}


def _chain(assignment) -> str | None:
    unit = assignment.unit or (assignment.department.unit if assignment.department_id else None) or (
        assignment.enterprise.unit if assignment.enterprise_id else None)
    return f"district:{unit.district_id}" if unit is not None and unit.district_id else None


def compare_rows(sections) -> list[list]:
    """(section title, rows) → one sheet: each row's measures this period, last year and the change."""
    out = []
    for title, rows in sections:
        for row in rows:
            line = [title, row.label]
            for m in stats.MEASURES:
                c = row.cell(m)
                line += [c.current, c.previous, c.change]
            out.append(line)
    return out


def compare_headers() -> list[tuple[str, int]]:
    cols = [("分组", 10), ("项目", 22)]
    for m in stats.MEASURES:
        label = stats.MEASURE_LABELS[m]
        cols += [(f"{label}本期", 12), (f"{label}上年同期", 12), (f"{label}同比", 12)]
    return cols


def download(request, *, key: str, params: dict, columns, rows):
    assignment = next((a for a in active_assignments(request.user) if a.scope_kind != "system"), None)
    if assignment is None:
        raise PermissionDenied("您没有导出事故统计的权限")
    rows = list(rows)
    title = TABLES[key]
    with transaction.atomic():
        record(actor=request.user, assignment=assignment, obj=assignment, action="accident_statistics_export",
               after={"table": key, "params": params, "rows": len(rows)}, chain_key=_chain(assignment))
    stream = write_xlsx(title, [c[0] for c in columns], [c[1] for c in columns], rows,
                        out=tempfile.TemporaryFile(suffix=".xlsx"))
    on = today()
    return xlsx_response(stream, f"{title}_{on:%Y%m%d}.xlsx", f"accidents_{key}_{on:%Y%m%d}.xlsx")


def naive_local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
