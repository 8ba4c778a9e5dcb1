"""Reads of inspection tasks shared by the task list, its export and the workbench.

A task is overdue (逾期未检查) when it is not yet performed (待检查 or 检查中) and the date it was
planned for has passed in Asia/Shanghai: a task still waiting weeks after its date is what the
officials responsible must see (issue 10, finding 3). A plan's task also has the date the plan
must be finished by (``due_on``); the flag says which limit has passed — "超计划N天" (the planned
date, still within the plan's period) or "逾期N天" (the completion date itself). Derived for
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


def lateness(task, today: datetime.date) -> str:
    """"逾期N天" past the completion date, "超计划N天" past only the planned date, "" otherwise."""
    if not is_overdue(task, today):
        return ""
    due = task.due_on or task.planned_on
    if today > due:
        return f"逾期{(today - due).days}天"
    return f"超计划{(today - task.planned_on).days}天"
