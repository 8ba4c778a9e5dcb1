"""The hazard API end to end: record with Base64 photos, the loop through one endpoint per transition,
409 with the reason for refused transitions, 404 for out-of-scope hazards and for child ids of other
hazards, and a constant number of queries for list and detail whatever their size."""
import base64
import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardStatus
from anquan.hazards.models import Hazard, HazardCategory, RectificationRound

from .test_loop_smoke import png

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def world():
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="接口测试厂", industries=("industry_trade",))
    site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
    other_site = make_site(tree.grid_b, industry_code="industry_trade")
    return {
        "tree": tree, "firm": firm, "site": site, "other_site": other_site,
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "street_b": make_user("street_staff", unit=tree.street_b),
        "firm_user": make_user("ent_manager", enterprise=firm),
        "anweiban": make_user("anweiban", unit=tree.district),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def call(client, method, url, body=None):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, (response.json() if response.get("Content-Type", "").startswith("application/json") else None)


def record(world, **extra) -> Hazard:
    data = {"site": world["site"].pk, "description": "配电箱门未关闭", "source": "grid",
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(), **extra}
    return services.hazard_record(actor=world["grid"], data=data, photos=[png()])


def test_record_with_base64_photos_and_read_back(world):
    client = client_for(world["grid"])
    body = {"site": world["site"].pk, "description": "消防通道堵塞", "source": "grid",
            "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "photos": [b64(png()), "data:image/png;base64," + b64(png())], "responsible_name": "王五"}
    status, data = call(client, "post", "/api/v1/hazards", body)
    assert status == 201, data
    assert data["status"] == "pending" and data["overdue"] is False and data["grid_id"] == world["tree"].grid_a.pk
    assert data["site_name"] == world["site"].name and data["enterprise_id"] == world["firm"].pk
    assert len(data["photos"]) == 2 and data["photos"][0]["url"].endswith("/file")
    assert data["responsible_person"]["name"] == "王五"
    assert data["history"] is None  # a grid worker does not read audit trails
    history = client_for(world["street"]).get(f"/api/v1/hazards/{data['id']}").json()["history"]
    assert [e["action"] for e in history] == ["record"]
    photo = client.get(data["photos"][0]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert client_for(world["street_b"]).get(data["photos"][0]["url"]).status_code == 404


@pytest.mark.parametrize("photo", ["not base64!!", b64(b"GIF89a not an image"), b64(b"\xff\xd8\xff" + b"0" * 20)])
def test_photos_are_checked_by_content(world, photo):
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = {"site": world["site"].pk, "description": "x", "source": "grid", "deadline": deadline, "photos": [photo]}
    status, data = call(client_for(world["grid"]), "post", "/api/v1/hazards", body)
    assert status == 422 and "photos" in data["errors"]
    assert not Hazard.objects.exists()


def test_out_of_scope_site_in_the_body_is_invalid(world):
    body = {"site": world["other_site"].pk, "description": "x", "source": "grid", "deadline": "2030-01-01"}
    status, data = call(client_for(world["grid"]), "post", "/api/v1/hazards", body)
    assert status == 422 and "site" in data["errors"]


def test_the_loop_through_the_api(world):
    hazard = record(world)
    firm, street = client_for(world["firm_user"]), client_for(world["street"])
    url = f"/api/v1/hazards/{hazard.pk}"
    status, data = call(firm, "post", f"{url}/start", {"version": hazard.version})
    assert status == 200 and data["status"] == "rectifying"
    status, data = call(firm, "post", f"{url}/submit-rectification",
                        {"version": data["version"], "measures_taken": "已关闭柜门", "after_photos": [b64(png())]})
    assert status == 200 and data["status"] == "awaiting_verification" and data["verification_due"]
    status, refused = call(firm, "post", f"{url}/start", {"version": data["version"]})
    assert status == 409 and "待验收" in refused["detail"]
    status, data = call(street, "post", f"{url}/send-back", {"version": data["version"], "reason": "照片不清晰"})
    assert status == 200 and data["status"] == "rectifying" and data["rounds"][0]["verdict"] == "sent_back"
    status, data = call(firm, "post", f"{url}/submit-rectification",
                        {"version": data["version"], "measures_taken": "补拍照片", "after_photos": [b64(png())]})
    status, _stale = call(street, "post", f"{url}/verify", {"version": data["version"] - 1, "passed": True})
    assert status == 409
    status, data = call(street, "post", f"{url}/verify", {"version": data["version"], "passed": True})
    assert status == 200 and data["status"] == "closed" and data["closed_on_time"] is True
    assert [r["verdict"] for r in data["rounds"]] == ["sent_back", "passed"]
    assert [len(r["photos"]) for r in data["rounds"]] == [1, 1]
    assert [e["action"] for e in data["history"]] == ["record", "start", "submit", "send_back", "submit", "verify"]


def test_patch_edits_descriptive_fields_only(world):
    hazard = record(world)
    client = client_for(world["street"])
    status, data = call(client, "patch", f"/api/v1/hazards/{hazard.pk}", {"version": hazard.version, "measures": "更换箱门锁具"})
    assert status == 200 and data["measures"] == "更换箱门锁具" and data["version"] == hazard.version + 1
    status, data = call(client, "patch", f"/api/v1/hazards/{hazard.pk}", {"version": data["version"], "deadline": "2031-01-01"})
    assert status == 422 and "deadline" in data["errors"]
    status, _ = call(client, "patch", f"/api/v1/hazards/{hazard.pk}", {"version": 0, "measures": "旧版本"})
    assert status == 409


def test_out_of_scope_hazard_is_404_on_every_endpoint(world):
    from anquan.api import api

    hazard = record(world)
    client = client_for(world["street_b"])
    paths = [p for p in api.get_openapi_schema()["paths"] if p.startswith("/api/v1/hazards/{hazard_id}")]
    assert len(paths) >= 18
    for path in paths:
        url = path.replace("{hazard_id}", str(hazard.pk))
        for name in ("extension_id", "control_id", "listing_id"):
            url = url.replace("{" + name + "}", "1")
        method = "get" if path == "/api/v1/hazards/{hazard_id}" else "post"
        body = {"version": 1, "passed": True, "approve": True, "new_deadline": "2030-01-01", "deadline": "2030-01-01",
                "criterion": 1, "site": 1, "kind": "suspend", "reason": "理由", "text": "说明"}
        status, _ = call(client, method, url, body)
        assert status == 404, (path, status)
    assert call(client, "patch", f"/api/v1/hazards/{hazard.pk}", {"version": 1})[0] == 404


def test_child_ids_of_another_hazard_are_404(world):
    first, second = record(world), record(world, description="第二处")
    anweiban = world["anweiban"]
    extension = services.extension_request(actor=world["firm_user"], hazard=second,
                                           new_deadline=second.deadline_in_force + datetime.timedelta(days=5), reason="缺料")
    control = services.control_start(actor=anweiban, hazard=second, kind="suspend", reason="第六十五条")
    client = client_for(anweiban)
    status, _ = call(client, "post", f"/api/v1/hazards/{first.pk}/extensions/{extension.pk}/decide", {"version": first.version, "approve": True})
    assert status == 404
    status, _ = call(client, "post", f"/api/v1/hazards/{first.pk}/controls/{control.pk}/end", {"reason": "解除"})
    assert status == 404
    status, data = call(client, "post", f"/api/v1/hazards/{second.pk}/controls/{control.pk}/end", {"reason": "解除"})
    assert status == 200 and data["controls"][0]["ended_at"]


def test_extension_and_overdue_explanation(world):
    hazard = record(world)
    firm, anweiban = client_for(world["firm_user"]), client_for(world["anweiban"])
    new = (hazard.deadline_in_force + datetime.timedelta(days=20)).isoformat()
    status, data = call(firm, "post", f"/api/v1/hazards/{hazard.pk}/request-extension", {"new_deadline": new, "reason": "设备待采购"})
    assert status == 200 and data["extensions"][0]["status"] == "pending"
    ext = data["extensions"][0]["id"]
    status, data = call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/extensions/{ext}/decide", {"version": data["version"], "approve": True})
    assert status == 200 and data["deadline_in_force"] == new and data["deadline"] == hazard.deadline.isoformat()
    status, data = call(firm, "post", f"/api/v1/hazards/{hazard.pk}/explain-overdue", {"text": "尚未逾期"})
    assert status == 409 and "未逾期" in data["detail"]
    Hazard.objects.filter(pk=hazard.pk).update(deadline_in_force=timezone.localdate() - datetime.timedelta(days=2))
    status, data = call(firm, "post", f"/api/v1/hazards/{hazard.pk}/explain-overdue", {"text": "材料未到货"})
    assert status == 200 and data["overdue"] is True and data["days_overdue"] == 2 and data["explanations"][0]["kind"] == "explanation"


def test_list_filters_and_derived_overdue(world):
    late, fine = record(world, description="已逾期"), record(world, description="未逾期")
    Hazard.objects.filter(pk=late.pk).update(deadline_in_force=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for(world["street"])
    status, data = call(client, "get", "/api/v1/hazards?overdue=1")
    assert status == 200 and [i["id"] for i in data["items"]] == [late.pk] and data["items"][0]["days_overdue"] == 1
    data = client.get("/api/v1/hazards", {"status": "pending", "unit": world["tree"].grid_a.pk}).json()
    assert {i["id"] for i in data["items"]} == {late.pk, fine.pk} and data["count"] == 2
    assert client.get("/api/v1/hazards", {"status": "bogus"}).json()["count"] == 0
    assert client_for(world["street_b"]).get("/api/v1/hazards").json()["count"] == 0


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


#: Measured for a street official: session read, user, assignments, the assignment's explicit grants
#: of hazards (one query, cached for the request), then count + page (list) or
#: the hazard, its 8 prefetches, the verifier's clock (rule override, holiday year: 3), the right to
#: read the history and the history itself (detail), and the session's sliding expiry write (3).
#: Independent of the size.
LIST_QUERIES, DETAIL_QUERIES = 9, 21


def test_list_makes_a_constant_number_of_queries(world, django_assert_num_queries):
    client = client_for(world["street"])
    for i in range(3):
        record(world, description=f"第{i}处")
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client.get("/api/v1/hazards?page_size=3").json()["items"]) == 3
    for i in range(30):
        record(world, description=f"另{i}处")
    category = HazardCategory.objects.create(code="T1", name="测试类别", path="/T1/")
    Hazard.objects.update(category=category)  # every column the list shows filled
    with django_assert_num_queries(LIST_QUERIES):
        items = client.get("/api/v1/hazards?page_size=30").json()["items"]
    assert len(items) == 30 and {i["category_name"] for i in items} == {"测试类别"}
    assert all(i["site_name"] and i["enterprise_name"] and i["grid_name"] for i in items)


def test_detail_makes_a_constant_number_of_queries(world, django_assert_num_queries):
    client = client_for(world["street"])
    few, many = record(world), record(world)
    for hazard in (few, many):
        services.extension_request(actor=world["firm_user"], hazard=hazard,
                                   new_deadline=hazard.deadline_in_force + datetime.timedelta(days=3), reason="缺料")
    for n in range(1, 7):  # six rounds with two photos each on one hazard, one round on the other
        for hazard in (many,) if n > 1 else (few, many):
            rnd = RectificationRound.objects.create(
                hazard=hazard, number=n, measures_taken="整改", submitted_by=world["firm_user"], submitted_role="ent_manager",
                submitted_at=timezone.now(), deadline_at_submission=hazard.deadline_in_force, on_time=True, verdict="sent_back")
            services.common.save_photos(world["firm_user"], hazard, [png(), png()], "after", round=rnd)
    Hazard.objects.filter(pk__in=[few.pk, many.pk]).update(status=HazardStatus.AWAITING, submitted_at=timezone.now())
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(client.get(f"/api/v1/hazards/{few.pk}").json()["rounds"]) == 1
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(client.get(f"/api/v1/hazards/{many.pk}").json()["rounds"]) == 6


def test_count_is_capped_and_says_so(world, monkeypatch):
    from anquan.hazards import selectors

    for i in range(5):
        record(world, description=f"第{i}处")
    client = client_for(world["street"])
    data = client.get("/api/v1/hazards?page_size=2").json()
    assert (data["count"], data["count_capped"]) == (5, False)
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    data = client.get("/api/v1/hazards?page_size=2").json()
    assert (data["count"], data["count_capped"]) == (5, False)  # exactly the cap is still exact
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    data = client.get("/api/v1/hazards?page_size=2&page=3").json()
    assert (data["count"], data["count_capped"]) == (3, True)
    assert len(data["items"]) == 1  # pages past the cap still answer their rows


def test_pages_follow_the_list_order_by_a_deferred_join(world):
    """Overdue first, then deadline in force, then id — page by page exactly the list's order; the
    page statement sorts ids in a sub-select (never whole rows) and fetches the rows by id."""
    from anquan.hazards.selectors import hazard_list

    today = timezone.localdate()
    hazards = [record(world, description=f"第{i}处") for i in range(7)]
    for i, h in enumerate(hazards):  # deadlines out of id order, three of them passed
        Hazard.objects.filter(pk=h.pk).update(deadline_in_force=today + datetime.timedelta(days=(i * 5) % 7 - 3))
    expected = list(hazard_list(world["street"], {}).values_list("pk", flat=True))
    assert sorted(expected) == sorted(h.pk for h in hazards) and expected != sorted(expected)
    client = client_for(world["street"])
    seen = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            data = client.get(f"/api/v1/hazards?page_size=3&page={page}").json()
        seen += [item["id"] for item in data["items"]]
        page_sql = [q["sql"] for q in ctx.captured_queries if "LIMIT 3" in q["sql"]]
        assert len(page_sql) == 1 and "IN (SELECT" in page_sql[0].upper()
    assert seen == expected
    overdue = [item["overdue"] for item in client.get("/api/v1/hazards?page_size=7").json()["items"]]
    assert overdue == sorted(overdue, reverse=True) and sum(overdue) == 3


def test_prefer_return_minimal_answers_the_list_item_without_reading_the_detail(world):
    client = client_for(world["grid"])
    body = {"site": world["site"].pk, "description": "消防通道堵塞", "source": "grid",
            "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()}
    full = client.post("/api/v1/hazards", data=json.dumps(body), content_type="application/json")
    assert full.status_code == 201 and "rounds" in full.json() and "Preference-Applied" not in full
    with CaptureQueriesContext(connection) as ctx:
        lean = client.post("/api/v1/hazards", data=json.dumps(body), content_type="application/json",
                           HTTP_PREFER="return=minimal")
    assert lean.status_code == 201 and lean["Preference-Applied"] == "return=minimal"
    data = lean.json()
    assert "rounds" not in data and "history" not in data
    listed = next(i for i in client.get("/api/v1/hazards?page_size=50").json()["items"] if i["id"] == data["id"])
    assert data == listed  # the same representation, value for value, as the list answers it
    assert not any("rectificationround" in q["sql"] or "audit_auditevent" in q["sql"].split("FROM")[-1][:40]
                   for q in ctx.captured_queries if q["sql"].startswith("SELECT"))
    assert len(ctx.captured_queries) < len(_write_queries(client, body))


def _write_queries(client, body):
    with CaptureQueriesContext(connection) as ctx:
        assert client.post("/api/v1/hazards", data=json.dumps(body), content_type="application/json").status_code == 201
    return ctx.captured_queries


def test_prefer_return_minimal_on_transitions(world):
    hazard = record(world)
    firm, street = client_for(world["firm_user"]), client_for(world["street"])
    url = f"/api/v1/hazards/{hazard.pk}"
    minimal = {"HTTP_PREFER": "return=minimal"}
    response = firm.post(f"{url}/start", data=json.dumps({"version": hazard.version}), content_type="application/json", **minimal)
    data = response.json()
    assert response.status_code == 200 and data["status"] == "rectifying" and "rounds" not in data
    assert data["version"] == Hazard.objects.get(pk=hazard.pk).version
    response = firm.post(f"{url}/submit-rectification", content_type="application/json", **minimal,
                         data=json.dumps({"version": data["version"], "measures_taken": "已关闭柜门", "after_photos": [b64(png())]}))
    data = response.json()
    assert data["status"] == "awaiting_verification" and data["version"] == Hazard.objects.get(pk=hazard.pk).version
    response = street.post(f"{url}/verify", data=json.dumps({"version": data["version"], "passed": True}),
                           content_type="application/json", **minimal)
    data = response.json()
    assert response.status_code == 200 and data["status"] == "closed" and data["closed_on"] == timezone.localdate().isoformat()
    assert data == client_for(world["street"]).get("/api/v1/hazards?status=closed").json()["items"][0]
    refused = street.post(f"{url}/verify", data=json.dumps({"version": data["version"], "passed": True}),
                          content_type="application/json", **minimal)
    assert refused.status_code == 409  # errors are answered as always


@pytest.mark.parametrize("deep", [0, 3, 4])
def test_deep_pages_cut_from_either_half_keep_the_order(world, monkeypatch, deep):
    """From DEEP_OFFSET on a page comes from the overdue half or from the rest (one more count);
    whatever the page size and where the halves meet, the pages are the list's order."""
    from anquan.hazards import selectors

    today = timezone.localdate()
    hazards = [record(world, description=f"第{i}处") for i in range(11)]
    for i, h in enumerate(hazards):  # five overdue, one closed with a passed deadline (not overdue), ties on deadlines
        Hazard.objects.filter(pk=h.pk).update(deadline_in_force=today + datetime.timedelta(days=(i * 3) % 5 - 2 - (i < 5) * 5),
                                              status=HazardStatus.CLOSED if i == 5 else HazardStatus.PENDING)
    Hazard.objects.filter(pk=hazards[5].pk).update(deadline_in_force=today - datetime.timedelta(days=9))
    expected = list(selectors.hazard_list(world["street"], {}).values_list("pk", flat=True))
    assert len(expected) == 11
    monkeypatch.setattr(selectors, "DEEP_OFFSET", deep)
    client = client_for(world["street"])
    for size in (1, 2, 3, 4):
        seen = []
        for page in range(1, 12 // size + 2):
            seen += [i["id"] for i in client.get(f"/api/v1/hazards?page_size={size}&page={page}").json()["items"]]
        assert seen == expected, size


def test_detail_prefetches_do_not_join_the_hazards_table(world):
    hazard = record(world)
    services.extension_request(actor=world["firm_user"], hazard=hazard,
                               new_deadline=hazard.deadline_in_force + datetime.timedelta(days=3), reason="缺料")
    with CaptureQueriesContext(connection) as ctx:
        data = client_for(world["street"]).get(f"/api/v1/hazards/{hazard.pk}").json()
    assert len(data["extensions"]) == 1
    children = [q["sql"] for q in ctx.captured_queries
                if 'FROM "hazards_deadlineextension"' in q["sql"] or 'FROM "hazards_overdueexplanation"' in q["sql"]]
    assert len(children) == 2 and not any('"hazards_hazard"' in sql for sql in children)
