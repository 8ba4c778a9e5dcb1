"""The closed loop in a real browser at phone size (390×844), on a small demo city:
wangge_a records a hazard with a photo at qiye_a's site in its grid; qiye_a submits the
rectification with an after-photo; jiedao_a verifies and closes it; jiedao_b never sees it."""
from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from anquan.enterprises.models import Site
from anquan.hazards.choices import HazardStatus, PhotoKind, Verdict
from anquan.hazards.models import Hazard

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def png(colour) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return {"name": "photo.png", "mimeType": "image/png", "buffer": out.getvalue()}


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, streets=3, enterprises=40)
    site = Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a, voided_at__isnull=True).order_by("pk").first()
    assert site is not None, "qiye_a's enterprise has its main site in wangge_a's grid"
    return demo, site


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def test_the_loop_on_a_phone(live_page, demo):
    demo_city, site = demo
    page = live_page
    page.set_viewport_size(PHONE)
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    # 1. the grid worker records the hazard with a photo
    sign_in(page, "wangge_a")
    page.goto(f"/hazards/new/?site={site.pk}")
    assert site.name in page.locator("main").inner_text()
    page.fill("#id_description", "浏览器测试：配电箱门缺失，线路裸露")
    page.fill("#id_location", "一号车间东侧")
    page.fill("#id_deadline", deadline)
    page.fill("#id_responsible_name", "赵师傅")
    page.set_input_files("#id_photos", files=[png((200, 40, 40))])
    page.locator("#photos-preview img").first.wait_for()  # previewed before upload
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows sideways
    page.get_by_role("button", name="登记隐患").click()
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    hazard = Hazard.objects.get(description="浏览器测试：配电箱门缺失，线路裸露")
    assert hazard.number in page.locator("main").inner_text()
    page.locator(".hz-photos img").first.wait_for()

    # 2. the enterprise submits the rectification with an after-photo
    sign_in(page, "qiye_a")
    page.goto(f"/hazards/{hazard.pk}/")
    page.fill("#submit-measures", "已加装配电箱门并上锁，线路穿管")
    page.set_input_files("#submit-photos", files=[png((40, 160, 40))])
    page.locator("#submit-preview img").first.wait_for()
    page.get_by_role("button", name="提交验收").click()
    page.get_by_text("已提交第1轮整改").wait_for()

    # 3. the street verifies and closes it (the finder is a grid of its street)
    sign_in(page, "jiedao_a")
    page.goto(f"/hazards/{hazard.pk}/")
    assert "第1轮整改" in page.locator("#rounds").inner_text()
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="验收通过并销号").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.get_by_text("验收通过，隐患已销号").wait_for()
    assert "已销号" in page.locator("main").inner_text()

    # 4. another street never sees it
    sign_in(page, "jiedao_b")
    page.goto("/hazards/")
    assert hazard.number not in page.locator("main").inner_text()
    page.goto(f"/hazards/?q={hazard.number}")
    assert hazard.number not in page.locator("main").inner_text()
    assert page.goto(f"/hazards/{hazard.pk}/").status == 404
    photo = hazard.photos.first()
    assert page.goto(f"/hazards/photos/{photo.pk}/").status == 404

    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_by.username == "jiedao_a"
    assert hazard.photos.count() == 2
    assert sorted(hazard.photos.values_list("kind", flat=True)) == sorted([PhotoKind.FINDING, PhotoKind.AFTER])
    rounds = list(hazard.rounds.all())
    assert len(rounds) == 1 and rounds[0].verdict == Verdict.PASSED
    assert rounds[0].submitted_by.username == "qiye_a" and rounds[0].verified_by.username == "jiedao_a"
    assert hazard.recorded_by.username == "wangge_a" and hazard.finder_unit == demo_city.grid_a
