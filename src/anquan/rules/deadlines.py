"""The deadline functions the hazard loop calls, and the Q objects lists use to compute overdue in SQL.

Why here: "overdue" and "due" must mean the same on every list, dashboard, report and
assessment, so each is one function. Overdue is never stored: lists filter with
``overdue_q(today)`` and pages call ``is_overdue``; both encode the same rule (shared/rules.md,
"Deadlines"): a hazard is overdue when today (Asia/Shanghai) is *after* the deadline in force
and it is still 待整改 or 整改中. Once rectification is submitted the verifier's clock runs
instead (``verification_due``): a late verification is not the enterprise's lateness.
"""
from __future__ import annotations

import datetime

from django.db.models import Q

from . import values
from .calendar import WorkCalendar, local_date
from .catalog import get_rule, parse_month_day

PENDING = "pending"  # 待整改
RECTIFYING = "rectifying"  # 整改中
AWAITING_VERIFICATION = "awaiting_verification"  # 待验收
CLOSED = "closed"  # 已销号
#: The statuses on the enterprise's clock: only these can be overdue.
OPEN_STATUSES = (PENDING, RECTIFYING)


def is_overdue(deadline_in_force: datetime.date, status: str, today: datetime.date) -> bool:
    """Overdue iff ``today`` > deadline (the deadline day itself is still in time) and the hazard is still open."""
    return status in OPEN_STATUSES and today > deadline_in_force


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """The same rule as ``is_overdue`` as a filter on ``deadline_in_force`` and ``status`` (``prefix``: e.g. ``"hazard__"``)."""
    return Q(**{f"{prefix}deadline_in_force__lt": today, f"{prefix}status__in": OPEN_STATUSES})


def overdue_beyond(deadline_in_force: datetime.date, status: str, today: datetime.date, days: int) -> bool:
    """Overdue by more than ``days`` calendar days (a window counted from the deadline, not a 民法典 period):
    the rule behind escalating an overdue hazard to the 安委办 (``overdue.escalate_to_anweiban_days``)."""
    return is_overdue(deadline_in_force, status, today) and (today - deadline_in_force).days > days


def overdue_beyond_q(today: datetime.date, days: int, prefix: str = "") -> Q:
    """``overdue_beyond`` as a filter, so dashboards count escalated hazards exactly as the sweep escalates them."""
    return Q(**{f"{prefix}deadline_in_force__lt": today - datetime.timedelta(days=days),
                f"{prefix}status__in": OPEN_STATUSES})


def due_soon_q(today: datetime.date, days: int, prefix: str = "") -> Q:
    """Open and due within ``days`` calendar days from today, deadline day included (not yet overdue)."""
    return Q(**{
        f"{prefix}deadline_in_force__gte": today,
        f"{prefix}deadline_in_force__lte": today + datetime.timedelta(days=days),
        f"{prefix}status__in": OPEN_STATUSES,
    })


def due_after(key: str, start: datetime.date, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    """``start`` plus the period the rule ``key`` sets for ``unit``, counted by the rule's kind.

    ``days``: 民法典 period (first day not counted, end moved off holidays); ``working_days``:
    working days after ``start``. Other kinds (calendar-day windows, hours, counts) are not periods.
    """
    rule = get_rule(key)
    n = values.get(key, unit)
    calendar = calendar or WorkCalendar()
    if rule.kind == "working_days":
        return calendar.add_working_days(start, n)
    if rule.kind == "days":
        return calendar.add_days(start, n)
    raise ValueError(f"规则{key}不是天数或工作日时限")


def verification_due(submitted_at: datetime.datetime, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    """The verifier's deadline: the submission's Shanghai date + ``verification.working_days`` working days."""
    return due_after("verification.working_days", local_date(submitted_at), unit=unit, calendar=calendar)


def listing_review_due(resume_applied_on: datetime.date, *, unit=None) -> datetime.date:
    """On-site review of a listed (挂牌督办) hazard: ``listing.review_days`` days after the resume application."""
    return due_after("listing.review_days", resume_applied_on, unit=unit)


def quarter_report_due(year: int, quarter: int, *, unit=None) -> datetime.date:
    """Quarterly statistics (令第16号 第十四条 "下一季度15日前"): the 15th of the month after the quarter.

    Kept on the 15th even when it is a holiday: the order names a calendar date to report by,
    not a period of days, so 民法典 第203条 (moving a period's last day) is not applied.
    A locality that extends it sets ``stats.quarter_due_day``.
    """
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"季度必须是1–4：{quarter!r}")
    day = values.get("stats.quarter_due_day", unit)
    month = quarter * 3 + 1
    return datetime.date(year + 1, 1, day) if month == 13 else datetime.date(year, month, day)


def annual_report_due(year: int, *, unit=None) -> datetime.date:
    """Annual statistics for ``year`` (令第16号 第十四条 "下一年1月31日前"): 31 January of the next year, not moved."""
    month, day = parse_month_day(values.get("stats.annual_due", unit))
    return datetime.date(year + 1, month, day)


def latest_deadline(start: datetime.date, *, unit=None) -> datetime.date:
    """The latest deadline that may be set on ``start`` (the day found, the day an extension or a
    reopening is asked): ``hazard.deadline.max_days`` calendar days later. One rule for every deadline
    of the hazard loop and for an inspection's 整改天数, so 9999-12-31 cannot be typed anywhere."""
    return start + datetime.timedelta(days=values.get("hazard.deadline.max_days", unit))


def earliest_finding(today: datetime.date, *, unit=None) -> datetime.date:
    """The earliest day a hazard recorded ``today`` may have been found (``hazard.found_at.max_past_days``)."""
    return today - datetime.timedelta(days=values.get("hazard.found_at.max_past_days", unit))
