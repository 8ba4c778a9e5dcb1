"""Working days and the 民法典 period rule, at the boundaries: weekends, the 2025 National Day and 2026 Spring
Festival holidays (the package's real data), 调休 Saturdays, Shanghai midnight, and a year without data."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.core.errors import Forbidden, Invalid
from anquan.rules import calendar
from anquan.rules.calendar import add_days, add_working_days, is_workday
from anquan.rules.models import HolidayDay, HolidayYear
from anquan.rules.services import holiday_year_load

from .helpers import FAKE_2027, d

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


class TestPackageData:
    """What the tests below rely on, checked against the installed chinese-calendar 1.11.0."""

    def test_2026_spring_festival_and_national_day(self):
        assert all(not is_workday(d("2026-02-15") + datetime.timedelta(days=i)) for i in range(9))  # 15–23 Feb
        assert is_workday(d("2026-02-14")) and is_workday(d("2026-02-28"))  # 调休 Saturdays
        assert all(not is_workday(d("2026-10-01") + datetime.timedelta(days=i)) for i in range(7))  # 1–7 Oct
        assert is_workday(d("2026-09-20")) and is_workday(d("2026-10-10"))  # 调休 Sunday and Saturday

    def test_2025_national_day(self):
        assert all(not is_workday(d("2025-10-01") + datetime.timedelta(days=i)) for i in range(8))  # 1–8 Oct
        assert is_workday(d("2025-09-28")) and is_workday(d("2025-10-11"))

    def test_package_range(self):
        assert calendar.PACKAGE_YEARS == range(2004, 2027)
        assert calendar.year_known(2026) and not calendar.year_known(2027) and not calendar.year_known(2003)


class TestPeriodOfDays:
    """民法典 第201条: the first day is not counted; 第203条: a last day on a rest day moves to the next working day."""

    def test_first_day_not_counted(self):
        assert add_days(d("2026-11-16"), 3) == d("2026-11-19")
        assert add_days(d("2026-11-16"), 0) == d("2026-11-16")

    def test_ending_on_saturday_moves_to_monday(self):
        assert d("2026-11-21").weekday() == 5
        assert add_days(d("2026-11-16"), 5) == d("2026-11-23")

    def test_ending_in_national_day_moves_past_it(self):
        assert add_days(d("2026-09-28"), 5) == d("2026-10-08")  # 10-03 is in the 1–7 Oct holiday

    def test_ending_in_spring_festival_moves_past_it(self):
        assert add_days(d("2026-02-13"), 3) == d("2026-02-24")  # 02-16 is in the 15–23 Feb holiday

    def test_tiaoxiu_saturday_is_a_working_day(self):
        assert add_days(d("2026-02-09"), 5) == d("2026-02-14")  # a 调休 Saturday: the period ends there
        assert add_days(d("2026-10-05"), 5) == d("2026-10-10")

    def test_deadline_on_the_eve_of_a_holiday_stays(self):
        assert add_days(d("2026-09-21"), 9) == d("2026-09-30")

    def test_negative_or_non_integer_refused(self):
        for bad in (-1, 1.5, True, "3"):
            with pytest.raises(ValueError):
                add_days(d("2026-01-05"), bad)


class TestWorkingDays:
    def test_across_2025_national_day(self):
        assert add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
        assert add_working_days(d("2025-09-30"), 3) == d("2025-10-11")  # the 调休 Saturday counts
        assert add_working_days(d("2025-09-26"), 2) == d("2025-09-29")  # the 调休 Sunday 09-28 counts

    def test_around_2026_spring_festival(self):
        # 02-13 Fri, 02-14 Sat (调休), then 15–23 Feb off, 02-24 …
        assert add_working_days(d("2026-02-12"), 5) == d("2026-02-26")
        assert add_working_days(d("2026-02-14"), 1) == d("2026-02-24")

    def test_zero_is_the_start(self):
        assert add_working_days(d("2026-10-03"), 0) == d("2026-10-03")

    def test_from_a_holiday(self):
        assert add_working_days(d("2026-10-03"), 1) == d("2026-10-08")


class TestShanghaiDate:
    @time_machine.travel(datetime.datetime(2026, 11, 22, 15, 30, tzinfo=UTC), tick=False)
    def test_2330_in_shanghai_is_still_today(self):
        assert calendar.today() == d("2026-11-22")

    @time_machine.travel(datetime.datetime(2026, 11, 22, 16, 30, tzinfo=UTC), tick=False)
    def test_0030_in_shanghai_is_tomorrow_while_utc_is_not(self):
        assert calendar.today() == d("2026-11-23")

    def test_local_date_refuses_naive(self):
        with pytest.raises(ValueError):
            calendar.local_date(datetime.datetime(2026, 11, 22, 12, 0))
        assert calendar.local_date(datetime.datetime(2026, 11, 22, 16, 0, tzinfo=UTC)) == d("2026-11-23")


class TestYearWithoutData:
    def test_2027_falls_back_to_weekdays_and_says_so(self):
        end = add_working_days(d("2026-12-30"), 5)
        assert end == d("2027-01-06")  # 12-31, 01-01 (a Friday: counted, no data), 01-04, 01-05, 01-06
        assert calendar.unknown_years(d("2026-12-30"), end) == [2027]
        assert calendar.fallback_note(d("2026-12-30"), end) == "2027年节假日安排尚未录入，按周一至周五计算"
        cal = calendar.WorkCalendar()
        cal.add_working_days(d("2026-12-30"), 5)
        assert cal.assumed_years == {2027}

    def test_known_span_has_no_note(self):
        assert calendar.fallback_note(d("2026-01-05"), d("2026-12-31")) == ""

    def test_after_entering_2027_the_entered_days_apply(self, admin):
        holiday_year_load(actor=admin, year=2027, days=FAKE_2027, source_document="测试用通知")
        assert calendar.year_known(2027)
        end = add_working_days(d("2026-12-30"), 5)
        assert end == d("2027-01-07")  # 01-01 is now a holiday
        assert calendar.fallback_note(d("2026-12-30"), end) == ""
        assert is_workday(d("2027-02-20"))  # entered 调休 Saturday
        assert not is_workday(d("2027-02-13"))  # an ordinary Saturday of an entered year
        assert add_days(d("2027-02-01"), 5) == d("2027-02-15")  # 02-06 falls in the entered holiday
        cal = calendar.WorkCalendar()
        cal.add_working_days(d("2026-12-30"), 5)
        assert cal.assumed_years == set()

    def test_entered_days_take_precedence_over_the_package(self, admin):
        holiday_year_load(actor=admin, year=2026, days=[(d("2026-12-31"), False, "测试：临时调整")],
                          source_document="测试用更正通知")
        assert not is_workday(d("2026-12-31"))
        assert not is_workday(d("2026-10-01"))  # other days still from the package
        assert is_workday(d("2026-10-10"))

    def test_reload_voids_dropped_days_and_keeps_them(self, admin):
        holiday_year_load(actor=admin, year=2027, days=FAKE_2027, source_document="第一版")
        holiday_year_load(actor=admin, year=2027, days=[*FAKE_2027[:3], (d("2027-02-05"), False, "春节")],
                          source_document="更正版", reason="国务院办公厅更正")
        assert HolidayDay.objects.filter(date__year=2027).count() == len(FAKE_2027) + 1
        assert HolidayDay.objects.filter(date__year=2027, voided_at__isnull=True).count() == 4
        assert is_workday(d("2027-02-08"))  # voided: back to Monday–Friday
        assert not is_workday(d("2027-02-05"))
        assert HolidayYear.objects.get(year=2027).source_document == "更正版"


class TestHolidayLoadService:
    def test_requires_rules_manage(self, street_user):
        with pytest.raises(Forbidden):
            holiday_year_load(actor=street_user, year=2027, days=FAKE_2027, source_document="x")
        assert not HolidayDay.objects.exists()

    def test_writes_one_audit_event(self, admin):
        from anquan.audit.models import AuditEvent

        holiday_year = holiday_year_load(actor=admin, year=2027, days=FAKE_2027, source_document="测试用通知")
        event = AuditEvent.objects.get(model_key="holidayyear", object_id=holiday_year.pk)
        assert event.action == "holiday_load" and event.chain.key == "system"
        assert event.actor == admin and event.acting_role == "sysadmin"
        assert "2027-01-01 放假 元旦" in event.after["days"]

    @pytest.mark.parametrize(("days", "message"), [
        ([(d("2026-12-31"), False, "元旦")], "不在2027年内"),
        ([(d("2027-01-01"), False, "元旦"), (d("2027-01-01"), False, "元旦")], "重复"),
        ([(d("2027-01-01"), False, "")], "名称必填"),
        ([(d("2027-01-01"), "否", "元旦")], "是否上班"),
        ([(d("2027-02-20"), True, "调休")], "没有任何放假日期"),
    ])
    def test_invalid_days_write_nothing(self, admin, days, message):
        with pytest.raises(Invalid) as exc:
            holiday_year_load(actor=admin, year=2027, days=days, source_document="x")
        assert any(message in m for m in exc.value.errors["days"])
        assert not HolidayDay.objects.exists() and not HolidayYear.objects.exists()

    def test_source_document_required(self, admin):
        with pytest.raises(Invalid) as exc:
            holiday_year_load(actor=admin, year=2027, days=FAKE_2027, source_document="  ")
        assert "source_document" in exc.value.errors


# ---------------------------------------------------------------- properties

dates = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2028, 12, 31))


@settings(derandomize=True, max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_add_days_ends_on_or_after_the_plain_end_on_a_working_day(start, n):
    end = add_days(start, n)
    plain = start + datetime.timedelta(days=n)
    assert end >= plain
    assert is_workday(end)
    # Every day skipped between the plain end and the result was a rest day.
    assert all(not is_workday(plain + datetime.timedelta(days=i)) for i in range((end - plain).days))


@settings(derandomize=True, max_examples=100, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=30), extra=st.integers(min_value=1, max_value=10))
def test_add_working_days_is_strictly_monotonic_and_counts_working_days(start, n, extra):
    cal = calendar.WorkCalendar()
    near, far = cal.add_working_days(start, n), cal.add_working_days(start, n + extra)
    assert far > near
    assert cal.is_workday(far)
    between = [start + datetime.timedelta(days=i) for i in range(1, (far - start).days + 1)]
    assert sum(cal.is_workday(day) for day in between) == n + extra
