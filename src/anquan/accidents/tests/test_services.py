"""The services on the named world at a frozen 23:30 Shanghai: grading and legs at report, each leg due, met and
missed, 补报 windows (day 30 vs 31, 7 vs 8, a window ending on a holiday), regrading 1 → 3 deaths (较大: new
investigating level and legs), the investigation to 批复, evaluation, 四不放过 and close, and who may do what."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import get_visible

from .. import services
from ..choices import AccidentStatus, GovLevel
from ..models import Accident, CasualtyAddition, LevelChange
from .world import report_data

SH = ZoneInfo("Asia/Shanghai")
MOMENT = "2026-11-22 23:30 +0800"
pytestmark = [pytest.mark.frozen(MOMENT), pytest.mark.django_db]


def t(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


def fresh(accident) -> Accident:
    return Accident.objects.get(pk=accident.pk)


def legs(accident) -> dict:
    return {row["level"]: row for row in services.legs_view(fresh(accident))}


def add(actor, accident, **figures):
    accident = fresh(accident)
    data = {"deaths": accident.deaths, "missing": accident.missing, "serious_injuries": accident.serious_injuries,
            "injuries": accident.injuries, "direct_loss_yuan": accident.direct_loss_yuan, **figures}
    return services.accident_add_casualties(actor=actor, accident=accident, version=accident.version, data=data)


# ---------------------------------------------------------------- report


def test_report_grades_and_opens_the_legs_the_grade_requires(aworld):
    acc = fresh(aworld["ACC_A"])
    assert (acc.level, acc.level_name, acc.status) == ("general", "一般", AccidentStatus.REPORTED)
    assert acc.unit_path.startswith(aworld["G_A"].path) and acc.enterprise == aworld["E_A"]
    assert "统一社会信用代码" in acc.unit_profile  # pre-filled from the enterprise ledger
    rows = legs(acc)
    assert list(rows) == [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY]
    unit, county, city = rows["unit"], rows["county"], rows["city"]
    assert unit["due_at"] == t("2026-11-22T23:30")  # learned 22:30 + 1 hour
    assert unit["forwarded_at"] == t("2026-11-22T23:30") and not unit["late"]  # the enterprise's own report, at the due minute
    assert county["received_at"] == t("2026-11-22T23:30") and county["due_at"] == t("2026-11-23T01:30")
    assert county["unit"] == "示范区" and not county["outside_territory"]
    assert city["is_top"] and city["due_at"] is None and not city["late"]
    assert acc.investigation.body_level == GovLevel.COUNTY and acc.investigation.body_unit.name == "示范区"
    assert acc.investigation.due_on == datetime.date(2027, 1, 21)
    assert acc.late_addition_until == datetime.date(2026, 12, 22)
    assert list(acc.level_changes.values_list("from_level", "to_level")) == [("", "general")]


def test_a_leg_due_met_and_missed(aworld):
    users = aworld["users"]
    acc_b = aworld["ACC_B"]  # filed by the street: the unit itself has not reported yet
    assert legs(acc_b)["unit"]["forwarded_at"] is None and not legs(acc_b)["unit"]["late"]  # due 23:30: not yet late
    with time_machine.travel(t("2026-11-22T23:31"), tick=False):
        assert legs(acc_b)["unit"]["late"]  # missed by a minute
        leg = fresh(acc_b).legs.get(level=GovLevel.UNIT)
        services.leg_forward(actor=users["jiedao_b"], leg=leg, forwarded_at=t("2026-11-22T23:20"))
        assert not legs(acc_b)["unit"]["late"]  # the unit had reported at 23:20: met
    acc_a = aworld["ACC_A"]
    county = fresh(acc_a).legs.get(level=GovLevel.COUNTY)
    with time_machine.travel(t("2026-11-23T01:30"), tick=False):
        assert not legs(acc_a)["county"]["late"]
    with time_machine.travel(t("2026-11-23T01:31"), tick=False):
        assert legs(acc_a)["county"]["late"]
        services.leg_forward(actor=users["anweiban"], leg=county)
        rows = legs(acc_a)
        assert rows["county"]["late"] and rows["county"]["forwarded_at"] == t("2026-11-23T01:31")  # passed on late: stays late
        assert rows["city"]["received_at"] == t("2026-11-23T01:31")  # inside the tree: the city has it at that moment
        with pytest.raises(Conflict):
            services.leg_forward(actor=users["anweiban"], leg=county)  # recorded once


def test_passed_on_at_the_due_minute_is_in_time(aworld):
    county = fresh(aworld["ACC_A"]).legs.get(level=GovLevel.COUNTY)
    with time_machine.travel(t("2026-11-23T02:00"), tick=False):
        services.leg_forward(actor=aworld["users"]["yingji"], leg=county, forwarded_at=t("2026-11-23T01:30"))
        assert not legs(aworld["ACC_A"])["county"]["late"]


def test_a_street_cannot_record_the_districts_leg(aworld):
    county = fresh(aworld["ACC_A"]).legs.get(level=GovLevel.COUNTY)
    with pytest.raises(Forbidden, match="示范区"):
        services.leg_forward(actor=aworld["users"]["jiedao_a"], leg=county)
    with pytest.raises(NotFound):
        services.leg_forward(actor=aworld["users"]["jiedao_b"], leg=county)  # not even visible: never sideways


def test_informing_the_four_bodies(aworld):
    county = fresh(aworld["ACC_A"]).legs.get(level=GovLevel.COUNTY)
    services.leg_inform(actor=aworld["users"]["anweiban"], leg=county, party="公安机关")
    assert "公安机关" in legs(aworld["ACC_A"])["county"]["informed"]
    with pytest.raises(Invalid):
        services.leg_inform(actor=aworld["users"]["anweiban"], leg=county, party="报社")


def test_reporting_needs_the_permission_and_a_place_in_scope(aworld):
    users = aworld["users"]
    with pytest.raises(Forbidden):
        services.accident_report(actor=users["wangge_a"], data=report_data(aworld["S_A"]))
    with pytest.raises(Invalid) as refused:
        services.accident_report(actor=users["jiedao_a"], data=report_data(aworld["S_B"]))
    assert "site" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], occurred_at=t("2026-11-23T08:00")))
    assert "occurred_at" in refused.value.errors


def test_the_same_client_key_reports_once(aworld):
    users = aworld["users"]
    first = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"]), client_key="phone-1")
    again = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"]), client_key="phone-1")
    assert first.pk == again.pk


# ---------------------------------------------------------------- 补报 and regrading


def test_regrade_one_to_three_deaths_within_the_window(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    county = fresh(acc).legs.get(level=GovLevel.COUNTY)
    services.leg_forward(actor=users["anweiban"], leg=county)  # 23:30: the city received it (top for 一般)
    with time_machine.travel(t("2026-11-27T10:00"), tick=False):
        addition = add(users["qiye_a"], acc, deaths=3)
        acc = fresh(acc)
        assert (addition.level_before, addition.level_after) == ("general", "larger")
        assert (acc.level, acc.level_name, acc.deaths) == ("larger", "较大", 3)
        assert list(acc.level_changes.values_list("from_level", "to_level")) == [("", "general"), ("general", "larger")]
        assert acc.investigation.body_level == GovLevel.CITY and acc.investigation.body_unit.name == "示范市"  # 第十九条、第二十条
        rows = legs(acc)
        assert list(rows) == [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY, GovLevel.PROVINCE]
        assert not rows["city"]["is_top"] and rows["province"]["is_top"]
        # the city must now pass it on within 2 hours of learning the new level, not of its first receipt
        assert rows["city"]["due_at"] == t("2026-11-27T12:00")
        assert rows["province"]["unit"] == "示范省"
    with time_machine.travel(t("2026-11-28T10:00"), tick=False):
        assert legs(acc)["city"]["late"]


def test_window_day_30_accepted_day_31_refused(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    with time_machine.travel(t("2026-12-22T23:59"), tick=False):
        add(users["qiye_a"], acc, deaths=2)  # day 30
    with time_machine.travel(t("2026-12-23T00:00"), tick=False):
        with pytest.raises(Invalid) as refused:
            add(users["qiye_a"], acc, deaths=3)  # day 31
    message = refused.value.errors["changed_at"][0]
    assert "2026年12月22日" in message and "第十三条" in message
    assert fresh(acc).deaths == 2 and fresh(acc).level == "general"


def test_road_traffic_window_day_7_accepted_day_8_refused(aworld):
    users = aworld["users"]
    road = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], kind="vehicle", is_road_traffic=True, deaths=1))
    assert road.late_addition_until == datetime.date(2026, 11, 29)
    with time_machine.travel(t("2026-11-29T12:00"), tick=False):
        add(users["qiye_a"], road, deaths=2)
    with time_machine.travel(t("2026-11-30T00:01"), tick=False):
        with pytest.raises(Invalid) as refused:
            add(users["qiye_a"], road, deaths=3)
    assert "2026年11月29日" in refused.value.errors["changed_at"][0] and "7日" in refused.value.errors["changed_at"][0]


def test_fire_window_is_seven_days_too(aworld):
    fire = services.accident_report(actor=aworld["users"]["qiye_a"], data=report_data(aworld["S_A"], kind="fire", is_fire=True))
    assert fire.late_addition_until == datetime.date(2026, 11, 29)


def test_a_window_ending_on_a_holiday_is_not_extended(aworld):
    users = aworld["users"]
    old = services.accident_report(actor=users["qiye_a"], data=report_data(
        aworld["S_A"], occurred_at=t("2026-09-01T10:00"), learned_at=t("2026-09-01T10:05"), deaths=1))
    assert old.late_addition_until == datetime.date(2026, 10, 1)  # 国庆节: not moved to the next working day
    add(users["qiye_a"], old, deaths=2, changed_at=t("2026-10-01T20:00"))
    with pytest.raises(Invalid) as refused:
        add(users["qiye_a"], old, deaths=3, changed_at=t("2026-10-02T09:00"))
    assert "2026年10月01日" in refused.value.errors["changed_at"][0]


def test_additions_are_refused_when_nothing_changes_or_the_version_is_stale(aworld):
    users = aworld["users"]
    acc = fresh(aworld["ACC_A"])
    with pytest.raises(Invalid):
        add(users["qiye_a"], acc)
    with pytest.raises(Conflict):
        services.accident_add_casualties(actor=users["qiye_a"], accident=acc, version=acc.version + 5,
                                         data={"deaths": 2})
    assert not CasualtyAddition.objects.filter(accident=acc).exists()
    with pytest.raises(Forbidden):
        add(users["wangge_a"], acc, deaths=2)  # a grid worker sees it but does not file 补报


def test_a_level_going_down_keeps_the_history(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    add(users["qiye_a"], acc, deaths=3)
    add(users["qiye_a"], acc, deaths=2, note="一人经抢救脱险，核减")
    acc = fresh(acc)
    assert acc.level == "general" and acc.investigation.body_level == GovLevel.COUNTY
    assert LevelChange.objects.filter(accident=acc).count() == 3
    assert list(legs(acc)) == [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY]  # the province leg stays recorded, not required


# ---------------------------------------------------------------- investigation to close


def _submit(actor, acc):
    inv = fresh(acc).investigation
    parts = {p: f"{p}内容" for p in ("report_unit_profile", "report_course", "report_casualties_loss", "report_cause_nature",
                                     "report_responsibility", "report_measures")}
    return services.investigation_submit_report(actor=actor, investigation=inv, version=inv.version, data=parts)


def test_investigation_to_approval_evaluation_and_close(aworld):
    users = aworld["users"]
    acc = aworld["ACC_B"]
    inv = fresh(acc).investigation
    with pytest.raises(Forbidden):
        services.investigation_form_team(actor=users["jiedao_b"], investigation=inv, version=inv.version, data={"team_leader": "王"})
    inv = services.investigation_form_team(actor=users["yingji"], investigation=inv, version=inv.version, data={
        "team_leader": "区应急管理局副局长", "team_members": [{"name": "张工", "unit": "区住建局", "role": "技术组"}]})
    assert fresh(acc).status == AccidentStatus.INVESTIGATING
    period = services.appraisal_start(actor=users["yingji"], investigation=inv, version=inv.version,
                                      started_on=datetime.date(2026, 11, 22), subject="储罐检测")
    with time_machine.travel(t("2026-12-02T10:00"), tick=False):
        services.appraisal_end(actor=users["yingji"], appraisal=period, ended_on=datetime.date(2026, 12, 2))
    inv = fresh(acc).investigation
    assert inv.due_on == datetime.date(2027, 1, 31)  # 60 days + 10 days of appraisal not counted
    with pytest.raises(Invalid):
        services.investigation_extend(actor=users["yingji"], investigation=inv, version=inv.version, days=61,
                                      reason="案情复杂", approved_by="示范区人民政府", approved_on="2026-11-22")
    inv = services.investigation_extend(actor=users["yingji"], investigation=inv, version=inv.version, days=60,
                                        reason="案情复杂", approved_by="示范区人民政府", approved_on="2026-11-22")
    assert inv.due_on == datetime.date(2027, 4, 1)
    with pytest.raises(Conflict):
        services.investigation_extend(actor=users["yingji"], investigation=inv, version=inv.version, days=1,
                                      reason="再延", approved_by="示范区人民政府", approved_on="2026-11-22")
    inv = fresh(acc).investigation
    with pytest.raises(Invalid) as missing:
        services.investigation_submit_report(actor=users["yingji"], investigation=inv, version=inv.version,
                                             data={"report_course": "经过"})
    assert "第三十条" in str(missing.value.errors)
    inv = _submit(users["yingji"], acc)
    assert inv.approval_due_on == datetime.date(2026, 12, 7)  # 15 days
    with pytest.raises(Conflict):
        services.approval_extend(actor=users["yingji"], investigation=inv, version=inv.version, days=10)  # 特别重大 only
    inv = services.investigation_approve(actor=users["anweiban"], investigation=inv, version=inv.version,
                                         approved_on="2026-11-22", approval_number="示政复〔2026〕1号")
    assert inv.evaluation_due_on == datetime.date(2027, 11, 22) and fresh(acc).status == AccidentStatus.APPROVED
    acc = fresh(acc)
    with pytest.raises(Conflict, match="四不放过"):
        services.accident_close(actor=users["anweiban"], accident=acc, version=acc.version)
    for item in ("cause", "responsible", "measures"):
        services.four_nots_record(actor=users["yingji"], accident=acc, item=item, evidence=f"{item}：见调查报告")
    with pytest.raises(Conflict, match="有关人员未受到教育不放过"):
        services.accident_close(actor=users["anweiban"], accident=fresh(acc), version=fresh(acc).version)
    services.four_nots_record(actor=users["yingji"], accident=acc, item="educated", evidence="全员警示教育，签到表存档")
    with pytest.raises(Forbidden):
        services.accident_close(actor=users["yingji"], accident=fresh(acc), version=fresh(acc).version)
    closed = services.accident_close(actor=users["anweiban"], accident=fresh(acc), version=fresh(acc).version)
    assert closed.status == AccidentStatus.CLOSED
    with pytest.raises(Conflict):
        add(users["jiedao_b"], acc, serious_injuries=3)
    inv = fresh(acc).investigation
    inv = services.evaluation_record(actor=users["yingji"], investigation=inv, version=inv.version, evaluated_on="2026-11-22",
                                     summary="整改措施已落实", published_on="2026-11-22", published_where="区政府网站")
    assert inv.evaluation_published_on == datetime.date(2026, 11, 22)


def test_a_larger_accident_is_investigated_by_the_city(aworld):
    users = aworld["users"]
    acc = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], deaths=3))
    inv = acc.investigation
    assert inv.body_level == GovLevel.CITY
    with pytest.raises(Forbidden, match="示范市"):
        services.investigation_form_team(actor=users["anweiban"], investigation=inv, version=inv.version, data={"team_leader": "甲"})
    services.investigation_form_team(actor=users["shi_anweiban"], investigation=inv, version=inv.version, data={"team_leader": "甲"})


def test_only_a_casualty_free_general_accident_may_be_entrusted_to_the_unit(aworld):
    users = aworld["users"]
    inv = fresh(aworld["ACC_A"]).investigation
    with pytest.raises(Invalid) as refused:
        services.investigation_form_team(actor=users["anweiban"], investigation=inv, version=inv.version,
                                         data={"team_leader": "甲", "entrust_to_unit": True})
    assert "第十九条" in refused.value.errors["entrust_to_unit"][0]
    loss_only = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], direct_loss_yuan=50000))
    inv = loss_only.investigation
    inv = services.investigation_form_team(actor=users["anweiban"], investigation=inv, version=inv.version,
                                           data={"team_leader": "企业负责人", "entrust_to_unit": True})
    assert inv.entrusted_to_unit


def test_especially_major_approval_is_thirty_days_extendable_by_thirty(aworld):
    users = aworld["users"]
    acc = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], deaths=30))
    assert acc.level == "especially_major" and acc.investigation.body_level == GovLevel.NATIONAL
    assert acc.investigation.body_unit is None
    assert legs(acc)["national"]["outside_territory"]
    inv = acc.investigation
    with pytest.raises(Forbidden):  # the district cannot act for the State Council
        services.investigation_form_team(actor=users["anweiban"], investigation=inv, version=inv.version, data={"team_leader": "甲"})
    top = users["shi_anweiban"]  # the top of the demo tree is the province; no province account: refused too
    with pytest.raises(Forbidden):
        services.investigation_form_team(actor=top, investigation=inv, version=inv.version, data={"team_leader": "甲"})


def test_late_finding_against_the_enterprise(aworld):
    users = aworld["users"]
    acc = fresh(aworld["ACC_B"])
    leg = acc.legs.get(level=GovLevel.UNIT)
    finding = services.late_finding_record(actor=users["yingji"], accident=acc, data={
        "kind": "late", "against_enterprise": aworld["E_B"].pk, "leg": leg.pk, "description": "单位负责人未在1小时内报告"})
    assert finding.against == aworld["E_B"]
    with pytest.raises(Invalid):
        services.late_finding_record(actor=users["yingji"], accident=acc, data={
            "kind": "late", "against_enterprise": aworld["E_A"].pk, "description": "不是该事故的单位"})


def test_scope_is_never_sideways(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    for who in ("anweiban", "shi_anweiban", "jiedao_a", "wangge_a", "qiye_a", "zhujian", "yingji"):
        assert get_visible(Accident.objects, users[who], acc.pk)
    for who in ("jiedao_b", "linqu_anweiban", "qiye_b", "xiaofang", "zhuanjia", "ducha", "admin"):
        with pytest.raises(NotFound):
            get_visible(Accident.objects, users[who], acc.pk)


def test_reporting_notifies_the_chain_and_regulators(aworld, django_capture_on_commit_callbacks):
    from anquan.notifications.models import Notification

    users = aworld["users"]
    with django_capture_on_commit_callbacks(execute=True):
        acc = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], deaths=1))
    told = set(Notification.objects.filter(kind="accident_reported", target_id=acc.pk).values_list("user__username", flat=True))
    assert {"anweiban", "jiedao_a", "zhujian", "yingji", "shi_anweiban"} <= told
    assert not told & {"jiedao_b", "linqu_anweiban", "qiye_a", "wangge_a"}


def test_a_level_outside_the_tree_is_recorded_from_the_county_up(aworld):
    users = aworld["users"]
    acc = services.accident_report(actor=users["qiye_a"], data=report_data(aworld["S_A"], deaths=10))
    assert acc.level == "major"
    rows = legs(acc)
    assert list(rows) == [GovLevel.UNIT, GovLevel.COUNTY, GovLevel.CITY, GovLevel.PROVINCE, GovLevel.NATIONAL]
    assert rows["national"]["outside_territory"] and rows["national"]["is_top"]
    national = fresh(acc).legs.get(level=GovLevel.NATIONAL)
    with pytest.raises(Forbidden):
        services.leg_receive(actor=users["jiedao_a"], leg=national, received_at=t("2026-11-22T23:25"))
    services.leg_receive(actor=users["shi_anweiban"], leg=national, received_at=t("2026-11-22T23:25"), note="据省应急厅通报")
    assert legs(acc)["national"]["received_at"] == t("2026-11-22T23:25")
