"""Supervision in a real browser, phone-sized for the field roles: anweiban forms a group and adds ducha;
ducha (on a phone) checks street A with the standard questions and records a finding; jiedao_a (on a
phone) reports the fix; ducha confirms it; jiedao_b never sees it."""
from __future__ import annotations

import datetime

import pytest

from anquan.accounts.models import Grant

from ..models import Finding, FindingStatus, SupervisionCheck

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(seed=11, streets=3, enterprises=20, hazards_per_enterprise=0)


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def test_supervision_loop_on_a_phone(live_page, demo):
    page = live_page
    street = demo.street_a
    from anquan.rules.calendar import today

    day = today()
    # 1. the district 安委办 forms the group (desktop) and adds ducha
    sign_in(page, "anweiban")
    page.goto("/supervision/groups/new/")
    page.fill("#f-name", "浏览器督查组")
    page.fill("#f-start", (day - datetime.timedelta(days=1)).isoformat())
    page.fill("#f-end", (day + datetime.timedelta(days=30)).isoformat())
    page.check(f"#s-{street.pk}")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/supervision/groups/*/")
    assert "请添加成员" in page.locator("main").inner_text()
    page.select_option("#m-person", label=page.locator("#m-person option", has_text="第一督查组成员").first.inner_text())
    page.get_by_role("button", name="加入督查组").click()
    page.wait_for_url("**/supervision/groups/*/")
    assert Grant.objects.active().filter(assignment__user__username="ducha", model_key="orgunit", object_id=street.pk).exists()
    group_url = page.url

    # 2. ducha on a phone: answers the questions, a 否 without a note is refused and nothing typed is lost
    page.set_viewport_size(PHONE)
    sign_in(page, "ducha")
    page.goto(group_url)
    page.get_by_role("link", name="开始督查").click()
    page.select_option("#f-target", f"unit:{street.pk}")
    for key in ("plan", "tips", "prompt", "accidents"):
        page.click(f"label[for=a-{key}-yes]")
    page.click("label[for=a-thorough-no]")
    page.fill("#f-summary", "总体推进有序")
    page.get_by_role("button", name="保存").click()
    assert "回答“否”时请写明发现的问题" in page.locator("#q-thorough").inner_text()
    assert page.locator("#a-thorough-no").is_checked() and page.input_value("#f-summary") == "总体推进有序"
    page.fill("textarea[name=note_thorough]", "出租房电动车充电未纳入排查")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/supervision/checks/*/")
    page.fill("#f-desc", "出租房电动车违规充电未排查")
    page.fill("#f-demand", "十五日内完成出租房全面排查")
    page.fill("#f-days", "15")
    page.get_by_role("button", name="记录问题并提出整改要求").click()
    page.wait_for_url("**/supervision/checks/*/")
    assert "整改期限至" in page.locator("main").inner_text()
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="完成督查").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.wait_for_url("**/supervision/checks/*/")
    check = SupervisionCheck.objects.get(group__name="浏览器督查组")
    assert check.status == "completed" and check.answers["thorough"]["answer"] == "no"
    finding = Finding.objects.get(check_record=check)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # 3. another street never sees it; street A reports the fix on a phone
    sign_in(page, "jiedao_b")
    page.goto("/supervision/findings/")
    assert "出租房电动车违规充电未排查" not in page.locator("main").inner_text()
    sign_in(page, "jiedao_a")
    page.goto("/supervision/findings/")
    page.get_by_text("出租房电动车违规充电未排查").click()
    page.fill("#f-measures", "已完成辖区出租房全面排查，建立台账")
    page.get_by_role("button", name="提交整改情况").click()
    page.wait_for_url(f"**/supervision/findings/{finding.pk}/")
    assert "等待督查组确认" in page.locator("main").inner_text()

    # 4. the group confirms
    sign_in(page, "ducha")
    page.goto(f"/supervision/findings/{finding.pk}/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="确认整改到位").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.wait_for_url(f"**/supervision/findings/{finding.pk}/")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED
