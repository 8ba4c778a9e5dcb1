"""An accident in a real browser at phone size (390×844), frozen at 2026-11-22 23:30 Shanghai, on a small demo city:
qiye_a files an accident with 1 death (graded 一般 while typing; what was typed survives a reload); the street
(jiedao_a) and the district (anweiban) see it with its legs and deadlines; a 补报 within the window raises the deaths
to 3 → 较大, with the new investigating level and legs; the look-back lists the site's prior hazards; jiedao_b never
sees it (404). Screenshots of each page go to $ANQUAN_SCREENSHOTS when set."""
from __future__ import annotations

import datetime
import os
import re

import pytest

from anquan.accidents.models import Accident
from anquan.enterprises.models import Site

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.frozen("2026-11-22 23:30 +0800")]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(settings, tmp_path):
    from anquan.demo.generator import build_demo
    from anquan.hazards.services import hazard_record

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=40, hazards_per_enterprise=0)
    site = Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a, voided_at__isnull=True).order_by("pk").first()
    for days, text in ((70, "二层平台临边防护栏杆缺失"), (30, "登高作业未系安全带")):
        found = datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))) - datetime.timedelta(days=days)
        hazard_record(actor=demo.user("wangge_a"), data={
            "site": site.pk, "description": text, "source": "grid", "found_at": found.isoformat(),
            "deadline": (found.date() + datetime.timedelta(days=10)).isoformat()})
    return demo, site


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def shot(page, name):
    folder = os.environ.get("ANQUAN_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_accident_on_a_phone(live_page, world):
    demo, site = world
    page = live_page
    page.set_viewport_size(PHONE)

    # 1. the enterprise files it from the site; the level shows while typing; a reload keeps what was typed
    sign_in(page, "qiye_a")
    page.goto(f"/accidents/new/?site={site.pk}")
    assert demo.enterprise_a.credit_code in page.input_value("#id_unit_profile")  # from the enterprise ledger
    page.fill("#id_place", "二层作业平台东侧")
    page.fill("#id_account", "浏览器测试：作业人员在二层平台作业时坠落")
    page.select_option("#id_kind", "fall")
    page.fill("#id_deaths", "1")
    page.locator("#level-live [data-level='general']").wait_for()
    assert "一般事故" in page.locator("#level-live").inner_text()
    page.fill("#id_deaths", "3")
    page.locator("#level-live [data-level='larger']").wait_for()  # 3 deaths would be 较大
    page.fill("#id_deaths", "1")
    page.locator("#level-live [data-level='general']").wait_for()
    no_sideways_scroll(page)
    shot(page, "1-report-form")
    page.reload()  # the connection dropped, the page came back: nothing typed is lost
    page.locator("#draft-restored").wait_for()
    assert page.input_value("#id_account") == "浏览器测试：作业人员在二层平台作业时坠落"
    assert page.input_value("#id_deaths") == "1" and page.input_value("#id_kind") == "fall"
    page.get_by_role("button", name="提交事故报告").click()
    page.wait_for_url(re.compile(r"/accidents/\d+/"))
    accident = Accident.objects.get(account="浏览器测试：作业人员在二层平台作业时坠落")
    assert accident.level == "general" and accident.deaths == 1
    assert "一般事故" in page.locator("#accident-level").inner_text()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('anquan:accident-draft')).length") == 0
    shot(page, "2-detail-enterprise")

    # 2. the street and the district see it with its legs and deadlines
    for username in ("jiedao_a", "anweiban"):
        sign_in(page, username)
        page.goto("/accidents/")
        assert accident.number in page.locator("main").inner_text()
        page.goto(f"/accidents/{accident.pk}/")
        legs = page.locator("#legs").inner_text()
        assert "县级" in legs and "设区的市级" in legs and "上报时限" in legs
        assert "省级" not in legs  # 一般: up to the city
        no_sideways_scroll(page)
    shot(page, "3-detail-district")

    # 3. a 补报 within the window: 3 deaths → 较大, investigated by the city, reported up to the province
    sign_in(page, "jiedao_a")
    page.goto(f"/accidents/{accident.pk}/")
    assert "2026年12月22日" in page.locator("#window").inner_text()  # 30 days from 11-22
    page.fill("#add-deaths", "3")
    page.fill("#add-note", "两名重伤人员经抢救无效死亡")
    page.locator("#addition-form button").click()
    page.get_by_text("事故等级由一般变为较大").wait_for()
    assert "较大事故" in page.locator("#accident-level").inner_text()
    assert "设区的市级人民政府" in page.locator("#investigating-body").inner_text()
    assert "省级" in page.locator("#legs").inner_text()
    accident.refresh_from_db()
    assert accident.level == "larger" and accident.deaths == 3
    shot(page, "4-after-addition")

    # 4. the look-back lists the hazards found at the site before the accident
    page.goto(f"/accidents/{accident.pk}/lookback/")
    hazards = page.locator("#hazards").inner_text()
    assert "二层平台临边防护栏杆缺失" in hazards and "登高作业未系安全带" in hazards
    assert page.locator("#lb-unrectified").inner_text() == "2"
    no_sideways_scroll(page)
    shot(page, "5-lookback")

    # 5. another street never sees it
    sign_in(page, "jiedao_b")
    page.goto("/accidents/")
    assert accident.number not in page.locator("main").inner_text()
    assert page.goto(f"/accidents/{accident.pk}/").status == 404
    assert page.goto(f"/accidents/{accident.pk}/lookback/").status == 404
