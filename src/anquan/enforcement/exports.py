"""行政执法统计 as .xlsx (``jobs.xlsx``'s safe writer: inline strings, never a formula), audited like every export:
who downloaded which table for which period is written to the audit trail."""
from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.enterprises.exporter import xlsx_response
from anquan.jobs.xlsx import write_xlsx

from . import stats

TITLE = "行政执法统计"


def _chain(assignment) -> str | None:
    unit = assignment.unit or (assignment.department.unit if assignment.department_id else None) or (
        assignment.enterprise.unit if assignment.enterprise_id else None)
    return f"district:{unit.district_id}" if unit is not None and unit.district_id else None


def rows_of(user, period: stats.Period) -> list[list]:
    """One sheet: 合计, then 按部门, then 按行业 (the first column says which)."""
    out = [["合计", *stats.table_rows([stats.totals(user, period)])[0]]]
    out += [["按执法部门", *r] for r in stats.table_rows(stats.by_department(user, period))]
    out += [["按行业领域", *r] for r in stats.table_rows(stats.by_industry(user, period))]
    return out


def download(request, period: stats.Period):
    assignment = next((a for a in active_assignments(request.user) if a.scope_kind != "system"), None)
    if assignment is None:
        raise PermissionDenied("您没有导出行政执法统计的权限")
    rows = rows_of(request.user, period)
    with transaction.atomic():
        record(actor=request.user, assignment=assignment, obj=assignment, action="enforcement_statistics_export",
               after={"params": period.params(), "rows": len(rows)}, chain_key=_chain(assignment))
    headers = ["分组", "项目", *[stats.LABELS[m] for m in stats.METRICS]]
    widths = [12, 24, *[14 for _ in stats.METRICS]]
    title = f"{TITLE}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"
    stream = write_xlsx(TITLE, headers, widths, rows, out=tempfile.TemporaryFile(suffix=".xlsx"))
    return xlsx_response(stream, f"{title}.xlsx", f"enforcement_stats_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx")
