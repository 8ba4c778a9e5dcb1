"""What waits on someone in 行政执法 (workbench providers; interface in ``workbench.registry``).

Counts are the rows of the case list (``selectors.case_list``) for the filters the link carries.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from anquan.workbench.registry import DECIDE, OVERDUE, OWN_WORK, todo

from .selectors import case_list

WORKERS = {"inspector", "dept_staff"}
HEADS = {"dept_head"}
EVERYONE = WORKERS | HEADS | {"legal_reviewer"}


def _url(params: dict) -> str:
    return f"{reverse('enforcement:cases')}?{urlencode(params)}"


def _count(params):
    return lambda user, today: case_list(user, params, today).count()


def _register(key, label, urgency, roles, params, hint):
    todo(key, label, urgency=urgency, roles=roles, url=lambda user: _url(params), hint=hint)(_count(params))


_register("enforcement.overdue", "案件超过90日未作出决定", OVERDUE + 3, EVERYONE, {"overdue": "1"},
          "自立案之日起90日内应当作出行政处罚决定（行政处罚法第六十条）")
_register("enforcement.approve", "立案待审批", DECIDE, HEADS, {"status": "pending_approval"}, "执法人员提交的立案申请")
_register("enforcement.review", "案件待审查", DECIDE, HEADS, {"status": "reviewing"}, "调查终结、提交审查的案件（第五十七条）")
_register("enforcement.legal_review", "案件待法制审核", DECIDE, {"legal_reviewer"}, {"status": "legal_review"},
          "作出决定前须经法制审核的案件（第五十八条）")
_register("enforcement.decide", "案件待决定", DECIDE, HEADS, {"status": "notified"}, "已告知、陈述申辩期满后待作出决定")
_register("enforcement.publish", "处罚决定待公开", DECIDE + 1, HEADS, {"unpublished": "1"},
          "作出处罚决定后7个工作日内公开（安全生产法第七十八条）")
_register("enforcement.mine", "我承办的案件", OWN_WORK, WORKERS, {"mine": "1"}, "本人列为承办人员、尚未结案的案件")
