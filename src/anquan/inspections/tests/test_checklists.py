"""Checklist templates: drafts, publishing (immutable), new versions that never change past inspections,
retiring, and who may see, use and manage which template."""
import pytest
import time_machine

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.hazards.models import ChecklistItem, ChecklistKind
from anquan.inspections.models import Answer
from anquan.inspections.services import checklists as cl
from anquan.inspections.services import plans

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield pw.build()


def test_versioning_never_changes_past_inspections(w):
    v1 = pw.published(w["yingji"], "工贸通用检查表", n=2)
    with pytest.raises(Conflict, match="新版本"):
        cl.checklist_update(actor=w["yingji"], checklist=v1, data={"name": "改", "items": pw.items(1)})
    plan = plans.plan_create(actor=w["yingji"], data={"name": "计划", "kind": "industry", **pw.PERIOD,
                                                      "checklists": [v1.pk], "industries": ["industry_trade"]})
    tasks = plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version, inspectors=[w["zf1"].person_id])
    part = tasks[0].parts.get()
    old_item = v1.items.order_by("sort").first()
    Answer.objects.create(part=part, item=old_item, result="nonconform", answered_by=w["zf1"], answered_at="2026-12-02T10:00+08:00")

    v2 = cl.checklist_new_version(actor=w["yingji"], checklist=v1)
    assert (v2.code, v2.version, v2.status) == (v1.code, 2, "draft")
    assert list(v2.items.values_list("number", "text")) == list(v1.items.values_list("number", "text"))
    with pytest.raises(Conflict, match="草稿"):
        cl.checklist_new_version(actor=w["yingji"], checklist=v1)
    cl.checklist_update(actor=w["yingji"], checklist=v2, data={"name": "工贸通用检查表（2027版）", "items": pw.items(4, "新")})
    cl.checklist_publish(actor=w["yingji"], checklist=v2)
    v1.refresh_from_db()
    assert v1.status == "retired" and v2.items.count() == 4
    # The past inspection still points at version 1 and its unchanged item.
    part.refresh_from_db()
    assert part.checklist_id == v1.pk
    assert Answer.objects.get(part=part).item.text == old_item.text == "工贸通用检查表第1项"
    assert v1.items.count() == 2
    # New plans can only use version 2.
    assert set(cl.usable_checklists(w["yingji"]).filter(code=v1.code).values_list("version", flat=True)) == {2}
    actions = list(AuditEvent.objects.filter(model_key="checklist").order_by("id").values_list("action", flat=True))
    assert actions == ["create", "publish", "new_version", "update", "publish"]


def test_bad_template_input_gets_chinese_messages_and_publish_needs_items(w):
    with pytest.raises(Invalid) as err:
        cl.checklist_create(actor=w["admin"], data={"name": "", "industry": "nope", "items": [
            {"number": "1", "text": ""}, {"number": "1", "text": "x", "suggested_level": "huge", "category": 999999,
                                          "major_criterion": "abc"}, "junk"]})
    e = err.value.errors
    assert e["name"] == ["请填写检查表名称"] and "行业" in e["industry"][0]
    assert "检查内容" in e["items.0.text"][0] and "重复" in e["items.1.number"][0]
    assert "一般或重大" in e["items.1.suggested_level"][0] and "隐患类别" in e["items.1.category"][0]
    assert "判定标准" in e["items.1.major_criterion"][0] and "格式" in e["items.2"][0]
    empty = cl.checklist_create(actor=w["admin"], data={"name": "空表"})
    with pytest.raises(Invalid, match="提交的数据有误"):
        cl.checklist_publish(actor=w["admin"], checklist=empty)
    with pytest.raises(Invalid):
        cl.checklist_retire(actor=w["admin"], checklist=pw.published(w["admin"], "要废止的表"), reason=" ")


def test_major_criterion_item_is_major(w):
    from anquan.hazards.catalogue_data import seed_catalogue

    seed_catalogue()
    criterion = ChecklistItem.objects.filter(checklist__kind=ChecklistKind.MAJOR_CRITERIA, checklist__status="published").first()
    checklist = cl.checklist_create(actor=w["admin"], data={"name": "含重大判定项", "items": [
        {"number": "1", "text": "有限空间作业审批", "major_criterion": criterion.pk}]})
    item = checklist.items.get()
    assert item.major_criterion == criterion and item.suggested_level == "major" and item.category == criterion.category


def test_higher_level_template_is_usable_below_and_drafts_stay_with_their_managers(w):
    system = pw.published(w["admin"], "系统检查表")
    district = pw.published(w["anweiban"], "区安委办检查表")
    dept = pw.published(w["zhujian"], "住建局检查表")
    draft = cl.checklist_create(actor=w["zhujian"], data={"name": "住建局草稿", "items": pw.items(1)})
    assert district.owner_unit == w["tree"].district and dept.owner_department == w["tree"].zhujian
    usable_street = set(cl.usable_checklists(w["street"]).values_list("pk", flat=True))
    assert {system.pk, district.pk, dept.pk} <= usable_street and draft.pk not in usable_street
    usable_other = set(cl.usable_checklists(w["other_zj"]).values_list("pk", flat=True))
    assert system.pk in usable_other and district.pk not in usable_other and dept.pk not in usable_other
    assert draft.pk in set(cl.visible_checklists(w["zhujian"]).values_list("pk", flat=True))
    with pytest.raises(NotFound):
        cl.get_checklist(w["yingji"], draft.pk)
    with pytest.raises(NotFound):
        cl.get_checklist(w["other_zj"], district.pk)
    assert not cl.visible_checklists(w["expert"]).exists()
    # Managing: the owner only; a street sees the district's list but may not change it.
    with pytest.raises(Forbidden):
        cl.checklist_new_version(actor=w["street"], checklist=district)
    with pytest.raises(Forbidden):
        cl.checklist_new_version(actor=w["yingji"], checklist=dept)
    with pytest.raises(Forbidden):
        cl.checklist_retire(actor=w["anweiban"], checklist=dept, reason="不用了")
    with pytest.raises(Forbidden):
        cl.checklist_create(actor=w["street"], data={"name": "x"})
    cl.checklist_retire(actor=w["zhujian"], checklist=dept, reason="标准更新")
    assert dept.pk not in set(cl.usable_checklists(w["street"]).values_list("pk", flat=True))
    assert dept.pk in set(cl.visible_checklists(w["street"]).values_list("pk", flat=True))
    # A plan cannot take a template out of reach.
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["other_zj"], data={"name": "x", "kind": "industry", **pw.PERIOD, "checklists": [district.pk]})
    assert "检查表" in err.value.errors["checklists"][0]


def test_seeded_templates_are_published_linked_and_idempotent(w):
    from anquan.hazards.catalogue_data import seed_catalogue
    from anquan.hazards.models import Checklist
    from anquan.inspections.checklist_data import TEMPLATES, seed_checklists

    seed_catalogue()
    seed_checklists()
    again = seed_checklists()
    assert again["items_created"] == 0
    names = set(Checklist.objects.filter(kind="inspection", owner_unit__isnull=True, status="published")
                .values_list("name", flat=True))
    assert {"消防安全检查表（通用）", "城镇燃气用户安全检查表", "建筑施工安全检查表", "工贸企业安全生产检查表（通用）"} <= names
    for t in TEMPLATES:
        checklist = Checklist.objects.get(code=t.code, version=1)
        items = list(checklist.items.select_related("category", "major_criterion__checklist"))
        assert len(items) == len(t.items) >= 10
        assert all(i.category is not None and i.basis and i.how_to_check for i in items), t.code
        for spec, item in zip(t.items, sorted(items, key=lambda i: i.sort), strict=False):
            if spec.criterion:
                assert (item.major_criterion.checklist.code, item.major_criterion.number) == spec.criterion
                assert item.suggested_level == "major"
    gm = Checklist.objects.get(code="jc_gm")
    assert gm.items.filter(major_criterion__isnull=False).count() == 7
    # Usable by everyone below the system level, e.g. a street.
    assert cl.usable_checklists(w["street"]).filter(code="jc_fire").exists()
