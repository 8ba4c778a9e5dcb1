"""What waits on someone in the hazard loop (the workbench's providers; interface in ``workbench.registry``).

Each count is the length of the list its link opens: the hazard list through ``selectors.hazard_list``
with the same query-string names, the registers through ``registers``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from anquan.workbench.registry import DECIDE, FOLLOW, OVERDUE, OWN_WORK, todo

from . import registers
from .selectors import hazard_list

ENTERPRISE = {"ent_manager", "ent_principal"}
OVERSEERS = {"anweiban", "street_staff", "dept_staff"}

#: The filters behind each hazard-list to-do (the link carries exactly these).
OVERDUE_PARAMS = {"overdue": "1"}
VERIFY_PARAMS = {"verifiable": "1"}
RECTIFY_PARAMS = {"status": "pending,rectifying", "list": "rectification"}
EXTENSION_PARAMS = {"status": "pending", "mine": "1"}
REVIEW_PARAMS = {"mine": "1"}
EXPLANATION_PARAMS = {"kind": "explanation", "open": "1"}
ESCALATION_PARAMS = {"kind": "escalation", "open": "1"}


def _url(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


@todo("hazards.overdue", "逾期未整改", urgency=OVERDUE, roles=OVERSEERS | ENTERPRISE | {"grid_worker", "leader"},
      url=lambda user: _url("hazards:list", OVERDUE_PARAMS), hint="已超过现行整改期限仍未整改完成的隐患")
def overdue(user, today):
    return hazard_list(user, OVERDUE_PARAMS, today=today).count()


@todo("hazards.listing_review", "挂牌督办待现场审查", urgency=OVERDUE + 1, roles={"anweiban", "street_staff"},
      url=lambda user: _url("hazards:listings", REVIEW_PARAMS), hint="企业已申请复工复产，须在规定时限内现场审查")
def listing_review(user, today):
    if not registers.reviewing_units(user):
        return None
    return registers.listing_register(user, REVIEW_PARAMS).count()


@todo("hazards.extension", "延期待批", urgency=DECIDE - 5, roles=OVERSEERS,
      url=lambda user: _url("hazards:extensions", EXTENSION_PARAMS), hint="须在原整改期限届满前审批")
def extension(user, today):
    return registers.extension_register(user, EXTENSION_PARAMS).count()


@todo("hazards.verify", "待验收", urgency=DECIDE, roles=OVERSEERS | ENTERPRISE,
      url=lambda user: _url("hazards:list", VERIFY_PARAMS), hint="已提交整改、由您复查验收的隐患")
def verify(user, today):
    return hazard_list(user, VERIFY_PARAMS, today=today).count()


@todo("hazards.rectify", "待整改", urgency=OWN_WORK, roles=ENTERPRISE,
      url=lambda user: _url("hazards:list", RECTIFY_PARAMS), hint="本企业待整改、整改中的隐患（五落实）")
def rectify(user, today):
    return hazard_list(user, RECTIFY_PARAMS, today=today).count()


@todo("hazards.explanation", "逾期说明待阅", urgency=FOLLOW, roles={"anweiban"},
      url=lambda user: _url("hazards:explanations", EXPLANATION_PARAMS), hint="报安委办的逾期书面说明（隐患尚未销号）")
def explanation(user, today):
    return registers.explanation_register(user, EXPLANATION_PARAMS).count()


@todo("hazards.escalation", "提请研究", urgency=FOLLOW, roles={"anweiban"},
      url=lambda user: _url("hazards:explanations", ESCALATION_PARAMS), hint="提请政府研究解决的隐患（尚未销号）")
def escalation(user, today):
    return registers.explanation_register(user, ESCALATION_PARAMS).count()


AREA_PARAMS = {"mine": "1"}


@todo("hazards.area_listings", "区域/行业挂牌督办待办", urgency=DECIDE - 1, roles={"anweiban", "street_staff", "dept_staff"},
      url=lambda user: _url("hazards:area_listings", AREA_PARAMS),
      hint="本区域（本部门主管行业）被挂牌督办待报告整改，或本级挂牌的事项已报告整改待审查摘牌")
def area_listings(user, today):
    from .views_area_listing import area_register

    return area_register(user, AREA_PARAMS).count()
