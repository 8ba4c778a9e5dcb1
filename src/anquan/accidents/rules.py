"""The statute of accidents as pure functions: grading, reporting legs, 补报 windows, investigation and 批复 clocks.

Every number is read from ``anquan.rules.catalog`` (keys ``accident.*``, each with its article). They are
national law (国务院令第493号, 安全生产法), so they are read as the catalogue's statutory value and never
from a locality's override (their catalogue range is the one statutory value: no override can differ).

How days are counted: the statute's periods "自事故发生之日起N日内" are counted in calendar days with the
first day not counted (民法典第二百零一条): an accident on 11-01 has its 30-day window end on 12-01
(day 30), and a change on 12-02 (day 31) is outside. Whether the end moves off a holiday is decided per
period and written at each function.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from anquan.rules.calendar import local_date
from anquan.rules.catalog import get_rule

from .choices import GOV_ORDER, AccidentLevel, GovLevel, level_rank

L = AccidentLevel


def statutory(key: str) -> int:
    """The statutory value of ``accident.*`` (not overridable: see the module docstring)."""
    return get_rule(key).default


# ---------------------------------------------------------------- grading (第三条)

#: (dimension, rule-key part) in the order the statute lists them.
DIMENSIONS = (("deaths", "deaths"), ("serious_injuries", "serious_injuries"), ("direct_loss_yuan", "loss"))
_UPPER_LEVELS = (L.LARGER, L.MAJOR, L.ESPECIALLY_MAJOR)


def level_of(dimension: str, value) -> str:
    """The level one dimension alone reaches: the highest whose threshold ``value`` meets (以上包括本数)."""
    part = dict(DIMENSIONS)[dimension]
    reached = L.GENERAL
    for level in _UPPER_LEVELS:
        if value >= statutory(f"accident.grade.{part}.{level}"):
            reached = level
    return reached


def classify(deaths: int, serious_injuries: int, direct_loss_yuan) -> str:
    """The accident level (第三条): the highest level any of the three dimensions reaches.

    ``serious_injuries`` includes acute industrial poisoning (急性工业中毒); ``direct_loss_yuan`` in yuan.
    ValueError for a negative or non-numeric figure."""
    figures = {"deaths": deaths, "serious_injuries": serious_injuries, "direct_loss_yuan": as_yuan(direct_loss_yuan)}
    for name, value in figures.items():
        if isinstance(value, bool) or value is None or value < 0:
            raise ValueError(name)
    return max((level_of(name, figures[name]) for name, _ in DIMENSIONS), key=level_rank)


def as_yuan(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError("direct_loss_yuan") from None
    if not amount.is_finite():
        raise ValueError("direct_loss_yuan")
    return amount


def level_name(level: str) -> str:
    return str(AccidentLevel(level).label)


# ---------------------------------------------------------------- reporting (第九条至第十一条)

#: The highest government level a report must reach, by accident level (第十条).
TOP_LEVEL = {L.GENERAL: GovLevel.CITY, L.LARGER: GovLevel.PROVINCE, L.MAJOR: GovLevel.NATIONAL,
             L.ESPECIALLY_MAJOR: GovLevel.NATIONAL}


def report_levels(level: str) -> list[str]:
    """The chain a report travels for an accident of ``level``: the unit, the county, … up to ``TOP_LEVEL``."""
    top = GOV_ORDER.index(TOP_LEVEL[level])
    return list(GOV_ORDER[: top + 1])


def leg_hours(from_level: str) -> int:
    """The time a level has to pass the report on: the unit 1 hour after its head learned of it (第九条),
    each government level 2 hours after receiving it (第十一条)."""
    return statutory("accident.report.unit_hours" if from_level == GovLevel.UNIT else "accident.report.level_hours")


def leg_due(from_level: str, clock_start: datetime.datetime) -> datetime.datetime:
    """Exact instant (to the minute, not a day): ``clock_start`` + the level's hours. Time zone kept."""
    return clock_start + datetime.timedelta(hours=leg_hours(from_level))


def leg_late(due_at, forwarded_at, now) -> bool:
    """Late when passed on after the due instant, or not yet passed on and the instant has gone by.
    Passed on exactly at the due instant is in time (“不得超过2小时”)."""
    if due_at is None:
        return False
    if forwarded_at is not None:
        return forwarded_at > due_at
    return now > due_at


# ---------------------------------------------------------------- 补报 (第十三条)


def addition_days(is_road_traffic: bool, is_fire: bool) -> int:
    key = "accident.addition.days_road_fire" if (is_road_traffic or is_fire) else "accident.addition.days"
    return statutory(key)


def addition_window_end(occurred_at: datetime.datetime, is_road_traffic: bool = False, is_fire: bool = False) -> datetime.date:
    """The last day (Asia/Shanghai) on which a change in casualties is still recorded as this accident's (补报).

    Calendar days, the accident day not counted: occurred on 11-01 → 30-day window ends 12-01, 7-day 11-08.

    The end does NOT move off a holiday or weekend. Why: 民法典第二百零三条 moves the last day of a
    period *for doing an act* (filing, paying) because offices are closed. §13's window is not that: it
    fixes *which casualty changes belong to the accident* — a death on day 30 counts towards its level
    whatever day of the week it is, one on day 31 does not, so the same accident would otherwise be
    graded differently depending on the calendar. The 补报 itself is due "及时" (at once), not at the end
    of the window; report centres are on duty every day (第十八条 值班制度)."""
    return local_date(occurred_at) + datetime.timedelta(days=addition_days(is_road_traffic, is_fire))


WINDOW_NOTE = ("补报期间按自然日计算，事故发生当日不计入（民法典第二百零一条）；期间末日遇节假日不顺延——"
               "该期间确定哪些伤亡变化计入本起事故，而不是办理某项手续的期限（第十三条“应当及时补报”，各级实行值班制度）。")


# ---------------------------------------------------------------- investigation (第十九条至第三十二条)

#: The investigating government by level (第十九条).
INVESTIGATING_BODY = {L.GENERAL: GovLevel.COUNTY, L.LARGER: GovLevel.CITY, L.MAJOR: GovLevel.PROVINCE,
                      L.ESPECIALLY_MAJOR: GovLevel.NATIONAL}
BODY_NAMES = {GovLevel.UNIT: "事故发生单位（受县级人民政府委托）", GovLevel.COUNTY: "县级人民政府",
              GovLevel.CITY: "设区的市级人民政府", GovLevel.PROVINCE: "省级人民政府",
              GovLevel.NATIONAL: "国务院或者国务院授权的有关部门"}


def investigating_body(level: str) -> str:
    return INVESTIGATING_BODY[level]


def may_entrust_to_unit(level: str, deaths: int, missing: int, serious_injuries: int, injuries: int) -> bool:
    """未造成人员伤亡的一般事故, 县级人民政府也可以委托事故发生单位组织调查 (第十九条第三款)."""
    return level == L.GENERAL and not (deaths or missing or serious_injuries or injuries)


def investigation_due(occurred_at: datetime.datetime, appraisal_days: int = 0, extension_days: int = 0) -> datetime.date:
    """The investigation report's due date: accident day + 60 calendar days (第二十九条), plus the days of
    technical appraisal (not counted, 第二十七条) and the approved extension (≤ 60, once). Not moved off holidays:
    the statute sets it as a plain count of days from the accident and an extension exists for hard cases."""
    return local_date(occurred_at) + datetime.timedelta(
        days=statutory("accident.investigation.days") + appraisal_days + extension_days)


def approval_days(level: str) -> int:
    return statutory("accident.approval.days_especially_major" if level == L.ESPECIALLY_MAJOR else "accident.approval.days")


def approval_due(received_on: datetime.date, level: str, extension_days: int = 0) -> datetime.date:
    """批复 due: 15 days from receiving the report (特别重大: 30, extendable by ≤ 30) (第三十二条)."""
    return received_on + datetime.timedelta(days=approval_days(level) + extension_days)


def approval_extension_allowed(level: str) -> int:
    """The most the 批复 may be extended: only 特别重大 (第三十二条), else 0."""
    return statutory("accident.approval.extension_max_days") if level == L.ESPECIALLY_MAJOR else 0


def evaluation_due(approved_on: datetime.date) -> datetime.date:
    """One year after 批复 (安全生产法第八十六条): the same date next year; 02-29 → 02-28 (民法典第二百零二条)."""
    years = statutory("accident.evaluation.years")
    try:
        return approved_on.replace(year=approved_on.year + years)
    except ValueError:
        return approved_on.replace(year=approved_on.year + years, day=28)


def fine_range(level: str, aggravated: bool = False) -> tuple[int, int]:
    """安全生产法第一百一十四条: the fine range on the responsible unit for an accident of ``level``
    (``aggravated``: 情节特别严重、影响特别恶劣, ×2 to ×5)."""
    low, high = statutory(f"accident.fine.{level}.min_yuan"), statutory(f"accident.fine.{level}.max_yuan")
    if aggravated:
        return (low * statutory("accident.fine.aggravated.min_multiple"), high * statutory("accident.fine.aggravated.max_multiple"))
    return low, high
