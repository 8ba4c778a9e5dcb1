"""Dates in Asia/Shanghai, working days with Chinese public holidays and 调休, and the 民法典 period rule.

Why this module: deadlines are dates where the user is (Asia/Shanghai), whatever the server's
clock says, and a period ending on a holiday runs on to the next working day (民法典 第201条、
第203条). Which days are holidays comes from the ``chinese-calendar`` package (kept up to date
upstream, 2004–2026 in 1.11.0) and from schedules an administrator enters for later years
(``HolidayDay``), which take precedence over the package for their dates. In a year neither
covers, Monday–Friday are counted as working days and the page must say so:
``fallback_note`` gives the sentence.

Use ``WorkCalendar`` directly when computing many dates (it reads each year's entered
schedule once); the module functions build a fresh one per call (always current data).
"""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: No official schedule has more than nine days off in a row; a run this long means bad entered data.
MAX_RUN_OF_REST_DAYS = 60
#: The years the installed holiday package has data for.
PACKAGE_YEARS = range(
    min(d.year for d in chinese_calendar.holidays), max(d.year for d in chinese_calendar.holidays) + 1
)
ONE_DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    """Today's date in Asia/Shanghai (at 23:30 there it is still today, although UTC may say otherwise)."""
    return timezone.now().astimezone(SHANGHAI).date()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Shanghai date of an aware moment (naive ones are refused: their zone is a guess)."""
    if timezone.is_naive(moment):
        raise ValueError("需要带时区的时间")
    return moment.astimezone(SHANGHAI).date()


class WorkCalendar:
    """Working-day arithmetic over one consistent reading of the entered schedules.

    ``assumed_years`` collects the years for which a day was judged by the Monday–Friday
    fallback during this calendar's life, so a caller can tell the user.
    """

    def __init__(self):
        self._entered: dict[int, dict[datetime.date, bool]] = {}
        self._entered_years: dict[int, bool] = {}
        self.assumed_years: set[int] = set()

    def _load(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._entered:
            from .models import HolidayDay, HolidayYear

            days = HolidayDay.objects.filter(
                date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31), voided_at__isnull=True
            ).values_list("date", "is_workday")
            self._entered[year] = dict(days)
            self._entered_years[year] = HolidayYear.objects.filter(year=year).exists()
        return self._entered[year]

    def year_known(self, year: int) -> bool:
        """True when the package covers ``year`` or an administrator entered its schedule."""
        if year in PACKAGE_YEARS:
            return True
        self._load(year)
        return self._entered_years[year]

    def is_workday(self, day: datetime.date) -> bool:
        entered = self._load(day.year)
        if day in entered:
            return entered[day]
        if day.year in PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        if not self._entered_years[day.year]:
            self.assumed_years.add(day.year)
        return day.weekday() < 5

    def next_workday(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        for _ in range(MAX_RUN_OF_REST_DAYS):
            if self.is_workday(day):
                return day
            day += ONE_DAY
        raise ValueError(f"{day:%Y-%m-%d}前连续{MAX_RUN_OF_REST_DAYS}天没有工作日，请检查录入的节假日安排")

    def add_days(self, start: datetime.date, n: int) -> datetime.date:
        """End of a period of ``n`` days from ``start`` (民法典 第201条、第203条).

        The first day is not counted (end = start + n), and an end falling on a public holiday
        or rest day moves to the next working day (a 调休 Saturday is a working day).
        """
        _check_count(n)
        return self.next_workday(start + datetime.timedelta(days=n))

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``start`` (holidays skipped, 调休 days counted; ``n`` = 0 → start)."""
        _check_count(n)
        day = start
        for _ in range(n):
            day = self.next_workday(day + ONE_DAY)
        return day

    def unknown_years(self, start: datetime.date, end: datetime.date) -> list[int]:
        low, high = sorted((start.year, end.year))
        return [y for y in range(low, high + 1) if not self.year_known(y)]


def _check_count(n) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"天数必须是非负整数：{n!r}")


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)


def year_known(year: int) -> bool:
    return WorkCalendar().year_known(year)


def add_days(start: datetime.date, n: int) -> datetime.date:
    return WorkCalendar().add_days(start, n)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    return WorkCalendar().add_working_days(start, n)


def unknown_years(start: datetime.date, end: datetime.date | None = None) -> list[int]:
    """Years between ``start`` and ``end`` (inclusive) without holiday data, i.e. counted Monday–Friday."""
    return WorkCalendar().unknown_years(start, end or start)


def fallback_note(start: datetime.date, end: datetime.date | None = None) -> str:
    """The sentence a page shows next to a date computed over a year without data; "" when all years are known."""
    return note_for_years(unknown_years(start, end))


def note_for_years(years) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    return f"{'、'.join(str(y) for y in years)}年节假日安排尚未录入，按周一至周五计算"
