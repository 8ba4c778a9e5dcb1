"""Street-level 挂牌督办 in a real browser at phone size (390×844), on a small demo city: a 重大 hazard judged by
zhifa_a (工贸企业重大事故隐患判定标准 第十一条第（三）项, as in test_browser_criteria) at a site in jiedao_a's street is
listed by jiedao_a in the street's name (街道（乡镇）级, the street's own 文号) and appears in the 挂牌督办台账;
jiedao_b's register never shows it."""
from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from anquan.accounts.models import User
from anquan.enterprises.models import Site
from anquan.hazards import services
from anquan.hazards.choices import ListingLevel
from anquan.hazards.models import ChecklistItem, Hazard, ListedSupervision

from .test_browser_loop import PHONE, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PLAN = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
                      "plan_timeline", "plan_safety"), "按治理方案落实")


@pytest.fixture
def major_in_street_a(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, streets=3, enterprises=40)
    street_a = demo.street_a
    zhifa = User.objects.get(username="zhifa_a")
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    site = (Site.objects.visible_to(zhifa, "hazard.record")
            .filter(industry__code="industry_trade", grid__path__startswith=street_a.path, voided_at__isnull=True)
            .order_by("pk").first())
    item = ChecklistItem.objects.filter(checklist__code="gm_major", checklist__status="published", number="11.3").first()
    description = "浏览器测试：布袋除尘器未设泄爆、惰化、抑爆等任何防爆措施"
    if site is not None and item is not None:
        hazard = services.hazard_record(actor=zhifa, data={
            "site": site.pk, "source": "industry", "description": description, "location": "抛光车间除尘系统",
            "deadline": deadline, "level": "major", "criterion": item.pk, **PLAN})
    else:  # no 工贸 site of this seed in street A: a site there, judged 重大 by the street itself
        jiedao = User.objects.get(username="jiedao_a")
        site = (Site.objects.visible_to(jiedao, "hazard.record").filter(grid__path__startswith=street_a.path, voided_at__isnull=True)
                .order_by("pk").first())
        hazard = services.hazard_record(actor=jiedao, data={"site": site.pk, "source": "territorial", "description": description,
                                                            "deadline": deadline})
        Hazard.objects.filter(pk=hazard.pk).update(level="major", **PLAN)
    hazard.refresh_from_db()
    assert hazard.is_major
    return demo, hazard


def test_jiedao_a_lists_a_major_hazard_at_street_level(live_page, major_in_street_a):
    demo, hazard = major_in_street_a
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "jiedao_a")
    page.goto(f"/hazards/{hazard.pk}/")
    page.locator("summary", has_text="挂牌督办").first.click()
    page.fill("#list-deadline", (timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="挂牌并下达通知书").click()
    page.wait_for_url(re.compile(rf"/hazards/{hazard.pk}/$"))
    listing = ListedSupervision.objects.get(hazard=hazard)
    assert listing.level == ListingLevel.STREET and listing.listing_unit_id == demo.street_a.pk
    assert listing.document_no and listing.documents.get().issuer_unit_id == demo.street_a.pk
    assert listing.document_no in page.locator("main").inner_text()

    page.goto("/hazards/listings/?status=active")
    row = page.locator("tr", has_text=hazard.number)
    row.first.wait_for()
    text = row.first.inner_text()
    assert "街道（乡镇）级" in text  # the phone line under the hazard (the 文号 column is hidden at this width)
    assert listing.document_no in row.first.inner_html()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    sign_in(page, "jiedao_b")
    page.goto("/hazards/listings/")
    assert hazard.number not in page.locator("main").inner_text()
    assert page.goto(f"/hazards/{hazard.pk}/").status == 404
