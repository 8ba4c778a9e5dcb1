"""Every event of the hazard loop and of supervision reaches exactly the people who may act on it, once.

Checked on the permission-matrix world (the demo city's users and the named objects of
``core.tests.matrix_world`` + ``supervision.tests.world``), with the expected recipients written by
hand from the domain (who verifies what the grid found, who approves, which 安委办 …) — not read from
the code under test. Each step asserts the *whole* set of notifications it created (kind, person), so
a notification to anyone else fails it; each is then replayed (the same service call, or the same
HTTP request) and must add nothing; running the after-commit callbacks a second time must add nothing.
"""
from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.errors import Conflict
from anquan.hazards import services as hz
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.notifications.models import Notification
from anquan.rules.calendar import today
from anquan.supervision import services as sv
from anquan.supervision.models import Finding
from anquan.supervision.tests.world import build_supervision_world

pytestmark = pytest.mark.django_db


def png():
    from anquan.core.tests.matrix_world import png as make

    return make()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end; each test runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_supervision_world()
        Notification.objects.all().delete()  # what building the world told people is not under test
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run a service call as one committed request; returns {(kind, username)} of the notifications it created.

    After the first run the after-commit callbacks are run once more (a redelivered event): nothing new may appear.
    """
    def run(call):
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = call()
        made = set(Notification.objects.filter(pk__gt=before).values_list("kind", "user__username"))
        count = Notification.objects.count()
        for callback in callbacks:
            callback()
        assert Notification.objects.count() == count, "a replayed event notified again"
        return made, result
    return run


def replayed(step, call) -> set:
    """The same service call again: refused by the service, and nobody is told anything."""
    def again():
        with pytest.raises(Conflict):
            call()
    made, _ = step(again)
    return made


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def u(world, name):
    return world["users"][name]


# ---------------------------------------------------------------- recorded at your site


def test_a_hazard_recorded_at_a_firms_site_is_told_to_the_firm(world, step):
    data = {"site": world["S_A"].pk, "source": "grid", "description": "通知测试：消防通道堵塞",
            "deadline": (today() + datetime.timedelta(days=10)).isoformat()}
    made, hazard = step(lambda: hz.hazard_record(actor=u(world, "wangge_a"), data=data, photos=[png()]))
    assert made == {("hazard_recorded", "qiye_a")}
    row = Notification.objects.get(kind="hazard_recorded")
    assert row.target == hazard and row.url == f"/hazards/{hazard.pk}/" and hazard.number in row.title


def test_a_hazard_at_a_place_without_enterprise_is_told_to_the_street_that_rectifies(world, step):
    data = {"site": world["S_R"].pk, "source": "grid", "description": "通知测试：商场安全出口上锁",
            "deadline": (today() + datetime.timedelta(days=10)).isoformat()}
    made, _ = step(lambda: hz.hazard_record(actor=u(world, "wangge_a"), data=data, photos=[png()]))
    assert made == {("hazard_recorded", "jiedao_a")}


def test_a_self_found_hazard_tells_nobody_and_a_major_one_is_reported_to_the_regulator(world, step):
    data = {"site": world["S_A"].pk, "source": "self", "description": "通知测试：自查灭火器过期",
            "deadline": (today() + datetime.timedelta(days=10)).isoformat()}
    made, _ = step(lambda: hz.hazard_record(actor=u(world, "qiye_a"), data=data))
    assert made == set()
    plan = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
                          "plan_timeline", "plan_safety"), "按方案落实")
    data = {"site": world["S_A"].pk, "source": "territorial", "description": "通知测试：高大模板无专项方案",
            "deadline": (today() + datetime.timedelta(days=30)).isoformat(), "criterion": world["CRITERION"].pk, **plan}
    made, _ = step(lambda: hz.hazard_record(actor=u(world, "jiedao_a"), data=data, photos=[png()]))
    assert made == {("hazard_recorded", "qiye_a"), ("major_reported", "zhujian")}


# ---------------------------------------------------------------- submitted → whoever may verify


def _submit(world, name="qiye_a", hazard_key="H_A"):
    hazard = fresh(world[hazard_key])
    return lambda: hz.hazard_submit(actor=u(world, name), hazard=fresh(hazard), version=fresh(hazard).version,
                                    measures_taken="已补设连墙件", after_photos=[png()])


def test_a_submitted_rectification_goes_to_whoever_may_verify_it(world, step):
    # H_A was found by wangge_a's grid: its street verifies (jiedao_a); the 安委办 may too, but is not asked.
    made, rnd = step(_submit(world))
    assert made == {("verification_waiting", "jiedao_a")}
    row = Notification.objects.get(kind="verification_waiting")
    assert row.key == f"verify:h{world['H_A'].pk}:r{rnd.number}:u{u(world, 'jiedao_a').pk}" and "第2轮" in row.title
    assert replayed(step, _submit(world)) == set()


def test_who_is_told_follows_the_posts_held_now(world, step):
    """A colleague newly posted to the street is told too; one whose post ended, or whose account is
    disabled, is not — the rule is the posts in force, not a list of names."""
    import django.utils.timezone as tz

    from anquan.core.tests.factories import add_role, make_user

    street = world["STREET_A"]
    newcomer = make_user("street_staff", unit=street, username="jiedao_a2")
    gone = make_user("street_staff", unit=street, username="jiedao_a_gone")
    type(gone.assignments.get()).objects.filter(user=gone).update(valid_to=tz.now() - datetime.timedelta(minutes=1))
    disabled = make_user("street_staff", unit=street, username="jiedao_a_off")
    type(disabled).objects.filter(pk=disabled.pk).update(is_active=False)
    add_role(make_user("grid_worker", unit=world["G_A"], username="wangge_a2"), "grid_worker", unit=world["G_A"])
    made, _ = step(_submit(world))
    assert made == {("verification_waiting", "jiedao_a"), ("verification_waiting", newcomer.username)}


def test_finding_who_may_verify_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    """One query for the candidates near the hazard, one for their grants, one for the scope of all of them
    (not one per person), and the rule's own reads — however many people hold posts in the district."""
    from anquan.hazards.notice_kinds import overseers

    hazard = Hazard.objects.select_related("grid", "finder_unit").get(pk=world["H_A"].pk)
    with django_assert_max_num_queries(8):
        assert [x.username for x in overseers(hazard)] == ["jiedao_a"]


def test_a_rectification_of_what_the_anweiban_found_goes_to_the_anweiban(world, step):
    # Found by the district 安委办 at a place without enterprise: the street rectifies, and no unit below the
    # finder may verify, so the 安委办 is asked — the district's, not the city's.
    data = {"site": world["S_R"].pk, "source": "territorial", "description": "通知测试：商场消防栓无水",
            "deadline": (today() + datetime.timedelta(days=10)).isoformat()}
    made, hazard = step(lambda: hz.hazard_record(actor=u(world, "anweiban"), data=data, photos=[png()]))
    assert made == {("hazard_recorded", "jiedao_a")}
    made, _ = step(lambda: hz.hazard_submit(actor=u(world, "jiedao_a"), hazard=fresh(hazard), version=fresh(hazard).version,
                                            measures_taken="已恢复供水", after_photos=[png()]))
    assert made == {("verification_waiting", "anweiban")}


def test_verified_and_sent_back_go_to_the_rectifiers(world, step):
    step(_submit(world))
    hazard = fresh(world["H_A"])
    made, _ = step(lambda: hz.hazard_verify(actor=u(world, "jiedao_a"), hazard=hazard, version=hazard.version,
                                            passed=False, reason="连墙件间距仍不符合要求"))
    assert made == {("sent_back", "qiye_a")}
    assert "连墙件间距" in Notification.objects.get(kind="sent_back").title
    step(_submit(world))
    hazard = fresh(world["H_A"])
    made, _ = step(lambda: hz.hazard_verify(actor=u(world, "jiedao_a"), hazard=hazard, version=hazard.version, passed=True))
    assert made == {("hazard_verified", "qiye_a")}
    assert replayed(step, lambda: hz.hazard_verify(actor=u(world, "jiedao_a"), hazard=fresh(hazard),
                                                   version=fresh(hazard).version, passed=True)) == set()


# ---------------------------------------------------------------- extensions


def test_an_extension_request_goes_to_whoever_may_approve_and_the_decision_back(world, step):
    hazard = fresh(world["H_A"])
    new = hazard.deadline_in_force + datetime.timedelta(days=15)
    ask = lambda: hz.extension_request(actor=u(world, "qiye_a"), hazard=fresh(hazard), new_deadline=new, reason="钢管到货延迟")  # noqa: E731
    made, extension = step(ask)
    assert made == {("extension_requested", "jiedao_a")}
    assert f"申请延至{new:%Y-%m-%d}" in Notification.objects.get(kind="extension_requested").title
    assert replayed(step, ask) == set()
    decide = lambda: hz.extension_decide(actor=u(world, "jiedao_a"), extension=fresh(extension),  # noqa: E731
                                         version=fresh(hazard).version, approve=False, reason="理由不充分")
    made, _ = step(decide)
    assert made == {("extension_decided", "qiye_a")}
    assert "未批准" in Notification.objects.get(kind="extension_decided").title
    assert replayed(step, decide) == set()


def test_a_replayed_http_request_for_an_extension_tells_the_approver_once(world, django_capture_on_commit_callbacks):
    hazard = fresh(world["H_A"])
    client = Client()
    client.force_login(u(world, "qiye_a"))
    body = {"new_deadline": (hazard.deadline_in_force + datetime.timedelta(days=9)).isoformat(), "reason": "设备检修",
            "version": hazard.version}
    answers = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post(f"/hazards/{hazard.pk}/extension/", body).status_code)
    assert answers[0] in (200, 302) and answers[1] in (302, 409), answers
    assert set(Notification.objects.values_list("kind", "user__username")) == {("extension_requested", "jiedao_a")}
    assert Notification.objects.count() == 1


# ---------------------------------------------------------------- overdue: explanation, escalation → the 安委办


def test_an_overdue_explanation_and_an_escalation_go_to_the_districts_anweiban(world, step):
    hazard = fresh(world["H_A"])
    Hazard.objects.filter(pk=hazard.pk).update(deadline_in_force=today() - datetime.timedelta(days=3))
    explain = lambda: hz.overdue_explain(actor=u(world, "qiye_a"), hazard=fresh(hazard), text="钢材紧缺，正在调运")  # noqa: E731
    made, _ = step(explain)
    assert made == {("overdue_explained", "anweiban")}  # the district's, not the city's (shi_anweiban)
    made, _ = step(explain)  # the same request again the same day: a second explanation, no second message
    assert made == set()
    escalate = lambda: hz.hazard_escalate(actor=u(world, "jiedao_a"), hazard=fresh(hazard), text="涉及规划调整，需区政府协调")  # noqa: E731
    made, _ = step(escalate)
    assert made == {("hazard_escalated", "anweiban")}
    made, _ = step(escalate)
    assert made == set()


# ---------------------------------------------------------------- listing (挂牌督办)


def test_listing_review_due_and_review_result_reach_the_people_concerned(world, step):
    hazard = fresh(world["H_MAJ"])  # 重大, found by zhujian at qiye_a's site
    deadline = today() + datetime.timedelta(days=40)
    listing_call = lambda: hz.hazard_list(actor=u(world, "anweiban"), hazard=fresh(hazard), version=fresh(hazard).version,  # noqa: E731
                                          document_no="示安委办督〔2026〕9号", deadline=deadline)
    made, listing = step(listing_call)
    # The firm that rectifies and the department that found it (who would verify); not the listing 安委办 itself.
    assert made == {("hazard_listed", "qiye_a"), ("hazard_listed", "zhujian")}
    assert replayed(step, listing_call) == set()
    step(lambda: hz.hazard_submit(actor=u(world, "qiye_a"), hazard=fresh(hazard), version=fresh(hazard).version,
                                  measures_taken="基坑已支护", after_photos=[png()]))
    apply = lambda: hz.listing_apply_resume(actor=u(world, "qiye_a"), listing=fresh(listing), application="整改完毕，申请复工")  # noqa: E731
    made, _ = step(apply)
    assert made == {("listing_review_due", "anweiban")}  # only the listing level reviews
    row = Notification.objects.get(kind="listing_review_due")
    assert row.target == ListedSupervision.objects.get(pk=listing.pk) and "前审查" in row.title
    assert replayed(step, apply) == set()
    review = lambda: hz.listing_review(actor=u(world, "anweiban"), listing=fresh(listing), passed=False, opinion="支护未验收")  # noqa: E731
    made, _ = step(review)
    assert made == {("listing_reviewed", "qiye_a")}
    assert replayed(step, review) == set()


# ---------------------------------------------------------------- supervision findings


def test_a_finding_goes_to_the_supervised_unit_and_its_report_to_the_group(world, step):
    check = fresh(world["CHK_Y"])  # GRP's check of the 应急管理局 (yingji), draft
    add = lambda: sv.finding_add(actor=u(world, "ducha"), check=fresh(check), data={  # noqa: E731
        "description": "执法检查计划未覆盖危化企业", "demand": "十日内补充计划", "deadline_days": 10})
    made, finding = step(add)
    assert made == {("finding_raised", "yingji")}
    assert Notification.objects.get(kind="finding_raised").url == f"/supervision/findings/{finding.pk}/"
    report = lambda: sv.finding_report(actor=u(world, "yingji"), finding=fresh(finding), version=fresh(finding).version,  # noqa: E731
                                       measures="已补充计划")
    made, _ = step(report)
    assert made == {("finding_reported", "ducha")}  # the group's member; its 安委办 only when it has none
    assert replayed(step, report) == set()
    back = lambda: sv.finding_send_back(actor=u(world, "ducha"), finding=fresh(finding), version=fresh(finding).version,  # noqa: E731
                                        reason="计划未经审批")
    made, _ = step(back)
    assert made == {("finding_sent_back", "yingji")}
    assert replayed(step, back) == set()


def test_a_finding_of_a_street_goes_to_its_staff(world, step):
    check = sv.check_create(actor=u(world, "ducha"), group=fresh(world["GRP"]), data={
        "unit": world["STREET_A"].pk, "checked_on": today(), "answers": {}})
    made, _ = step(lambda: sv.finding_add(actor=u(world, "ducha"), check=check, data={
        "description": "出租房台账缺失", "demand": "建立台账", "deadline_days": 15}))
    assert made == {("finding_raised", "jiedao_a")}
    assert Finding.objects.filter(check_record=check).count() == 1
