"""The workbench in a real browser, one test per role family, on a small demo city built under the frozen
clock (a Wednesday, so "tomorrow" is a working day on any real day): a field role on a phone
(jiedao_a decides the extension that falls due tomorrow) and an office role at a desk (anweiban holds
the 挂牌督办 on-site review). Each: sign in, the workbench shows the day's work, one click reaches the
list, the action done removes it from the count."""
from __future__ import annotations

import re

import pytest

# A Wednesday morning in Shanghai: "tomorrow" is a working day (built at the real now, the test failed on
# Fridays after 00:00 Shanghai, when the extension's decision day moved past the weekend).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.frozen("2026-11-25 10:00 +0800")]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(seed=7, streets=3, enterprises=60)


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def todo(page, key):
    return page.locator(f'#todo-list [data-todo="{key}"]')


def test_a_field_role_on_a_phone(live_page, demo):
    from anquan.demo.hazard_scenes import scene

    page = live_page
    page.on("dialog", lambda dialog: dialog.accept())  # a confirmation of the irreversible step, if asked
    page.set_viewport_size(PHONE)
    sign_in(page, "jiedao_a")
    page.goto("/")
    item = todo(page, "hazards.extension")
    assert item.locator("[data-count]").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows sideways
    item.click()
    page.wait_for_url(re.compile(r"/hazards/extensions/\?"))
    hazard = scene("A13")
    row = page.locator("tbody tr", has_text=hazard.number)
    assert "明天到期" in row.inner_text() and page.locator("#register-count").inner_text().startswith("共 1 条")
    row.get_by_role("link", name=hazard.number).click()
    page.wait_for_url(f"**/hazards/{hazard.pk}/")
    page.get_by_role("button", name="批准延期").click()
    page.wait_for_load_state()
    page.goto("/")
    assert todo(page, "hazards.extension").count() == 0
    assert page.locator('#todo-quiet [data-todo="hazards.extension"]').count() == 1


def test_an_office_role_at_a_desk(live_page, demo):
    page = live_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size(DESK)
    sign_in(page, "anweiban")
    page.goto("/")
    labels = page.locator("#todo-list .todo-item .fw-semibold").all_inner_texts()
    assert labels[0] == "逾期未整改" and "挂牌督办待现场审查" in labels  # most urgent first
    item = todo(page, "hazards.listing_review")
    assert item.locator("[data-count]").inner_text() == "1"
    item.click()
    page.wait_for_url(re.compile(r"/hazards/listings/\?mine=1"))
    row = page.locator("tbody tr").first
    assert "还剩" in row.inner_text() and page.locator("#register-count").inner_text().startswith("共 1 条")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    page.locator("textarea[name=opinion]").fill("现场审查：隐患已消除，同意恢复生产")
    page.get_by_role("button", name="审查通过").click()
    page.wait_for_load_state()
    page.goto("/")
    assert todo(page, "hazards.listing_review").count() == 0
