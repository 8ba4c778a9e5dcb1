"""What waits on someone among inspection tasks (workbench providers; interface in ``workbench.registry``).

Counts are the task list's own rows (``views.task_queryset``) for the query string the link carries.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from anquan.workbench.registry import OVERDUE, OWN_WORK, todo

MINE_PARAMS = {"mine": "1", "open": "1"}
MINE_OVERDUE_PARAMS = {"mine": "1", "overdue": "1"}
#: Tasks of my unit that are late, for those who organise inspections (not an enterprise's own self-checks).
UNIT_OVERDUE_PARAMS = {"overdue": "1"}
ORGANISERS = {"anweiban", "street_staff", "dept_staff"}


def _url(params: dict) -> str:
    return f"{reverse('inspections:list')}?{urlencode(params)}"


def _count(user, params, today) -> int:
    from .views import task_queryset

    return task_queryset(user, params, today)[0].count()


@todo("inspections.mine_overdue", "逾期未检查", urgency=OVERDUE + 2, url=lambda user: _url(MINE_OVERDUE_PARAMS),
      hint="由您参加、计划检查日期已过仍未完成的检查任务")
def mine_overdue(user, today):
    return _count(user, MINE_OVERDUE_PARAMS, today) if user.person_id else None


@todo("inspections.mine", "待检查任务", urgency=OWN_WORK, url=lambda user: _url(MINE_PARAMS),
      hint="由您参加的待检查、检查中任务")
def mine(user, today):
    return _count(user, MINE_PARAMS, today) if user.person_id else None


@todo("inspections.unit_overdue", "本单位逾期检查任务", urgency=OVERDUE + 3, roles=ORGANISERS,
      url=lambda user: _url(UNIT_OVERDUE_PARAMS), hint="您管辖范围内计划日期已过仍未完成的检查任务")
def unit_overdue(user, today):
    return _count(user, UNIT_OVERDUE_PARAMS, today)
