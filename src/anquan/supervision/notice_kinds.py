"""What supervision (督查) tells people: a finding raised → the supervised unit; its fix reported → the
group that checks it; sent back → the supervised unit again. Recipients come from the permission rules
(``notifications.recipients.who_may`` with ``supervision.services.may_respond`` and the group rule)."""
from __future__ import annotations

from anquan.notifications.kinds import NoticeKind, register
from anquan.notifications.recipients import closest, near, users_of, who_may

FINDING = "supervision.Finding"


def _url(finding) -> str:
    return f"/supervision/findings/{finding.pk}/"


def _where(finding):
    from anquan.supervision.models import GROUP_KEY

    units = finding.unit.ancestor_ids() if finding.unit_id else finding.department.unit.ancestor_ids()
    return near(units=units, departments={finding.department_id}, grants=[(GROUP_KEY, finding.group_id)])


def responders(finding, context=None) -> list:
    """The supervised street's or department's staff who answer for the finding (``may_respond``)."""
    from anquan.supervision.services import RESPOND, may_respond

    return users_of(who_may(finding, RESPOND, rule=may_respond, where=_where(finding)))


def checkers(finding, context=None) -> list:
    """Who confirms the fix: the group's members (their grants), the forming 安委办 only when the group has none."""
    from anquan.supervision.services import CHECK, _formed_here

    rule = _formed_here(finding.group)
    return users_of(closest(who_may(finding, CHECK, rule=lambda a, obj: rule(a), where=_where(finding)),
                            oversight_role="anweiban"))


def _f(text: str):
    return lambda f, c: text.format(f=f, who=f.supervised, desc=f.description[:30], **c)


register(
    NoticeKind("finding_raised", "督查问题待整改", FINDING, _f("督查发现问题待整改：{desc}（整改期限{f.deadline:%Y-%m-%d}）"), _url,
               recipients=responders, tone="warning"),
    NoticeKind("finding_reported", "督查问题待确认", FINDING, _f("督查问题待确认：{who} 已报告整改情况"), _url,
               recipients=checkers, tone="primary"),
    NoticeKind("finding_sent_back", "督查问题整改被退回", FINDING, _f("督查问题整改被退回：{reason}"), _url,
               recipients=responders, tone="warning"),
)
