"""The clocks and sums of a case, as pure functions over dates and amounts (each number from ``anquan.rules``).

- 决定期限: ``penalty.decision_days`` (90) days from 立案 (行政处罚法 第六十条), a 民法典 period: the first day
  not counted, an end on a rest day moved to the next working day.
- 送达期限: ``penalty.service_working_days`` (7) working days from the decision (第六十一条; 第八十五条 makes the
  law's "七日" working days).
- 缴款期限: ``penalty.payment_days`` (15) days from service (第六十七条第三款).
- 加处罚款: ``penalty.late_fee_percent`` (3%) of the fine per day after the payment deadline, never more than
  the fine (第七十二条第一款第（一）项).
- 公开期限: ``penalty.publish_working_days`` (7) working days from the decision (安全生产法 第七十八条).
- 停止供电: not before ``power_cut.notice_hours`` (24) hours after the written notice, unless urgent (第七十条).
- 按日连续处罚: the original fine for every day from the day after the order to correct (第一百一十二条).
- 屡次违法: 3 penalties within 180 days, or 4 within one year counted back as a calendar year, not 365 days
  (第一百一十三条; ``repeat_offender.*``).
"""
from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from anquan.rules import values
from anquan.rules.calendar import WorkCalendar
from anquan.rules.deadlines import due_after

CENT = Decimal("0.01")


def decision_due(filed_on: datetime.date, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    return due_after("penalty.decision_days", filed_on, unit=unit, calendar=calendar)


def service_due(decision_on: datetime.date, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    return due_after("penalty.service_working_days", decision_on, unit=unit, calendar=calendar)


def payment_due(served_on: datetime.date, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    return due_after("penalty.payment_days", served_on, unit=unit, calendar=calendar)


def publish_due(decision_on: datetime.date, *, unit=None, calendar: WorkCalendar | None = None) -> datetime.date:
    return due_after("penalty.publish_working_days", decision_on, unit=unit, calendar=calendar)


def days_left(due: datetime.date, today: datetime.date) -> int:
    """Days from ``today`` to ``due`` (0 on the due day itself, negative once overdue)."""
    return (due - today).days


def late_fee(fine: Decimal, due: datetime.date, on: datetime.date, *, unit=None) -> Decimal:
    """The §72 加处罚款 owed on ``on`` for a fine due on ``due``: 3% a day for each day after ``due``, capped at the fine."""
    fine = Decimal(fine)
    days = (on - due).days
    if days <= 0 or fine <= 0:
        return Decimal("0.00")
    percent = Decimal(values.get("penalty.late_fee_percent", unit))
    fee = (fine * percent / 100 * days).quantize(CENT, ROUND_HALF_UP)
    return min(fee, fine.quantize(CENT))


def power_cut_allowed_at(notified_at: datetime.datetime, *, urgent: bool = False, unit=None) -> datetime.datetime:
    """The earliest moment the power may be cut after the written notice to the enterprise (§70)."""
    if urgent:
        return notified_at
    return notified_at + datetime.timedelta(hours=values.get("power_cut.notice_hours", unit))


def daily_fine(amount: Decimal, ordered_on: datetime.date, until: datetime.date) -> tuple[int, Decimal]:
    """§112: (days, total) of the continuous daily fine — the original amount for each day from the day after the
    order to correct through ``until`` (the day of correction, or today while the refusal goes on)."""
    days = max((until - ordered_on).days, 0)
    return days, (Decimal(amount) * days).quantize(CENT)


def year_back(day: datetime.date, months: int = 12) -> datetime.date:
    """``day`` moved back ``months`` calendar months (29 February → 28 February in a common year)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def repeat_windows(on: datetime.date, *, unit=None) -> list[tuple[str, datetime.date, int]]:
    """The two §113 windows ending on ``on``: (label, first day counted, count needed)."""
    short_days = values.get("repeat_offender.window_days_short", unit)
    months = values.get("repeat_offender.window_months_long", unit)
    return [
        (f"存在重大事故隐患，{short_days}日内{values.get('repeat_offender.count_short', unit)}次受到本法规定的行政处罚",
         on - datetime.timedelta(days=short_days), values.get("repeat_offender.count_short", unit)),
        (f"存在重大事故隐患，一年内{values.get('repeat_offender.count_long', unit)}次受到本法规定的行政处罚",
         year_back(on, months), values.get("repeat_offender.count_long", unit)),
    ]


def repeat_offence(decision_dates: list[datetime.date], on: datetime.date, *, unit=None):
    """The first §113 window that ``decision_dates`` fill on ``on``: (label, dates counted), or None."""
    for label, start, needed in repeat_windows(on, unit=unit):
        counted = sorted(d for d in decision_dates if start <= d <= on)
        if len(counted) >= needed:
            return label, counted
    return None
