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
    "years": "年",
    "hours": "小时",
    "persons": "人",
    "count": "次",
    "percent": "%",
    "day_of_month": "日（次月）",
    "month_day": "（月-日，次年）",
    "yuan": "元",
    "text": "（名称；留空按平台默认）",
}

ORDER_16 = "安全生产事故隐患排查治理暂行规定（原国家安全生产监督管理总局令第16号）"
WORK_SAFETY_LAW = "中华人民共和国安全生产法（2021年修正）"
PENALTY_LAW = "中华人民共和国行政处罚法（2021年修订）"
ORDER_493 = "生产安全事故报告和调查处理条例（国务院令第493号）"
#: Accident numbers are national law: no locality may change them (min = max = the statutory value).
NATIONAL = "（国家法定，各地不得调整）"
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
    # shared/rules.md "Hazards": the ≤ 6 months limit is not in 安全生产法 §65(三) (which only orders the suspension);
    # it came from the old 安全生产违法行为行政处罚办法 (原国家安全生产监督管理总局令第15号), replaced from 2026-02-01 by
    # 应急管理部令第18号, whose text was not found: a configurable default with that source [S].
    Rule("suspension.max_months", 6, "局部或全部停产停业整改期限（一般不超过）",
         "安全生产违法行为行政处罚办法（原国家安全生产监督管理总局令第15号）规定的停产停业整顿期限一般不超过6个月；"
         "该办法自2026年2月1日起由应急管理部令第18号取代，新规定文本未核实，平台保留6个月为可配置默认值，以新规定和地方规定为准"
         "（责令暂时停产停业本身依据" + WORK_SAFETY_LAW + "第六十五条第一款第（三）项）",
         "months", "S", 1, 24),
    # The appeal sentence of orders names the 复议机关 and the court (行政复议法 §20 ¶3: without them the period runs
    # from when the party learns them, up to one year). Empty = derived from the issuing organ's place in the tree
    # (documents.organs.appeal_bodies); an administrator sets the names per locality.
    Rule("appeal.review_days", 60, "申请行政复议期限",
         "中华人民共和国行政复议法（2023年修订）第二十条第一款：自知道或者应当知道该行政行为之日起六十日内", "days", "V", 60, 365),
    Rule("appeal.litigation_months", 6, "提起行政诉讼期限",
         "中华人民共和国行政诉讼法第四十六条第一款：自知道或者应当知道作出行政行为之日起六个月内", "months", "S", 6, 24),
    Rule("organ.review_body", "", "行政复议机关名称（本地区发文机关）",
         "中华人民共和国行政复议法（2023年修订）第二十四条（县级以上地方人民政府管辖对本级工作部门、下一级人民政府和所设派出机关"
         "的行政行为申请的复议）；留空时按发文机关所在层级取本级或设立机关的人民政府", "text", "L"),
    Rule("organ.court", "", "提起行政诉讼的人民法院名称（本地区发文机关）",
         "中华人民共和国行政诉讼法第十八条第一款（由最初作出行政行为的行政机关所在地人民法院管辖）；"
         "留空时取发文机关所在区县的人民法院", "text", "L"),
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
    Rule("penalty.service_working_days", 7, "行政处罚决定书送达期限（当事人不在场时，自宣告之日起）",
         PENALTY_LAW + "第六十一条：当事人不在场的，行政机关应当在七日内送达；第八十五条：本法中“七日”是指工作日，不含法定节假日",
         "working_days", "V", 1, 30),
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

    # ---------------------------------------------------------------- accidents (issue 13)
    # Grading (493号令 第三条): "以上包括本数，以下不包括本数" — a figure equal to a threshold is of the higher level.
    Rule("accident.grade.deaths.larger", 3, "事故等级：较大事故死亡人数（以上，含本数）",
         ORDER_493 + "第三条第一款第（三）项：造成3人以上10人以下死亡" + NATIONAL, "persons", "V", 3, 3),
    Rule("accident.grade.deaths.major", 10, "事故等级：重大事故死亡人数（以上，含本数）",
         ORDER_493 + "第三条第一款第（二）项：造成10人以上30人以下死亡" + NATIONAL, "persons", "V", 10, 10),
    Rule("accident.grade.deaths.especially_major", 30, "事故等级：特别重大事故死亡人数（以上，含本数）",
         ORDER_493 + "第三条第一款第（一）项：造成30人以上死亡" + NATIONAL, "persons", "V", 30, 30),
    Rule("accident.grade.serious_injuries.larger", 10, "事故等级：较大事故重伤人数（包括急性工业中毒，以上含本数）",
         ORDER_493 + "第三条第一款第（三）项：10人以上50人以下重伤" + NATIONAL, "persons", "V", 10, 10),
    Rule("accident.grade.serious_injuries.major", 50, "事故等级：重大事故重伤人数（包括急性工业中毒，以上含本数）",
         ORDER_493 + "第三条第一款第（二）项：50人以上100人以下重伤" + NATIONAL, "persons", "V", 50, 50),
    Rule("accident.grade.serious_injuries.especially_major", 100, "事故等级：特别重大事故重伤人数（包括急性工业中毒，以上含本数）",
         ORDER_493 + "第三条第一款第（一）项：100人以上重伤（包括急性工业中毒）" + NATIONAL, "persons", "V", 100, 100),
    Rule("accident.grade.loss.larger", 10_000_000, "事故等级：较大事故直接经济损失（元，以上含本数）",
         ORDER_493 + "第三条第一款第（三）项：1000万元以上5000万元以下直接经济损失" + NATIONAL, "yuan", "V",
         10_000_000, 10_000_000),
    Rule("accident.grade.loss.major", 50_000_000, "事故等级：重大事故直接经济损失（元，以上含本数）",
         ORDER_493 + "第三条第一款第（二）项：5000万元以上1亿元以下直接经济损失" + NATIONAL, "yuan", "V",
         50_000_000, 50_000_000),
    Rule("accident.grade.loss.especially_major", 100_000_000, "事故等级：特别重大事故直接经济损失（元，以上含本数）",
         ORDER_493 + "第三条第一款第（一）项：1亿元以上直接经济损失" + NATIONAL, "yuan", "V", 100_000_000, 100_000_000),
    # Reporting clocks (第九条、第十一条).
    Rule("accident.report.unit_hours", 1, "事故报告：单位负责人接到报告后向县级应急管理部门和有关部门报告的时限",
         ORDER_493 + "第九条：单位负责人接到报告后，应当于1小时内……报告" + NATIONAL, "hours", "V", 1, 1),
    Rule("accident.report.level_hours", 2, "事故报告：各级部门逐级上报的时限（每级）",
         ORDER_493 + "第十一条：逐级上报事故情况，每级上报的时间不得超过2小时" + NATIONAL, "hours", "V", 2, 2),
    # 补报 (第十三条): calendar days from the accident day (the day itself not counted, 民法典第二百零一条); the
    # end does NOT move off a holiday — see anquan.accidents.rules.addition_window_end for why.
    Rule("accident.addition.days", 30, "伤亡人数补报期间（自事故发生之日起，自然日，末日遇节假日不顺延）",
         ORDER_493 + "第十三条第二款：自事故发生之日起30日内，事故造成的伤亡人数发生变化的，应当及时补报" + NATIONAL,
         "calendar_days", "V", 30, 30),
    Rule("accident.addition.days_road_fire", 7, "道路交通事故、火灾事故伤亡人数补报期间（自然日，末日遇节假日不顺延）",
         ORDER_493 + "第十三条第二款：道路交通事故、火灾事故自发生之日起7日内" + NATIONAL, "calendar_days", "V", 7, 7),
    # Investigation (第二十九条、第三十二条) and evaluation (安全生产法第八十六条).
    Rule("accident.investigation.days", 60, "事故调查报告提交期限（自事故发生之日起，技术鉴定时间不计入）",
         ORDER_493 + "第二十九条、第二十七条：自事故发生之日起60日内提交事故调查报告；技术鉴定所需时间不计入事故调查期限" + NATIONAL,
         "calendar_days", "V", 60, 60),
    Rule("accident.investigation.extension_max_days", 60, "事故调查报告提交期限可延长的最长天数（经负责调查的人民政府批准，限一次）",
         ORDER_493 + "第二十九条：经负责事故调查的人民政府批准，延长的期限最长不超过60日" + NATIONAL, "calendar_days", "V", 60, 60),
    Rule("accident.approval.days", 15, "事故调查报告批复期限（重大、较大、一般事故，自收到报告之日起）",
         ORDER_493 + "第三十二条第一款：应当自收到事故调查报告之日起15日内做出批复" + NATIONAL, "calendar_days", "V", 15, 15),
    Rule("accident.approval.days_especially_major", 30, "特别重大事故调查报告批复期限（自收到报告之日起）",
         ORDER_493 + "第三十二条第一款：特别重大事故，30日内做出批复" + NATIONAL, "calendar_days", "V", 30, 30),
    Rule("accident.approval.extension_max_days", 30, "特别重大事故批复可延长的最长天数",
         ORDER_493 + "第三十二条第一款：特殊情况下，批复时间可以适当延长，但延长的时间最长不超过30日" + NATIONAL,
         "calendar_days", "V", 30, 30),
    Rule("accident.evaluation.years", 1, "事故整改和防范措施落实情况评估期限（批复后）",
         WORK_SAFETY_LAW + "第八十六条第三款：在批复事故调查报告后一年内，组织有关部门对事故整改和防范措施落实情况进行评估，"
         "并及时向社会公开评估结果" + NATIONAL, "years", "V", 1, 1),
    # Fines on the responsible unit by level (安全生产法第一百一十四条), for enforcement.
    Rule("accident.fine.general.min_yuan", 300_000, "事故罚款：一般事故下限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（一）项：处三十万元以上一百万元以下的罚款" + NATIONAL, "yuan", "V", 300_000, 300_000),
    Rule("accident.fine.general.max_yuan", 1_000_000, "事故罚款：一般事故上限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（一）项" + NATIONAL, "yuan", "V", 1_000_000, 1_000_000),
    Rule("accident.fine.larger.min_yuan", 1_000_000, "事故罚款：较大事故下限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（二）项：处一百万元以上二百万元以下的罚款" + NATIONAL, "yuan", "V", 1_000_000, 1_000_000),
    Rule("accident.fine.larger.max_yuan", 2_000_000, "事故罚款：较大事故上限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（二）项" + NATIONAL, "yuan", "V", 2_000_000, 2_000_000),
    Rule("accident.fine.major.min_yuan", 2_000_000, "事故罚款：重大事故下限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（三）项：处二百万元以上一千万元以下的罚款" + NATIONAL, "yuan", "V", 2_000_000, 2_000_000),
    Rule("accident.fine.major.max_yuan", 10_000_000, "事故罚款：重大事故上限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（三）项" + NATIONAL, "yuan", "V", 10_000_000, 10_000_000),
    Rule("accident.fine.especially_major.min_yuan", 10_000_000, "事故罚款：特别重大事故下限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（四）项：处一千万元以上二千万元以下的罚款" + NATIONAL, "yuan", "V",
         10_000_000, 10_000_000),
    Rule("accident.fine.especially_major.max_yuan", 20_000_000, "事故罚款：特别重大事故上限（元）",
         WORK_SAFETY_LAW + "第一百一十四条第一款第（四）项" + NATIONAL, "yuan", "V", 20_000_000, 20_000_000),
    Rule("accident.fine.aggravated.min_multiple", 2, "事故罚款：情节特别严重、影响特别恶劣的最低倍数",
         WORK_SAFETY_LAW + "第一百一十四条第二款：按照前款罚款数额的二倍以上五倍以下" + NATIONAL, "count", "V", 2, 2),
    Rule("accident.fine.aggravated.max_multiple", 5, "事故罚款：情节特别严重、影响特别恶劣的最高倍数",
         WORK_SAFETY_LAW + "第一百一十四条第二款" + NATIONAL, "count", "V", 5, 5),
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
