"""What 公文签发 tells people (the notification kinds of ``documents``):

- a draft waits for 核稿 → the issuing organ's staff and leaders who may review it (never the drafter);
- a draft waits for 签发 → the organ's leaders who may sign it;
- sent back (退回修改) and signed (已签发, with its 文号) → the drafter.

Recipients follow the sign-off's own rule (``signoff.organ_assignment``: an assignment held in the
issuing organ itself that permits the step), so the person told is the person who may act.
"""
from __future__ import annotations

from anquan.notifications.kinds import NoticeKind, register

SIGNOFF = "documents.SignOff"


def _url(signoff) -> str:
    return f"/documents/signoffs/{signoff.pk}/"


def _organ_users(signoff, action: str) -> list[int]:
    from anquan.accounts.models import RoleAssignment
    from anquan.accounts.roles import ScopeKind

    if signoff.issuer_department_id:
        rows = RoleAssignment.objects.active().filter(department_id=signoff.issuer_department_id)
    else:
        rows = RoleAssignment.objects.active().filter(unit_id=signoff.issuer_unit_id)
    users = set()
    for assignment in rows.select_related("user"):
        if not assignment.permits(action) or not assignment.user.is_active:
            continue
        if not signoff.issuer_department_id and assignment.scope_kind != ScopeKind.TERRITORY:
            continue
        users.add(assignment.user_id)
    users.discard(signoff.drafted_by_id)  # never asked to review or sign his own draft
    return sorted(users)


def reviewers(signoff, context=None) -> list[int]:
    return _organ_users(signoff, "signoff.review")


def signers(signoff, context=None) -> list[int]:
    return _organ_users(signoff, "signoff.sign")


def drafter(signoff, context=None) -> list[int]:
    return [signoff.drafted_by_id]


register(
    NoticeKind("signoff_review", "待核稿", SIGNOFF, lambda s, c: f"待核稿：{s.title}（{s.issuer_name}）", _url,
               recipients=reviewers, tone="warning"),
    NoticeKind("signoff_sign", "待签发", SIGNOFF, lambda s, c: f"待签发：{s.title}（{s.issuer_name}）", _url,
               recipients=signers, tone="danger"),
    NoticeKind("signoff_returned", "稿件退回", SIGNOFF,
               lambda s, c: f"稿件被退回修改：{s.title}" + (f"。意见：{c['opinion']}" if c.get("opinion") else ""), _url,
               recipients=drafter, tone="primary"),
    NoticeKind("signoff_signed", "稿件已签发", SIGNOFF,
               lambda s, c: f"稿件已签发：{s.title}" + (f"，文号{c['number']}" if c.get("number") else ""), _url,
               recipients=drafter, tone="info"),
)
