"""The task API: list (my open tasks first, filters), detail shape, the expired-session replay with a
fresh CSRF token, Chinese 422s from the schema, and no 5xx for random bodies on the perform endpoints."""
from __future__ import annotations

import base64
import datetime
import json
import uuid

import pytest
import time_machine
from django.conf import settings as dj_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.inspections.models import Answer, AnswerPhoto, Signature

from .factories import make_task, png_bytes

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        t = make_tree()
        za = make_user("inspector", department=t.yingji, username="za", name="执法甲", password="pw-za-123456")
        zb = make_user("inspector", department=t.yingji, username="zb", name="执法乙")
        firm = make_enterprise(t.grid_a, industries=("industry_trade",))
        site = make_site(t.grid_a, enterprise=firm)
        other_site = make_site(t.grid_a2, enterprise=firm)
        old = make_task(site, inspectors=[zb], department=t.yingji, planned_on=datetime.date(2026, 11, 25))
        mine = make_task(other_site, inspectors=[za, zb], department=t.yingji, planned_on=datetime.date(2026, 11, 1), items=2)
        done = make_task(site, inspectors=[za], department=t.yingji, planned_on=datetime.date(2026, 11, 30))
        type(done).objects.filter(pk=done.pk).update(status="performed", performed_at=NOW)
        yield {"t": t, "za": za, "zb": zb, "old": old, "mine": mine, "done": done}


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_list_puts_my_open_tasks_first_and_filters(world):
    c = client(world["za"])
    ids = [i["id"] for i in c.get("/api/v1/inspections").json()["items"]]
    # za's open task first, although planned earliest; then the rest newest first
    assert ids[0] == world["mine"].pk
    assert ids[1:] == [world["done"].pk, world["old"].pk]
    assert [i["id"] for i in c.get("/api/v1/inspections?status=performed").json()["items"]] == [world["done"].pk]
    assert {i["id"] for i in c.get("/api/v1/inspections?mine=1").json()["items"]} == {world["mine"].pk, world["done"].pk}
    first = c.get("/api/v1/inspections").json()["items"][0]
    assert first["status_label"] == "待检查" and first["kind_label"] == "行业检查" and first["site_name"]


def test_detail_has_parts_items_answers_signatures(world):
    c = client(world["za"])
    task = world["mine"]
    part = task.parts.get()
    item = part.checklist.items.first()
    c.put(f"/api/v1/inspections/{task.pk}/answers", content_type="application/json",
          data={"client_id": str(uuid.uuid4()), "part": part.pk, "item": item.pk, "result": "nonconform", "hazard_description": "x"})
    data = c.get(f"/api/v1/inspections/{task.pk}").json()
    assert data["may_perform"] is True and data["status"] == "in_progress"
    assert [p["id"] for p in data["parts"]] == [part.pk] and len(data["parts"][0]["items"]) == 2
    assert data["answers"][0]["item_id"] == item.pk and data["answers"][0]["answered_by"] == "执法甲"
    assert {p["name"] for p in data["inspectors"]} == {"执法甲", "执法乙"}
    assert data["signatures"] == [] and data["hazard_ids"] == []


def test_schema_errors_are_chinese(world):
    c = client(world["za"])
    task = world["mine"]
    part = task.parts.get()
    r = c.put(f"/api/v1/inspections/{task.pk}/answers", content_type="application/json",
              data={"client_id": str(uuid.uuid4()), "part": part.pk, "item": 1, "result": "conform", "rectify_days": 0})
    assert r.status_code == 422 and r.json()["errors"]["rectify_days"] == ["数值过小"]
    r = c.post(f"/api/v1/inspections/{task.pk}/complete", content_type="application/json", data={})
    assert r.status_code == 422 and r.json()["errors"]["version"] == ["此字段为必填项"]


def test_expired_session_replay_without_duplicates(world):
    """The phone's outbox after the session expired: 401, sign in again, replay with the new CSRF cookie."""
    task, za = world["mine"], world["za"]
    part = task.parts.get()
    item = part.checklist.items.first()
    phone = Client(enforce_csrf_checks=True)
    with time_machine.travel(NOW, tick=False):
        phone.get("/login/")
        token = phone.cookies["csrftoken"].value
        assert phone.post("/login/", {"username": "za", "password": "pw-za-123456", "csrfmiddlewaretoken": token}).status_code == 302
        phone.get(f"/inspections/{task.pk}/perform/")
        old_token = phone.cookies["csrftoken"].value
        answer = {"client_id": str(uuid.uuid4()), "part": part.pk, "item": item.pk, "result": "nonconform",
                  "hazard_description": "消防通道堵塞"}
        sig = {"client_id": str(uuid.uuid4()), "signer_kind": "inspector", "person": za.person_id,
               "image": base64.b64encode(png_bytes()).decode()}

        def send(method, url, body, token):
            return getattr(phone, method)(url, data=json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)

        r = send("put", f"/api/v1/inspections/{task.pk}/answers", answer, old_token)
        assert r.status_code == 201
        answer_id = r.json()["id"]
        photo = {"client_id": str(uuid.uuid4()), "photo": base64.b64encode(png_bytes()).decode()}
        assert send("post", f"/api/v1/inspections/{task.pk}/answers/{answer_id}/photos", photo, old_token).status_code == 201
        # the session expires: the phone's next sends answer 401 and it keeps its outbox
        phone.cookies.pop(dj_settings.SESSION_COOKIE_NAME)
        r = send("post", f"/api/v1/inspections/{task.pk}/signatures", sig, old_token)
        assert r.status_code == 401 and "登录" in r.json()["detail"]
        # signed in again: the CSRF token changed; the old one is refused, the cookie's new one works
        assert phone.post("/login/", {"username": "za", "password": "pw-za-123456",
                                      "csrfmiddlewaretoken": old_token}, HTTP_X_CSRFTOKEN=old_token).status_code == 302
        new_token = phone.cookies["csrftoken"].value
        assert new_token != old_token
        r = send("put", f"/api/v1/inspections/{task.pk}/answers", answer, "stale-token-0123456789abcdef0123456789")
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        # the whole outbox is replayed, in order: what had arrived is not stored twice
        assert send("put", f"/api/v1/inspections/{task.pk}/answers", answer, new_token).status_code == 200
        assert send("post", f"/api/v1/inspections/{task.pk}/answers/{answer_id}/photos", photo, new_token).status_code == 200
        assert send("post", f"/api/v1/inspections/{task.pk}/signatures", sig, new_token).status_code == 201
        assert send("post", f"/api/v1/inspections/{task.pk}/signatures", sig, new_token).status_code == 200
    assert Answer.objects.filter(part__inspection=task).count() == 1
    assert AnswerPhoto.objects.filter(answer__part__inspection=task).count() == 1
    assert Signature.objects.filter(inspection=task).count() == 1


field_names = st.sampled_from(["client_id", "part", "item", "result", "note", "hazard_description", "hazard_level",
                               "hazard_location", "rectify_days", "photo", "signer_kind", "person", "name", "post",
                               "refused", "note", "image", "version", "place", "summary", "handling"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=30),
                    st.sampled_from(["conform", "nonconform", "na", "inspector", "representative", "general", "major",
                                     "iVBORw0KGgo=", "00000000-0000-4000-8000-000000000000"]))
bodies = st.one_of(scalars, st.dictionaries(field_names, scalars, max_size=8))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(op=st.sampled_from(["answers", "photos", "signatures", "complete", "start"]), body=bodies, use_ids=st.booleans())
def test_perform_endpoints_never_answer_5xx(world, op, body, use_ids):
    task = world["mine"]
    c = client(world["za"])
    part = task.parts.get()
    if use_ids and isinstance(body, dict):
        body = {**body, "part": part.pk, "item": part.checklist.items.first().pk}
    answer = Answer.objects.filter(part__inspection=task).first()
    urls = {
        "answers": ("put", f"/api/v1/inspections/{task.pk}/answers"),
        "photos": ("post", f"/api/v1/inspections/{task.pk}/answers/{answer.pk if answer else 1}/photos"),
        "signatures": ("post", f"/api/v1/inspections/{task.pk}/signatures"),
        "complete": ("post", f"/api/v1/inspections/{task.pk}/complete"),
        "start": ("post", f"/api/v1/inspections/{task.pk}/start"),
    }
    method, url = urls[op]
    response = getattr(c, method)(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code < 500, (op, body, response.content[:300])
