"""The plan, draw and checklist API end to end: create, preview, draw, verify, issue; scope and bad input."""
import json

import pytest
import time_machine
from django.test import Client

from anquan.inspections.models import Inspection

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield pw.build()


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c, url, body, method="post"):
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def test_checklist_api_lifecycle(w):
    c = client(w["yingji"])
    r = post(c, "/api/v1/checklists", {"name": "", "items": [{"number": "1", "text": ""}]})
    assert r.status_code == 422
    assert r.json()["errors"]["name"] == ["请填写检查表名称"]
    r = post(c, "/api/v1/checklists", {"name": "应急局工贸检查表", "industry": "industry_trade", "items": pw.items(2)})
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["may_manage"] is True and len(r.json()["items"]) == 2
    assert post(c, f"/api/v1/checklists/{cid}", {"name": "改名", "items": pw.items(3)}, "put").status_code == 200
    assert client(w["zhujian"]).get(f"/api/v1/checklists/{cid}").status_code == 404  # a draft of another department
    assert post(c, f"/api/v1/checklists/{cid}/publish", {}).status_code == 200
    assert post(c, f"/api/v1/checklists/{cid}", {"name": "再改", "items": []}, "put").status_code == 409
    street = client(w["street"])
    assert street.get(f"/api/v1/checklists/{cid}").json()["may_manage"] is False
    assert post(street, f"/api/v1/checklists/{cid}/new-version", {}).status_code == 403
    r = post(c, f"/api/v1/checklists/{cid}/new-version", {})
    assert r.status_code == 201 and r.json()["version"] == 2
    assert client(w["other_zj"]).get(f"/api/v1/checklists/{cid}").status_code == 404
    ids = {i["id"] for i in street.get("/api/v1/checklists?usable=true").json()["items"]}
    assert cid in ids and r.json()["id"] not in ids


def test_plan_api_draw_verify_issue(w):
    checklist = pw.published(w["admin"], "通用检查表")
    c = client(w["yingji"])
    body = {"name": "双随机抽查", "kind": "industry", **pw.PERIOD, "checklists": [checklist.pk], "enforcement": True}
    r = post(c, "/api/v1/inspection-plans/preview", {**body, "industries": ["hazchem"]})
    assert r.json()["count"] == 1
    r = post(c, "/api/v1/inspection-plans", {**body, "period_end": "2026-02-30"})
    assert r.status_code == 422 and "结束日期" in r.json()["errors"]["period_end"][0]
    r = post(c, "/api/v1/inspection-plans", body)
    assert r.status_code == 201, r.content
    plan = r.json()
    pool = c.get(f"/api/v1/inspection-plans/{plan['id']}/pool").json()
    assert {p["person_id"] for p in pool} == {w[k].person_id for k in ("zf1", "zf2", "zf3")}
    r = post(c, f"/api/v1/inspection-plans/{plan['id']}/draws",
             {"version": plan["version"], "seed": 2026, "target_count": 2, "pool": [p["person_id"] for p in pool]})
    assert r.status_code == 201, r.content
    draw = r.json()
    assert draw["seed"] == 2026 and len(draw["result"]) == 2
    assert c.get(f"/api/v1/draws/{draw['id']}/verify").json() == {"same": True, "result": draw["result"]}
    assert client(w["zhujian"]).get(f"/api/v1/draws/{draw['id']}").status_code == 404
    assert client(w["street"]).get(f"/api/v1/inspection-plans/{plan['id']}").status_code == 404
    version = c.get(f"/api/v1/inspection-plans/{plan['id']}").json()["version"]
    assert post(c, f"/api/v1/inspection-plans/{plan['id']}/issue", {"version": version - 1}).status_code == 409
    r = post(c, f"/api/v1/inspection-plans/{plan['id']}/issue", {"version": version})
    assert r.status_code == 200, r.content
    detail = r.json()
    assert detail["status"] == "issued"
    assert sorted(t["site_id"] for t in detail["tasks"]) == sorted(x["site"] for x in draw["result"])
    for task, drawn in zip(sorted(detail["tasks"], key=lambda t: t["site_id"]), sorted(draw["result"], key=lambda x: x["site"]), strict=False):
        assert task["inspectors"] == drawn["inspectors"]
    assert Inspection.objects.filter(plan_id=plan["id"]).count() == 2


def test_unannounced_plan_not_leaked_through_api(w):
    checklist = pw.published(w["admin"], "通用检查表")
    c = client(w["yingji"])
    r = post(c, "/api/v1/inspection-plans", {"name": "暗访", "kind": "unannounced", **pw.PERIOD,
                                             "territory": w["tree"].street_a.pk, "checklists": [checklist.pk]})
    plan = r.json()
    post(c, f"/api/v1/inspection-plans/{plan['id']}/issue", {"version": plan["version"], "inspectors": [w["zf1"].person_id]})
    for user in ("firm_user", "street", "grid"):
        cu = client(w[user])
        assert cu.get(f"/api/v1/inspection-plans/{plan['id']}").status_code == 404
        assert plan["id"] not in {p["id"] for p in cu.get("/api/v1/inspection-plans").json()["items"]}
        assert cu.get("/api/v1/inspections").json()["count"] == 0


# ---------------------------------------------------------------- no input gives a 5xx (real ids)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FIELDS = ["version", "name", "kind", "period_start", "period_end", "territory", "industries", "risk_colours",
          "checklists", "joint_departments", "part_departments", "enforcement", "unannounced", "inspectors_per_task",
          "notes", "inspectors", "seed", "target_count", "inspectors_per_target", "pool", "items", "industry", "basis",
          "reason", "number", "text", "category", "suggested_level", "major_criterion"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=8)
bodies = st.one_of(values, st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
ROUTES = [("post", "/api/v1/inspection-plans"), ("post", "/api/v1/inspection-plans/preview"),
          ("put", "/api/v1/inspection-plans/{plan}"), ("post", "/api/v1/inspection-plans/{plan}/issue"),
          ("post", "/api/v1/inspection-plans/{plan}/draws"), ("post", "/api/v1/checklists"),
          ("put", "/api/v1/checklists/{draft}"), ("post", "/api/v1/checklists/{published}/retire"),
          ("post", "/api/v1/checklists/{draft}/publish"),
          ("post", "/api/v1/inspection-plans/{issued}/tasks/{task}/inspectors")]


@pytest.fixture
def fuzz_world(w):
    draft = pw.published(w["yingji"], "模糊测试检查表")
    from anquan.inspections.services import checklists as cl
    from anquan.inspections.services import plans

    plan = plans.plan_create(actor=w["yingji"], data={"name": "模糊测试计划", "kind": "industry", **pw.PERIOD,
                                                      "checklists": [draft.pk]})
    issued = plans.plan_create(actor=w["yingji"], data={"name": "模糊测试已下达计划", "kind": "industry", **pw.PERIOD,
                                                        "checklists": [draft.pk], "industries": ["hazchem"]})
    [task] = plans.plan_issue(actor=w["yingji"], plan=issued, version=issued.version, inspectors=[w["zf1"].person_id])
    new_draft = cl.checklist_new_version(actor=w["yingji"], checklist=draft)
    return client(w["yingji"]), {"plan": plan.pk, "draft": new_draft.pk, "published": draft.pk, "issued": issued.pk,
                                 "task": task.pk}


@pytest.mark.slow
@pytest.mark.parametrize(("method", "route"), ROUTES)
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_no_body_gives_a_server_error(fuzz_world, method, route, body):
    c, ids = fuzz_world
    url = route.format(**ids)
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        response = post(c, url, body, method)
    assert response.status_code < 500, (method, url, body, response.content[:300])
