"""Plans and checklist templates in a real browser: the district 安委办 writes a checklist (a bad row keeps
what was typed), publishes it, makes a plan with a live preview of the matched sites, draws at random
with a seed, re-checks (复核) the draw, issues the plan and sees the tasks with their progress; the
street never sees the plan. A phone-sized pass checks the plan detail stays usable on a phone."""
from __future__ import annotations

import re

import pytest

from anquan.hazards.models import Checklist
from anquan.inspections.models import Draw, Inspection, InspectionPlan

from . import plans_world as pw

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_checklist_plan_draw_verify_issue(login_as, live_page):
    w = pw.build()
    page = login_as(w["anweiban"])
    page.set_viewport_size(DESKTOP)

    # 1. A template: the second row repeats the first number — the error keeps both rows as typed.
    page.goto("/checklists/new/")
    page.fill("#f-name", "区安委办：小微企业通用检查表")
    page.fill("#i0-number", "1")
    page.fill("#i0-text", "安全出口是否畅通")
    page.fill("#i1-number", "1")
    page.fill("#i1-text", "灭火器是否在有效期内")
    page.get_by_role("button", name="保存草稿").click()
    assert "序号“1”重复" in page.locator("main").inner_text()
    assert page.input_value("#i1-text") == "灭火器是否在有效期内"
    page.fill("#i1-number", "2")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/checklists/\d+/$"))
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="发布").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.wait_for_url(re.compile(r"/checklists/\d+/$"))
    assert "已发布" in page.locator("h1").inner_text()
    checklist = Checklist.objects.get(name="区安委办：小微企业通用检查表")
    assert checklist.status == "published"

    # 2. A plan with a live preview (htmx) of the matched sites.
    page.goto("/inspection-plans/new/")
    page.fill("#f-name", "甲街道工贸企业双随机抽查")
    page.select_option("#f-kind", "territorial")
    page.fill("#f-start", "2026-12-01")
    page.fill("#f-end", "2026-12-31")
    page.select_option("#f-territory", str(w["tree"].street_a.pk))
    page.check("#f-ind-industry_trade")
    page.check(f"#f-cl-{checklist.pk}")
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("[data-testid=preview-count]")
    assert page.locator("[data-testid=preview-count]").inner_text() == "2"
    assert page.input_value("#f-name") == "甲街道工贸企业双随机抽查"  # nothing typed is lost by the preview
    page.get_by_role("button", name="保存计划").click()
    page.wait_for_url(re.compile(r"/inspection-plans/\d+/$"))
    plan = InspectionPlan.objects.get(name="甲街道工贸企业双随机抽查")

    # 3. The draw: a bad seed is refused in Chinese, then seed 2026 → the record, and 复核 gives the same.
    page.get_by_role("link", name="双随机抽取").click()
    page.fill("#f-seed", "二〇二六")
    page.fill("#f-count", "1")
    page.get_by_role("button", name="抽取").click()
    assert "随机种子应为非负整数" in page.locator("main").inner_text()
    page.fill("#f-seed", "2026")
    page.get_by_role("button", name="抽取").click()
    page.wait_for_url(re.compile(r"/inspection-plans/draws/\d+/$"))
    assert page.locator("[data-testid=seed]").inner_text() == "2026"
    page.get_by_role("link", name="复核").click()
    assert "复核一致" in page.locator("#verify-result").inner_text()
    draw = Draw.objects.get(plan=plan)
    assert draw.seed == 2026 and len(draw.result) == 1

    # 4. Issue: one task with the drawn inspectors; progress 0 of 1.
    page.goto(f"/inspection-plans/{plan.pk}/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="下达").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.wait_for_url(re.compile(r"/inspection-plans/\d+/$"))
    assert "已完成 0 / 1" in page.locator("main").inner_text()
    task = Inspection.objects.get(plan=plan)
    assert task.site_id == draw.result[0]["site"]
    assert sorted(task.inspectors.values_list("pk", flat=True)) == draw.result[0]["inspectors"]

    # 5. On a phone the plan detail still shows the task list and progress.
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.locator("#tasks").is_visible()
    assert page.locator(".progress").is_visible()

    # 6. The other street does not see the plan.
    other = pw.make_user("street_staff", unit=w["tree"].street_b, username="t_street_b")
    page = login_as(other)
    response = page.goto(f"/inspection-plans/{plan.pk}/")
    assert response.status == 404
