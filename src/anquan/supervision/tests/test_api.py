"""The supervision API: a group formed, staffed and checked through /api/v1, findings reported and confirmed,
interviews and circulars recorded; Chinese 422s, 404 out of scope, 409 for stale versions and refused states."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from anquan.accounts.models import Grant, User
from anquan.supervision.models import SupervisionCheck

pytestmark = pytest.mark.django_db


def api(username):
    client = Client()
    client.force_login(User.objects.get(username=username))

    def call(method, url, body=None):
        if method == "get":
            return client.get(f"/api/v1{url}", body or {})
        return getattr(client, method)(f"/api/v1{url}", data=json.dumps(body or {}), content_type="application/json")
    return call




def test_full_loop_through_the_api(sworld):
    w = sworld
    aw, ducha, street = api("anweiban"), api("ducha"), api("jiedao_a")
    assert [q["key"] for q in aw("get", "/supervision-questions").json()["questions"]] == [
        "plan", "thorough", "tips", "prompt", "accidents"]
    r = aw("post", "/supervision-groups", {"name": "API督查组", "period_start": w["GRP"].period_start.isoformat(),
                                           "period_end": w["GRP"].period_end.isoformat(), "streets": [w["STREET_A"].pk]})
    assert r.status_code == 201, r.content
    group = r.json()
    assert group["formed_by_unit"]["id"] == w["STREET_A"].district_id  # the district's 安委办
    person = User.objects.get(username="ducha").person_id
    r = aw("post", f"/supervision-groups/{group['id']}/members", {"version": group["version"], "person": person, "role": "leader"})
    assert r.status_code == 201 and r.json()["members"][0]["role_label"] == "组长"
    version = r.json()["version"]
    r = aw("post", f"/supervision-groups/{group['id']}/members", {"version": version, "person": person, "role": "member"})
    assert r.status_code == 422 and r.json()["errors"]["person"] == ["此人已是本组成员"]
    expert = User.objects.get(username="zhuanjia").person_id
    r = aw("post", f"/supervision-groups/{group['id']}/members", {"version": version - 1, "person": expert, "role": "expert"})
    assert r.status_code == 409
    r = ducha("post", f"/supervision-groups/{group['id']}/checks", {
        "unit": w["STREET_A"].pk, "checked_on": w["CHK_A"].checked_on.isoformat(),
        "answers": {"plan": {"answer": "partial", "note": ""}}})
    assert r.status_code == 422 and r.json()["errors"]["answers.plan"] == ["回答“部分”时请写明发现的问题"]
    r = ducha("post", f"/supervision-groups/{group['id']}/checks", {
        "unit": w["STREET_A"].pk, "checked_on": w["CHK_A"].checked_on.isoformat(),
        "answers": {"plan": {"answer": "partial", "note": "计划未覆盖出租房"}}})
    assert r.status_code == 201, r.content
    check = r.json()
    assert check["status"] == "draft" and check["questions_version"] == "2026.1"
    r = ducha("post", f"/supervision-checks/{check['id']}/complete", {"version": check["version"]})
    assert r.status_code == 422 and "answers.thorough" in r.json()["errors"]
    answers = {k: {"answer": "yes"} for k in ("plan", "thorough", "tips", "prompt", "accidents")}
    r = ducha("patch", f"/supervision-checks/{check['id']}", {"version": check["version"], "answers": answers})
    assert r.status_code == 200
    r = ducha("post", f"/supervision-checks/{check['id']}/findings", {"description": "出租房未纳入排查", "demand": "补充排查",
                                                                      "deadline_days": 15, "question": "plan"})
    assert r.status_code == 201, r.content
    finding = r.json()
    assert finding["status"] == "pending" and finding["overdue"] is False and finding["unit"]["id"] == w["STREET_A"].pk
    r = ducha("post", f"/supervision-checks/{check['id']}/complete", {"version": check["version"] + 1})
    assert r.status_code == 200 and r.json()["status"] == "completed"
    r = ducha("patch", f"/supervision-checks/{check['id']}", {"version": r.json()["version"], "summary": "改"})
    assert r.status_code == 409
    # The street sees it in its list, reports; the group confirms.
    listed = street("get", "/supervision-findings", {"status": "pending"}).json()
    assert finding["id"] in [f["id"] for f in listed["items"]]
    assert api("jiedao_b")("get", f"/supervision-findings/{finding['id']}").status_code == 404
    r = street("post", f"/supervision-findings/{finding['id']}/report", {"version": finding["version"], "measures": "已排查126户"})
    assert r.status_code == 200 and r.json()["status"] == "reported" and r.json()["rounds"][0]["on_time"] is True
    r = street("post", f"/supervision-findings/{finding['id']}/report", {"version": r.json()["version"], "measures": "again"})
    assert r.status_code == 409 and "已报整改" in r.json()["detail"]
    r = ducha("post", f"/supervision-findings/{finding['id']}/confirm", {"version": finding["version"] + 1})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    # Closing the group takes the member's grants back.
    g = aw("get", f"/supervision-groups/{group['id']}").json()
    r = aw("patch", f"/supervision-groups/{group['id']}", {"version": g["version"], "status": "closed"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert not Grant.objects.active().filter(reason__startswith=f"督查组#{group['id']}：").exists()


def test_out_of_scope_and_bad_ids(sworld):
    w = sworld
    aw = api("anweiban")
    assert aw("get", f"/supervision-groups/{w['GRP_L'].pk}").status_code == 404
    assert aw("get", f"/supervision-checks/{w['CHK_L'].pk}").status_code == 404
    assert aw("post", f"/supervision-findings/{w['FND_L'].pk}/confirm", {"version": 1}).status_code == 404
    assert aw("get", f"/interviews/{w['INT_L'].pk}").status_code == 404
    ids = [g["id"] for g in aw("get", "/supervision-groups").json()["items"]]
    assert w["GRP"].pk in ids and w["GRP_L"].pk not in ids
    # An out-of-scope id in a body: 422 with the field named.
    r = aw("post", "/supervision-groups", {"name": "x", "period_start": "2026-01-01", "period_end": "2026-02-01",
                                           "streets": [w["STREET_L"].pk]})
    assert r.status_code == 422 and r.json()["errors"]["streets"] == ["只能选择本辖区内的街道（乡镇）"]
    r = aw("post", "/interviews", {"target_enterprise": w["E_L"].pk, "held_on": "2026-01-01", "participants": "x", "content": "y"})
    assert r.status_code == 422 and "不在您的管辖范围内" in r.json()["errors"]["target_enterprise"][0]
    r = aw("post", "/circulars", {"title": "x", "issued_on": "2026-01-01", "content": "y", "target_unit": w["STREET_A"].pk,
                                  "findings": [w["FND_L"].pk]})
    assert r.status_code == 422 and "findings" in r.json()["errors"]
    r = aw("get", "/supervision-findings", {"status": "nonsense"})
    assert r.status_code == 422
    # Nobody without the action: 403 for a visible group, nothing listed for an enterprise.
    assert api("jiedao_a")("post", f"/supervision-groups/{w['GRP'].pk}/checks",
                           {"unit": w["STREET_A"].pk, "checked_on": "2026-01-01"}).status_code == 403
    assert api("qiye_a")("get", "/supervision-groups").json()["count"] == 0


def test_interviews_and_circulars_through_the_api(sworld):
    w = sworld
    yj = api("yingji")
    # 应急管理局 regulates E_B (危化): it may interview it and link the street's hazard there.
    r = yj("post", "/interviews", {"target_enterprise": w["E_B"].pk, "held_on": w["CHK_A"].checked_on.isoformat(),
                                    "participants": "主要负责人", "content": "报警器失效", "commitments": "立即更换",
                                    "hazards": [w["H_B"].pk]})
    assert r.status_code == 201, r.content
    assert r.json()["hazards"] == [w["H_B"].pk]
    assert api("jiedao_b")("get", f"/interviews/{r.json()['id']}").status_code == 200  # E_B lies in its street
    assert api("jiedao_a")("get", f"/interviews/{r.json()['id']}").status_code == 404
    assert api("qiye_a")("get", f"/interviews/{r.json()['id']}").status_code == 404
    r = yj("post", "/circulars", {"target_enterprise": w["E_B"].pk, "title": "关于某化工企业的通报",
                                   "issued_on": w["CHK_A"].checked_on.isoformat(), "content": "情况", "kind": "situation"})
    assert r.status_code == 201, r.content
    assert "通报" in r.json()["document_number"]
    r = yj("post", "/circulars", {"title": "x", "issued_on": "2999-01-01", "content": "y", "target_enterprise": w["E_B"].pk})
    assert r.status_code == 422 and r.json()["errors"]["issued_on"] == ["通报日期不能晚于今天"]


def test_an_answer_that_is_not_an_object_is_refused_and_keeps_the_stored_answers(sworld):
    """``{"plan": "yes"}`` instead of ``{"plan": {"answer": "yes"}}``: 422 naming the question, nothing erased."""
    w = sworld
    check = SupervisionCheck.objects.get(pk=w["CHK_Y"].pk)
    stored = dict(check.answers)
    assert stored, "the world's draft check should have answers to lose"
    for bad in ("yes", 5, ["yes"]):
        r = api("anweiban")("patch", f"/supervision-checks/{check.pk}", {"version": check.version, "answers": {"plan": bad}})
        assert r.status_code == 422, r.content
        assert r.json()["errors"]["answers.plan"] == ["应为对象"]
    check.refresh_from_db()
    assert check.answers == stored
