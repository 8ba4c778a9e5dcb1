"""An unannounced enforcement inspection performed on a phone (390×844), on a small demo city.

zhifa_a performs a 暗访 task at qiye_a's site in jiedao_a's street (街道甲) with zhifa_b. zhifa_b has
already answered one item from his own phone (through the API); zhifa_a's page shows it. The test
cuts the connection mid-way, zhifa_a keeps answering (two items 不符合 with photos), reconnects and
the outbox uploads. Both inspectors sign on zhifa_a's phone (the usual practice on site: one phone is
passed round; each inspector draws his own signature — a design choice, see services/perform.py);
the representative refuses to sign. On completion the two hazards appear for jiedao_a. Before
completion qiye_a and jiedao_a never saw the task: not in their lists, 404 on the direct URLs.

A second test lets the session expire mid-task: the outbox keeps what was typed, the banner offers
"重新登录", and after signing in again the page replays the outbox without duplicates.
"""
from __future__ import annotations

import io
import re
import uuid

import pytest
from django.test import Client
from PIL import Image

from anquan.accounts.models import User
from anquan.audit.models import AuditEvent
from anquan.enterprises.models import Site
from anquan.hazards.models import Hazard
from anquan.inspections.models import Answer, AnswerPhoto, Inspection, Signature

from .factories import make_task

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def photo(colour) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def task(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, streets=3, enterprises=40, hazards_per_enterprise=0)
    site = Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a, voided_at__isnull=True).order_by("pk").first()
    za, zb = User.objects.get(username="zhifa_a"), User.objects.get(username="zhifa_b")
    department = za.assignments.get().department
    return make_task(site, inspectors=[za, zb], kind="unannounced", department=department, unannounced=True,
                     enforcement=True, items=4)


def sign_in(page, username, *, next_url=None):
    # Let the previous page finish loading its images first: on SQLite (the default test database)
    # concurrent requests of the live server can meet a locked session table.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto("/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def card(page, task, number):
    part = task.parts.get()
    item = part.checklist.items.get(number=str(number))
    return page.locator(f"#item-{part.pk}-{item.pk}")


def draw(page, canvas):
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 20, y + 30)
    page.mouse.down()
    page.mouse.move(x + 90, y + 80, steps=6)
    page.mouse.move(x + 160, y + 35, steps=6)
    page.mouse.up()


def never_seen(page, username, task):
    sign_in(page, username)
    page.goto("/inspections/")
    html = page.content()
    assert f"/inspections/{task.pk}/" not in html
    for url in (f"/inspections/{task.pk}/", f"/inspections/{task.pk}/perform/"):
        assert page.goto(url).status == 404
    assert page.goto(f"/api/v1/inspections/{task.pk}").status == 404


def test_unannounced_task_performed_offline_on_a_phone(live_page, task):
    page = live_page
    page.set_viewport_size(PHONE)
    site = task.site

    # 0. the enterprise and its street know nothing of the visit
    for username in ("qiye_a", "jiedao_a"):
        never_seen(page, username, task)

    # zhifa_b has already answered item 4 from his own phone
    zb = Client()
    zb.force_login(User.objects.get(username="zhifa_b"))
    part = task.parts.get()
    item4 = part.checklist.items.get(number="4")
    response = zb.put(f"/api/v1/inspections/{task.pk}/answers", content_type="application/json",
                      data={"client_id": str(uuid.uuid4()), "part": part.pk, "item": item4.pk, "result": "conform"})
    assert response.status_code == 201
    zb_name = User.objects.get(username="zhifa_b").person.name

    # 1. zhifa_a finds the task first in his list and opens it on the phone
    sign_in(page, "zhifa_a")
    page.goto("/inspections/")
    page.locator(f'a[href="/inspections/{task.pk}/perform/"]').first.click()
    page.wait_for_url(re.compile(rf"/inspections/{task.pk}/perform/$"))
    assert site.name in page.locator("main").inner_text()
    card(page, task, 4).get_by_text(f"{zb_name} 已记录：符合").wait_for()

    card(page, task, 1).get_by_role("button", name="符合", exact=True).click()
    page.get_by_text("已全部上传").wait_for()
    assert Answer.objects.filter(part__inspection=task).count() == 2

    # 2. the connection drops; zhifa_a keeps answering: two 不符合 with photos
    page.context.set_offline(True)
    c2 = card(page, task, 2)
    c2.get_by_role("button", name="不符合").click()
    c2.locator("[data-field=hazard_description]").fill("灭火器压力不足，已过有效期")
    c2.locator("[data-field=hazard_location]").fill("一号仓库")
    c2.locator("[data-field=hazard_location]").blur()
    c2.locator("[data-photo]").set_input_files(files=[photo((200, 40, 40))])
    c2.locator("img.is-pending").wait_for()
    c3 = card(page, task, 3)
    c3.get_by_role("button", name="不符合").click()
    c3.locator("[data-field=hazard_description]").fill("配电箱门缺失，线路裸露")
    c3.locator("[data-field=rectify_days]").fill("7")
    c3.locator("[data-field=rectify_days]").blur()
    c3.locator("[data-photo]").set_input_files(files=[photo((40, 40, 200))])
    page.get_by_text(re.compile(r"待上传 \d+ 条")).wait_for()
    assert page.locator("#net-state").inner_text() == "离线"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows sideways
    assert Answer.objects.filter(part__inspection=task).count() == 2  # nothing reached the server
    assert not AnswerPhoto.objects.exists()

    # 3. back online: the outbox uploads by itself
    page.context.set_offline(False)
    page.get_by_text("已全部上传").wait_for(timeout=20_000)
    answers = {a.item.number: a for a in Answer.objects.filter(part__inspection=task).select_related("item")}
    assert len(answers) == 4
    assert answers["2"].result == "nonconform" and answers["2"].hazard_description == "灭火器压力不足，已过有效期"
    assert answers["2"].hazard_location == "一号仓库" and answers["3"].rectify_days == 7
    assert AnswerPhoto.objects.filter(answer__part__inspection=task).count() == 2
    assert not Hazard.objects.filter(inspection=task).exists()  # hazards only at completion

    # 4. both inspectors sign on this phone; the representative refuses
    page.wait_for_load_state("networkidle")
    za_person = User.objects.get(username="zhifa_a").person
    for person in (za_person, User.objects.get(username="zhifa_b").person):
        box = page.locator(f'.insp-sign[data-person="{person.pk}"]')
        draw(page, box.locator("canvas"))
        box.get_by_role("button", name=f"{person.name}确认签名").click()
        box.get_by_text("已签字").wait_for()
    page.fill("#rep-name", "王经理")
    page.fill("#rep-post", "安全主管")
    page.check("#rep-refused")
    page.fill("#refusal-note", "经宣读检查记录后拒绝签字，两名执法人员在场见证")
    page.get_by_role("button", name="记录拒签").click()
    page.get_by_text("已记录拒签").wait_for()
    page.get_by_text("已全部上传").wait_for()
    assert Signature.objects.filter(inspection=task).count() == 3

    # 5. completion: the record, and two hazards
    page.fill("#c-summary", "检查了仓库、配电室和特种作业人员证件")
    page.fill("#c-handling", "责令限期整改")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # the irreversible step asks first
    page.get_by_role("button", name="完成检查").click()
    assert asked and "确定" in asked[0], "no confirmation was asked"
    page.wait_for_url(re.compile(rf"/inspections/{task.pk}/$"))
    page.locator("#refused").wait_for()
    task.refresh_from_db()
    assert task.status == "performed" and task.representative_refused and task.place == site.address
    hazards = list(Hazard.objects.filter(inspection=task).order_by("pk"))
    assert [h.description for h in hazards] == ["灭火器压力不足，已过有效期", "配电箱门缺失，线路裸露"]
    assert page.locator("#raised-hazards a").count() == 2
    assert page.locator("img.insp-signature").count() == 2
    page.wait_for_load_state("networkidle")

    # 6. jiedao_a sees the performed task and both hazards now
    sign_in(page, "jiedao_a")
    page.goto(f"/inspections/{task.pk}/")
    assert page.locator("#raised-hazards a").count() == 2
    page.goto("/hazards/")
    listing = page.locator("main").inner_text()
    assert all(h.number in listing for h in hazards)


def test_session_expires_mid_task_and_the_outbox_replays_once(live_page, task):
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "zhifa_a")
    url = f"/inspections/{task.pk}/perform/"
    page.goto(url)
    card(page, task, 1).get_by_role("button", name="符合", exact=True).click()
    page.get_by_text("已全部上传").wait_for()

    # the session expires (cookies gone); zhifa_a keeps answering
    page.context.clear_cookies()
    card(page, task, 2).get_by_role("button", name="不适用").click()
    page.locator("#relogin-link").wait_for()
    card(page, task, 3).get_by_role("button", name="符合", exact=True).click()
    page.get_by_text("待上传 2 条").wait_for()
    assert Answer.objects.filter(part__inspection=task).count() == 1

    # sign in again from the banner; the page comes back and replays the outbox
    page.locator("#relogin-link").click()
    page.wait_for_url(re.compile(r"/login/"))
    page.fill("#id_username", "zhifa_a")
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(rf"{url}$"))
    page.get_by_text("已全部上传").wait_for()
    results = dict(Answer.objects.filter(part__inspection=task).values_list("item__number", "result"))
    assert results == {"1": "conform", "2": "na", "3": "conform"}
    # replaying once more (a reload) sends nothing twice
    page.reload()
    page.get_by_text("已全部上传").wait_for()
    assert AuditEvent.objects.filter(model_key="answer", action="answer").count() == 3
    assert Inspection.objects.get(pk=task.pk).status == "in_progress"
