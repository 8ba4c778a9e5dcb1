"""联合检查: one visit, several departments' checklists; each department sees and owns its part."""
import pytest
import time_machine

from anquan.core.errors import Invalid
from anquan.inspections.models import Inspection, InspectionPart
from anquan.inspections.services import plans

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        w = pw.build()
        w["fire"] = pw.published(w["yingji"], "应急局：工贸通用检查表")
        w["build"] = pw.published(w["zhujian"], "住建局：建筑施工检查表")
        yield w


def joint(w, **extra):
    t = w["tree"]
    data = {"name": "甲街道联合检查", "kind": "joint", **pw.PERIOD, "territory": t.street_a.pk,
            "industries": ["construction"], "checklists": [w["fire"].pk, w["build"].pk],
            "joint_departments": [t.yingji.pk, t.zhujian.pk], **extra}
    return plans.plan_create(actor=w["anweiban"], data=data)


def test_one_visit_with_a_part_per_department(w):
    t = w["tree"]
    plan = joint(w)  # parts default to each checklist's owning department
    assert plan.part_departments == {str(w["fire"].pk): t.yingji.pk, str(w["build"].pk): t.zhujian.pk}
    assert w["zf1"].person_id in plans.pool_candidates(plan)  # joint departments' people are in the pool
    [task] = plans.plan_issue(actor=w["anweiban"], plan=plan, version=plan.version,
                              inspectors=[w["zf1"].person_id, w["zhujian"].person_id])
    assert task.site == w["site_c"] and task.kind == "joint"  # the enterprise is visited once
    parts = {p.department_id: p.checklist_id for p in task.parts.all()}
    assert parts == {t.yingji.pk: w["fire"].pk, t.zhujian.pk: w["build"].pk}
    # 应急管理局 does not regulate the construction firm, yet sees the visit in which it owns a part.
    assert Inspection.objects.visible_to(w["yingji"]).filter(pk=task.pk).exists()
    assert Inspection.objects.visible_to(w["zhujian"]).filter(pk=task.pk).exists()
    # A department with no part (邻区住建局) does not; nor does an unrelated district department of a fresh visit.
    assert not Inspection.objects.visible_to(w["other_zj"]).filter(pk=task.pk).exists()
    # Each department's own part is the one with its department.
    mine = InspectionPart.objects.filter(inspection=task, department=t.yingji).get()
    assert mine.checklist == w["fire"]


def test_joint_needs_two_departments_and_every_checklist_an_owner(w):
    t = w["tree"]
    with pytest.raises(Invalid) as err:
        joint(w, joint_departments=[t.yingji.pk])
    assert "至少要有两个部门" in err.value.errors["joint_departments"][0]
    other = pw.published(w["admin"], "系统通用检查表")
    with pytest.raises(Invalid) as err:
        joint(w, checklists=[w["fire"].pk, w["build"].pk, other.pk])
    assert "系统通用检查表" in err.value.errors[f"part_departments.{other.pk}"][0]
    plan = joint(w, checklists=[w["fire"].pk, w["build"].pk, other.pk],
                 part_departments={str(other.pk): t.zhujian.pk})
    assert plan.part_departments[str(other.pk)] == t.zhujian.pk
    with pytest.raises(Invalid) as err:  # a department with no checklist of its own
        joint(w, checklists=[w["build"].pk])
    assert "应急管理局" in err.value.errors["part_departments"][0]
    with pytest.raises(Invalid) as err:  # another district's department is not ours to invite
        joint(w, joint_departments=[t.yingji.pk, t.other_zhujian.pk])
    assert "本辖区" in err.value.errors["joint_departments"][0]
