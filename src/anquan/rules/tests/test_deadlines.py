"""The deadline functions of the hazard loop: overdue exactly after the deadline day, in Shanghai time; the
SQL filter says the same as the Python function; the verifier's, listing and statistics clocks."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.rules import calendar, deadlines
from anquan.rules.deadlines import (
    annual_report_due,
    due_soon_q,
    is_overdue,
    listing_review_due,
    overdue_beyond,
    overdue_beyond_q,
    overdue_q,
    quarter_report_due,
    verification_due,
)
from anquan.rules.services import override_set

from .helpers import FAKE_2027, d

UTC = datetime.UTC
STATUSES = ["pending", "rectifying", "awaiting_verification", "closed"]


class TestOverdue:
    def test_deadline_day_itself_is_in_time(self):
        assert not is_overdue(d("2026-11-22"), "pending", d("2026-11-22"))

    def test_day_after_is_overdue(self):
        assert is_overdue(d("2026-11-22"), "pending", d("2026-11-23"))
        assert is_overdue(d("2026-11-22"), "rectifying", d("2026-11-23"))

    @pytest.mark.parametrize("status", ["awaiting_verification", "closed"])
    def test_off_the_enterprise_clock_never_overdue(self, status):
        assert not is_overdue(d("2026-11-22"), status, d("2027-06-01"))

    @pytest.mark.django_db
    def test_deadline_on_the_eve_of_a_holiday(self):
        # A deadline set by the 民法典 rule already accounts for holidays: 09-30 stays 09-30, and the
        # hazard is overdue on 10-01 although that is a public holiday.
        deadline = calendar.add_days(d("2026-09-21"), 9)
        assert deadline == d("2026-09-30")
        assert not is_overdue(deadline, "rectifying", d("2026-09-30"))
        assert is_overdue(deadline, "rectifying", d("2026-10-01"))

    @time_machine.travel(datetime.datetime(2026, 11, 22, 15, 30, tzinfo=UTC), tick=False)
    def test_at_2330_shanghai_the_deadline_day_is_not_over(self):
        # UTC says 15:30 on the 22nd, Shanghai 23:30 on the 22nd: still in time.
        assert calendar.today() == d("2026-11-22")
        assert not is_overdue(d("2026-11-22"), "pending", calendar.today())

    @time_machine.travel(datetime.datetime(2026, 11, 22, 16, 30, tzinfo=UTC), tick=False)
    def test_at_0030_shanghai_next_day_it_is_overdue(self):
        # UTC still says the 22nd; Shanghai is on the 23rd: overdue.
        assert datetime.datetime.now(UTC).date() == d("2026-11-22")
        assert calendar.today() == d("2026-11-23")
        assert is_overdue(d("2026-11-22"), "pending", calendar.today())


@pytest.mark.django_db
class TestQueryFilters:
    """``overdue_q`` and ``due_soon_q`` evaluated by the database (Q.check) agree with the Python rule."""

    @settings(derandomize=True, max_examples=120, deadline=None)
    @given(
        deadline=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31)),
        today=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31)),
        status=st.sampled_from(STATUSES),
    )
    def test_overdue_q_matches_is_overdue(self, deadline, today, status):
        row = {"deadline_in_force": deadline, "status": status}
        assert overdue_q(today).check(row) == is_overdue(deadline, status, today)

    @settings(derandomize=True, max_examples=120, deadline=None)
    @given(
        deadline=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31)),
        today=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31)),
        status=st.sampled_from(STATUSES),
        days=st.integers(min_value=0, max_value=60),
    )
    def test_overdue_beyond_q_matches_overdue_beyond(self, deadline, today, status, days):
        row = {"deadline_in_force": deadline, "status": status}
        assert overdue_beyond_q(today, days).check(row) == overdue_beyond(deadline, status, today, days)

    @pytest.mark.parametrize(("today", "expected"), [
        ("2026-11-22", False),  # deadline day
        ("2026-11-29", False),  # overdue by exactly 7 days: not "more than 7"
        ("2026-11-30", True),   # by 8 days
    ])
    def test_overdue_beyond_boundary(self, today, expected):
        assert overdue_beyond(d("2026-11-22"), "rectifying", d(today), 7) is expected
        assert not overdue_beyond(d("2026-11-22"), "awaiting_verification", d(today), 7)

    @pytest.mark.parametrize(("deadline", "status", "expected"), [
        ("2026-11-21", "pending", False),  # overdue, not "due soon"
        ("2026-11-22", "pending", True),  # due today
        ("2026-11-25", "rectifying", True),  # today + 3
        ("2026-11-26", "pending", False),
        ("2026-11-23", "awaiting_verification", False),
        ("2026-11-23", "closed", False),
    ])
    def test_due_soon_q(self, deadline, status, expected):
        row = {"deadline_in_force": d(deadline), "status": status}
        assert due_soon_q(d("2026-11-22"), 3).check(row) is expected

    def test_prefix_for_related_lookups(self):
        q = overdue_q(d("2026-11-22"), prefix="hazard__")
        assert dict(q.children) == {"hazard__deadline_in_force__lt": d("2026-11-22"),
                                    "hazard__status__in": deadlines.OPEN_STATUSES}


@pytest.mark.django_db
class TestVerificationDue:
    def test_counted_from_the_shanghai_date_of_submission(self):
        # Thursday 16:30 UTC is Friday 00:30 in Shanghai: five working days from Friday 11-20.
        assert verification_due(datetime.datetime(2026, 11, 19, 16, 30, tzinfo=UTC)) == d("2026-11-27")
        assert verification_due(datetime.datetime(2026, 11, 19, 15, 30, tzinfo=UTC)) == d("2026-11-26")

    def test_across_national_day_with_tiaoxiu_saturday(self):
        # From 09-30: 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
        assert verification_due(datetime.datetime(2026, 9, 30, 2, 0, tzinfo=UTC)) == d("2026-10-13")

    def test_naive_refused(self):
        with pytest.raises(ValueError):
            verification_due(datetime.datetime(2026, 11, 19, 10, 0))

    def test_locality_override_applies(self, tree, admin):
        override_set(actor=admin, key="verification.working_days", value=2, unit=tree.street_a, reason="街道规定")
        submitted = datetime.datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # Monday
        assert verification_due(submitted, unit=tree.grid_a) == d("2026-11-18")
        assert verification_due(submitted, unit=tree.grid_b) == d("2026-11-23")
        assert verification_due(submitted) == d("2026-11-23")

    def test_into_2027_without_and_with_data(self, admin):
        submitted = datetime.datetime(2026, 12, 30, 2, 0, tzinfo=UTC)
        due = verification_due(submitted)
        assert due == d("2027-01-06") and calendar.fallback_note(d("2026-12-30"), due)
        from anquan.rules.services import holiday_year_load

        holiday_year_load(actor=admin, year=2027, days=FAKE_2027, source_document="测试用通知")
        due = verification_due(submitted)
        assert due == d("2027-01-07") and calendar.fallback_note(d("2026-12-30"), due) == ""


@pytest.mark.django_db
class TestOtherClocks:
    def test_listing_review_ten_days_by_the_civil_code_rule(self):
        assert listing_review_due(d("2026-11-02")) == d("2026-11-12")
        assert listing_review_due(d("2026-09-21")) == d("2026-10-08")  # 10-01 is a holiday → first working day

    def test_quarter_reports_on_the_15th_not_moved(self):
        assert quarter_report_due(2026, 1) == d("2026-04-15")
        assert quarter_report_due(2026, 3) == d("2026-10-15")
        assert quarter_report_due(2026, 4) == d("2027-01-15")
        assert quarter_report_due(2023, 3) == d("2023-10-15")  # a Sunday: kept, see the docstring
        for bad in (0, 5):
            with pytest.raises(ValueError):
                quarter_report_due(2026, bad)

    def test_annual_report_31_january(self, tree, admin):
        assert annual_report_due(2026) == d("2027-01-31")
        override_set(actor=admin, key="stats.annual_due", value="02-15", unit=tree.city, reason="市规定")
        assert annual_report_due(2026, unit=tree.grid_a) == d("2027-02-15")
        assert annual_report_due(2026, unit=None) == d("2027-01-31")

    def test_due_after_by_kind(self):
        assert deadlines.due_after("penalty.publish_working_days", d("2026-09-28")) == d("2026-10-13")
        assert deadlines.due_after("listing.review_days", d("2026-11-16")) == d("2026-11-26")
        for not_a_period in ("power_cut.notice_hours", "notify.deadline_soon_days"):
            with pytest.raises(ValueError):
                deadlines.due_after(not_a_period, d("2026-11-16"))
