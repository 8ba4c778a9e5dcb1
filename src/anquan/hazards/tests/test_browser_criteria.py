"""Judging against the criteria in a real browser at phone size (390×844), on a small demo city:
zhifa_a (应急管理局 执法) finds at a 工贸 site a dry dust-collection system without any explosion
control — 工贸企业重大事故隐患判定标准（应急管理部令第10号）第十一条第（三）项 — picks the item, the
form proposes 重大 naming the item and its library, and the recorded hazard carries the judgement.
(Helper E adds the street-level listing step in its own test.)"""
from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from anquan.accounts.models import User
from anquan.enterprises.models import Site
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import ChecklistItem, Hazard

from .test_browser_loop import PHONE, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = str(tmp_path)
    build_demo(seed=11, streets=3, enterprises=40)
    zhifa = User.objects.get(username="zhifa_a")
    site = (Site.objects.visible_to(zhifa, "hazard.record").filter(industry__code="industry_trade", voided_at__isnull=True)
            .order_by("pk").first())
    assert site is not None, "zhifa_a records at some 工贸 site of the demo"
    item = ChecklistItem.objects.get(checklist__code="gm_major", checklist__status="published", number="11.3")
    return site, item


def test_a_dust_collection_hazard_is_proposed_major_with_its_item(live_page, demo):
    site, item = demo
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "zhifa_a")
    page.goto(f"/hazards/new/?site={site.pk}")
    page.fill("#id_description", "浏览器测试：布袋除尘器未设泄爆、惰化、抑爆等任何防爆措施")
    page.fill("#id_location", "抛光车间除尘系统")
    # only criteria in force today for the site's industry are offered: no construction item, for one
    options = page.locator("#id_criterion option").all_inner_texts()
    assert any(text.startswith("11.3 ") for text in options)
    assert not page.locator("#id_criterion optgroup[label*='房屋市政']").count()
    page.select_option("#id_criterion", str(item.pk))
    proposal = page.locator("[data-criterion-proposal]")
    proposal.wait_for()
    text = proposal.inner_text()
    assert "拟判定为重大事故隐患" in text and "第11.3项" in text and "工贸企业重大事故隐患判定标准" in text
    assert page.locator("input[name=level][value=major]").is_checked()
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="登记隐患").click()
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    hazard = Hazard.objects.get(description__startswith="浏览器测试：布袋除尘器")
    assert hazard.level == HazardLevel.MAJOR and hazard.criterion == item
    assert hazard.judgement["items"] == ["11.3"] and hazard.judgement["code"] == "gm_major"
    shown = page.locator("[data-judgement]").first.inner_text()
    assert "第11.3项" in shown and "工贸企业重大事故隐患判定标准" in shown
