"""指定场所: a plan naming its target sites (a 暗访 after a public tip, an expert visit) — service, API, page,
and the hidden-until rule for an unannounced plan naming an enterprise's site."""
import datetime
import json

import pytest
import time_machine
from django.test import Client

from anquan.audit.models import AuditEvent
from anquan.core.errors import Invalid
from anquan.enterprises.models import Site
from anquan.inspections.models import Inspection, InspectionPlan
from anquan.inspections.services import plans

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


@pytest.fixture
def w():
    w = pw.build()
    w["checklist"] = pw.published(w["admin"], "工贸通用检查表")
    return w


def data(w, **extra):
    return {"name": "举报核查暗访", "kind": "territorial", **pw.PERIOD, "checklists": [w["checklist"].pk], **extra}


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c, url, body, method="post"):
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def refused(text, fn, **kwargs):
    """``fn(**kwargs)`` raises Invalid with ``text`` in the 指定场所 message."""
    with pytest.raises(Invalid) as err:
        fn(**kwargs)
    assert text in err.value.errors["target_sites"][0], err.value.errors
    return err.value.errors["target_sites"][0]


# --- service ---------------------------------------------------------------------------------------------


def test_named_sites_in_scope_are_the_targets_and_issue_makes_exactly_those_tasks(w):
    named = [w["shop"].pk, w["site_a"].pk]
    assert plans.plan_preview(actor=w["street"], data=data(w, target_sites=named)) == {
        "count": 2, "sample": sorted([w["shop"].name, w["site_a"].name])}
    plan = plans.plan_create(actor=w["street"], data=data(w, target_sites=named))
    assert sorted(plan.target_sites.values_list("pk", flat=True)) == sorted(named)
    # Without the names the street's plan would reach four sites.
    assert set(plans.plan_sites(plan).values_list("pk", flat=True)) == set(named)
    created = AuditEvent.objects.get(model_key="inspectionplan", object_id=plan.pk, action="create")
    assert created.after["target_sites"] == sorted(named)
    tasks = plans.plan_issue(actor=w["street"], plan=plan, version=plan.version,
                             inspectors=[w["street"].person_id, w["grid"].person_id])
    assert sorted(t.site_id for t in tasks) == sorted(named)
    assert Inspection.objects.filter(plan=plan).count() == 2
    # Editing the names is audited as a change.
    other = plans.plan_create(actor=w["street"], data=data(w, target_sites=[w["site_a"].pk]))
    plans.plan_update(actor=w["street"], plan=other, version=other.version, data=data(w, target_sites=[w["site_c"].pk]))
    updated = AuditEvent.objects.get(model_key="inspectionplan", object_id=other.pk, action="update")
    assert updated.before["target_sites"] == [w["site_a"].pk] and updated.after["target_sites"] == [w["site_c"].pk]


def test_out_of_scope_sites_are_refused_with_a_message_naming_them(w):
    # The street cannot see street B's site: named by its number only (no leak of the name).
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["street"], data=data(w, target_sites=[w["site_a"].pk, w["site_b"].pk]))
    msg = err.value.errors["target_sites"][0]
    assert f"编号{w['site_b'].pk}" in msg and "不在您可检查的" in msg and w["site_b"].name not in msg
    # The district sees it, but the plan's territory is street A: named, with the territory.
    with pytest.raises(Invalid) as err:
        plans.plan_create(actor=w["anweiban"], data=data(w, territory=w["tree"].street_a.pk, target_sites=[w["site_b"].pk]))
    assert err.value.errors["target_sites"] == [
        f"指定场所“{w['site_b'].name}”不在您可检查的{w['tree'].street_a.name}内场所中（或已注销、已关闭），请重新选择"]
    # A department names only what it regulates; a closed firm's site and a missing id are refused too.
    refused("不在您可检查的", plans.plan_create, actor=w["zhujian"], data=data(w, kind="industry", target_sites=[w["site_a"].pk]))
    for bad in ([w["site_x"].pk], [999999], ["abc"], [0]):
        with pytest.raises(Invalid) as err:
            plans.plan_create(actor=w["anweiban"], data=data(w, target_sites=bad))
        assert err.value.errors["target_sites"]
    # Filters do not combine with names (nobody should believe a filter applies).
    refused("不再按行业领域、风险等级筛选", plans.plan_create, actor=w["anweiban"],
            data=data(w, target_sites=[w["site_a"].pk], risk_colours=["red"]))
    assert not InspectionPlan.objects.exists()
    # The enterprise names its own sites only.
    own = plans.plan_create(actor=w["firm_user"], data=data(w, kind="self", target_sites=[w["site_a2"].pk]))
    assert list(plans.plan_sites(own).values_list("pk", flat=True)) == [w["site_a2"].pk]
    refused("不在您可检查的", plans.plan_create, actor=w["firm_user"], data=data(w, kind="self", target_sites=[w["site_c"].pk]))


def test_a_named_site_voided_after_saving_stops_the_issue_and_a_draw_draws_among_named(w):
    plan = plans.plan_create(actor=w["street"], data=data(w, target_sites=[w["site_a"].pk, w["shop"].pk]))
    Site.objects.filter(pk=w["shop"].pk).update(voided_at=datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC))
    with pytest.raises(Invalid) as err:
        plans.plan_issue(actor=w["street"], plan=plan, version=plan.version, inspectors=[w["street"].person_id])
    assert w["shop"].name in err.value.errors["target_sites"][0]
    assert not Inspection.objects.exists()
    drawn_plan = plans.plan_create(actor=w["anweiban"], data=data(w, target_sites=[w["site_a"].pk, w["site_c"].pk, w["site_b"].pk]))
    pool = [w["zf1"].person_id, w["zf2"].person_id, w["zf3"].person_id]
    draw = plans.plan_draw(actor=w["anweiban"], plan=drawn_plan, version=drawn_plan.version, seed=5, target_count=2, pool=pool)
    assert draw.frame == sorted([w["site_a"].pk, w["site_c"].pk, w["site_b"].pk])
    assert len(draw.result) == 2 and {r["site"] for r in draw.result} <= set(draw.frame)
    drawn_plan.refresh_from_db()
    tasks = plans.plan_issue(actor=w["anweiban"], plan=drawn_plan, version=drawn_plan.version)
    assert sorted(t.site_id for t in tasks) == sorted(r["site"] for r in draw.result)


# --- API -------------------------------------------------------------------------------------------------


def test_api_create_edit_and_detail_with_target_sites(w):
    c = client(w["anweiban"])
    r = post(c, "/api/v1/inspection-plans/preview", data(w, target_sites=[w["site_c"].pk]))
    assert r.status_code == 200 and r.json()["count"] == 1
    r = post(c, "/api/v1/inspection-plans", data(w, kind="unannounced", target_sites=[w["site_c"].pk, w["site_a"].pk]))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["target_sites"] == sorted([w["site_c"].pk, w["site_a"].pk]) and body["unannounced"] is True
    pid = body["id"]
    assert c.get(f"/api/v1/inspection-plans/{pid}").json()["target_sites"] == body["target_sites"]
    r = post(c, f"/api/v1/inspection-plans/{pid}", {**data(w, kind="unannounced", target_sites=[w["site_b"].pk]),
                                                      "version": body["version"]}, "put")
    assert r.status_code == 200 and r.json()["target_sites"] == [w["site_b"].pk]
    # Out of scope: the street names street B's site → 422 with the message, nothing saved.
    street = client(w["street"])
    r = post(street, "/api/v1/inspection-plans", data(w, target_sites=[w["site_b"].pk]))
    assert r.status_code == 422
    assert "不在您可检查的" in r.json()["errors"]["target_sites"][0]
    r = post(street, "/api/v1/inspection-plans/preview", data(w, target_sites=[w["site_b"].pk]))
    assert r.status_code == 422
    assert InspectionPlan.objects.count() == 1


@pytest.mark.parametrize("junk", [
    "abc", 5, None, {"a": 1}, [None], ["x"], [0], [-3], [2**63], [1.5], [[1]], ["1; drop table"], list(range(1, 300)),
    [999999999],
])
def test_api_junk_target_sites_is_422_not_500(w, junk):
    r = post(client(w["anweiban"]), "/api/v1/inspection-plans", data(w, target_sites=junk))
    assert r.status_code in (422, 400), (junk, r.status_code, r.content)
    assert not InspectionPlan.objects.exists()


# --- page ------------------------------------------------------------------------------------------------


def form(w, **extra):
    return {"name": "举报核查", "kind": "territorial", **pw.PERIOD, "territory": str(w["tree"].street_a.pk),
            "checklists": [str(w["checklist"].pk)], "inspectors_per_task": "2", **extra}


def test_page_round_trip_keeps_picked_sites_and_search_is_scoped(w):
    c = client(w["street"])
    bad = c.post("/inspection-plans/new/", form(w, name="", target_sites=[str(w["site_a"].pk), str(w["shop"].pk)]))
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "请填写计划名称" in body
    for site in (w["site_a"], w["shop"]):
        assert f'name="target_sites" value="{site.pk}" id="f-site-{site.pk}" checked' in body and site.name in body
    # An out-of-scope number: the message, the number kept, never the name.
    bad = c.post("/inspection-plans/new/", form(w, target_sites=[str(w["site_a"].pk), str(w["site_b"].pk)]))
    body = bad.content.decode()
    assert bad.status_code == 422 and "不在您可检查的" in body
    assert f'value="{w["site_b"].pk}"' in body and w["site_b"].name not in body
    ok = c.post("/inspection-plans/new/", form(w, target_sites=[str(w["site_a"].pk), str(w["shop"].pk)]))
    assert ok.status_code == 302
    plan = InspectionPlan.objects.get()
    assert sorted(plan.target_sites.values_list("pk", flat=True)) == sorted([w["site_a"].pk, w["shop"].pk])
    detail = c.get(f"/inspection-plans/{plan.pk}/").content.decode()
    assert 'data-testid="target-sites"' in detail and w["shop"].name in detail
    edit = c.get(f"/inspection-plans/{plan.pk}/edit/").content.decode()
    assert f'value="{w["shop"].pk}" id="f-site-{w["shop"].pk}" checked' in edit
    # The picker: the street's sites only, searched by name, already picked ones left out.
    r = c.get("/inspection-plans/sites/", {"site_q": "测试场所", "territory": w["tree"].street_a.pk,
                                           "target_sites": [w["site_a"].pk]}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200
    assert f'value="{w["site_a2"].pk}"' in html and f'value="{w["site_c"].pk}"' in html
    assert f'value="{w["site_a"].pk}"' not in html and f'value="{w["site_b"].pk}"' not in html
    assert f'value="{w["site_x"].pk}"' not in html  # the closed firm's site
    # Another street's territory id is ignored (falls back to the user's own); junk is harmless.
    r = c.get("/inspection-plans/sites/", {"site_q": w["site_b"].name, "territory": w["tree"].street_b.pk})
    assert r.status_code == 200 and f'value="{w["site_b"].pk}"' not in r.content.decode()
    assert c.get("/inspection-plans/sites/", {"territory": "x' or 1", "target_sites": ["a", "-1"]}).status_code == 200
    assert client(w["firm_user"]).get("/inspection-plans/sites/").status_code == 200  # its own sites
    assert client(w["grid"]).get("/inspection-plans/sites/", {"plan": plan.pk}).status_code in (403, 404)


# --- hidden until performed ------------------------------------------------------------------------------


@pytest.mark.slow
def test_unannounced_plan_naming_qiye_a_site_is_hidden_from_it_and_its_street():
    from anquan.accounts.models import User
    from anquan.core.tests.matrix_world import assignment_of, build_world

    build_world()

    def user(name):
        return User.objects.get(username=name)

    anweiban, jiedao_a, qiye_a = user("anweiban"), user("jiedao_a"), user("qiye_a")
    site = Site.objects.filter(enterprise=assignment_of("qiye_a").enterprise, voided_at__isnull=True).order_by("pk").first()
    checklist = pw.published(user("admin"), "暗访检查表")
    plan = plans.plan_create(actor=anweiban, data={
        "name": "群众举报核查（暗访）", "kind": "unannounced", **pw.PERIOD, "territory": assignment_of("jiedao_a").unit_id,
        "checklists": [checklist.pk], "target_sites": [site.pk], "enforcement": True})
    tasks = plans.plan_issue(actor=anweiban, plan=plan, version=plan.version,
                             inspectors=[user("zhifa_a").person_id, user("zhifa_b").person_id])
    assert [t.site_id for t in tasks] == [site.pk]
    assert InspectionPlan.objects.visible_to(anweiban).filter(pk=plan.pk).exists()
    for who in (jiedao_a, qiye_a, user("wangge_a")):
        assert not InspectionPlan.objects.visible_to(who).filter(pk=plan.pk).exists(), who
        assert not Inspection.objects.visible_to(who).filter(plan=plan).exists(), who
        c = client(who)
        assert c.get(f"/api/v1/inspection-plans/{plan.pk}").status_code == 404
        assert plan.pk not in [p["id"] for p in c.get("/api/v1/inspection-plans").json()["items"]]
        assert c.get(f"/inspection-plans/{plan.pk}/").status_code == 404
        assert plan.name not in c.get("/inspection-plans/").content.decode()
