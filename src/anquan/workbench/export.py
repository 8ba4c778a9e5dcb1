"""Audited .xlsx download of a register (挂牌督办台账, 延期审批, 逾期说明, 逾期检查任务).

Registers are short (what waits on someone), so they download at once through the same streaming
writer as the large lists (``jobs.xlsx``), without a background job; as with every export, who
took which rows out of the system is written to the audit trail of the district the data belongs to.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.enterprises.exporter import xlsx_response
from anquan.jobs.xlsx import write_xlsx
from anquan.rules.calendar import today


def _chain(assignment) -> str | None:
    unit = assignment.unit or (assignment.department.unit if assignment.department_id else None) or (
        assignment.enterprise.unit if assignment.enterprise_id else None)
    return f"district:{unit.district_id}" if unit is not None and unit.district_id else None


def register_download(request, *, key: str, title: str, action: str, columns: Sequence[tuple[str, int]],
                      rows: Iterable[Sequence], params: dict):
    """The rows as ``<title>_<date>.xlsx``, if one of the user's assignments permits ``action``; audited."""
    assignment = next((a for a in active_assignments(request.user) if a.permits(action)), None)
    if assignment is None:
        raise PermissionDenied(f"您没有导出{title}的权限")
    rows = list(rows)  # a register is short: what waits on someone, never a whole ledger
    on = today()
    with transaction.atomic():
        record(actor=request.user, assignment=assignment, obj=assignment, action="register_export",
               after={"register": key, "params": params, "rows": len(rows)}, chain_key=_chain(assignment))
    stream = write_xlsx(title, [c[0] for c in columns], [c[1] for c in columns], rows,
                        out=tempfile.TemporaryFile(suffix=".xlsx"))
    return xlsx_response(stream, f"{title}_{on:%Y%m%d}.xlsx", f"{key}_{on:%Y%m%d}.xlsx")
