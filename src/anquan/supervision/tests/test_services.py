"""Supervision services: the finding state table (table + property tests), deadlines from Shanghai's today
(23:30 and 00:30 there), member grants in step with the group, single-assignment rules, one audit event a change."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.accounts.models import Grant, User
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.hazards.models import Hazard
from anquan.orgs.models import OrgUnit

from .. import services
from ..models import Finding, FindingStatus, SupervisionCheck, SupervisionGroup, finding_is_overdue, finding_overdue_q
from ..services import TRANSITIONS, next_status

SH = ZoneInfo("Asia/Shanghai")


def user(username: str) -> User:
    """A fresh user each time: assignments and grants are cached on the user object for a request."""
    return User.objects.get(username=username)
P, R, C = FindingStatus.PENDING, FindingStatus.REPORTED, FindingStatus.CONFIRMED


def at_shanghai(y, m, d, hour, minute=0):
    return time_machine.travel(datetime.datetime(y, m, d, hour, minute, tzinfo=SH), tick=False)


# ---------------------------------------------------------------- the state table, written out by hand

EXPECTED = {
    (P, "report"): R, (P, "confirm"): None, (P, "send_back"): None,
    (R, "report"): None, (R, "confirm"): C, (R, "send_back"): P,
    (C, "report"): None, (C, "confirm"): None, (C, "send_back"): None,
}


@pytest.mark.parametrize(("status", "verb"), sorted(EXPECTED))
def test_transition_table(status, verb):
    finding = Finding(status=status)
    want = EXPECTED[(status, verb)]
    if want is None:
        with pytest.raises(Conflict) as exc:
            next_status(finding, verb)
        assert "当前状态为" in exc.value.message
    else:
        assert next_status(finding, verb) == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(TRANSITIONS)), max_size=12))
def test_any_sequence_of_verbs_follows_the_rules(verbs):
    """Whatever is tried, a finding is only confirmed after a report, never leaves 已确认, and each
    report is followed by exactly one verdict before the next report."""
    finding = Finding(status=P)
    reports = verdicts = 0
    for verb in verbs:
        before = finding.status
        try:
            finding.status = next_status(finding, verb)
        except Conflict:
            assert finding.status == before
            continue
        if verb == "report":
            reports += 1
        else:
            verdicts += 1
        assert before != C
    assert reports - verdicts in (0, 1)
    assert (finding.status == R) == (reports - verdicts == 1)


# ---------------------------------------------------------------- deadlines and overdue in Asia/Shanghai


def test_overdue_rule_by_hand():
    f = Finding(status=P, deadline=datetime.date(2026, 3, 10))
    assert not finding_is_overdue(f, datetime.date(2026, 3, 10))  # the deadline day itself is in time
    assert finding_is_overdue(f, datetime.date(2026, 3, 11))
    f.status = R  # reported: the group's clock, not the unit's lateness
    assert not finding_is_overdue(f, datetime.date(2026, 3, 11))


@pytest.mark.django_db
def test_deadline_counts_from_shanghai_today_at_2330(sworld):
    w = sworld
    # 23:30 in Shanghai on 10 March is 15:30 UTC the same day; at 00:30 on 11 March it is still 10 March in UTC.
    with at_shanghai(2026, 3, 10, 23, 30):
        finding = services.finding_add(actor=user("anweiban"), check=w["CHK_Y"], data={
            "description": "问题", "demand": "整改", "deadline_days": "10"})
    assert finding.deadline == datetime.date(2026, 3, 20)  # a Friday, a working day
    overdue = Finding.objects.filter(pk=finding.pk)
    with at_shanghai(2026, 3, 20, 23, 30):
        assert not overdue.filter(finding_overdue_q(services.today())).exists()
        assert "已逾期" not in _finding_page(w, finding)
    with at_shanghai(2026, 3, 21, 0, 30):  # UTC still says 20 March
        assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2026, 3, 20)
        assert overdue.filter(finding_overdue_q(services.today())).exists()
        assert "已逾期" in _finding_page(w, finding)
        listed = _findings_list(w)
        assert listed.index(f"/supervision/findings/{finding.pk}/") < listed.index(f"/supervision/findings/{w['FND_Y'].pk}/")


def _finding_page(w, finding) -> str:
    from django.test import Client

    c = Client()
    c.force_login(user("anweiban"))
    return c.get(f"/supervision/findings/{finding.pk}/").content.decode()


def _findings_list(w) -> str:
    from django.test import Client

    c = Client()
    c.force_login(user("anweiban"))
    return c.get("/supervision/findings/").content.decode()


@pytest.mark.django_db
def test_deadline_ending_in_the_national_day_holiday_moves_to_the_next_working_day(sworld):
    with at_shanghai(2026, 9, 1, 23, 30):
        finding = services.finding_add(actor=user("anweiban"), check=sworld["CHK_Y"], data={
            "description": "问题", "demand": "整改", "deadline_days": 30})
    # 1 Sept + 30 days = 1 Oct, inside the 2026 National Day holiday (1–7 Oct): moved to 8 Oct.
    assert finding.deadline == datetime.date(2026, 10, 8)


@pytest.mark.django_db
def test_report_after_the_deadline_is_recorded_as_late(sworld):
    w = sworld
    finding = Finding.objects.get(pk=w["FND_A"].pk)
    day = finding.deadline + datetime.timedelta(days=1)
    with at_shanghai(day.year, day.month, day.day, 0, 10):
        services.finding_report(actor=user("jiedao_a"), finding=finding, version=finding.version, measures="已整改")
    assert finding.rounds.get().on_time is False


# ---------------------------------------------------------------- grants of the members


@pytest.mark.django_db
def test_members_grants_follow_the_group(sworld):
    w = sworld
    group = SupervisionGroup.objects.get(pk=w["GRP"].pk)
    ducha = user("ducha").assignments.get()
    grants = Grant.objects.active().filter(assignment=ducha)
    assert set(grants.values_list("model_key", "object_id")) == {
        ("supervisiongroup", group.pk), ("orgunit", w["STREET_A"].pk), ("department", w["YINGJI"].pk)}
    end = datetime.datetime.combine(group.period_end + datetime.timedelta(days=1), datetime.time(), tzinfo=SH)
    assert {g.valid_to for g in grants} == {end}
    # A unit already checked stays in the group's range.
    with pytest.raises(Invalid) as exc:
        services.group_update(actor=user("anweiban"), group=group, version=group.version, data={"departments": []})
    assert exc.value.errors == {"departments": ["已有督查记录的部门不能从督查范围中移除"]}
    # Widening to another street grants it; narrowing again revokes only that grant.
    other = OrgUnit.objects.filter(kind="street", district_id=w["STREET_A"].district_id).exclude(pk=w["STREET_A"].pk).first()
    group = services.group_update(actor=user("anweiban"), group=group, version=group.version,
                                  data={"streets": [w["STREET_A"].pk, other.pk]})
    assert Grant.objects.active().filter(assignment=ducha, model_key="orgunit", object_id=other.pk).exists()
    group = services.group_update(actor=user("anweiban"), group=group, version=group.version, data={"streets": [w["STREET_A"].pk]})
    assert not Grant.objects.active().filter(assignment=ducha, model_key="orgunit", object_id=other.pk).exists()
    assert Grant.objects.active().filter(assignment=ducha, model_key="orgunit", object_id=w["STREET_A"].pk).exists()
    # Removing the member revokes everything; the member no longer sees the group or its findings.
    member = group.members.get(person=user("ducha").person)
    services.member_remove(actor=user("anweiban"), group=group, member_id=member.pk, version=group.version, reason="工作调整")
    assert not Grant.objects.active().filter(assignment=ducha).exists()
    user("ducha").__dict__.pop("_anquan_assignments", None)
    assert not Finding.objects.visible_to(user("ducha")).exists()


@pytest.mark.django_db
def test_grants_end_with_the_period_in_shanghai(sworld):
    w = sworld
    last = w["GRP"].period_end
    with at_shanghai(last.year, last.month, last.day, 23, 30):
        assert SupervisionCheck.objects.visible_to(user("ducha")).filter(pk=w["CHK_A"].pk).exists()
    nxt = last + datetime.timedelta(days=1)
    with at_shanghai(nxt.year, nxt.month, nxt.day, 0, 30):
        assert not SupervisionCheck.objects.visible_to(user("ducha")).exists()
        assert not SupervisionGroup.objects.visible_to(user("ducha")).exists()


@pytest.mark.django_db
def test_closing_the_group_revokes_grants(sworld):
    w = sworld
    group = SupervisionGroup.objects.get(pk=w["GRP"].pk)
    services.group_update(actor=user("anweiban"), group=group, version=group.version, data={"status": "closed"})
    assert not Grant.objects.active().filter(reason__startswith=f"督查组#{group.pk}：").exists()
    with pytest.raises(Conflict):
        services.check_create(actor=user("anweiban"), group=group, data={"unit": w["STREET_A"].pk, "checked_on": services.today()})


@pytest.mark.django_db
def test_member_without_account_gets_no_grant(sworld):
    from anquan.accounts.models import Person

    w = sworld
    group = SupervisionGroup.objects.get(pk=w["GRP"].pk)
    person = Person.objects.create(name="外聘专家", unit=w["STREET_A"])
    before = Grant.objects.count()
    member = services.member_add(actor=user("anweiban"), group=group, version=group.version,
                                 data={"person": person.pk, "role": "expert"})
    assert member.assignment is None and Grant.objects.count() == before


# ---------------------------------------------------------------- who may do what (beyond the matrix)


@pytest.mark.django_db
def test_only_the_forming_anweiban_manages_a_group(sworld):
    w = sworld
    # The city 安委办 is above the district: it may; the 邻区 one does not even see the group.
    group = SupervisionGroup.objects.get(pk=w["GRP"].pk)
    services.group_update(actor=user("shi_anweiban"), group=group, version=group.version, data={"task": "市级调度"})
    with pytest.raises(NotFound):
        services.group_update(actor=user("linqu_anweiban"), group=group, version=group.version, data={"task": "x"})
    # jiedao_a sees the group (it supervises its street) but may not manage it or record its checks.
    with pytest.raises(Forbidden):
        services.member_add(actor=user("jiedao_a"), group=group, version=group.version, data={"person": 1, "role": "member"})
    with pytest.raises(Forbidden):
        services.check_create(actor=user("jiedao_a"), group=group, data={"unit": w["STREET_A"].pk, "checked_on": services.today()})


@pytest.mark.django_db
def test_a_check_is_of_a_unit_of_the_group_within_its_period(sworld):
    w = sworld
    group, ducha = w["GRP"], user("ducha")
    other_street = OrgUnit.objects.filter(kind="street", district_id=w["STREET_A"].district_id).exclude(pk=w["STREET_A"].pk).first()
    with pytest.raises(Invalid) as exc:
        services.check_create(actor=ducha, group=group, data={"unit": other_street.pk, "checked_on": services.today()})
    assert exc.value.errors["unit"] == ["该街道（乡镇）不在本组的督查范围内"]
    with pytest.raises(Invalid) as exc:
        services.check_create(actor=ducha, group=group, data={"unit": w["STREET_A"].pk,
                                                              "checked_on": group.period_start - datetime.timedelta(days=1)})
    assert "督查日期应在督查期内" in exc.value.errors["checked_on"][0]
    with pytest.raises(Invalid) as exc:
        services.check_create(actor=ducha, group=group, data={"unit": w["STREET_A"].pk, "department": w["YINGJI"].pk,
                                                              "checked_on": services.today()})
    assert "请选择一个被督查的街道（乡镇）或部门" in exc.value.errors["unit"][0]


@pytest.mark.django_db
def test_only_the_supervised_unit_reports(sworld):
    w = sworld
    finding = Finding.objects.get(pk=w["FND_A"].pk)
    for name, error in (("jiedao_b", NotFound), ("yingji", NotFound), ("ducha", Forbidden), ("anweiban", Forbidden)):
        with pytest.raises(error):
            services.finding_report(actor=w["users"][name], finding=finding, version=finding.version, measures="x")
    finding_y = Finding.objects.get(pk=w["FND_Y"].pk)
    with pytest.raises(Forbidden):  # the department reported; it cannot confirm its own fix
        services.finding_confirm(actor=user("yingji"), finding=finding_y, version=finding_y.version)


@pytest.mark.django_db
def test_every_change_writes_one_audit_event(sworld, django_capture_on_commit_callbacks):
    w = sworld
    finding = Finding.objects.get(pk=w["FND_Y"].pk)
    count = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_send_back(actor=user("ducha"), finding=finding, version=finding.version, reason="核查记录不完整")
    assert AuditEvent.objects.count() == count + 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert (event.action, event.acting_role, event.reason) == ("supervision.finding_send_back", "supervisor", "核查记录不完整")
    assert event.before == {"status": "reported"} and event.after["status"] == "pending"
    assert finding.rounds.get().verdict == "sent_back"
    # The department that reported hears of it, after commit (who else: notifications/tests/test_events.py).
    from anquan.notifications.models import Notification

    assert Notification.objects.filter(user__username="yingji", kind="finding_sent_back", target_id=finding.pk,
                                       url=f"/supervision/findings/{finding.pk}/").exists()


@pytest.mark.django_db
def test_links_out_of_scope_are_refused(sworld):
    w = sworld
    with pytest.raises(Invalid) as exc:
        services.interview_create(actor=user("anweiban"), data={
            "target_enterprise": w["E_A"].pk, "held_on": services.today(), "participants": "x", "content": "y",
            "hazards": [w["H_L"].pk]})
    assert "hazards" in exc.value.errors
    # A department records against enterprises it regulates, not against streets.
    with pytest.raises(Invalid) as exc:
        services.interview_create(actor=user("zhujian"), data={
            "target_unit": w["STREET_A"].pk, "held_on": services.today(), "participants": "x", "content": "y"})
    assert "target_unit" in exc.value.errors
    interview = services.interview_create(actor=user("zhujian"), data={
        "target_enterprise": w["E_A"].pk, "held_on": services.today(), "participants": "x", "content": "y",
        "hazards": [w["H_MAJ"].pk]})
    assert interview.recorder_department == w["departments"]["zhujian"]
    assert Hazard.objects.filter(pk=w["H_MAJ"].pk).exists()


@pytest.mark.django_db
def test_circular_generates_a_numbered_document(sworld):
    from anquan.documents.models import OfficialDocument

    circular = sworld["CIR_A"]
    document = OfficialDocument.objects.get(pk=circular.document_id)
    assert document.kind == "circular" and document.number == circular.document_number
    assert "通报" in document.number and document.title == circular.title
    with pytest.raises(Conflict):
        services.circular_issue_document(actor=user("anweiban"), circular=circular, version=circular.version)


@pytest.mark.parametrize("days", ["abc", "0", "366", "²", "1.5", "-3", True, 2.0, "9" * 40, None, ""])
@pytest.mark.django_db
def test_bad_deadline_days_are_refused_in_chinese(sworld, days):
    with pytest.raises(Invalid) as exc:
        services.finding_add(actor=user("anweiban"), check=sworld["CHK_Y"], data={"description": "问", "demand": "改", "deadline_days": days})
    assert exc.value.errors["deadline_days"][0].startswith(("整改期限应为", "请填写整改期限"))


@pytest.mark.parametrize("raw", [[], "x", {"plan": "yes"}, {"plan": {"answer": ["yes"]}}, {"plan": {"answer": "maybe"}},
                                 {"nope": {"answer": "yes"}}, {"plan": {"answer": "yes", "note": 5}}])
def test_bad_answers_are_refused_in_chinese(raw):
    from ..questions import CURRENT_VERSION, clean_answers

    _, errors = clean_answers(CURRENT_VERSION, raw, complete=False)
    assert errors and all(m for ms in errors.values() for m in ms)


@pytest.mark.django_db
def test_a_member_sees_the_street_and_its_figures_not_its_hazards(sworld):
    """Decision: a grant on the street's org unit does not open its subtree; the member reads the supervised
    unit's figures on the check page (selectors.supervised_figures), not its hazard records."""
    from django.test import Client

    from ..selectors import supervised_figures

    w = sworld
    ducha = user("ducha")
    assert OrgUnit.objects.visible_to(ducha).filter(pk=w["STREET_A"].pk).exists()
    assert not Hazard.objects.visible_to(ducha).exists()
    figures = supervised_figures(SupervisionCheck.objects.get(pk=w["CHK_A"].pk))
    # H_A, H_SELF and H_MAJ lie in street A (H_MAJ is 重大); H_B and H_L do not.
    assert figures["hazards"] >= 3 and figures["major"] >= 1
    street_hazards = set(Hazard.objects.filter(grid_path__startswith=w["STREET_A"].path).values_list("pk", flat=True))
    assert {w["H_A"].pk, w["H_SELF"].pk, w["H_MAJ"].pk} <= street_hazards and w["H_B"].pk not in street_hazards
    c = Client()
    c.force_login(ducha)
    page = c.get(f"/supervision/checks/{w['CHK_A'].pk}/").content.decode()
    assert "被督查单位的隐患排查治理情况" in page
    assert c.get(f"/hazards/{w['H_A'].pk}/").status_code == 404


@pytest.mark.django_db
def test_voiding_a_circular_voids_its_document_and_keeps_the_number(sworld):
    from anquan.documents.models import OfficialDocument

    w = sworld
    circular = w["CIR_A"].__class__.objects.get(pk=w["CIR_A"].pk)
    with pytest.raises(Invalid):
        services.record_void(actor=user("anweiban"), obj=circular, version=circular.version, reason=" ")
    with pytest.raises(Forbidden):  # the city sees it but did not record it
        services.record_void(actor=user("shi_anweiban"), obj=circular, version=circular.version, reason="有误")
    services.record_void(actor=user("anweiban"), obj=circular, version=circular.version, reason="对象有误")
    document = OfficialDocument.objects.get(pk=circular.document_id)
    assert document.voided_at is not None and document.number == circular.document_number
    with pytest.raises(Conflict):
        services.record_void(actor=user("anweiban"), obj=circular, version=circular.version, reason="再次")
    from ..selectors import circular_list

    assert not circular_list(user("anweiban")).filter(pk=circular.pk).exists()
