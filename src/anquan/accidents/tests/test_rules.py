"""The statute as pure functions: grading at every threshold (以上包括本数、以下不包括本数, highest of three),
补报 windows (calendar days, day 30 vs 31, 7 vs 8, ends on holidays not moved), leg clocks to the minute
at 23:30 Shanghai, investigation/批复/evaluation due dates, §114 fine ranges, and the catalogue's sources."""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.rules.calendar import is_workday
from anquan.rules.catalog import RULES

from .. import rules
from ..choices import AccidentLevel, GovLevel, level_rank

SH = ZoneInfo("Asia/Shanghai")
G, L, M, E = AccidentLevel.GENERAL, AccidentLevel.LARGER, AccidentLevel.MAJOR, AccidentLevel.ESPECIALLY_MAJOR

DEATHS = [(0, G), (2, G), (3, L), (9, L), (10, M), (29, M), (30, E), (31, E)]
SERIOUS = [(0, G), (9, G), (10, L), (49, L), (50, M), (99, M), (100, E)]
LOSS = [(Decimal("0"), G), (Decimal("9999999.99"), G), (Decimal("10000000"), L), (Decimal("49999999.99"), L),
        (Decimal("50000000"), M), (Decimal("99999999.99"), M), (Decimal("100000000"), E), (Decimal("100000000.01"), E)]


@pytest.mark.parametrize(("deaths", "level"), DEATHS)
def test_deaths_thresholds(deaths, level):
    assert rules.classify(deaths, 0, 0) == level


@pytest.mark.parametrize(("serious", "level"), SERIOUS)
def test_serious_injury_thresholds_including_acute_poisoning(serious, level):
    assert rules.classify(0, serious, 0) == level


@pytest.mark.parametrize(("loss", "level"), LOSS)
def test_direct_loss_thresholds(loss, level):
    assert rules.classify(0, 0, loss) == level
    assert rules.classify(0, 0, str(loss)) == level  # text from a query string means the same


def test_highest_of_the_three_decides():
    assert rules.classify(2, 10, 0) == L  # deaths say 一般, serious injuries 较大
    assert rules.classify(3, 50, Decimal("100000000")) == E
    assert rules.classify(10, 0, Decimal("10000000")) == M


@pytest.mark.parametrize("bad", [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (0, 0, "abc"), (0, 0, "NaN"), (0, 0, "Infinity"), (True, 0, 0)])
def test_bad_figures_are_refused(bad):
    with pytest.raises(ValueError):
        rules.classify(*bad)


def _by_table(deaths, serious, loss):
    """The statute's table written out independently (not via the catalogue)."""
    def one(v, a, b, c):
        return E if v >= c else M if v >= b else L if v >= a else G
    levels = [one(deaths, 3, 10, 30), one(serious, 10, 50, 100), one(loss, 10_000_000, 50_000_000, 100_000_000)]
    return max(levels, key=level_rank)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 200), st.integers(0, 300),
       st.decimals(min_value=0, max_value=300_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_grading_matches_the_table(deaths, serious, loss):
    assert rules.classify(deaths, serious, loss) == _by_table(deaths, serious, loss)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 100), st.integers(0, 200), st.integers(0, 200_000_000), st.integers(0, 5), st.integers(0, 5))
def test_more_casualties_never_lower_the_level(deaths, serious, loss, more_d, more_s):
    assert level_rank(rules.classify(deaths + more_d, serious + more_s, loss)) >= level_rank(rules.classify(deaths, serious, loss))


# ---------------------------------------------------------------- reporting chain and clocks


def test_report_levels_by_grade():
    assert rules.report_levels(G) == [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY]
    assert rules.report_levels(L)[-1] == GovLevel.PROVINCE
    assert rules.report_levels(M)[-1] == GovLevel.NATIONAL
    assert rules.report_levels(E)[-1] == GovLevel.NATIONAL


def test_leg_clocks_at_2330_shanghai():
    learned = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=SH)
    unit_due = rules.leg_due(GovLevel.UNIT, learned)
    assert unit_due == datetime.datetime(2026, 11, 23, 0, 30, tzinfo=SH)  # 1 hour, into the next Shanghai day
    county_due = rules.leg_due(GovLevel.COUNTY, learned)
    assert county_due == datetime.datetime(2026, 11, 23, 1, 30, tzinfo=SH)  # 2 hours
    minute = datetime.timedelta(minutes=1)
    assert not rules.leg_late(unit_due, unit_due, unit_due + minute)  # passed on exactly at the due minute: in time
    assert rules.leg_late(unit_due, unit_due + minute, unit_due + minute)  # a minute after: late
    assert not rules.leg_late(unit_due, None, unit_due)  # still open at the due instant: not yet late
    assert rules.leg_late(unit_due, None, unit_due + minute)  # still open after it: late
    assert not rules.leg_late(None, None, unit_due + minute)  # top level: nothing to pass on


# ---------------------------------------------------------------- 补报 windows


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SH)


def test_thirty_day_window_day_30_in_day_31_out():
    end = rules.addition_window_end(at("2026-11-01"))
    assert end == datetime.date(2026, 12, 1)  # the accident day is not counted: day 30 is 12-01
    assert (end - datetime.date(2026, 11, 1)).days == 30


@pytest.mark.parametrize(("road", "fire"), [(True, False), (False, True), (True, True)])
def test_seven_day_window_for_road_traffic_and_fire(road, fire):
    assert rules.addition_window_end(at("2026-11-01"), road, fire) == datetime.date(2026, 11, 8)


def test_window_counts_the_shanghai_date_of_a_late_evening_accident():
    # 23:30 in Shanghai is 15:30 UTC of the same date; 00:30 Shanghai is the previous UTC date.
    assert rules.addition_window_end(at("2026-11-22", "23:30")) == datetime.date(2026, 12, 22)
    assert rules.addition_window_end(at("2026-11-23", "00:30")) == datetime.date(2026, 12, 23)


@pytest.mark.django_db
def test_a_window_ending_on_a_holiday_does_not_move():
    # Accident on 2026-09-01: the 30-day window ends on 10-01 (国庆节). The statute's window fixes which
    # casualty changes belong to the accident; it is not a filing deadline, so it is not extended.
    end = rules.addition_window_end(at("2026-09-01"))
    assert end == datetime.date(2026, 10, 1)
    assert not is_workday(end)
    # A 7-day window ending on a Sunday (2026-11-29) stays on the Sunday too.
    assert rules.addition_window_end(at("2026-11-22"), True) == datetime.date(2026, 11, 29)
    assert not is_workday(datetime.date(2026, 11, 29))
    assert "不顺延" in rules.WINDOW_NOTE


# ---------------------------------------------------------------- investigation, 批复, evaluation, fines


def test_investigating_body_by_level_and_entrusting():
    assert [rules.investigating_body(x) for x in (G, L, M, E)] == [GovLevel.COUNTY, GovLevel.CITY, GovLevel.PROVINCE, GovLevel.NATIONAL]
    assert rules.may_entrust_to_unit(G, 0, 0, 0, 0)
    assert not rules.may_entrust_to_unit(G, 0, 0, 0, 1)  # any casualty, even a light injury
    assert not rules.may_entrust_to_unit(L, 0, 0, 0, 0)


def test_investigation_due_sixty_days_plus_appraisal_plus_extension():
    occurred = at("2026-11-22", "23:30")
    assert rules.investigation_due(occurred) == datetime.date(2027, 1, 21)
    assert rules.investigation_due(occurred, appraisal_days=10) == datetime.date(2027, 1, 31)
    assert rules.investigation_due(occurred, appraisal_days=10, extension_days=60) == datetime.date(2027, 4, 1)


def test_approval_due_and_extension():
    received = datetime.date(2026, 11, 22)
    assert rules.approval_due(received, G) == datetime.date(2026, 12, 7)
    assert rules.approval_due(received, M) == datetime.date(2026, 12, 7)
    assert rules.approval_due(received, E) == datetime.date(2026, 12, 22)
    assert rules.approval_due(received, E, 30) == datetime.date(2027, 1, 21)
    assert rules.approval_extension_allowed(E) == 30 and rules.approval_extension_allowed(M) == 0


def test_evaluation_one_year_after_approval():
    assert rules.evaluation_due(datetime.date(2026, 11, 22)) == datetime.date(2027, 11, 22)
    assert rules.evaluation_due(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_fine_ranges_by_level():
    assert rules.fine_range(G) == (300_000, 1_000_000)
    assert rules.fine_range(L) == (1_000_000, 2_000_000)
    assert rules.fine_range(M) == (2_000_000, 10_000_000)
    assert rules.fine_range(E) == (10_000_000, 20_000_000)
    assert rules.fine_range(G, aggravated=True) == (600_000, 5_000_000)


def test_every_accident_number_cites_its_article_and_cannot_be_overridden():
    keys = [k for k in RULES if k.startswith("accident.")]
    assert len(keys) >= 25
    for key in keys:
        rule = RULES[key]
        assert "第" in rule.source and "条" in rule.source, key
        assert rule.mark == "V"
        assert rule.min_value == rule.max_value == rule.default, key  # national law: no local override
