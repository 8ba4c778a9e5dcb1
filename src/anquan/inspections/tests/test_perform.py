"""Performing a task through the API: who may, idempotent replays, completion rules, hazards at completion,
nothing changes after completion, the unannounced task hidden from the street until performed."""
from __future__ import annotations

import base64
import datetime
import json
import uuid

import pytest
import time_machine
from django.test import Client

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.choices import HazardLevel, HazardSource, PhotoKind
from anquan.hazards.models import ChecklistItem, Hazard
from anquan.inspections.models import Answer, AnswerPhoto, Inspection, Signature

from .factories import inspection_checklist, jpeg_bytes, make_task, png_bytes

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    t = make_tree()
    za = make_user("inspector", department=t.yingji, username="za", name="执法甲")
    zb = make_user("inspector", department=t.yingji, username="zb", name="执法乙")
    zc = make_user("inspector", department=t.yingji, username="zc", name="执法丙")  # same department, not on the task
    for user, cert in ((za, "A001"), (zb, "B002")):
        user.person.enforcement_cert_no = cert
        user.person.save()
    street = make_user("street_staff", unit=t.street_a, username="street")
    firm = make_enterprise(t.grid_a, industries=("industry_trade",))
    boss = make_user("ent_manager", enterprise=firm, username="boss")
    site = make_site(t.grid_a, enterprise=firm, address="甲街道工业路8号")
    task = make_task(site, inspectors=[za, zb], kind="unannounced", department=t.yingji, unannounced=True,
                     enforcement=True, items=3)
    return {"t": t, "za": za, "zb": zb, "zc": zc, "street": street, "boss": boss, "site": site, "task": task}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def call(client, method, url, body=None):
    response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


def items_of(task):
    part = task.parts.get()
    return part, list(ChecklistItem.objects.filter(checklist=part.checklist).order_by("sort"))


def answer(client, task, item, result="conform", **extra):
    part = task.parts.get()
    body = {"client_id": str(extra.pop("client_id", uuid.uuid4())), "part": part.pk, "item": item.pk, "result": result, **extra}
    return call(client, "put", f"/api/v1/inspections/{task.pk}/answers", body)


def sign_all(client, task, people, representative_refuses=True):
    for person in people:
        status, _ = call(client, "post", f"/api/v1/inspections/{task.pk}/signatures",
                         {"client_id": str(uuid.uuid4()), "signer_kind": "inspector", "person": person.pk, "image": b64(png_bytes())})
        assert status == 201
    body = {"client_id": str(uuid.uuid4()), "signer_kind": "representative", "name": "王经理", "post": "安全主管"}
    if representative_refuses:
        body.update(refused=True, note="宣读检查记录后拒绝签字，执法甲、执法乙在场见证")
    else:
        body["image"] = b64(png_bytes())
    status, data = call(client, "post", f"/api/v1/inspections/{task.pk}/signatures", body)
    assert status == 201, data


def test_first_answer_starts_the_task_and_replays_are_no_ops(world):
    task, za = world["task"], world["za"]
    _, items = items_of(task)
    c = client_for(za)
    cid = str(uuid.uuid4())
    status, first = answer(c, task, items[0], "nonconform", client_id=cid, hazard_description="安全出口被货物堵塞")
    assert status == 201
    task.refresh_from_db()
    assert task.status == "in_progress" and task.started_at is not None
    # the same request replayed (response lost, session renewed): same row, no second row, no audit event
    events = AuditEvent.objects.count()
    status, again = answer(c, task, items[0], "conform", client_id=cid)
    assert status == 200 and again["id"] == first["id"] and again["result"] == "nonconform"
    assert Answer.objects.count() == 1 and AuditEvent.objects.count() == events
    # a new tap on the same item (new client_id) replaces the answer: still one row, audited
    status, changed = answer(c, task, items[0], "conform")
    assert status == 201 and changed["id"] == first["id"] and changed["result"] == "conform"
    assert changed["hazard_description"] == ""  # a 符合 answer carries no hazard
    assert Answer.objects.count() == 1
    assert AuditEvent.objects.filter(model_key="answer", action="answer_update").count() == 1
    assert AuditEvent.objects.filter(action="start", object_id=task.pk).count() == 1


def test_explicit_start_and_second_start(world):
    c = client_for(world["za"])
    status, data = call(c, "post", f"/api/v1/inspections/{world['task'].pk}/start")
    assert status == 200 and data["status"] == "in_progress" and data["started_at"]
    status, again = call(c, "post", f"/api/v1/inspections/{world['task'].pk}/start")
    assert status == 200 and again["started_at"] == data["started_at"]


def test_who_may_perform(world):
    task = world["task"]
    _, items = items_of(task)
    # same department, sees the task, holds inspection.perform, but is not one of its inspectors
    status, data = answer(client_for(world["zc"]), task, items[0])
    assert status == 403 and "检查人员" in data["detail"]
    # the enterprise and its street never see an unannounced task before it is performed
    for name in ("boss", "street"):
        c = client_for(world[name])
        assert answer(c, task, items[0])[0] == 404
        assert c.get(f"/api/v1/inspections/{task.pk}").status_code == 404
        assert task.pk not in [i["id"] for i in c.get("/api/v1/inspections").json()["items"]]
    assert not Answer.objects.exists()


def test_bad_input_gets_chinese_messages(world):
    task = world["task"]
    _, items = items_of(task)
    c = client_for(world["za"])
    status, data = answer(c, task, items[0], "maybe")
    assert status == 422 and "符合" in data["errors"]["result"][0]
    status, data = answer(c, task, items[0], client_id="not-a-uuid")
    assert status == 422 and "UUID" in data["errors"]["client_id"][0]
    other = inspection_checklist(1)
    status, data = answer(c, task, other.items.get())
    assert status == 422 and "不属于" in data["errors"]["item"][0]
    status, data = call(c, "put", f"/api/v1/inspections/{task.pk}/answers",
                        {"client_id": str(uuid.uuid4()), "part": 999999, "item": items[0].pk, "result": "conform"})
    assert status == 422 and "不属于本检查任务" in data["errors"]["part"][0]
    # a client_id already used by another task's answer
    other_task = make_task(world["site"], inspectors=[world["za"]], department=world["t"].yingji)
    cid = str(uuid.uuid4())
    assert answer(c, other_task, items_of(other_task)[1][0], client_id=cid)[0] == 201
    status, data = answer(c, task, items[0], client_id=cid)
    assert status == 422 and "client_id" in data["errors"]


def test_photos_by_content_and_deduplicated(world):
    task = world["task"]
    _, items = items_of(task)
    c = client_for(world["za"])
    _, a = answer(c, task, items[0], "nonconform", hazard_description="灭火器过期")
    url = f"/api/v1/inspections/{task.pk}/answers/{a['id']}/photos"
    cid = str(uuid.uuid4())
    status, photo = call(c, "post", url, {"client_id": cid, "photo": b64(jpeg_bytes())})
    assert status == 201
    status, again = call(c, "post", url, {"client_id": cid, "photo": b64(jpeg_bytes())})
    assert status == 200 and again["id"] == photo["id"]
    assert AnswerPhoto.objects.count() == 1
    status, data = call(c, "post", url, {"client_id": str(uuid.uuid4()), "photo": b64(b"GIF89a not really")})
    assert status == 422 and "JPEG" in data["errors"]["photo"][0]
    status, data = call(c, "post", url, {"client_id": str(uuid.uuid4()), "photo": "%%%"})
    assert status == 422
    assert c.get(photo["url"]).status_code == 200
    # an answer of another task under this task's URL is not found
    other = make_task(world["site"], inspectors=[world["za"]], department=world["t"].yingji)
    _, b = answer(c, other, items_of(other)[1][0])
    status, _ = call(c, "post", f"/api/v1/inspections/{task.pk}/answers/{b['id']}/photos",
                     {"client_id": str(uuid.uuid4()), "photo": b64(jpeg_bytes())})
    assert status == 404


def test_signatures(world):
    task, za, zb = world["task"], world["za"], world["zb"]
    c = client_for(za)
    url = f"/api/v1/inspections/{task.pk}/signatures"
    status, data = call(c, "post", url, {"client_id": str(uuid.uuid4()), "signer_kind": "inspector", "person": zb.person_id,
                                         "image": b64(jpeg_bytes())})
    assert status == 422 and "PNG" in data["errors"]["image"][0]
    cid = str(uuid.uuid4())
    body = {"client_id": cid, "signer_kind": "inspector", "person": zb.person_id, "image": b64(png_bytes())}
    assert call(c, "post", url, body)[0] == 201  # zb signs on za's phone
    assert call(c, "post", url, body)[0] == 200  # replay
    status, data = call(c, "post", url, {**body, "client_id": str(uuid.uuid4())})
    assert status == 409 and "已经签字" in data["detail"]
    status, data = call(c, "post", url, {"client_id": str(uuid.uuid4()), "signer_kind": "inspector",
                                         "person": world["zc"].person_id, "image": b64(png_bytes())})
    assert status == 422 and "不是本任务的检查人员" in data["errors"]["person"][0]
    status, data = call(c, "post", url, {"client_id": str(uuid.uuid4()), "signer_kind": "representative", "name": "王经理",
                                         "refused": True})
    assert status == 422 and "拒签" in data["errors"]["note"][0]
    assert Signature.objects.count() == 1


def test_completion_rules_then_hazards_then_frozen(world):
    task, za, zb = world["task"], world["za"], world["zb"]
    _, items = items_of(task)
    c = client_for(za)
    _, a0 = answer(c, task, items[0], "nonconform", hazard_description="安全出口被货物堵塞", hazard_location="仓库东门",
                   rectify_days=7)
    call(c, "post", f"/api/v1/inspections/{task.pk}/answers/{a0['id']}/photos", {"client_id": str(uuid.uuid4()), "photo": b64(jpeg_bytes())})
    answer(client_for(zb), task, items[1], "nonconform")  # zb answers from his own phone, no description yet
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version})
    assert status == 422
    assert "未填写结果" in data["errors"]["answers"][0] and "第3项" in data["errors"]["answers"][0]
    assert "第2项" in data["errors"]["hazard_description"][0]
    assert "执法甲" in data["errors"]["signatures"][0] and "拒绝签字" in data["errors"]["representative"][0]
    assert not Hazard.objects.exists()  # nothing raised before completion (暗访 not revealed)
    answer(c, task, items[1], "nonconform", hazard_description="配电箱门缺失")
    answer(c, task, items[2], "na", note="无特种作业")
    sign_all(c, task, [za.person, zb.person])
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version - 1})
    assert status == 409 and "版本" in data["detail"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version, "summary": "检查了仓库和配电"})
    assert status == 200, data
    assert data["status"] == "performed" and data["place"] == "甲街道工业路8号"
    task.refresh_from_db()
    assert task.performed_at and task.completed_by == za and task.representative_refused
    hazards = list(Hazard.objects.filter(inspection=task).order_by("pk"))
    assert len(hazards) == 2
    h = hazards[0]
    assert h.description == "安全出口被货物堵塞" and h.location == "仓库东门"
    assert h.deadline == datetime.date(2026, 11, 27)  # answered 2026-11-20 + 7 days
    assert h.source == HazardSource.INDUSTRY and h.finder_department == world["t"].yingji
    assert set(h.found_by.values_list("pk", flat=True)) == {za.person_id, zb.person_id}
    assert h.photos.filter(kind=PhotoKind.FINDING).count() == 1
    assert Answer.objects.get(pk=a0["id"]).hazard == h
    assert hazards[1].deadline == datetime.date(2026, 12, 21)  # default 30 days: Sun 12-20 rolls to Monday
    assert AuditEvent.objects.filter(model_key="inspection", object_id=task.pk, action="complete").exists()
    # the street sees the performed task and its hazards now; the record never changes again
    street = client_for(world["street"])
    assert street.get(f"/api/v1/inspections/{task.pk}").status_code == 200
    assert set(street.get(f"/api/v1/inspections/{task.pk}").json()["hazard_ids"]) == {x.pk for x in hazards}
    final_version = data["version"]
    for status, refused in (
        answer(c, task, items[2], "conform"),
        call(c, "post", f"/api/v1/inspections/{task.pk}/start"),
        call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": final_version}),
        call(c, "post", f"/api/v1/inspections/{task.pk}/answers/{a0['id']}/photos", {"client_id": str(uuid.uuid4()), "photo": b64(jpeg_bytes())}),
        call(c, "post", f"/api/v1/inspections/{task.pk}/signatures", {"client_id": str(uuid.uuid4()), "signer_kind": "representative", "name": "x", "image": b64(png_bytes())}),
    ):
        assert status == 409 and "检查记录不能再修改" in refused["detail"], refused
    # but a late replay of a write that did arrive still answers with the stored row
    assert answer(c, task, items[0], "conform", client_id=a0["client_id"])[0] == 200


@pytest.mark.parametrize("industry", ["industry_trade", None])
def test_major_criterion_item_raises_a_major_hazard(world, settings, industry):
    """The item's criterion decides — where it applies: in force on the day and for the site's industry
    (a 工贸 criterion at a site of no known industry leaves the hazard 一般, saying why)."""
    from anquan.core.tests.factories import industry as industry_row
    from anquan.enterprises.models import Site
    from anquan.hazards.catalogue_data import seed_catalogue

    seed_catalogue()
    Site.objects.filter(pk=world["site"].pk).update(industry=industry_row(industry) if industry else None)
    t, za = world["t"], world["za"]
    checklist = inspection_checklist(2, major_item=True, department=t.yingji)
    task = make_task(world["site"], inspectors=[za], department=t.yingji, checklists=[checklist])
    _, items = items_of(task)
    c = client_for(za)
    answer(c, task, items[0], "conform")
    _, a = answer(c, task, items[1], "nonconform", hazard_description="深基坑无支护", hazard_level="general")
    # the criterion decides, not the phone — where it applies (not at a site of no known industry)
    assert a["hazard_level"] == (HazardLevel.MAJOR if industry else HazardLevel.GENERAL)
    sign_all(c, task, [za.person], representative_refuses=False)
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version})
    assert status == 200, data
    hazard = Hazard.objects.get(inspection=task)
    if industry is None:
        assert hazard.level == HazardLevel.GENERAL and hazard.criterion_id is None and "行业" in hazard.judgement["refused"]
        return
    assert hazard.level == HazardLevel.MAJOR and hazard.criterion_id == items[1].major_criterion_id
    assert hazard.judgement["items"] and hazard.judgement["code"] == "gm_major"


def test_enforcement_needs_two_certified_inspectors(world):
    t, za, zc = world["t"], world["za"], world["zc"]  # zc holds no 执法证
    task = make_task(world["site"], inspectors=[za, zc], department=t.yingji, enforcement=True, items=1)
    _, items = items_of(task)
    c = client_for(za)
    answer(c, task, items[0], "conform")
    sign_all(c, task, [za.person, zc.person])
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version})
    assert status == 422 and "至少2名持执法证" in " ".join(data["errors"]["signatures"])
    Inspection.objects.filter(pk=task.pk).update(enforcement=False)
    assert call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version})[0] == 200
    assert Inspection.objects.get(pk=task.pk).status == "performed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_phones_replaying_the_same_records_at_once_store_them_once(settings, tmp_path):
    """The outbox of two tabs (or a retry racing its original) sends the same client_ids at the same moment."""
    import threading

    from django.db import connection

    settings.MEDIA_ROOT = str(tmp_path)
    t = make_tree()
    za = make_user("inspector", department=t.yingji, name="执法甲")
    site = make_site(t.grid_a, enterprise=make_enterprise(t.grid_a, industries=("industry_trade",)))
    task = make_task(site, inspectors=[za], department=t.yingji, items=1)
    part, items = items_of(task)
    answer_body = {"client_id": str(uuid.uuid4()), "part": part.pk, "item": items[0].pk, "result": "nonconform",
                   "hazard_description": "并发"}
    sign_body = {"client_id": str(uuid.uuid4()), "signer_kind": "inspector", "person": za.person_id, "image": b64(png_bytes())}
    barrier = threading.Barrier(2, timeout=30)
    statuses: list[tuple[int, int]] = []

    def phone():
        try:
            c = client_for(za)
            barrier.wait()
            a = c.put(f"/api/v1/inspections/{task.pk}/answers", data=json.dumps(answer_body), content_type="application/json")
            s = c.post(f"/api/v1/inspections/{task.pk}/signatures", data=json.dumps(sign_body), content_type="application/json")
            statuses.append((a.status_code, s.status_code))
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(a for a, _ in statuses) == [200, 201]  # one stored it, the other got the stored row
    assert sorted(s for _, s in statuses) == [200, 201]
    assert Answer.objects.filter(part__inspection=task).count() == 1
    assert Signature.objects.filter(inspection=task).count() == 1
    assert AuditEvent.objects.filter(model_key="answer").count() == 1


def test_joint_inspection_each_department_owns_its_parts_hazards(world):
    """联合检查: one visit, two departments' checklists; each 不符合 becomes a hazard found by the part's department."""
    from anquan.inspections.models import InspectionPart

    t, za = world["t"], world["za"]
    task = make_task(world["site"], inspectors=[za], kind="joint", department=t.yingji,
                     checklists=[inspection_checklist(1, department=t.yingji), inspection_checklist(1, department=t.zhujian)])
    second = task.parts.order_by("sort")[1]
    InspectionPart.objects.filter(pk=second.pk).update(department=t.zhujian)
    c = client_for(za)
    for part, text in zip(task.parts.order_by("sort"), ("应急部分：安全出口堵塞", "住建部分：脚手架未验收"), strict=True):
        item = part.checklist.items.get()
        body = {"client_id": str(uuid.uuid4()), "part": part.pk, "item": item.pk, "result": "nonconform", "hazard_description": text}
        assert call(c, "put", f"/api/v1/inspections/{task.pk}/answers", body)[0] == 201
    sign_all(c, task, [za.person])
    version = c.get(f"/api/v1/inspections/{task.pk}").json()["version"]
    status, data = call(c, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version})
    assert status == 200, data
    found = dict(Hazard.objects.filter(inspection=task).values_list("description", "finder_department"))
    assert found == {"应急部分：安全出口堵塞": t.yingji.pk, "住建部分：脚手架未验收": t.zhujian.pk}
