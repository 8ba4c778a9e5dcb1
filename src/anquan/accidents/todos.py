"""What waits on someone in the accident app (workbench providers; interface in ``workbench.registry``).

Each count is ``selectors.accident_list(user, {"todo": key})`` — the list page at ``/accidents/?todo=<key>``
must filter with the same ``selectors.todo_q`` (``stats.filter_accidents`` applying ``todo`` and
``stats.FILTERS`` naming it). Until the list page does, these providers stay unregistered, so no workbench
count ever links to a list that shows something else (``workbench/tests/test_counts.py``).
"""
from __future__ import annotations

from anquan.workbench.registry import DECIDE, OVERDUE, OWN_WORK, todo

from . import stats
from .selectors import accident_list

FORWARDERS = {"anweiban", "street_staff", "dept_staff"}
INVESTIGATORS = {"anweiban", "dept_staff"}

#: key → (label, urgency, roles, hint)
TODOS = {
    "legs": ("事故待上报", OVERDUE, FORWARDERS, "本级尚未登记上报时间的事故报告环节（1小时/2小时时限）"),
    "investigation_due": ("事故调查报告将到期", OVERDUE + 2, INVESTIGATORS, "调查报告提交期限7日内或已过期"),
    "approval_due": ("事故调查报告待批复", DECIDE, INVESTIGATORS, "调查报告已提交、尚未批复（15日，特别重大30日）"),
    "evaluation_due": ("事故整改评估将到期", OWN_WORK, INVESTIGATORS, "批复后一年内评估整改和防范措施落实情况"),
}


def _register(key: str, label: str, urgency: int, roles: set, hint: str) -> None:
    @todo(f"accidents.{key}", label, urgency=urgency, roles=roles, url=lambda user: f"/accidents/?todo={key}", hint=hint)
    def count(user, today):
        return accident_list(user, {"todo": key}, today=today).count()


if "todo" in getattr(stats, "FILTERS", ()):
    for _key, (_label, _urgency, _roles, _hint) in TODOS.items():
        _register(_key, _label, _urgency, _roles, _hint)
