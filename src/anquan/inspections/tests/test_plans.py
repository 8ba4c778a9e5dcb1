"""Plans: targets by territory/industry/colour, issuing tasks, inspectors, grants and the hidden-until rule."""
import datetime

import pytest
import time_machine

from anquan.accounts.models import Grant
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.tests.factories import make_user
from anquan.enterprises.models import Site
from anquan.inspections.models import Inspection, InspectionPlan, PlanStatus
from anquan.inspections.services import plans

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


@pytest.fixture
def w():
    w = pw.build()
    w["checklist"] = pw.published(w["admin"], "工贸通用检查表")
    return w


def data(w, **extra):
    return {"name": "12月检查计划", "kind": "territorial", **pw.PERIOD, "checklists": [w["checklist"].pk], **extra}


def test_targets_by_territory_industry_and_colour(w):
    plan = plans.plan_create(actor=w["anweiban"], data=data(w))
    live = {w["site_a"].pk, w["site_a2"].pk, w["site_b"].pk, w["site_c"].pk, w["shop"].pk}
    assert set(plans.plan_sites(plan).values_list("pk", flat=True)) == live  # not the closed firm's site
    street = plans.plan_create(actor=w["anweiban"], data=data(w, territory=w["tree"].street_a.pk, industries=["industry_trade"]))
    assert set(plans.plan_sites(street).values_list("pk", flat=True)) == {w["site_a"].pk, w["site_a2"].pk}
    red = plans.plan_create(actor=w["anweiban"], data=data(w, risk_colours=["red", "orange"]))
    assert set(plans.plan_sites(red).values_list("pk", flat=True)) == {w["site_a"].pk, w["site_a2"].pk, w["site_c"].pk}
    blue = plans.plan_create(actor=w["anweiban"], data=data(w, risk_colours=["blue"]))
    assert set(plans.plan_sites(blue).values_list("pk", flat=True)) == {w["shop"].pk}  # an unrated site counts as blue
    # A department's plan reaches only what it regulates.
    zj = plans.plan_create(actor=w["zhujian"], data=data(w, kind="industry"))
    assert set(plans.plan_sites(zj).values_list("pk", flat=True)) == {w["site_c"].pk}
    assert zj.department == w["tree"].zhujian and zj.organiser_unit == w["tree"].district
    # The street: its own territory only.
    st = plans.plan_create(actor=w["street"], data=data(w))
    assert set(plans.plan_sites(st).values_list("pk", flat=True)) == {w["site_a"].pk, w["site_a2"].pk, w["site_c"].pk, w["shop"].pk}


def test_bad_plan_input_gets_chinese_messages(w):
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["street"], data={"name": "", "kind": "nope", "period_start": "2026-13-01",
                                                    "period_end": "x", "territory": w["tree"].street_b.pk,
                                                    "risk_colours": ["pink"], "checklists": ["abc"],
                                                    "industries": ["no-such"], "inspectors_per_task": 99})
    e = err.value.errors
    assert e["name"] == ["请填写计划名称"]
    assert e["kind"] == ["请选择检查类型"]
    assert "开始日期" in e["period_start"][0]
    assert "甲街道" in e["territory"][0]
    assert "红、橙、黄、蓝" in e["risk_colours"][0]
    assert "无效" in e["checklists"][0]
    assert "行业" in e["industries"][0]
    assert "1至10" in e["inspectors_per_task"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["anweiban"], data=data(w, period_start="2026-12-31", period_end="2026-12-01"))
    assert "早于" in err.value.errors["period_end"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["firm_user"], data=data(w, kind="industry"))
    assert "自查" in err.value.errors["kind"][0]
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["street"], data=data(w, kind="unannounced"))
    assert "街道、社区、网格不能组织" in err.value.errors["unannounced"][0]
    with pytest.raises(Forbidden):
        plans.plan_create(actor=w["zf1"], data=data(w))  # an inspector performs, does not plan
    with pytest.raises(Forbidden):
        plans.plan_create(actor=w["expert"], data=data(w))


def test_issue_makes_one_task_per_site_with_parts_inspectors_and_due_date(w):
    plan = plans.plan_create(actor=w["street"], data=data(w, industries=["industry_trade"]))
    with pytest.raises(Invalid) as err:
        plans.plan_issue(actor=w["street"], plan=plan, version=plan.version, inspectors=[])
    assert err.value.errors["inspectors"] == ["请选择检查人员"]
    with pytest.raises(Invalid):  # someone outside the street's pool
        plans.plan_issue(actor=w["street"], plan=plan, version=plan.version, inspectors=[w["zf1"].person_id])
    tasks = plans.plan_issue(actor=w["street"], plan=plan, version=plan.version,
                             inspectors=[w["street"].person_id, w["grid"].person_id])
    assert sorted(t.site_id for t in tasks) == sorted([w["site_a"].pk, w["site_a2"].pk])
    for t in tasks:
        t.refresh_from_db()
        assert t.plan == plan and t.kind == "territorial" and t.status == "planned"
        assert t.due_on == datetime.date(2026, 12, 31) and t.planned_on == datetime.date(2026, 12, 1)
        assert set(t.inspectors.values_list("pk", flat=True)) == {w["street"].person_id, w["grid"].person_id}
        assert [(p.checklist_id, p.department_id, p.unit_id) for p in t.parts.all()] == [(w["checklist"].pk, None, w["tree"].street_a.pk)]
        assert AuditEvent.objects.filter(model_key="inspection", object_id=t.pk, action="create").exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED
    issued = AuditEvent.objects.get(model_key="inspectionplan", object_id=plan.pk, action="issue")
    assert sorted(issued.after["tasks"]) == sorted(t.pk for t in tasks)
    # The grid worker's own grid does not hold site_a2: granted that task and site (the firm is in their grid).
    task_a2 = next(t for t in tasks if t.site_id == w["site_a2"].pk)
    assert {(g.assignment.user_id, g.model_key, g.object_id) for g in Grant.objects.all()} == {
        (w["grid"].pk, "inspection", task_a2.pk), (w["grid"].pk, "site", w["site_a2"].pk)}
    with pytest.raises(Conflict, match="已下达"):
        plans.plan_issue(actor=w["street"], plan=plan, version=plan.version, inspectors=[w["street"].person_id])
    with pytest.raises(Conflict):
        plans.plan_update(actor=w["street"], plan=plan, version=plan.version, data=data(w))


def test_stale_version_is_a_conflict_and_out_of_scope_plan_is_not_found(w):
    plan = plans.plan_create(actor=w["street"], data=data(w))
    with pytest.raises(Conflict):
        plans.plan_update(actor=w["street"], plan=plan, version=plan.version + 5, data=data(w, name="改名"))
    updated = plans.plan_update(actor=w["street"], plan=plan, version=plan.version, data=data(w, name="改名"))
    assert updated.name == "改名"
    with pytest.raises(NotFound):
        plans.plan_issue(actor=w["zhujian"], plan=plan, version=plan.version, inspectors=[])
    assert not InspectionPlan.objects.visible_to(w["other_zj"]).filter(pk=plan.pk).exists()
    assert InspectionPlan.objects.visible_to(w["anweiban"]).filter(pk=plan.pk).exists()
    assert not InspectionPlan.objects.visible_to(w["firm_user"]).filter(pk=plan.pk).exists()


def test_drawn_enforcement_plan_grants_expert_and_out_of_scope_inspectors(w):
    """A 安委办 expert plan: the drawn expert and inspectors get time-bounded grants on what their scope misses."""
    plan = plans.plan_create(actor=w["anweiban"], data=data(w, kind="expert", territory=w["tree"].street_a.pk,
                                                              industries=["construction"], inspectors_per_task=2))
    pool = {w["expert"].person_id, w["zf1"].person_id}
    candidates = plans.pool_candidates(plan)
    assert pool <= set(candidates)
    assert w["other_zj"].person_id not in candidates and w["firm_user"].person_id not in candidates
    drawn = plans.plan_draw(actor=w["anweiban"], plan=plan, version=plan.version, seed=7, target_count=5, pool=sorted(pool))
    assert [r["site"] for r in drawn.result] == [w["site_c"].pk]
    plan.refresh_from_db()
    [task] = plans.plan_issue(actor=w["anweiban"], plan=plan, version=plan.version)
    assert set(task.inspectors.values_list("pk", flat=True)) == pool
    until = datetime.datetime(2027, 1, 31, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    expert_grants = Grant.objects.filter(assignment__user=w["expert"])
    assert {(g.model_key, g.object_id) for g in expert_grants} == {
        ("inspection", task.pk), ("site", w["site_c"].pk), ("enterprise", w["firm_c"].pk)}
    assert all(g.valid_to == until and "专家" in g.reason and plan.name in g.reason for g in expert_grants)
    # zf1 (应急管理局) does not regulate the construction firm: granted too.
    assert {g.model_key for g in Grant.objects.filter(assignment__user=w["zf1"])} == {"inspection", "site", "enterprise"}
    # Now they see the task and its site; until the grant ends.
    assert Inspection.objects.visible_to(w["expert"]).filter(pk=task.pk).exists()
    assert Site.objects.visible_to(w["zf1"]).filter(pk=w["site_c"].pk).exists()
    with time_machine.travel("2027-02-01 00:00 +0800"):
        w["expert"].__dict__.pop("_anquan_assignments", None)
        assert not Inspection.objects.visible_to(w["expert"]).filter(pk=task.pk).exists()


def test_unannounced_plan_hidden_from_enterprise_and_chain_until_performed(w):
    plan = plans.plan_create(actor=w["yingji"], data=data(w, kind="unannounced", territory=w["tree"].street_a.pk,
                                                          industries=["industry_trade"], inspectors_per_task=2))
    assert plan.unannounced
    tasks = plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version,
                             inspectors=[w["zf1"].person_id, w["zf2"].person_id])
    ids = [t.pk for t in tasks]
    for user in ("firm_user", "street", "grid"):
        assert not Inspection.objects.visible_to(w[user]).filter(pk__in=ids).exists(), user
        assert not InspectionPlan.objects.visible_to(w[user]).filter(pk=plan.pk).exists(), user
    assert Inspection.objects.visible_to(w["zf1"]).filter(pk__in=ids).count() == 2
    assert Inspection.objects.visible_to(w["anweiban"]).filter(pk__in=ids).count() == 2
    Inspection.objects.filter(pk=ids[0]).update(performed_at=datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC))
    assert list(Inspection.objects.visible_to(w["street"]).filter(pk__in=ids).values_list("pk", flat=True)) == [ids[0]]


def test_street_person_named_for_an_unannounced_visit_sees_own_task(w):
    plan = plans.plan_create(actor=w["anweiban"], data=data(w, kind="unannounced", territory=w["tree"].street_a.pk,
                                                            industries=["construction"]))
    [task] = plans.plan_issue(actor=w["anweiban"], plan=plan, version=plan.version,
                              inspectors=[w["anweiban"].person_id, w["grid"].person_id])
    assert Inspection.objects.visible_to(w["grid"]).filter(pk=task.pk).exists()  # named: granted
    assert not Inspection.objects.visible_to(w["street"]).filter(pk=task.pk).exists()  # not named: hidden


def test_enforcement_issue_needs_two_certified_inspectors(w):
    plan = plans.plan_create(actor=w["yingji"], data=data(w, kind="industry", enforcement=True, industries=["hazchem"]))
    assert w["yingji"].person_id not in plans.pool_candidates(plan)  # no 执法证
    with pytest.raises(Invalid):
        plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version, inspectors=[w["zf1"].person_id])
    [task] = plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version,
                              inspectors=[w["zf1"].person_id, w["zf2"].person_id])
    assert task.enforcement


def test_self_inspection_plan_of_an_enterprise(w):
    plan = plans.plan_create(actor=w["firm_user"], data=data(w, kind="self"))
    assert plan.enterprise == w["firm_a"]
    assert set(plans.plan_sites(plan).values_list("pk", flat=True)) == {w["site_a"].pk, w["site_a2"].pk}
    assert set(plans.pool_candidates(plan)) == {w["firm_user"].person_id}
    tasks = plans.plan_issue(actor=w["firm_user"], plan=plan, version=plan.version, inspectors=[w["firm_user"].person_id])
    assert len(tasks) == 2 and all(t.kind == "self" for t in tasks)
    # The enterprise's territory oversees its self-inspection plans; another district's department does not see them.
    assert InspectionPlan.objects.visible_to(w["street"]).filter(pk=plan.pk).exists()
    assert not InspectionPlan.objects.visible_to(w["other_zj"]).filter(pk=plan.pk).exists()


def test_reassigning_a_task_moves_the_grants(w):
    plan = plans.plan_create(actor=w["anweiban"], data=data(w, kind="expert", territory=w["tree"].street_a.pk,
                                                              industries=["construction"]))
    [task] = plans.plan_issue(actor=w["anweiban"], plan=plan, version=plan.version,
                              inspectors=[w["expert"].person_id, w["anweiban"].person_id])
    second = make_user("expert", username="t_expert2")
    task.refresh_from_db()
    with pytest.raises(NotFound):  # the district's plan is out of an inspector's reach
        plans.task_assign(actor=w["zf1"], inspection=task, version=task.version, inspectors=[second.person_id])
    plans.task_assign(actor=w["anweiban"], inspection=task, version=task.version,
                      inspectors=[second.person_id, w["anweiban"].person_id], reason="原专家回避")
    assert set(task.inspectors.values_list("pk", flat=True)) == {second.person_id, w["anweiban"].person_id}
    assert not Inspection.objects.visible_to(w["expert"]).filter(pk=task.pk).exists()  # grants revoked
    assert Inspection.objects.visible_to(second).filter(pk=task.pk).exists()
    assert Grant.objects.filter(assignment__user=w["expert"], revoked_at__isnull=False).count() == 3
    event = AuditEvent.objects.get(model_key="inspection", object_id=task.pk, action="assign")
    assert event.reason == "原专家回避" and event.after["revoked_grants"] == 3
    assert event.before["inspectors"] == sorted([w["expert"].person_id, w["anweiban"].person_id])
    with pytest.raises(Conflict):  # stale version
        plans.task_assign(actor=w["anweiban"], inspection=task, version=task.version - 1, inspectors=[second.person_id])
    Inspection.objects.filter(pk=task.pk).update(status="in_progress")
    task.refresh_from_db()
    with pytest.raises(Conflict, match="已开始"):
        plans.task_assign(actor=w["anweiban"], inspection=task, version=task.version, inspectors=[second.person_id])


def test_reassigning_a_drawn_task_needs_a_reason(w):
    plan = plans.plan_create(actor=w["yingji"], data=data(w, kind="industry", enforcement=True, industries=["hazchem"]))
    plans.plan_draw(actor=w["yingji"], plan=plan, version=plan.version, seed=3, target_count=1,
                    pool=[w["zf1"].person_id, w["zf2"].person_id, w["zf3"].person_id])
    plan.refresh_from_db()
    [task] = plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version)
    task.refresh_from_db()
    with pytest.raises(Invalid) as err:
        plans.task_assign(actor=w["yingji"], inspection=task, version=task.version,
                          inspectors=[w["zf1"].person_id, w["zf3"].person_id])
    assert "理由" in err.value.errors["reason"][0]
    with pytest.raises(Invalid) as err:
        plans.task_assign(actor=w["yingji"], inspection=task, version=task.version, inspectors=[w["zf1"].person_id],
                          reason="回避")
    assert "执法证" in err.value.errors["inspectors"][0]
