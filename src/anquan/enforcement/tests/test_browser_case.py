"""The case page on a phone (390×844) in a real browser: the 负责人 opens a notified case, sees the 90-day clock,
decides within the range through the form, then publishes; the public list shows the decision without sign-in.
(The full flow of issue 14 — from an inspection's 不符合 to the 决定书 download — is later work.)"""
from __future__ import annotations

import pytest

from ..models import Case, CaseStatus
from .world import advance, build_enforcement_world, open_case

pytestmark = [pytest.mark.browser, pytest.mark.real_clock("a live server and a browser keep the real date"),
              pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_head_decides_and_publishes_on_a_phone(live_page, login_as, tmp_path):
    w = build_enforcement_world()
    case = advance(w, open_case(w), CaseStatus.NOTIFIED, amount="20000")
    page = login_as(w["users"]["juzhang"])
    page.set_viewport_size(PHONE)
    page.goto(f"/enforcement/cases/{case.pk}/")
    assert "作出处罚决定（行政处罚法第六十条" in page.content()
    form = page.locator(f"form[action='/enforcement/cases/{case.pk}/step/decide/']")
    form.locator("input[name=fine_amount]").fill("60000")
    form.locator("input[name=review_organ]").fill("示范区人民政府")
    form.locator("input[name=court]").fill("示范区人民法院")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "第九十九条" in page.content()  # refused: beyond the article's range, named
    form = page.locator(f"form[action='/enforcement/cases/{case.pk}/step/decide/']")
    form.locator("input[name=fine_amount]").fill("20000")
    form.locator("input[name=review_organ]").fill("示范区人民政府")
    form.locator("input[name=court]").fill("示范区人民法院")
    form.locator("button").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED
    page.get_by_role("button", name="在公示系统公开（安全生产法第七十八条）").click()
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "case.png"), full_page=True)
    assert page.get_by_role("button", name="在公示系统公开（安全生产法第七十八条）").count() == 0  # published once
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.clear_cookies()
    page.goto("/public/penalties/")
    assert w["E_B"].name in page.content() and "罚款人民币20,000.00元" in page.content()
