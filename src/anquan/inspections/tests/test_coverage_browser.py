"""Coverage in a real browser at phone size (390×844) on the demo with its inspections: jiedao_a sees the
street's figures and chart, filters the sites not inspected, and downloads the .xlsx; nothing overflows."""
from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(seed=11, streets=3, enterprises=40, inspections=True)


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_coverage_on_a_phone(live_page, demo):
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "jiedao_a")
    today = timezone.localdate()  # the demo's year of visits ends yesterday: look at the whole year, whatever the date
    page.goto(f"/coverage/?start={today - datetime.timedelta(days=365)}&end={today}")
    headline = page.get_by_test_id("coverage-headline")
    assert "场所覆盖率" in headline.inner_text()
    sites = int(headline.locator('[data-figure="sites"]').inner_text().replace(",", ""))
    uncovered = int(headline.locator('[data-figure="uncovered"]').inner_text().replace(",", ""))
    assert sites > 0 and 0 < uncovered < sites  # the demo's year of visits: some sites visited, some not
    page.locator(".chart canvas").first.wait_for()  # the bar chart per grid was drawn
    assert demo.street_b.name not in page.locator("main").inner_text()  # another street's grids never show
    _no_sideways_scroll(page)

    page.get_by_role("link", name="只看未检查的").first.click()
    page.wait_for_url(lambda url: "only=uncovered" in url)
    table = page.get_by_test_id("coverage-sites")
    rows = table.locator("tbody tr")
    assert rows.count() == min(uncovered, 50)
    assert all("未检查" in rows.nth(i).inner_text() for i in range(rows.count()))
    _no_sideways_scroll(page)

    with page.expect_download() as info:
        page.get_by_test_id("coverage-export").click()
    path = info.value.path()
    wb = load_workbook(io.BytesIO(open(path, "rb").read()))
    detail = list(wb["场所明细"].iter_rows(values_only=True))[1:]
    assert len(detail) == uncovered and {r[7] for r in detail} == {"否"}
