"""The API and the pages over the same services: a case walked through the API, its page with the clocks and the
next step's form, 404 for another district, the enterprise's view from 告知 on, and the public list without sign-in."""
from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from .. import clocks
from ..models import Case, CaseStatus
from .world import COURT, REVIEW_ORGAN, advance, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


def due() -> str:
    """90 days after 2026-11-22 is Saturday 2027-02-20: moved to the next working day by the calendar in force."""
    return clocks.decision_due(datetime.date(2026, 11, 22)).isoformat()


def client_for(w, username) -> Client:
    c = Client()
    c.force_login(w["users"][username])
    return c


def post(c, url, body):
    return c.post(url, data=json.dumps(body), content_type="application/json")


def step(c, case_id, name, version, **data):
    return post(c, f"/api/v1/enforcement/cases/{case_id}/steps/{name}", {"version": version, "data": data})


def test_a_case_through_the_api(eworld):
    zf, head, u = client_for(eworld, "zhifa_a"), client_for(eworld, "juzhang"), eworld["users"]
    r = post(zf, "/api/v1/enforcement/cases", {"source_kind": "inspection", "inspection": eworld["I_DONE"].pk,
                                                "cause": "安全警示标志缺失", "facts": "储罐区无警示标志"})
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["status"] == "pending_approval" and case["steps"] == ["add_inspector", "withdraw"][:1]
    assert step(zf, case["id"], "approve", case["version"]).status_code == 403
    case = step(head, case["id"], "approve", case["version"]).json()
    assert case["filed_on"] == "2026-11-22" and case["decision_due"] == due()
    assert step(head, case["id"], "approve", case["version"]).status_code == 409
    assert step(zf, case["id"], "add_inspector", case["version"] - 1, person=u["zhifa_b"].person_id).status_code == 409
    case = step(zf, case["id"], "add_inspector", case["version"], person=u["zhifa_b"].person_id).json()
    case = step(zf, case["id"], "add_evidence", case["version"], kind="inquiry", description="询问笔录一份").json()
    case = step(zf, case["id"], "submit_review", case["version"]).json()
    case = step(head, case["id"], "review", case["version"], opinion="同意").json()
    r = step(zf, case["id"], "notify", case["version"], proposed_kind="fine", proposed_amount="60000", violation=eworld["V99"].pk,
             proposed_basis="第九十九条")
    assert r.status_code == 422 and "第九十九条" in r.content.decode()
    case = step(zf, case["id"], "notify", case["version"], proposed_kind="fine", proposed_amount="20000",
                violation=eworld["V99"].pk, proposed_basis="第九十九条").json()
    party = client_for(eworld, "qiye_e")
    assert party.get(f"/api/v1/enforcement/cases/{case['id']}").status_code == 200
    assert step(party, case["id"], "record_statement", case["version"], kind="statement", text="请求从轻").status_code == 200
    assert party.get(f"/api/v1/enforcement/cases/{case['id']}/fine").json() == {"case": case["id"], "fine_amount": None}
    case = head.get(f"/api/v1/enforcement/cases/{case['id']}").json()
    case = step(head, case["id"], "decide", case["version"], decision_kind="fine", fine_amount="20000", decision_basis="第九十九条",
                review_organ=REVIEW_ORGAN, court=COURT).json()
    assert case["status"] == "decided"
    assert zf.get(f"/api/v1/enforcement/cases/{case['id']}/fine").json()["fine_amount"] == "20000.00"
    published = post(head, f"/api/v1/enforcement/cases/{case['id']}/publish", {})
    assert published.status_code == 201
    assert eworld["E_B"].name in Client().get("/public/penalties/").content.decode()
    pub_id = Case.objects.get(pk=case["id"]).publications.get().pk
    url = f"/api/v1/enforcement/cases/{case['id']}/publications/{pub_id}/withdraw"
    assert post(zf, url, {"reason": "x"}).status_code == 403
    assert post(head, url, {"reason": "决定经复议被撤销"}).status_code == 200
    assert post(head, url, {"reason": "再次"}).status_code == 409
    stats = head.get("/api/v1/enforcement/statistics").json()
    assert stats["decided"] >= 1
    for outsider in ("linqu_juzhang", "linqu_anweiban", "qiye_b", "jiedao_a"):
        c = client_for(eworld, outsider)
        assert c.get(f"/api/v1/enforcement/cases/{case['id']}").status_code == 404, outsider
        assert step(c, case["id"], "serve", case["version"], service_method="in_person").status_code == 404, outsider
        assert case["id"] not in [i["id"] for i in c.get("/api/v1/enforcement/cases").json()["items"]], outsider


def test_bad_input_answers_422_never_500(eworld):
    zf = client_for(eworld, "zhifa_a")
    case = advance(eworld, open_case(eworld), CaseStatus.TO_NOTIFY)
    for data in ({"proposed_kind": "fine", "proposed_amount": "abc"}, {"proposed_kind": "fine", "proposed_amount": "1e400", "violation": eworld["V99"].pk},
                 {"proposed_kind": "fine", "proposed_amount": str(10**30), "violation": eworld["V99"].pk},
                 {"proposed_kind": "fine", "proposed_amount": True, "violation": eworld["V99"].pk},
                 {"proposed_kind": "nope"}, {"proposed_kind": "fine", "proposed_amount": "1.001", "violation": "x"}):
        assert step(zf, case.pk, "notify", case.version, **data).status_code == 422, data
    assert post(zf, "/api/v1/enforcement/cases", {"source_kind": "report", "site": 2**62, "cause": "x"}).status_code == 422


def test_case_pages(eworld):
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED)
    head = client_for(eworld, "juzhang")
    listing = head.get("/enforcement/cases/")
    assert listing.status_code == 200 and f"/enforcement/cases/{case.pk}/" in listing.content.decode()
    page = head.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "作出处罚决定（行政处罚法第六十条" in page and "作出决定" in page and due() in page
    r = head.post(f"/enforcement/cases/{case.pk}/step/decide/", {"version": case.version, "decision_kind": "fine",
                                                                  "fine_amount": "99999", "decision_basis": "x",
                                                                  "review_organ": REVIEW_ORGAN, "court": COURT})
    assert r.status_code == 302
    assert "第九十九条" in head.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert client_for(eworld, "linqu_juzhang").get(f"/enforcement/cases/{case.pk}/").status_code == 404
    party_page = client_for(eworld, "qiye_e").get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "陈述申辩" in party_page and "作出决定" not in party_page
    assert "听证笔录" not in party_page and "听证申请" not in party_page  # 2万元: below the unit's hearing threshold
    assert client_for(eworld, "zhifa_a").get("/enforcement/cases/new/").status_code == 200


def test_public_page_needs_no_sign_in_and_shows_no_people(eworld):
    r = Client().get("/public/penalties/")
    assert r.status_code == 200 and "行政处罚信息公示" in r.content.decode()
    assert Client().get("/enforcement/cases/").status_code == 302  # case pages need a sign-in
