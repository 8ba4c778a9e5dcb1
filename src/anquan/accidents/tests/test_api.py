"""The API: classify (every answer a level code and name; bad input a Chinese 422, never 500), report through
the API as the enterprise (statutory held-out cases are run this way), the detail's legs and dates, 补报 with
regrading and refusal after the window, scoping (404 sideways), investigation actions and 三责同追."""
import datetime
import json

import pytest
import time_machine
from django.test import Client

from ..models import Accident
from .test_services import t

pytestmark = [pytest.mark.frozen("2026-11-22 23:30 +0800"), pytest.mark.django_db]


def when(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("query", "level", "name"), [
    ("deaths=2&serious_injuries=9&direct_loss_yuan=9999999.99", "general", "一般"),
    ("deaths=3", "larger", "较大"),
    ("serious_injuries=10", "larger", "较大"),
    ("direct_loss_yuan=10000000", "larger", "较大"),
    ("deaths=10&serious_injuries=0&direct_loss_yuan=0", "major", "重大"),
    ("serious_injuries=50", "major", "重大"),
    ("direct_loss_yuan=50000000.00", "major", "重大"),
    ("deaths=30", "especially_major", "特别重大"),
    ("serious_injuries=100", "especially_major", "特别重大"),
    ("direct_loss_yuan=100000000", "especially_major", "特别重大"),
    ("deaths=0&serious_injuries=0&direct_loss_yuan=0", "general", "一般"),
    ("deaths=29&serious_injuries=99&direct_loss_yuan=99999999.99", "major", "重大"),
])
def test_classify(aworld, query, level, name):
    response = client_of(aworld["users"]["qiye_a"]).get(f"/api/v1/accidents/classify?{query}")
    assert response.status_code == 200
    assert response.json() == {"level": level, "level_name": name}


@pytest.mark.parametrize("query", ["deaths=-1", "deaths=abc", "deaths=1.5", "serious_injuries=-3", "direct_loss_yuan=-0.01",
                                   "direct_loss_yuan=NaN", "direct_loss_yuan=inf", "direct_loss_yuan=abc",
                                   "deaths=99999999999999999999999", "direct_loss_yuan=1e40", "deaths="])
def test_classify_refuses_bad_input_in_chinese(aworld, query):
    response = client_of(aworld["users"]["qiye_a"]).get(f"/api/v1/accidents/classify?{query}")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "提交的数据有误，请检查后重试" and body["errors"]


def test_classify_needs_sign_in():
    assert Client().get("/api/v1/accidents/classify?deaths=1").status_code == 401


def test_enterprise_reports_through_the_api_and_reads_the_clocks(aworld):
    qiye = client_of(aworld["users"]["qiye_a"])
    response = post(qiye, "/api/v1/accidents", {
        "occurred_at": "2026-11-22T22:40:00+08:00", "learned_at": "2026-11-22T22:50:00+08:00",
        "place": "3号楼脚手架", "account": "一名工人从脚手架坠落", "kind": "fall", "deaths": 1, "client_key": "k1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["level_name"]) == ("general", "一般")
    assert body["site"]["id"] == aworld["S_A"].pk  # the enterprise's own site by default
    assert body["late_addition_until"] == "2026-12-22" and body["investigation_due"] == "2027-01-21"
    legs = {leg["level"]: leg for leg in body["legs"]}
    assert list(legs) == ["unit", "county", "city"]
    assert when(legs["unit"]["due_at"]) == t("2026-11-22T23:50") and legs["unit"]["late"] is False  # learned 22:50 + 1 h
    assert when(legs["county"]["due_at"]) == t("2026-11-23T01:30")
    assert legs["city"]["due_at"] is None
    assert "不顺延" in body["addition_window_note"]
    accident_id = body["id"]

    with time_machine.travel(t("2026-11-26T09:00"), tick=False):
        qiye = client_of(aworld["users"]["qiye_a"])  # a new sign-in: sessions end 12 hours after sign-in
        regraded = post(qiye, f"/api/v1/accidents/{accident_id}/additions",
                        {"version": body["version"], "deaths": 3, "note": "两名重伤者经抢救无效死亡"})
        assert regraded.status_code == 201, regraded.content
        after = regraded.json()
        assert (after["level"], after["level_name"]) == ("larger", "较大")
        assert after["investigation"]["body_level"] == "city"
        assert [leg["level"] for leg in after["legs"]] == ["unit", "county", "city", "province"]
        assert after["additions"][0]["deaths"] == 3
    with time_machine.travel(t("2026-12-23T00:01"), tick=False):
        qiye = client_of(aworld["users"]["qiye_a"])
        late = post(qiye, f"/api/v1/accidents/{accident_id}/additions", {"version": after["version"], "deaths": 4})
        assert late.status_code == 422
        assert "2026年12月22日" in late.json()["errors"]["changed_at"][0]

    street = client_of(aworld["users"]["jiedao_a"])
    assert street.get(f"/api/v1/accidents/{accident_id}").status_code == 200
    assert accident_id in {a["id"] for a in street.get("/api/v1/accidents").json()["items"]}
    other = client_of(aworld["users"]["jiedao_b"])
    assert other.get(f"/api/v1/accidents/{accident_id}").status_code == 404
    assert accident_id not in {a["id"] for a in other.get("/api/v1/accidents").json()["items"]}


def test_create_refusals(aworld):
    users = aworld["users"]
    grid = client_of(users["wangge_a"])
    assert post(grid, "/api/v1/accidents", {"place": "x", "account": "y", "kind": "fall"}).status_code == 403
    street = client_of(users["jiedao_a"])
    response = post(street, "/api/v1/accidents", {"site": aworld["S_B"].pk, "place": "x", "account": "y", "kind": "fall"})
    assert response.status_code == 422 and "site" in response.json()["errors"]
    response = post(street, "/api/v1/accidents", {"site": aworld["S_A"].pk, "place": "x", "account": "y", "kind": "boom"})
    assert response.status_code == 422
    response = post(street, "/api/v1/accidents", {"site": aworld["S_A"].pk, "place": "x", "account": "y", "kind": "fall",
                                                   "deaths": -1})
    assert response.status_code == 422


def test_legs_and_investigation_actions_through_the_api(aworld):
    users = aworld["users"]
    acc = Accident.objects.get(pk=aworld["ACC_A"].pk)
    county = acc.legs.get(level="county")
    yingji = client_of(users["yingji"])
    response = post(yingji, f"/api/v1/accidents/{acc.pk}/legs/{county.pk}/forward", {})
    assert response.status_code == 200
    assert {leg["level"]: leg for leg in response.json()["legs"]}["city"]["received_at"]
    assert post(client_of(users["jiedao_a"]), f"/api/v1/accidents/{acc.pk}/legs/{county.pk}/inform",
                {"party": "工会"}).status_code == 403
    inv = acc.investigation
    response = post(yingji, f"/api/v1/accidents/{acc.pk}/investigation/team",
                    {"version": inv.version, "team_leader": "区应急管理局局长",
                     "team_members": [{"name": "李工", "unit": "区住建局"}, {"name": "王工", "unit": "区总工会", "role": "成员"}]})
    assert response.status_code == 200 and response.json()["status"] == "investigating"
    response = post(yingji, f"/api/v1/accidents/{acc.pk}/close", {"version": response.json()["version"]})
    assert response.status_code == 403  # 结案 is the 安委办's
    response = post(client_of(users["anweiban"]), f"/api/v1/accidents/{acc.pk}/close", {"version": acc.version})
    assert response.status_code == 409 and "不能结案" in response.json()["detail"]


def test_three_responsibilities_pursued_together(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    anweiban = client_of(users["anweiban"])
    zhujian_dept = acc.department
    street = aworld["G_A"].parent.parent if aworld["G_A"].parent.kind == "community" else aworld["G_A"].parent
    bodies = [
        {"target_enterprise": aworld["E_A"].pk, "content": "未落实高处作业安全措施", "proposed_handling": "依法处以罚款"},
        {"target_department": zhujian_dept.pk, "content": "对项目安全监管不到位", "proposed_handling": "通报批评"},
        {"target_unit": street.pk, "content": "属地巡查不到位", "proposed_handling": "警示约谈"},
    ]
    kinds = []
    for body in bodies:
        response = post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability", body)
        assert response.status_code == 201, response.content
        kinds.append(response.json()["responsibility"])
    assert kinds == ["primary", "regulatory", "territorial"]
    listed = anweiban.get(f"/api/v1/accidents/{acc.pk}/accountability").json()
    assert len(listed) == 3
    # not the accident's enterprise / a unit off the chain: refused; a street may not open accountability
    assert post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability",
                {"target_enterprise": aworld["E_B"].pk, "content": "x", "proposed_handling": "y"}).status_code == 422
    assert post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability",
                {"target_unit": aworld["G_B"].pk, "content": "x", "proposed_handling": "y"}).status_code == 422
    assert post(client_of(users["jiedao_a"]), f"/api/v1/accidents/{acc.pk}/accountability",
                {"target_enterprise": aworld["E_A"].pk, "content": "x", "proposed_handling": "y"}).status_code == 403
    assert client_of(users["jiedao_b"]).get(f"/api/v1/accidents/{acc.pk}/accountability").status_code == 404


def test_statistics_against_last_year(aworld):
    from .. import services
    from .world import report_data

    users = aworld["users"]
    services.accident_report(actor=users["qiye_a"], data=report_data(
        aworld["S_A"], occurred_at=t("2025-06-01T10:00"), learned_at=t("2025-06-01T10:00"), deaths=2, injuries=1))
    client = client_of(users["anweiban"])
    body = client.get("/api/v1/accidents/statistics?from=2026-01-01&to=2026-11-22&by=level").json()
    head = {c["measure"]: c for c in body["headline"]["cells"]}
    assert (head["count"]["current"], head["count"]["previous"]) == (2, 1)  # ACC_A and ACC_B; ACC_L is 邻区's
    assert (head["deaths"]["current"], head["deaths"]["previous"]) == (1, 2) and head["deaths"]["change"] == "下降50%"
    assert (head["injuries"]["current"], head["injuries"]["previous"]) == (2, 1) and head["injuries"]["change"] == "上升100%"
    assert head["count"]["url"].startswith("/accidents/?")
    assert "比" in body["summary"] or "相比" in body["summary"]
    street_b = client_of(users["jiedao_b"]).get("/api/v1/accidents/statistics?from=2026-01-01&to=2026-11-22").json()
    assert {c["measure"]: c for c in street_b["headline"]["cells"]}["count"]["current"] == 1
    assert client.get("/api/v1/accidents/statistics?by=colour").status_code == 422
    assert client.get("/api/v1/accidents/statistics?from=2026-12-01&to=2026-11-01").status_code == 422


EDGE_TIMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1999-12-31T23:59:59+08:00", "2999-01-01T00:00:00Z"]


@pytest.mark.parametrize("moment", EDGE_TIMES)
def test_edge_times_are_refused_never_500(aworld, moment):
    users = aworld["users"]
    qiye = client_of(users["qiye_a"])
    base = {"place": "x", "account": "y", "kind": "fall"}
    for field in ("occurred_at", "learned_at"):
        response = post(qiye, "/api/v1/accidents", {**base, field: moment})
        assert response.status_code == 422, (field, response.content)
    acc = Accident.objects.get(pk=aworld["ACC_A"].pk)
    response = post(qiye, f"/api/v1/accidents/{acc.pk}/additions", {"version": acc.version, "deaths": 2, "changed_at": moment})
    assert response.status_code == 422
    anweiban = client_of(users["anweiban"])
    county = acc.legs.get(level="county")
    assert post(anweiban, f"/api/v1/accidents/{acc.pk}/legs/{county.pk}/forward", {"at": moment}).status_code == 422
    day = moment[:10]
    response = post(anweiban, f"/api/v1/accidents/{acc.pk}/investigation/team",
                    {"version": acc.investigation.version, "team_leader": "甲", "team_formed_on": day})
    assert response.status_code == 422
    assert anweiban.get(f"/api/v1/accidents/statistics?from={day}&to=2026-11-22").status_code in (200, 422)
    assert anweiban.get(f"/api/v1/accidents/statistics?from=2026-01-01&to={day}").status_code in (200, 422)


def test_correcting_the_text_keeps_the_figures(aworld):
    acc = Accident.objects.get(pk=aworld["ACC_A"].pk)
    qiye = client_of(aworld["users"]["qiye_a"])
    response = qiye.patch(f"/api/v1/accidents/{acc.pk}", data=json.dumps(
        {"version": acc.version, "account": "更正：坠落高度约12米", "deaths": 5}), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["account"] == "更正：坠落高度约12米" and body["deaths"] == 1 and body["level"] == "general"
    stale = qiye.patch(f"/api/v1/accidents/{acc.pk}", data=json.dumps({"version": acc.version, "place": "x"}),
                       content_type="application/json")
    assert stale.status_code == 409


def test_accountability_decision_by_the_investigating_level_and_above(aworld):
    from anquan.audit.models import AuditEvent
    from anquan.supervision.models import AccountabilityRecord

    users = aworld["users"]
    acc = aworld["ACC_A"]  # 一般: investigated by the county (示范区)
    anweiban = client_of(users["anweiban"])
    opened = post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability",
                  {"target_enterprise": aworld["E_A"].pk, "content": "未落实高处作业安全措施", "proposed_handling": "依法处以罚款"}).json()
    url = f"/api/v1/accidents/{acc.pk}/accountability/{opened['id']}/decision"
    body = {"version": opened["version"], "decided_handling": "处罚款二十万元", "decided_on": "2026-11-22"}

    # below the investigating level, no permission, sideways, another accident's path: refused, nothing decided
    assert post(client_of(users["jiedao_a"]), url, body).status_code == 403
    assert post(client_of(users["qiye_a"]), url, body).status_code in (403, 404)
    assert post(client_of(users["jiedao_b"]), url, body).status_code == 404
    assert post(client_of(users["linqu_anweiban"]), url, body).status_code == 404
    other = f"/api/v1/accidents/{aworld['ACC_B'].pk}/accountability/{opened['id']}/decision"
    assert post(anweiban, other, body).status_code == 404
    assert post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability/99999999/decision", body).status_code == 404
    # bad input: Chinese 422s, a stale version 409, never 500
    for bad in ({"decided_on": "2026-11-23"}, {"decided_on": "2026-11-21"}, {"decided_on": "2026-13-01"},
                {"decided_handling": ""}, {"decided_handling": "x" * 20001}, {"version": -1}):
        response = post(anweiban, url, {**body, **bad})
        assert response.status_code == 422, (bad, response.content)
    assert "不能晚于今天" in post(anweiban, url, {**body, "decided_on": "2026-11-23"}).content.decode()
    assert "不能早于提出问责的日期" in post(anweiban, url, {**body, "decided_on": "2026-11-21"}).content.decode()
    assert post(anweiban, url, {**body, "version": opened["version"] + 5}).status_code == 409
    assert AccountabilityRecord.objects.get(pk=opened["id"]).status == "proposed"

    # the city above the investigating level decides
    response = post(client_of(users["shi_anweiban"]), url, body)
    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["status"], decided["decided_handling"], decided["decided_on"]) == ("decided", "处罚款二十万元", "2026-11-22")
    assert decided["version"] == opened["version"] + 1
    assert AuditEvent.objects.filter(action="accountability.decide", object_id=opened["id"]).exists()
    # once only
    assert post(anweiban, url, {**body, "version": decided["version"]}).status_code == 409
    listed = anweiban.get(f"/api/v1/accidents/{acc.pk}/accountability").json()
    assert [r["status"] for r in listed] == ["decided"]


def test_accountability_decision_date_defaults_to_today(aworld):
    users = aworld["users"]
    acc = aworld["ACC_A"]
    anweiban = client_of(users["anweiban"])
    opened = post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability",
                  {"target_unit": acc.unit.parent_id or acc.unit_id, "content": "属地巡查不到位", "proposed_handling": "警示约谈"}).json()
    response = post(anweiban, f"/api/v1/accidents/{acc.pk}/accountability/{opened['id']}/decision",
                    {"version": opened["version"], "decided_handling": "约谈街道负责人"})
    assert response.status_code == 200, response.content
    assert response.json()["decided_on"] == "2026-11-22"  # today in Shanghai at 23:30
