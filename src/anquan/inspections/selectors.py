"""Reads of inspection tasks shared by the task list, its export and the workbench.

A task is overdue (逾期未检查) when it is not yet performed (待检查 or 检查中) and the date it was
planned for has passed in Asia/Shanghai. The plan's completion date (``due_on``) is the outer limit
the page shows beside it; the visit itself was promised for ``planned_on``, and a task still waiting
a month after that date is what the officials responsible must see (issue 10, finding 3). Derived for
``today``, never stored, like every overdue in the system.
"""
from __future__ import annotations

import datetime

from django.db.models import Q

from .models import InspectionStatus

OPEN_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, planned_on__lt=today)


def is_overdue(task, today: datetime.date) -> bool:
    return task.status in OPEN_STATUSES and task.planned_on < today


def overdue_days(task, today: datetime.date) -> int:
    """Days since the planned date of a task still not performed (0 when not overdue)."""
    return (today - task.planned_on).days if is_overdue(task, today) else 0
