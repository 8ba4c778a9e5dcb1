"""The clocks of a case (rules from anquan.rules, the work calendar for working days) and the §113 windows."""
from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from anquan.rules.calendar import today

from .. import clocks

d = datetime.date.fromisoformat
pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


def test_today_at_half_past_eleven_in_shanghai_is_still_the_22nd():
    assert today() == d("2026-11-22")


def test_the_decision_is_due_90_days_after_filing_moved_off_the_national_day_holiday():
    assert clocks.decision_due(d("2026-07-02")) == d("2026-09-30")
    assert clocks.decision_due(d("2026-07-03")) == d("2026-10-08")  # 10-01 … 10-07 off


def test_service_is_due_in_7_working_days_across_the_holiday_counting_the_make_up_saturday():
    # 行政处罚法 第八十五条: the law's 七日 are working days. 09-29 (1) 09-30 (2) 10-08 (3) 10-09 (4) 10-10 Sat 调休 (5) 10-12 (6) 10-13 (7)
    assert clocks.service_due(d("2026-09-28")) == d("2026-10-13")


def test_publication_is_due_in_7_working_days_across_the_holiday():
    assert clocks.publish_due(d("2026-09-28")) == d("2026-10-13")
    assert clocks.publish_due(d("2026-11-20")) == d("2026-12-01")  # a Friday: two weekends skipped


def test_power_cut_waits_24_hours_after_the_notice_unless_urgent():
    notice = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert clocks.power_cut_allowed_at(notice) == notice + datetime.timedelta(hours=24)
    assert clocks.power_cut_allowed_at(notice).astimezone(ZoneInfo("Asia/Shanghai")).date() == d("2026-11-23")
    assert clocks.power_cut_allowed_at(notice, urgent=True) == notice


@pytest.mark.parametrize("days_late, fee", [(-1, "0.00"), (0, "0.00"), (1, "300.00"), (33, "9900.00"), (34, "10000.00"),
                                            (365, "10000.00")])
def test_late_fee_is_3_percent_a_day_capped_at_the_fine(days_late, fee):
    due = d("2026-11-01")
    assert clocks.late_fee(Decimal("10000"), due, due + datetime.timedelta(days=days_late)) == Decimal(fee)


def test_late_fee_rounds_to_the_fen():
    assert clocks.late_fee(Decimal("333.33"), d("2026-11-01"), d("2026-11-02")) == Decimal("10.00")


def test_daily_fine_runs_from_the_day_after_the_order():
    assert clocks.daily_fine(Decimal("5000"), d("2026-11-20"), d("2026-11-20")) == (0, Decimal("0.00"))
    assert clocks.daily_fine(Decimal("5000"), d("2026-11-20"), d("2026-11-21")) == (1, Decimal("5000.00"))
    assert clocks.daily_fine(Decimal("5000"), d("2026-11-20"), d("2026-11-22")) == (2, Decimal("10000.00"))


def test_three_penalties_within_180_days_but_not_181():
    on = d("2026-11-22")
    inside = [on - datetime.timedelta(days=180), on - datetime.timedelta(days=30), on]
    outside = [on - datetime.timedelta(days=181), on - datetime.timedelta(days=30), on]
    assert clocks.repeat_offence(inside, on)[1] == inside
    assert clocks.repeat_offence(outside, on) is None


def test_four_penalties_within_one_calendar_year_across_a_leap_day():
    on = d("2028-03-01")  # the year back is 2027-03-01: 366 days, 2028-02-29 inside
    four = [d("2027-03-01"), d("2027-07-01"), d("2027-12-01"), d("2028-02-29")]
    found = clocks.repeat_offence(four, on)
    assert found is not None and "一年内4次" in found[0] and found[1] == four
    assert (on - four[0]).days == 366  # a 365-day window would have missed it
    assert clocks.repeat_offence([d("2027-02-28"), *four[1:]], on) is None


def test_the_year_back_from_a_leap_day_is_the_28th_of_february():
    assert clocks.year_back(d("2028-02-29")) == d("2027-02-28")
    assert clocks.year_back(d("2026-11-22")) == d("2025-11-22")


def test_the_seeded_catalogue_names_each_article_and_its_range():
    from ..models import Violation

    v = Violation.objects.get(code="AQ-99-1")
    assert v.citation == "《安全生产法》第九十九条第（一）项" and v.range_for("unit") == (Decimal(0), Decimal(50000))
    assert Violation.objects.get(code="AQ-94").range_for("unit") is None
    assert Violation.objects.get(code="AQ-98").range_for("person") == (Decimal(20000), Decimal(50000))


def test_local_bands_split_the_range_where_the_locality_sets_them():
    from ..models import Violation

    v = Violation(code="x", article="第一百零二条", title="x", unit_min=Decimal(0), unit_max=Decimal(50000),
                  lighter_max=Decimal(10000), heavier_min=Decimal(30000))
    assert v.band("unit", "lighter") == (Decimal(0), Decimal(10000))
    assert v.band("unit", "general") == (Decimal(10000), Decimal(30000))
    assert v.band("unit", "heavier") == (Decimal(30000), Decimal(50000))
