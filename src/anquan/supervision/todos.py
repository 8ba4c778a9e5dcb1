"""What waits on someone in 督查 (workbench providers; interface in ``workbench.registry``).

Counts are the rows of the findings list (``selectors.finding_list``) for the filters the link carries:
the supervised street/department rectifies, the group (or the 安委办 that formed it) confirms.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from anquan.workbench.registry import DECIDE, FOLLOW, OVERDUE, OWN_WORK, todo

from .selectors import finding_list

RESPONDERS = {"street_staff", "dept_staff"}
CONFIRMERS = {"supervisor", "anweiban"}
PENDING = {"status": "pending"}
OVERDUE_PARAMS = {"overdue": "1"}
REPORTED = {"status": "reported"}


def _url(params: dict) -> str:
    return f"{reverse('supervision:findings')}?{urlencode(params)}"


@todo("supervision.overdue", "督查问题逾期未整改", urgency=OVERDUE + 4, roles=RESPONDERS,
      url=lambda user: _url(OVERDUE_PARAMS), hint="督查组提出的整改要求已过期限仍未报整改")
def overdue(user, today):
    return finding_list(user, OVERDUE_PARAMS, today).count()


@todo("supervision.rectify", "督查问题待整改", urgency=OWN_WORK - 1, roles=RESPONDERS, url=lambda user: _url(PENDING),
      hint="督查组对本单位提出的整改要求")
def rectify(user, today):
    return finding_list(user, PENDING, today).count()


@todo("supervision.confirm", "督查整改待确认", urgency=DECIDE + 1, roles=CONFIRMERS, url=lambda user: _url(REPORTED),
      hint="被督查单位已报整改情况，待督查组确认")
def confirm(user, today):
    return finding_list(user, REPORTED, today).count()


@todo("supervision.follow", "督查问题整改跟踪", urgency=FOLLOW, roles={"supervisor"}, url=lambda user: _url(PENDING),
      hint="本督查组提出、被督查单位尚未报整改的问题")
def follow(user, today):
    return finding_list(user, PENDING, today).count()
