"""Reads of inspection tasks shared by the task list, its export and the workbench.

A task is overdue (逾期未检查) when it is not yet performed (待检查 or 检查中) and its date has
passed in Asia/Shanghai: the date it is due (``due_on``, set by a plan) or, without one, the date
it was planned for. Derived for ``today``, never stored, like every overdue in the system.
"""
from __future__ import annotations

import datetime

from django.db.models import Q

from .models import InspectionStatus

OPEN_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)


def overdue_q(today: datetime.date) -> Q:
    late = Q(due_on__lt=today) | Q(due_on__isnull=True, planned_on__lt=today)
    return Q(status__in=OPEN_STATUSES) & late


def is_overdue(task, today: datetime.date) -> bool:
    return task.status in OPEN_STATUSES and (task.due_on or task.planned_on) < today


def overdue_days(task, today: datetime.date) -> int:
    return (today - (task.due_on or task.planned_on)).days if is_overdue(task, today) else 0
