"""Pages of checklist templates, plans and draws: forms keep what was typed, Chinese messages, scope."""
import pytest
import time_machine
from django.test import Client

from anquan.hazards.models import Checklist
from anquan.inspections.models import Draw, Inspection, InspectionPlan

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield pw.build()


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_checklist_pages(w):
    c = client(w["yingji"])
    assert c.get("/checklists/").status_code == 200
    page = c.get("/checklists/new/")
    assert page.status_code == 200 and "新建检查表" in page.content.decode()
    bad = c.post("/checklists/new/", {"name": "", "rows": "2", "item-0-number": "1", "item-0-text": "灭火器压力正常",
                                      "item-1-number": "1", "item-1-text": "疏散通道畅通"})
    body = bad.content.decode()
    assert bad.status_code == 422
    assert "请填写检查表名称" in body and "序号“1”重复" in body and "灭火器压力正常" in body and "疏散通道畅通" in body
    more = c.post("/checklists/new/", {"name": "草稿名", "rows": "1", "item-0-number": "1", "item-0-text": "留着", "add_rows": "1"})
    assert more.status_code == 200 and more.content.decode().count('class="card mb-2 item-row') == 6
    ok = c.post("/checklists/new/", {"name": "应急局检查表", "industry": "industry_trade", "rows": "3",
                                     "item-0-number": "1", "item-0-text": "有限空间台账", "item-0-suggested_level": "general",
                                     "item-1-number": "", "item-1-text": "", "item-2-number": "2", "item-2-text": "粉尘清理"})
    assert ok.status_code == 302
    checklist = Checklist.objects.get(name="应急局检查表")
    assert list(checklist.items.values_list("text", flat=True)) == ["有限空间台账", "粉尘清理"]
    edit = c.get(f"/checklists/{checklist.pk}/edit/")
    assert "粉尘清理" in edit.content.decode()
    assert c.post(f"/checklists/{checklist.pk}/publish/").status_code == 302
    checklist.refresh_from_db()
    assert checklist.status == "published"
    assert c.get(f"/checklists/{checklist.pk}/edit/").status_code == 302  # published: redirected with a message
    assert client(w["zhujian"]).post(f"/checklists/{checklist.pk}/new-version/").status_code == 403
    assert client(w["other_zj"]).get(f"/checklists/{checklist.pk}/").status_code == 404
    assert client(w["street"]).get("/checklists/new/").status_code == 403
    r = c.post(f"/checklists/{checklist.pk}/new-version/")
    assert r.status_code == 302
    assert Checklist.objects.filter(code=checklist.code, version=2, status="draft").exists()
    retire = c.post(f"/checklists/{checklist.pk}/retire/", {"reason": ""}, follow=True)
    assert "请填写废止理由" in retire.content.decode()


def test_plan_pages_create_preview_draw_verify_issue(w):
    checklist = pw.published(w["admin"], "通用检查表")
    c = client(w["yingji"])
    assert c.get("/inspection-plans/new/").status_code == 200
    form = {"name": "", "kind": "industry", "period_start": "2026-12-01", "period_end": "2026-12-31",
            "territory": str(w["tree"].district.pk), "industries": ["hazchem", "industry_trade"], "checklists": [str(checklist.pk)],
            "enforcement": "1", "inspectors_per_task": "2", "notes": "年底前完成"}
    preview = c.post("/inspection-plans/new/", {**form, "preview": "1"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="preview-count">3<' in preview.content.decode()
    bad = c.post("/inspection-plans/new/", form)
    body = bad.content.decode()
    assert bad.status_code == 422 and "请填写计划名称" in body and "年底前完成" in body and 'value="hazchem" id="f-ind-hazchem" checked' in body
    ok = c.post("/inspection-plans/new/", {**form, "name": "双随机抽查"})
    assert ok.status_code == 302
    plan = InspectionPlan.objects.get(name="双随机抽查")
    detail = c.get(f"/inspection-plans/{plan.pk}/").content.decode()
    assert "双随机抽取" in detail and 'data-testid="matched">3<' in detail
    draw_page = c.get(f"/inspection-plans/{plan.pk}/draw/")
    assert draw_page.status_code == 200
    bad = c.post(f"/inspection-plans/{plan.pk}/draw/", {"version": plan.version, "seed": "abc", "target_count": "2",
                                                        "inspectors_per_target": "2", "pool": [w["zf1"].person_id]})
    assert bad.status_code == 422 and "随机种子应为非负整数" in bad.content.decode() and 'value="abc"' in bad.content.decode()
    pool = [w[k].person_id for k in ("zf1", "zf2", "zf3")]
    r = c.post(f"/inspection-plans/{plan.pk}/draw/", {"version": plan.version, "seed": "8848", "target_count": "2",
                                                      "inspectors_per_target": "2", "pool": pool})
    draw = Draw.objects.get(plan=plan)
    assert r.status_code == 302 and r["Location"] == f"/inspection-plans/draws/{draw.pk}/"
    shown = c.get(f"/inspection-plans/draws/{draw.pk}/?verify=1").content.decode()
    assert "8848" in shown and "复核一致" in shown
    # how to recompute it, in plain Chinese for an official; the recipe only behind 技术说明
    plain, technical = shown.split('data-testid="how-to-verify"')[1].split('id="draw-technical"')
    assert "用同一个种子和同样的名单重新计算" in plain and "random" not in plain and "sample" not in plain
    assert "技术说明" in technical and "random.Random(种子)" in technical
    assert client(w["zhujian"]).get(f"/inspection-plans/draws/{draw.pk}/").status_code == 404
    assert c.get(f"/inspection-plans/{plan.pk}/draw/").status_code == 302  # drawn once: to the record
    plan.refresh_from_db()
    r = c.post(f"/inspection-plans/{plan.pk}/issue/", {"version": plan.version})
    assert r.status_code == 302
    assert Inspection.objects.filter(plan=plan).count() == 2
    detail = c.get(f"/inspection-plans/{plan.pk}/").content.decode()
    assert "已完成 0 / 2" in detail and 'aria-valuenow="0"' in detail


def test_plan_pages_scope_and_issue_errors(w):
    checklist = pw.published(w["admin"], "通用检查表")
    c = client(w["street"])
    c.post("/inspection-plans/new/", {"name": "街道计划", "kind": "territorial", "period_start": "2026-12-01",
                                      "period_end": "2026-12-31", "checklists": [str(checklist.pk)]})
    plan = InspectionPlan.objects.get(name="街道计划")
    r = c.post(f"/inspection-plans/{plan.pk}/issue/", {"version": plan.version})
    assert r.status_code == 422 and "请选择检查人员" in r.content.decode()
    assert c.get(f"/inspection-plans/{plan.pk}/draw/").status_code == 403  # a street may not draw
    assert client(w["other_zj"]).get(f"/inspection-plans/{plan.pk}/").status_code == 404
    assert client(w["firm_user"]).get("/inspection-plans/new/").status_code == 200  # self-inspection only
    assert client(w["zf1"]).get("/inspection-plans/new/").status_code == 403
    assert f"/inspection-plans/{plan.pk}/" in client(w["anweiban"]).get("/inspection-plans/").content.decode()


def test_reassign_page_and_api(w):
    checklist = pw.published(w["admin"], "通用检查表")
    from anquan.inspections.services import plans

    plan = plans.plan_create(actor=w["yingji"], data={"name": "换人计划", "kind": "industry", **pw.PERIOD,
                                                      "checklists": [checklist.pk], "enforcement": True,
                                                      "industries": ["hazchem"]})
    [task] = plans.plan_issue(actor=w["yingji"], plan=plan, version=plan.version,
                              inspectors=[w["zf1"].person_id, w["zf2"].person_id])
    task.refresh_from_db()
    c = client(w["yingji"])
    assert f"/inspection-plans/{plan.pk}/tasks/{task.pk}/assign/" in c.get(f"/inspection-plans/{plan.pk}/").content.decode()
    bad = c.post(f"/inspection-plans/{plan.pk}/tasks/{task.pk}/assign/", {"version": task.version, "inspectors": [w["zf3"].person_id],
                                                                          "reason": "张三回避"})
    assert bad.status_code == 422 and "执法证" in bad.content.decode() and "张三回避" in bad.content.decode()
    ok = c.post(f"/inspection-plans/{plan.pk}/tasks/{task.pk}/assign/",
                {"version": task.version, "inspectors": [w["zf1"].person_id, w["zf3"].person_id]})
    assert ok.status_code == 302
    assert set(task.inspectors.values_list("pk", flat=True)) == {w["zf1"].person_id, w["zf3"].person_id}
    task.refresh_from_db()
    r = c.post(f"/api/v1/inspection-plans/{plan.pk}/tasks/{task.pk}/inspectors",
               data={"version": task.version, "inspectors": [w["zf2"].person_id, w["zf3"].person_id]}, content_type="application/json")
    assert r.status_code == 200 and r.json()["inspectors"] == sorted([w["zf2"].person_id, w["zf3"].person_id])
    assert client(w["zf1"]).post(f"/api/v1/inspection-plans/{plan.pk}/tasks/{task.pk}/inspectors",
                                 data={"version": task.version + 1, "inspectors": []}, content_type="application/json").status_code == 403
    assert client(w["zhujian"]).get(f"/inspection-plans/{plan.pk}/tasks/{task.pk}/assign/").status_code == 404
