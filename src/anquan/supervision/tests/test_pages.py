"""The supervision pages render for the people who use them, write through the services, keep what was
typed on a 422 and never answer 500 for bad input."""
from __future__ import annotations

import pytest
from django.test import Client

from anquan.accounts.models import Grant

from ..models import Finding, FindingStatus, Interview, SupervisionCheck, SupervisionGroup

pytestmark = pytest.mark.django_db


def client_for(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def test_every_page_renders_for_the_anweiban(sworld):
    c = client_for(sworld, "anweiban")
    w = sworld
    for url in ["/supervision/", "/supervision/groups/new/", f"/supervision/groups/{w['GRP'].pk}/",
                f"/supervision/groups/{w['GRP'].pk}/edit/", f"/supervision/groups/{w['GRP'].pk}/checks/new/",
                f"/supervision/checks/{w['CHK_A'].pk}/", f"/supervision/checks/{w['CHK_Y'].pk}/edit/",
                "/supervision/findings/", "/supervision/findings/?overdue=1&status=pending",
                f"/supervision/findings/{w['FND_A'].pk}/", "/supervision/interviews/", "/supervision/interviews/new/",
                f"/supervision/interviews/{w['INT_A'].pk}/", "/supervision/circulars/", "/supervision/circulars/new/",
                f"/supervision/circulars/{w['CIR_A'].pk}/"]:
        response = c.get(url)
        assert response.status_code == 200, url
    page = c.get(f"/supervision/checks/{w['CHK_A'].pk}/").content.decode()
    assert "是否组织制定并落实了安全生产检查" in page and "被督查单位的隐患排查治理情况" in page


def test_member_sees_his_group_and_records_a_check_on_a_phone_form(sworld):
    w = sworld
    c = client_for(w, "ducha")
    assert w["GRP"].name in c.get("/supervision/").content.decode()
    assert c.get(f"/supervision/groups/{w['GRP_L'].pk}/").status_code == 404
    form = c.get(f"/supervision/groups/{w['GRP'].pk}/checks/new/").content.decode()
    assert 'name="answer_plan"' in form and "部分" in form
    # 否 without a note: 422, the choice and the other answers kept, the message under the question.
    body = {"target": f"unit:{w['STREET_A'].pk}", "checked_on": w["CHK_A"].checked_on.isoformat(),
            "answer_plan": "no", "note_plan": "", "answer_tips": "partial", "note_tips": "两条举报超期核查"}
    response = c.post(f"/supervision/groups/{w['GRP'].pk}/checks/new/", body)
    assert response.status_code == 422
    text = response.content.decode()
    assert "回答“否”时请写明发现的问题" in text and "两条举报超期核查" in text
    body["note_plan"] = "未制定年度检查计划"
    response = c.post(f"/supervision/groups/{w['GRP'].pk}/checks/new/", body)
    assert response.status_code == 302
    check = SupervisionCheck.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert check.answers["plan"] == {"answer": "no", "note": "未制定年度检查计划"}
    assert check.recorded_role == "supervisor"
    # A finding with a bad number of days keeps what was typed.
    response = c.post(f"/supervision/checks/{check.pk}/findings/", {"description": "计划缺失", "demand": "补定计划", "deadline_days": "abc"})
    assert response.status_code == 422 and "整改期限应为1至365之间的整数天数" in response.content.decode()
    assert "补定计划" in response.content.decode()
    response = c.post(f"/supervision/checks/{check.pk}/findings/", {"description": "计划缺失", "demand": "补定计划", "deadline_days": "10"})
    assert response.status_code == 302
    # Completing with unanswered questions is refused with the list of what is missing.
    response = c.post(f"/supervision/checks/{check.pk}/complete/", {"version": check.version})
    assert response.status_code == 422 and "请回答" in response.content.decode()


def test_street_reports_and_the_group_confirms_through_the_pages(sworld):
    w = sworld
    finding = Finding.objects.get(pk=w["FND_A"].pk)
    street = client_for(w, "jiedao_a")
    page = street.get(f"/supervision/findings/{finding.pk}/").content.decode()
    assert "提交整改情况" in page and "确认整改到位" not in page
    assert street.post(f"/supervision/findings/{finding.pk}/report/", {"version": finding.version, "measures": " "}).status_code == 422
    response = street.post(f"/supervision/findings/{finding.pk}/report/", {"version": finding.version, "measures": "已建立出租房台账"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED
    # jiedao_b (another street) does not even see it; the street cannot confirm its own fix.
    assert client_for(w, "jiedao_b").get(f"/supervision/findings/{finding.pk}/").status_code == 404
    assert street.post(f"/supervision/findings/{finding.pk}/confirm/", {"version": finding.version}).status_code == 403
    group = client_for(w, "ducha")
    response = group.post(f"/supervision/findings/{finding.pk}/send-back/", {"version": finding.version, "reason": ""})
    assert response.status_code == 422 and "请填写退回理由" in response.content.decode()
    response = group.post(f"/supervision/findings/{finding.pk}/confirm/", {"version": finding.version - 1})
    assert response.status_code == 409
    assert group.post(f"/supervision/findings/{finding.pk}/confirm/", {"version": finding.version}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED
    # Confirming again: the state refuses, shown on the page.
    response = group.post(f"/supervision/findings/{finding.pk}/confirm/", {"version": finding.version})
    assert response.status_code == 409 and "当前状态为“已确认”" in response.content.decode()


def test_group_forming_and_members_through_the_pages(sworld):
    w = sworld
    c = client_for(w, "anweiban")
    response = c.post("/supervision/groups/new/", {"name": "", "period_start": "2026-13-01", "period_end": ""})
    assert response.status_code == 422
    text = response.content.decode()
    assert "请填写督查组名称" in text and "督查开始日期不是有效日期" in text
    response = c.post("/supervision/groups/new/", {"name": "第二督查组", "period_start": w["GRP"].period_start.isoformat(),
                                                   "period_end": w["GRP"].period_end.isoformat(),
                                                   "streets": [w["STREET_A"].pk, w["STREET_L"].pk]})
    assert response.status_code == 422 and "只能选择本辖区内的街道" in response.content.decode()
    response = c.post("/supervision/groups/new/", {"name": "第二督查组", "period_start": w["GRP"].period_start.isoformat(),
                                                   "period_end": w["GRP"].period_end.isoformat(), "streets": [w["STREET_A"].pk]})
    assert response.status_code == 302
    group = SupervisionGroup.objects.get(name="第二督查组")
    expert = w["users"]["zhuanjia"].person
    response = c.post(f"/supervision/groups/{group.pk}/members/", {"version": group.version, "person": expert.pk, "role": "expert"})
    assert response.status_code == 302
    assert Grant.objects.active().filter(assignment__user__username="zhuanjia", model_key="orgunit", object_id=w["STREET_A"].pk).exists()
    response = c.post(f"/supervision/groups/{group.pk}/members/", {"version": group.version + 1, "person": "abc", "role": "boss"})
    assert response.status_code == 422
    # zhujian (a department) cannot form groups.
    assert client_for(w, "zhujian").get("/supervision/groups/new/").status_code == 403


def test_interview_and_circular_forms(sworld):
    w = sworld
    c = client_for(w, "anweiban")
    response = c.post("/supervision/interviews/new/", {"target": "", "held_on": "", "participants": "", "content": "",
                                                       "hazard_numbers": "NO-SUCH-1"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "请选择一个对象" in text and "NO-SUCH-1" in text
    response = c.post("/supervision/interviews/new/", {
        "target": f"enterprise:{w['E_A'].pk}", "held_on": w["CHK_A"].checked_on.isoformat(), "participants": "主要负责人",
        "content": "约谈内容", "hazard_numbers": w["H_A"].number, "findings": [w["FND_A"].pk]})
    assert response.status_code == 302
    interview = Interview.objects.order_by("-pk").first()
    assert list(interview.hazards.all()) == [w["H_A"]] and list(interview.findings.all()) == [w["FND_A"]]
    # qiye_a (the enterprise) sees the record against it; qiye_b does not.
    assert client_for(w, "qiye_a").get(f"/supervision/interviews/{interview.pk}/").status_code == 200
    assert client_for(w, "qiye_b").get(f"/supervision/interviews/{interview.pk}/").status_code == 404
    # A circular against a street of 邻区: not in scope.
    response = c.post("/supervision/circulars/new/", {"target": f"unit:{w['STREET_L'].pk}", "title": "通报", "issued_on": "2026-01-05",
                                                      "content": "内容"})
    assert response.status_code == 422 and "只能约谈或通报本辖区内的下级单位" in response.content.decode()
    assert client_for(w, "ducha").get("/supervision/interviews/new/").status_code == 403
    # Linking from an inspection: one in scope is offered, 邻区's is not, and an out-of-scope id in the body is refused.
    form = c.get(f"/supervision/circulars/new/?inspection={w['I_DONE'].pk}&inspection={w['I_L'].pk}").content.decode()
    assert f'value="{w["I_DONE"].pk}"' in form and f'id="in-{w["I_L"].pk}"' not in form
    response = c.post("/supervision/circulars/new/", {"target": f"unit:{w['STREET_A'].pk}", "title": "通报", "content": "内容",
                                                      "issued_on": w["CHK_A"].checked_on.isoformat(),
                                                      "inspections": [w["I_DONE"].pk, w["I_L"].pk]})
    assert response.status_code == 422 and "相关检查中有不存在或不在您的管辖范围内的记录" in response.content.decode()


def test_circular_page_links_its_document(sworld):
    """A circular's page leads to its 通报 document: the document page and the .docx download."""
    w = sworld
    circular = w["CIR_A"]
    assert circular.document_id, "the circular was recorded without its 通报 document"
    page = client_for(w, "anweiban").get(f"/supervision/circulars/{circular.pk}/").content.decode()
    assert f'href="/documents/{circular.document_id}/docx/"' in page
    assert circular.document_number in page
