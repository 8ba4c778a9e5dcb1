"""A case through every step by the services: audit per step, out-of-order steps refused, the discretion range
enforced, scope (the enterprise and the territory only from 告知 on; another district never), §112, §113 and
publication."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import Hazard

from .. import selectors, services
from ..models import Case, CaseStatus, ClosureProposal, PenaltyPublication
from .world import COURT, REVIEW_ORGAN, advance, fresh, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


def visible(w, username, case) -> bool:
    return Case.objects.visible_to(w["users"][username]).filter(pk=case.pk).exists()


def test_a_case_from_filing_to_closure_writes_one_audit_event_per_step(eworld):
    case = open_case(eworld)
    assert case.status == CaseStatus.PENDING_APPROVAL and case.organ == eworld["yingji"]
    assert [i.cert_no for i in case.inspectors.all()] == [eworld["users"]["zhifa_a"].person.enforcement_cert_no]
    case = advance(eworld, case, CaseStatus.CLOSED, legal=True)
    assert case.filed_on == datetime.date(2026, 11, 22)  # 23:30 in Shanghai is still the 22nd
    actions = list(AuditEvent.objects.filter(model_key="case", object_id=case.pk).order_by("seq").values_list("action", flat=True))
    assert actions == ["case.open", "case.approve", "case.add_inspector", "case.add_evidence", "case.submit_review",
                       "case.review", "case.legal_review", "case.notify", "case.decide", "case.serve",
                       "case.record_payment", "case.close"]
    assert selectors.decided_fine(case) == Decimal("20000.00")


def test_out_of_order_steps_are_refused_with_the_status_named(eworld):
    u = eworld["users"]
    case = open_case(eworld)
    with pytest.raises(Conflict, match="立案待审批"):
        services.case_decide(actor=u["juzhang"], case=case, version=case.version, data={
            "decision_kind": "fine", "fine_amount": "1000", "decision_basis": "x", "review_organ": REVIEW_ORGAN, "court": COURT})
    with pytest.raises(Conflict, match="立案待审批"):
        services.case_notify(actor=u["zhifa_a"], case=case, version=case.version, data={
            "proposed_kind": "warning", "proposed_basis": "x"})
    case = advance(eworld, case, CaseStatus.DECIDED)
    with pytest.raises(Conflict, match="已决定"):
        services.case_withdraw(actor=u["juzhang"], case=case, version=case.version, data={"reason": "不该撤"})
    assert selectors.decided_fine(fresh(case)) == Decimal("20000.00")


def test_review_needs_two_inspectors_with_certificates_and_evidence(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.INVESTIGATING)
    with pytest.raises(Invalid) as err:
        services.case_submit_review(actor=u["zhifa_a"], case=case, version=case.version)
    assert "第四十二条" in str(err.value.errors)
    case = fresh(case)
    with pytest.raises(Invalid) as err:  # 应急管理局 staff without a 执法证
        services.case_add_inspector(actor=u["zhifa_a"], case=case, version=case.version, person_id=u["yingji"].person_id)
    assert "执法证" in str(err.value.errors)


@pytest.mark.parametrize("amount, ok", [("16666.67", True), ("16666.66", False), ("33333.33", True), ("33333.34", False)])
def test_a_decision_must_stay_within_the_band_of_its_circumstances(eworld, amount, ok):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED, amount="33333.33")
    data = {"decision_kind": "fine", "fine_amount": amount, "decision_basis": "第九十九条", "review_organ": REVIEW_ORGAN,
            "court": COURT, "circumstance": "general"}
    if ok:
        assert services.case_decide(actor=u["juzhang"], case=case, version=case.version, data=data).fine_amount == Decimal(amount)
    else:
        with pytest.raises(Invalid) as err:
            services.case_decide(actor=u["juzhang"], case=case, version=case.version, data=data)
        assert "第九十九条" in str(err.value.errors)


def test_a_fine_above_the_article_is_refused_naming_it_and_never_above_what_was_notified(eworld):
    u = eworld["users"]
    with pytest.raises(Invalid) as err:
        advance(eworld, open_case(eworld), CaseStatus.NOTIFIED, amount="50000.01")
    assert "超出《安全生产法》第九十九条第（一）项规定的范围" in str(err.value.errors)
    case = Case.objects.filter(status=CaseStatus.TO_NOTIFY).order_by("-pk").first()
    case = advance(eworld, case, CaseStatus.NOTIFIED, amount="20000")
    with pytest.raises(Invalid, match=""):
        services.case_decide(actor=u["juzhang"], case=case, version=case.version, data={
            "decision_kind": "fine", "fine_amount": "25000", "decision_basis": "x", "review_organ": REVIEW_ORGAN, "court": COURT})


def test_the_enterprise_and_the_territory_see_a_case_only_from_notification_and_another_district_never(eworld):
    case = open_case(eworld)
    hidden_until_notified = ["qiye_e", "jiedao_b", "anweiban", "shi_anweiban"]
    for name in ["zhifa_a", "zhifa_b", "juzhang", "fazhi", "yingji"]:
        assert visible(eworld, name, case), name
    for name in [*hidden_until_notified, "linqu_juzhang", "linqu_anweiban", "jiedao_a", "zhujian", "qiye_a", "qiye_b"]:
        assert not visible(eworld, name, case), name
    with pytest.raises(NotFound):
        services.case_record_statement(actor=eworld["users"]["qiye_e"], case=case, version=case.version,
                                       data={"kind": "statement", "text": "申辩"})
    case = advance(eworld, case, CaseStatus.NOTIFIED)
    for name in hidden_until_notified:
        assert visible(eworld, name, case), name
    for name in ["linqu_juzhang", "linqu_anweiban", "jiedao_a", "zhujian", "qiye_a", "qiye_b"]:
        assert not visible(eworld, name, case), name
    statement = services.case_record_statement(actor=eworld["users"]["qiye_e"], case=case, version=case.version,
                                               data={"kind": "statement", "text": "已整改，请求从轻"})
    assert statement.by_party


def test_a_street_cannot_open_a_case_and_a_head_of_another_district_cannot_approve(eworld):
    with pytest.raises(Forbidden):
        open_case(eworld, by="jiedao_b")
    with pytest.raises(Invalid):  # 住建局 does not regulate the chemical plant
        open_case(eworld, by="zhujian")
    case = open_case(eworld)
    with pytest.raises(NotFound):
        services.case_approve(actor=eworld["users"]["linqu_juzhang"], case=case, version=case.version)
    with pytest.raises(Forbidden):  # an inspector does not approve
        services.case_approve(actor=eworld["users"]["zhifa_b"], case=case, version=case.version)


def test_a_hearing_request_must_be_heard_before_the_decision(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED, amount="50000", circumstance="heavier")  # ≥ 5万: the unit's hearing threshold
    assert case.hearing_right
    services.case_record_statement(actor=u["qiye_e"], case=case, version=case.version, data={"kind": "hearing_request", "text": "要求听证"})
    case = fresh(case)
    data = {"decision_kind": "fine", "fine_amount": "50000", "decision_basis": "x", "review_organ": REVIEW_ORGAN, "court": COURT,
            "circumstance": "heavier"}
    with pytest.raises(Conflict, match="听证"):
        services.case_decide(actor=u["juzhang"], case=case, version=case.version, data=data)
    services.case_record_statement(actor=u["zhifa_a"], case=case, version=case.version, data={"kind": "hearing_record", "text": "听证笔录"})
    case = fresh(case)
    assert services.case_decide(actor=u["juzhang"], case=case, version=case.version, data=data).status == CaseStatus.DECIDED


def test_first_offence_is_recorded_with_its_reason_and_no_fine(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED)
    with pytest.raises(Invalid):
        services.case_decide(actor=u["juzhang"], case=case, version=case.version, data={
            "decision_kind": "first_offence", "review_organ": REVIEW_ORGAN, "court": COURT})
    case = services.case_decide(actor=u["juzhang"], case=case, version=case.version, data={
        "decision_kind": "first_offence", "no_penalty_reason": "初次违法、危害后果轻微并及时改正", "review_organ": REVIEW_ORGAN,
        "court": COURT})
    assert selectors.decided_fine(case) is None and case.fine_amount is None


def test_withdrawal_keeps_the_case_with_its_reason(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.REVIEWING)
    with pytest.raises(Invalid):
        services.case_withdraw(actor=u["juzhang"], case=case, version=case.version, data={"reason": ""})
    case = services.case_withdraw(actor=u["juzhang"], case=case, version=case.version, data={"reason": "违法主体认定错误"})
    assert fresh(case).status == CaseStatus.WITHDRAWN and fresh(case).withdraw_reason == "违法主体认定错误"


def test_on_the_spot_limits(eworld):
    u = eworld["users"]
    base = {"source_kind": "report", "site": eworld["S_B"].pk, "cause": "警示标志缺失", "facts": "缺失",
            "decision_basis": "第九十九条", "review_organ": REVIEW_ORGAN, "court": COURT, "decision_kind": "fine"}
    assert services.case_decide_on_spot(actor=u["zhifa_a"], data={**base, "fine_amount": "3000"}).status == CaseStatus.SERVED
    with pytest.raises(Invalid, match=""):
        services.case_decide_on_spot(actor=u["zhifa_a"], data={**base, "fine_amount": "3000.01"})
    person = {**base, "party_kind": "person", "party_name": "王五"}
    assert services.case_decide_on_spot(actor=u["zhifa_a"], data={**person, "fine_amount": "200"}).fine_amount == Decimal(200)
    with pytest.raises(Invalid):
        services.case_decide_on_spot(actor=u["zhifa_a"], data={**person, "fine_amount": "200.01"})


def test_late_payment_adds_three_percent_a_day_capped_at_the_fine(eworld):
    case = advance(eworld, open_case(eworld), CaseStatus.SERVED, amount="10000", circumstance="lighter")
    due = selectors.clocks_of(case)[-1].due
    assert due == datetime.date(2026, 12, 7)  # served 2026-11-22 + 15 days
    from ..services.cases import amounts_owed

    assert amounts_owed(case, due)["late_fee"] == Decimal("0.00")
    assert amounts_owed(case, due + datetime.timedelta(days=1))["late_fee"] == Decimal("300.00")
    assert amounts_owed(case, due + datetime.timedelta(days=33))["late_fee"] == Decimal("9900.00")
    assert amounts_owed(case, due + datetime.timedelta(days=34))["late_fee"] == Decimal("10000.00")
    assert amounts_owed(case, due + datetime.timedelta(days=400))["balance"] == Decimal("20000.00")


def test_daily_fine_of_section_112_runs_from_the_day_after_the_order(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.SERVED, amount="10000", circumstance="lighter")
    case = services.case_record_correction(actor=u["zhifa_a"], case=case, version=case.version, data={
        "correction_ordered_on": "2026-11-12", "correction_refused": True})
    assert selectors.daily_fine_of(case) == (10, Decimal("100000.00"))
    case = services.case_record_correction(actor=u["zhifa_a"], case=case, version=case.version, data={
        "correction_ordered_on": "2026-11-12", "correction_refused": True, "corrected_on": "2026-11-13"})
    assert selectors.daily_fine_of(case) == (1, Decimal("10000.00"))


def test_publication_is_public_until_withdrawn_and_records_whether_on_time(eworld, client):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.DECIDED)
    pub = services.publication_create(actor=u["juzhang"], case=case)
    assert pub.on_time and pub.party_name == eworld["E_B"].name
    with pytest.raises(Conflict):
        services.publication_create(actor=u["juzhang"], case=case)
    with pytest.raises(Forbidden):
        services.publication_create(actor=u["zhifa_a"], case=case)
    page = client.get("/public/penalties/")
    assert page.status_code == 200 and eworld["E_B"].name in page.content.decode()
    services.publication_withdraw(actor=u["juzhang"], publication=pub, reason="决定经复议被撤销")
    assert PenaltyPublication.objects.get(pk=pub.pk).withdrawn_at is not None
    assert str(pub.pk) not in [str(p.pk) for p in selectors.public_penalties()]


def test_publication_late_after_seven_working_days(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.DECIDED)
    # decided 2026-11-22 (Sunday): the 7th working day after is 2026-12-01
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        assert not services.publication_create(actor=u["juzhang"], case=case).on_time


def _decided_on(w, day: datetime.date) -> Case:
    case = advance(w, open_case(w), CaseStatus.DECIDED)
    Case.objects.filter(pk=case.pk).update(decision_on=day)
    return fresh(case)


def test_section_113_proposal_lists_the_cases_and_needs_a_major_hazard(eworld):
    u = eworld["users"]
    on = datetime.date(2026, 11, 22)
    for days in (180, 90, 0):
        _decided_on(eworld, on - datetime.timedelta(days=days))
    status = services.repeat_status(eworld["E_B"], on)
    assert status.ground and len(status.cases) >= 3
    if not status.major_hazards:
        with pytest.raises(Invalid) as err:
            services.closure_propose(actor=u["juzhang"], enterprise_id=eworld["E_B"].pk, on=on)
        assert "重大事故隐患" in str(err.value.errors)
        Hazard.objects.filter(pk=eworld["H_B"].pk).update(level=HazardLevel.MAJOR)
    with pytest.raises(Forbidden):
        services.closure_propose(actor=u["zhifa_a"], enterprise_id=eworld["E_B"].pk, on=on)
    proposal = services.closure_propose(actor=u["juzhang"], enterprise_id=eworld["E_B"].pk, on=on)
    assert ClosureProposal.objects.filter(pk=proposal.pk).exists() and proposal.cases.count() >= 3
    assert eworld["H_B"].pk in proposal.major_hazards
    with pytest.raises(Forbidden):
        services.closure_decide(actor=u["zhifa_a"], proposal_id=proposal.pk, decision="提请")
    with pytest.raises(NotFound):
        services.closure_decide(actor=u["linqu_juzhang"], proposal_id=proposal.pk, decision="提请")
    decided = services.closure_decide(actor=u["juzhang"], proposal_id=proposal.pk, decision="提请区人民政府予以关闭")
    assert decided.decided_by == u["juzhang"]
    with pytest.raises(Conflict):
        services.closure_decide(actor=u["juzhang"], proposal_id=proposal.pk, decision="不提请")
