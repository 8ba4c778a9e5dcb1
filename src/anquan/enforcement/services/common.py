"""The state table of a case and the helpers every enforcement service shares.

``TRANSITIONS`` lists every step: the statuses it may be taken from and those it may lead to (an empty
set: the status stays, e.g. adding evidence). A step from any other status raises ``Conflict`` (409)
naming the current status; ``next_status`` is the pure function the hypothesis test drives.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from anquan.core.errors import Conflict, Invalid

from ..models import CaseStatus as S

PRE_DECISION = frozenset({S.PENDING_APPROVAL, S.INVESTIGATING, S.REVIEWING, S.LEGAL_REVIEW, S.DISCUSSION,
                          S.TO_NOTIFY, S.NOTIFIED})

#: step → (statuses it may start from, statuses it may lead to; empty: unchanged)
TRANSITIONS: dict[str, tuple[frozenset, frozenset]] = {
    "approve": (frozenset({S.PENDING_APPROVAL}), frozenset({S.INVESTIGATING})),
    "add_inspector": (frozenset({S.PENDING_APPROVAL, S.INVESTIGATING}), frozenset()),
    "add_evidence": (frozenset({S.INVESTIGATING}), frozenset()),
    "submit_review": (frozenset({S.INVESTIGATING}), frozenset({S.REVIEWING})),
    "review": (frozenset({S.REVIEWING}), frozenset({S.INVESTIGATING, S.LEGAL_REVIEW, S.DISCUSSION, S.TO_NOTIFY})),
    "legal_review": (frozenset({S.LEGAL_REVIEW}), frozenset({S.INVESTIGATING, S.DISCUSSION, S.TO_NOTIFY})),
    "discuss": (frozenset({S.DISCUSSION}), frozenset({S.TO_NOTIFY})),
    "notify": (frozenset({S.TO_NOTIFY}), frozenset({S.NOTIFIED})),
    "record_statement": (frozenset({S.NOTIFIED}), frozenset()),
    "decide": (frozenset({S.NOTIFIED}), frozenset({S.DECIDED})),
    "record_correction": (frozenset({S.DECIDED, S.SERVED}), frozenset()),
    "serve": (frozenset({S.DECIDED}), frozenset({S.SERVED})),
    "record_payment": (frozenset({S.SERVED}), frozenset()),
    "close": (frozenset({S.SERVED}), frozenset({S.CLOSED})),
    "withdraw": (PRE_DECISION, frozenset({S.WITHDRAWN})),
}

STEP_LABELS = {
    "approve": "批准立案", "add_inspector": "增加承办人员", "add_evidence": "登记证据", "submit_review": "提交审查",
    "review": "案件审查", "legal_review": "法制审核", "discuss": "集体讨论", "notify": "行政处罚告知",
    "record_statement": "记录陈述申辩或听证", "decide": "作出决定", "record_correction": "登记改正情况",
    "serve": "送达", "record_payment": "登记缴款", "close": "结案", "withdraw": "撤案",
}


def next_status(status: str, step: str, to: str | None = None) -> str:
    """The status after ``step`` from ``status`` (``to`` picks among several); Conflict when the table forbids it."""
    sources, targets = TRANSITIONS[step]
    if status not in sources:
        raise Conflict(f"案件当前状态为「{S(status).label}」，不能{STEP_LABELS[step]}")
    if not targets:
        return status
    if to is None:
        if len(targets) != 1:
            raise ValueError(f"{step} needs a target status")
        (to,) = targets
    if to not in targets:
        raise Conflict(f"「{STEP_LABELS[step]}」不能使案件进入「{S(to).label}」")
    return to


def money(value, *, field: str, label: str, required: bool = True, positive: bool = True) -> Decimal | None:
    """An amount in 元 with at most two decimals; Invalid (422) in Chinese otherwise."""
    if value in (None, ""):
        if required:
            raise Invalid({field: [f"请填写{label}"]})
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid({field: [f"{label}必须是金额（元）"]}) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 12 or amount != amount.quantize(Decimal("0.01")):
        raise Invalid({field: [f"{label}必须是不超过两位小数的金额"]})
    if amount < 0 or (positive and amount == 0):
        raise Invalid({field: [f"{label}必须大于0"]})
    return amount


def a_date(value, *, field: str, label: str, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise Invalid({field: [f"请填写{label}"]})
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid({field: [f"{label}不是有效日期（格式：2026-11-22）"]}) from None


def choice(value, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise Invalid({field: [f"请选择{label}"]})
    return value


def flag(value) -> bool:
    return value in (True, "1", "true", "on", "yes", 1)
