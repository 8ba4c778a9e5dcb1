"""Every statutory number and clock the platform uses, with its default and where it comes from.

Why a catalogue: a number written into the code where it is used cannot be cited, checked
against the regulation, or changed for a locality that does it differently. Here each number
has one key; code asks ``anquan.rules.values.get(key, unit)`` and gets the default below
unless an administrator overrode it for that unit or a unit above it.

Marks follow shared/rules.md: **V** read in the official text, **S** seen in copies of
official text or notices, **L** local practice that varies (a configurable default).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

#: What a rule's value measures; the label is shown after the number on pages.
KIND_UNITS: dict[str, str] = {
    "days": "日（期间：首日不计，末日遇节假日顺延）",
    "calendar_days": "日（自然日）",
    "working_days": "个工作日",
    "months": "个月",
    "hours": "小时",
    "count": "次",
    "percent": "%",
    "day_of_month": "日（次月）",
    "month_day": "（月-日，次年）",
    "yuan": "元",
}

ORDER_16 = "安全生产事故隐患排查治理暂行规定（原国家安全生产监督管理总局令第16号）"
WORK_SAFETY_LAW = "中华人民共和国安全生产法（2021年修正）"
PENALTY_LAW = "中华人民共和国行政处罚法（2021年修订）"
FREQUENCY_SOURCE = ("地方做法：按风险分级分类确定监督检查频次（平台默认红色每月、橙色每季度、黄色每半年、蓝色每年至少一次），"
                    "非法定频次；以本地年度监督检查计划规定为准，可由管理员按地区调整")


@dataclass(frozen=True)
class Rule:
    """One number: ``default`` (its Python type is the type every override must have), ``kind`` (see KIND_UNITS)."""

    key: str
    default: int | str
    label_zh: str
    source: str
    kind: str
    mark: str = "S"
    min_value: int | None = None
    max_value: int | None = None

    @property
    def unit_label(self) -> str:
        return KIND_UNITS.get(self.kind, "")

    @property
    def is_local_practice(self) -> bool:
        return self.mark == "L"


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.key: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # shared/rules.md "Deadlines": the verifier has its own clock, default 5 working days, configurable.
    Rule("verification.working_days", 5, "复查验收时限（整改提交后，验收方完成复查）",
         "地方做法：" + ORDER_16 + "未规定复查验收的统一时限，平台默认5个工作日，以地方规定为准",
         "working_days", "L", 1, 60),
    Rule("overdue.escalate_to_anweiban_days", 7, "逾期未整改升级至安委办督办的天数",
         "地方做法（各地督办办法不一，平台默认值）", "calendar_days", "L", 1, 90),
    Rule("notify.deadline_soon_days", 3, "整改期限临近提醒的提前天数",
         "平台默认值（提醒用，非法定时限）", "calendar_days", "L", 0, 30),
    Rule("listing.review_days", 10, "挂牌督办：收到恢复生产申请后现场审查时限",
         ORDER_16 + "第二十三条：收到恢复生产的申请报告后，应当在10日内进行现场审查", "days", "S", 1, 60),
    Rule("listing.publish_working_days", 5, "挂牌督办及摘牌信息公开时限",
         "地方做法（重大事故隐患挂牌督办办法各地规定不一）", "working_days", "L", 1, 30),
    # shared/rules.md "Hazards": suspension while fixing is normally ≤ 6 months [S].
    Rule("suspension.max_months", 6, "局部或全部停产停业整改期限（一般不超过）",
         WORK_SAFETY_LAW + "第六十五条第（三）项（责令暂时停产停业）；期限一般不超过6个月见于官方文本副本，以地方规定为准",
         "months", "S", 1, 24),
    Rule("power_cut.notice_hours", 24, "停止供电等强制措施的提前书面通知时间（紧急情况除外）",
         WORK_SAFETY_LAW + "第七十条", "hours", "V", 1, 240),
    Rule("repeat_offender.window_days_short", 180, "屡次违法（短期）：统计期间",
         WORK_SAFETY_LAW + "第一百一十三条：存在重大事故隐患，一百八十日内三次或者一年内四次受到行政处罚", "calendar_days", "V", 1, 366),
    Rule("repeat_offender.count_short", 3, "屡次违法（短期）：行政处罚次数",
         WORK_SAFETY_LAW + "第一百一十三条", "count", "V", 1, 20),
    Rule("repeat_offender.window_months_long", 12, "屡次违法（一年内）：统计期间（自当日起倒推的日历月数，非365日）",
         WORK_SAFETY_LAW + "第一百一十三条：一年内四次受到本法规定的行政处罚（按日历年倒推，闰年含2月29日）", "months", "V", 1, 24),
    Rule("repeat_offender.count_long", 4, "屡次违法（一年内）：行政处罚次数",
         WORK_SAFETY_LAW + "第一百一十三条", "count", "V", 1, 20),
    Rule("penalty.publish_working_days", 7, "行政处罚决定公开时限",
         WORK_SAFETY_LAW + "第七十八条：自作出行政处罚决定之日起7个工作日内", "working_days", "V", 1, 30),
    # Enforcement (行政执法, issue 14): the 行政处罚法 clocks and limits.
    Rule("penalty.decision_days", 90, "行政处罚决定期限（自立案之日起）",
         PENALTY_LAW + "第六十条：应当自行政处罚案件立案之日起九十日内作出行政处罚决定（法律、法规、规章另有规定的从其规定）",
         "days", "V", 1, 365),
    Rule("penalty.service_days", 7, "行政处罚决定书送达期限（当事人不在场时，自宣告之日起）",
         PENALTY_LAW + "第六十一条：当事人不在场的，行政机关应当在七日内送达", "days", "V", 1, 30),
    Rule("penalty.late_fee_percent", 3, "逾期缴纳罚款每日加处罚款比例（加处罚款不超过罚款数额）",
         PENALTY_LAW + "第七十二条第一款第（一）项：到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额",
         "percent", "V", 0, 3),
    Rule("penalty.payment_days", 15, "缴纳罚款期限（自收到行政处罚决定书之日起）",
         PENALTY_LAW + "第六十七条第三款：当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款",
         "days", "V", 1, 60),
    Rule("penalty.on_the_spot_max_person", 200, "当场处罚罚款上限：公民（元）",
         PENALTY_LAW + "第五十一条：对公民处以二百元以下罚款", "yuan", "V", 0, 200),
    Rule("penalty.on_the_spot_max_unit", 3000, "当场处罚罚款上限：法人或者其他组织（元）",
         PENALTY_LAW + "第五十一条：对法人或者其他组织处以三千元以下罚款", "yuan", "V", 0, 3000),
    Rule("penalty.hearing_threshold_person", 10000, "听证：较大数额罚款起点，公民（元）",
         "地方做法：" + PENALTY_LAW + "第六十三条第一款第（一）项“较大数额罚款”由各地规定，平台默认值，以本地规定为准",
         "yuan", "L", 0, 10_000_000),
    Rule("penalty.hearing_threshold_unit", 50000, "听证：较大数额罚款起点，法人或者其他组织（元）",
         "地方做法：" + PENALTY_LAW + "第六十三条第一款第（一）项“较大数额罚款”由各地规定，平台默认值，以本地规定为准",
         "yuan", "L", 0, 100_000_000),
    Rule("stats.quarter_due_day", 15, "隐患排查治理季度统计分析表报送：下一季度首月的日期",
         ORDER_16 + "第十四条：于下一季度15日前报送", "day_of_month", "S", 1, 28),
    Rule("stats.annual_due", "01-31", "隐患排查治理年度统计分析表报送：次年日期",
         ORDER_16 + "第十四条：于下一年1月31日前报送", "month_day", "S"),
    # Bounds of the dates a hazard carries (issue 11: found 2001-01-01 and deadline 9999-12-31 were stored).
    # No statute sets them; they catch typing errors and keep the ledger's figures honest. [L]
    Rule("hazard.found_at.max_past_days", 365, "隐患登记：发现时间最早可追溯的天数（早于此的隐患不再补登）",
         "地方做法：" + ORDER_16 + "要求如实记录隐患排查治理情况，未规定补登期限；平台默认可补登一年内发现的隐患"
         "（上一年度台账可在年度统计报送前补齐），更早的按档案管理，以地方规定为准", "calendar_days", "L", 1, 3660),
    Rule("hazard.deadline.max_days", 365, "整改期限最长天数（自确定之日起；延期、回头看重新整改、挂牌督办期限、检查整改天数同受此限）",
         "地方做法：" + ORDER_16 + "未规定整改期限上限（一般隐患立即或限期整改，重大隐患按治理方案的时限）；"
         "平台默认不超过365日，需要更长时间的经延期审批分段延长，以地方规定为准", "calendar_days", "L", 1, 1830),
    Rule("recheck.sample_percent", 10, "已销号隐患“回头看”抽查比例",
         "地方做法（回头看抽查比例各地自定，平台默认值）", "percent", "L", 0, 100),
    # Coverage (拉网式排查): how often a site should be inspected by government, per its enterprise's risk colour.
    # No national rule fixes these; 分级分类监管 plans set them locally. Shortfalls count whole periods only.
    Rule("inspection.frequency_months.red", 1, "监督检查频次：重大风险（红）场所每几个月至少检查一次",
         FREQUENCY_SOURCE, "months", "L", 1, 24),
    Rule("inspection.frequency_months.orange", 3, "监督检查频次：较大风险（橙）场所每几个月至少检查一次",
         FREQUENCY_SOURCE, "months", "L", 1, 24),
    Rule("inspection.frequency_months.yellow", 6, "监督检查频次：一般风险（黄）场所每几个月至少检查一次",
         FREQUENCY_SOURCE, "months", "L", 1, 36),
    Rule("inspection.frequency_months.blue", 12, "监督检查频次：低风险（蓝）场所每几个月至少检查一次（无所属企业的场所按蓝色计）",
         FREQUENCY_SOURCE, "months", "L", 1, 60),
)


def get_rule(key: str) -> Rule:
    """The rule named ``key``; KeyError names the key when code asks for one that does not exist."""
    try:
        return RULES[key]
    except KeyError:
        raise KeyError(f"未知的规则：{key}") from None


def parse_month_day(text: str) -> tuple[int, int]:
    """``"01-31"`` → (1, 31); ValueError unless it is a date in every year (so 02-29 is refused)."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != "-":
        raise ValueError(text)
    month, day = int(text[:2]), int(text[3:])
    datetime.date(2001, month, day)  # a common year: raises for 02-29, 04-31 …
    return month, day
