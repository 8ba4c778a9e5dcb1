"""指定场所 in a real browser at phone size: the district 安委办 searches sites by name (htmx), ticks two from
two searches, previews (2), submits without a name — both picked sites are still ticked — and saves."""
from __future__ import annotations

import re

import pytest

from anquan.inspections.models import InspectionPlan

from . import plans_world as pw

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


def test_pick_named_sites_by_search_and_keep_them_on_error(login_as, live_page):
    w = pw.build()
    checklist = pw.published(w["admin"], "工贸通用检查表")
    page = login_as(w["anweiban"])
    page.set_viewport_size(PHONE)
    page.goto("/inspection-plans/new/")
    page.select_option("#f-kind", "unannounced")
    page.fill("#f-start", "2026-12-01")
    page.fill("#f-end", "2026-12-31")
    page.check(f"#f-cl-{checklist.pk}")
    page.fill("#f-site-q", w["shop"].name)
    page.press("#f-site-q", "Enter")  # searches, does not submit the form
    page.wait_for_selector(f"#site-results #f-site-{w['shop'].pk}")
    page.check(f"#f-site-{w['shop'].pk}")
    assert page.locator(f"#site-chosen #f-site-{w['shop'].pk}").is_checked()
    page.fill("#f-site-q", w["site_b"].name)
    page.wait_for_selector(f"#site-results #f-site-{w['site_b'].pk}")
    assert page.locator(f"#site-results #f-site-{w['shop'].pk}").count() == 0  # already picked
    page.check(f"#f-site-{w['site_b'].pk}")
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("[data-testid=preview-count]")
    assert page.locator("[data-testid=preview-count]").inner_text() == "2"
    page.get_by_role("button", name="保存计划").click()  # no name yet
    page.wait_for_selector("text=请填写计划名称")
    for site in (w["shop"], w["site_b"]):
        assert page.locator(f"#site-chosen #f-site-{site.pk}").is_checked()
    page.fill("#f-name", "群众举报核查（暗访）")
    page.get_by_role("button", name="保存计划").click()
    page.wait_for_url(re.compile(r"/inspection-plans/\d+/$"))
    plan = InspectionPlan.objects.get(name="群众举报核查（暗访）")
    assert sorted(plan.target_sites.values_list("pk", flat=True)) == sorted([w["shop"].pk, w["site_b"].pk])
    assert plan.unannounced
    assert w["shop"].name in page.locator("[data-testid=target-sites]").inner_text()
