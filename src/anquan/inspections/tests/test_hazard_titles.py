"""Hazards raised at the completion of an inspection are titled as findings (issue 10, finding 8),
never as the checklist's question ("动火作业是否办理审批…，现场检查不符合要求"): the item's finding
(``ChecklistItem.finding``; every seeded item has one), else the question turned into a statement;
an inspector's own statement is kept as written."""
from __future__ import annotations

import uuid

import pytest

from anquan.hazards.models import ChecklistItem, Hazard
from anquan.hazards.wording import as_finding, hazard_title, is_question
from anquan.inspections.checklist_data import FINDINGS, TEMPLATES

from .test_perform import answer, call, client_for, frozen, items_of, sign_all, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
HOT_WORK = "动火作业是否办理审批，落实现场监护和灭火措施"


def test_every_seeded_item_has_a_finding_and_the_database_holds_it():
    for template in TEMPLATES:
        for item in template.items:
            finding = FINDINGS[item.text]
            assert finding and not is_question(finding) and len(finding) <= 200, item.text
    stored = ChecklistItem.objects.filter(checklist__code__in=[t.code for t in TEMPLATES])
    assert stored.count() == sum(len(t.items) for t in TEMPLATES)
    assert not stored.filter(finding="").exists()  # filled by the migration (inspections 0007)
    assert stored.get(text=HOT_WORK).finding == "动火作业未办理审批或未落实现场监护和灭火措施"


@pytest.mark.parametrize("question,finding", [
    ("特种作业人员是否持证上岗", "特种作业人员未持证上岗"),
    ("人员密集场所内是否违规使用、储存、销售易燃易爆危险品", "人员密集场所内违规使用、储存、销售易燃易爆危险品"),
    ("疏散通道、安全出口是否畅通，有无占用、堵塞、封闭", "疏散通道、安全出口不畅通，存在占用、堵塞、封闭"),
    ("燃气用具是否有熄火保护装置，是否为合格产品", "燃气用具无熄火保护装置，不是合格产品"),
    ("配电箱门应关闭上锁", "不符合：配电箱门应关闭上锁"),
])
def test_a_question_without_a_finding_is_turned_into_a_statement(question, finding):
    assert as_finding(question) == finding and not is_question(as_finding(question))


def test_what_the_inspector_typed_decides_the_rest():
    item = ChecklistItem(text=HOT_WORK, finding="动火作业未办理审批或未落实现场监护和灭火措施")
    assert hazard_title(item, f"{HOT_WORK}，现场检查不符合要求") == item.finding
    assert hazard_title(item, f"{HOT_WORK}——二号车间焊接无人监护") == f"{item.finding}：二号车间焊接无人监护"
    assert hazard_title(item, "二号车间焊接作业无动火审批单") == "二号车间焊接作业无动火审批单"  # the inspector's statement
    assert hazard_title(item, "") == item.finding
    bare = ChecklistItem(text="配电箱是否设置漏电保护")
    assert hazard_title(bare, "配电箱是否设置漏电保护，现场检查不符合要求") == "配电箱未设置漏电保护"


def test_completion_titles_the_hazards_as_findings(world):
    task, za, zb = world["task"], world["za"], world["zb"]
    _, items = items_of(task)
    ChecklistItem.objects.filter(pk=items[0].pk).update(text=HOT_WORK, finding="动火作业未办理审批或未落实现场监护和灭火措施")
    ChecklistItem.objects.filter(pk=items[1].pk).update(text="配电箱是否设置漏电保护", finding="")
    c = client_for(za)
    answer(c, task, items[0], "nonconform", hazard_description=f"{HOT_WORK}，现场检查不符合要求")
    answer(c, task, items[1], "nonconform", hazard_description="配电箱是否设置漏电保护？仓库配电箱无漏电保护器")
    answer(c, task, items[2], "nonconform", hazard_description="灭火器压力不足")
    sign_all(c, task, [za.person, zb.person])
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version, "client_id": str(uuid.uuid4())})
    assert status == 200, data
    titles = list(Hazard.objects.filter(inspection=task).order_by("pk").values_list("description", flat=True))
    assert titles == ["动火作业未办理审批或未落实现场监护和灭火措施", "配电箱未设置漏电保护：仓库配电箱无漏电保护器", "灭火器压力不足"]
    # the answers keep what was typed (the record of the visit)
    assert task.parts.get().answers.get(item=items[0]).hazard_description == f"{HOT_WORK}，现场检查不符合要求"


def test_a_template_author_writes_the_finding_as_a_statement():
    """Written with the item, kept by a new version; a question is refused with the reason."""
    import time_machine

    from anquan.core.errors import Invalid
    from anquan.inspections.services import checklists as cl

    from . import plans_world as pw

    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        w = pw.build()
        item = {"number": "1", "text": "动火作业是否办理审批", "finding": "动火作业未办理审批"}
        draft = cl.checklist_create(actor=w["admin"], data={"name": "含隐患表述的检查表", "items": [item]})
        assert draft.items.get().finding == "动火作业未办理审批"
        cl.checklist_publish(actor=w["admin"], checklist=draft)
        assert cl.checklist_new_version(actor=w["admin"], checklist=draft).items.get().finding == "动火作业未办理审批"
        with pytest.raises(Invalid) as refused:
            cl.checklist_create(actor=w["admin"], data={"name": "问句", "items": [{**item, "finding": "是否办理审批"}]})
    assert "应写成陈述句" in refused.value.errors["items.0.finding"][0]
