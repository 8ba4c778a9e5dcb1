"""Two rough edges of the hazard pages in a real browser (issue 10, findings 4 and 8):

* at phone size qiye_a saves its 五落实 on a hazard found by the street's inspection — category,
  description and location are shown as text (never posted), so the save is not refused;
* 验收通过并销号 asks first: dismissing the dialog leaves the hazard awaiting verification,
  accepting it closes the hazard.
"""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from anquan.enterprises.models import Site
from anquan.hazards import services
from anquan.hazards.choices import HazardStatus, Verdict
from anquan.hazards.models import Hazard, HazardCategory
from anquan.inspections.models import Inspection

from .test_browser_loop import png

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, streets=3, enterprises=40, hazards_per_enterprise=0)
    site = Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a, voided_at__isnull=True).order_by("pk").first()
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    street = demo.users["jiedao_a"]
    visit = Inspection.objects.create(site=site, kind="territorial", planned_on=timezone.localdate(),
                                      performed_at=timezone.now())
    found = services.hazard_record(
        actor=street, inspection=visit,
        data={"site": site.pk, "source": "territorial", "description": "动火作业未办理审批，现场无人监护",
              "location": "二号车间", "deadline": deadline, "category": HazardCategory.objects.get(code="XF04").pk})
    submitted = services.hazard_record(actor=demo.users["wangge_a"], data={
        "site": site.pk, "source": "grid", "description": "配电箱门缺失", "deadline": deadline})
    services.hazard_submit(actor=demo.users["qiye_a"], hazard=submitted, version=submitted.version,
                           measures_taken="已加装配电箱门", after_photos=[png((40, 160, 40))["buffer"]])
    return demo, found, submitted


def test_qiye_a_saves_its_five_measures_on_a_phone(live_page, login_as, world):
    demo, hazard, _ = world
    page = login_as(demo.users["qiye_a"])
    page.set_viewport_size(PHONE)
    page.goto(f"/hazards/{hazard.pk}/edit/")
    locked = page.get_by_test_id("locked-fields").inner_text()
    assert "消防：用火及动火管理" in locked and "动火作业未办理审批" in locked and "二号车间" in locked
    assert page.locator("[name=description], [name=category], [name=location]").count() == 0
    page.fill("#id_responsible_name", "钱师傅")
    page.fill("#id_responsible_phone", "13700000000")
    page.fill("#id_measures", "停止动火，补办动火审批，配备灭火器和监护人")
    page.fill("#id_funds", "800")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_url(f"**/hazards/{hazard.pk}/")
    page.get_by_text("已保存修改").wait_for()
    hazard.refresh_from_db()
    assert hazard.measures.startswith("停止动火") and hazard.responsible_person.name == "钱师傅"
    assert hazard.description == "动火作业未办理审批，现场无人监护" and hazard.category.code == "XF04"


def test_dismissing_the_confirmation_leaves_the_hazard_awaiting_verification(live_page, login_as, world):
    demo, _, hazard = world
    page = login_as(demo.users["jiedao_a"])
    page.goto(f"/hazards/{hazard.pk}/")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="验收通过并销号").click()
    page.wait_for_timeout(300)  # a submitted form would have navigated by now
    assert asked and "不能撤回" in asked[0]
    assert page.url.endswith(f"/hazards/{hazard.pk}/")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING and hazard.rounds.get().verdict == Verdict.PENDING

    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="验收通过并销号").click()
    page.get_by_text("验收通过，隐患已销号").wait_for()
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED
