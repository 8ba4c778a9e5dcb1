"""The case documents (enforcement.documents): issued at the right step in the organ's name, a gap-free 文号 per kind,
organ and year; the 行政处罚决定书 carries the contents of 行政处罚法 第五十九条 and names the 复议机关 and the court with
their periods; scoped like the case (404 out of scope, 403 for who may not issue; the party reads its 告知书 and 决定书
but never the internal records); every issue audited."""
from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from docx import Document

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, NotFound
from anquan.documents.models import DocumentKind, OfficialDocument
from anquan.documents.organs import appeal_bodies
from anquan.documents.services import document_void

from .. import services
from ..documents import case_documents, issuable, issue_case_document
from ..models import CaseStatus
from .world import advance, fresh, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


def text_of(document: OfficialDocument) -> str:
    with document.file.open("rb") as fh:
        doc = Document(io.BytesIO(fh.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def inquiry(w, case):
    return services.case_add_evidence(actor=w["users"]["zhifa_a"], case=fresh(case), version=fresh(case).version,
                                      data={"kind": "inquiry", "description": "被询问人张三称储罐区警示标志已损坏两个月"})


def test_each_document_at_its_step_with_a_gap_free_number_per_kind(eworld):
    zf = eworld["users"]["zhifa_a"]
    case = open_case(eworld)
    with pytest.raises(Conflict):  # not yet approved
        issue_case_document(zf, case, "filing")
    case = advance(eworld, case, CaseStatus.INVESTIGATING)
    filing = issue_case_document(zf, case, "filing")
    assert filing.kind == DocumentKind.CASE_FILING and filing.issuer_department == case.organ
    assert "立审〔2026〕" in filing.number and filing.about == case
    with pytest.raises(Conflict):  # one live per kind
        issue_case_document(zf, case, "filing")
    with pytest.raises(Conflict):  # no inquiry evidence yet
        issue_case_document(zf, case, "inquiry")
    evidence = inquiry(eworld, case)
    record = issue_case_document(zf, fresh(case), "inquiry", evidence_id=evidence.pk)
    assert "张三" in text_of(record) and "询问〔2026〕" in record.number
    with pytest.raises(Conflict):
        issue_case_document(zf, fresh(case), "inquiry", evidence_id=evidence.pk)
    for slug in ("notice", "decision", "receipt", "closing"):
        with pytest.raises(Conflict):
            issue_case_document(zf, fresh(case), slug)
    case = advance(eworld, fresh(case), CaseStatus.NOTIFIED)
    notice = issue_case_document(zf, case, "notice")
    assert "陈述和申辩" in text_of(notice)
    with pytest.raises(Conflict):  # 20000元 does not reach the hearing threshold: no 听证告知书
        issue_case_document(zf, case, "hearing")
    case = advance(eworld, case, CaseStatus.DECIDED)
    with pytest.raises(Conflict):  # 送达回证 lists the 决定书: that first
        issue_case_document(zf, case, "receipt")
    decision = issue_case_document(zf, case, "decision")
    receipt = issue_case_document(zf, case, "receipt")
    assert decision.number in text_of(receipt)
    case = advance(eworld, case, CaseStatus.CLOSED)
    closing = issue_case_document(zf, case, "closing")
    assert decision.number in text_of(closing) and "同意结案" in text_of(closing)
    assert issuable(zf, case) == []  # everything issued
    # A second case: each kind's number follows on, no gap, no repeat; a voided one keeps its number.
    other = advance(eworld, open_case(eworld, cause="未如实记录隐患排查治理情况"), CaseStatus.DECIDED)
    document_void(actor=zf, document=decision, version=decision.version, reason="当事人名称有误")
    again = issue_case_document(zf, case, "decision")
    second = issue_case_document(zf, other, "decision")
    seqs = sorted(OfficialDocument.objects.filter(kind=DocumentKind.PENALTY_DECISION, issuer_department=case.organ,
                                                  year=2026).values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))) and len(seqs) == 3
    assert decision.seq + 1 == again.seq and again.seq + 1 == second.seq
    filing2 = issue_case_document(zf, other, "filing")
    assert filing2.seq == filing.seq + 1  # the 立案审批表 series counts on its own
    assert len({d.number for d in case_documents(case)}) == case_documents(case).count()


def test_the_hearing_notice_only_where_the_right_was_told(eworld):
    zf = eworld["users"]["zhifa_a"]
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED, amount="50000", circumstance="heavier")
    assert case.hearing_right
    hearing = issue_case_document(zf, case, "hearing")
    text = text_of(hearing)
    assert "第六十三条" in text and "五日内" in text and "不承担" in text


def test_the_decision_carries_the_59_items_and_names_the_review_body_and_the_court(eworld):
    zf = eworld["users"]["zhifa_a"]
    case = advance(eworld, open_case(eworld), CaseStatus.DECIDED)
    decision = issue_case_document(zf, case, "decision")
    text = text_of(decision)
    review, court = appeal_bodies(department=case.organ)
    assert review and court
    e = case.enterprise
    for needle in (
        case.party_name, e.address, e.credit_code,                      # (一) 名称、地址
        case.facts, "现场照片3张",                                        # (二) 事实和证据
        "罚款人民币20000", "第九十九条",                                   # (三) 种类和依据
        "自收到本决定书之日起15日内", "百分之3",          # (四) 履行方式和期限
        f"60日内依法向{review}申请行政复议", f"6个月内依法向{court}提起行政诉讼",  # (五) 途径和期限
        case.organ.name, "2026年11月22日",                                # (六) 机关和日期
    ):
        assert needle in text, needle
    assert decision.title == "行政处罚决定书" and decision.recipients == case.party_name


def test_who_may_issue_and_who_sees_which_document(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.INVESTIGATING)
    with pytest.raises(NotFound):  # the party before 告知
        issue_case_document(u["qiye_e"], case, "filing")
    with pytest.raises(NotFound):  # another district
        issue_case_document(u["linqu_juzhang"], case, "filing")
    with pytest.raises(Forbidden):  # the head decides; the organ's inspectors issue the documents
        issue_case_document(u["juzhang"], case, "filing")
    filing = issue_case_document(u["zhifa_b"], case, "filing")  # any inspector of the organ
    case = advance(eworld, case, CaseStatus.DECIDED)
    decision = issue_case_document(u["zhifa_a"], case, "decision")
    for outsider in ("qiye_e", "jiedao_b"):  # they see the case now, but do not issue in the organ's name
        with pytest.raises(Forbidden):
            issue_case_document(u[outsider], case, "notice")
    party = OfficialDocument.objects.visible_to(u["qiye_e"])
    assert party.filter(pk=decision.pk).exists() and not party.filter(pk=filing.pk).exists()
    assert not OfficialDocument.objects.visible_to(u["linqu_juzhang"]).filter(pk=decision.pk).exists()
    assert OfficialDocument.objects.visible_to(u["jiedao_b"]).filter(pk=filing.pk).exists()  # the territory, after 告知
    event = AuditEvent.objects.get(action="document_issue", object_id=decision.pk)
    assert event.after["case"] == case.pk and event.actor == u["zhifa_a"]


def test_case_page_issues_and_downloads(eworld):
    u = eworld["users"]
    case = advance(eworld, open_case(eworld), CaseStatus.NOTIFIED)
    zf = Client()
    zf.force_login(u["zhifa_a"])
    page = zf.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "生成行政处罚告知书" in page and "生成立案审批表" in page
    review, court = appeal_bodies(department=case.organ)  # the decision form offers what the 决定书 will name
    head = Client()
    head.force_login(u["juzhang"])
    form = head.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'name="review_organ" maxlength="200" placeholder="行政复议机关" value="{review}"' in form
    assert f'value="{court}"' in form
    url = f"/enforcement/cases/{case.pk}/documents/issue/notice/"
    assert zf.post(url, {"client_key": "k-1"}).status_code == 302
    assert zf.post(url, {"client_key": "k-1"}).status_code == 302  # a double click: the same document
    notice = case_documents(case).get(kind=DocumentKind.PENALTY_NOTICE)
    assert notice.number in zf.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert zf.post(f"/enforcement/cases/{case.pk}/documents/issue/decision/").status_code == 302  # refused: message
    assert not case_documents(case).filter(kind=DocumentKind.PENALTY_DECISION).exists()
    assert zf.post(f"/enforcement/cases/{case.pk}/documents/issue/nonsense/").status_code == 302
    filing = issue_case_document(u["zhifa_a"], case, "filing")
    party = Client()
    party.force_login(u["qiye_e"])
    got = party.get(f"/enforcement/cases/{case.pk}/documents/{notice.pk}/docx/")
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert party.get(f"/enforcement/cases/{case.pk}/documents/{filing.pk}/docx/").status_code == 404
    assert party.get(f"/enforcement/cases/{case.pk}/documents/{notice.pk}/exe/").status_code == 404
    assert party.post(f"/enforcement/cases/{case.pk}/documents/issue/filing/").status_code == 403
    assert filing.number not in party.get(f"/enforcement/cases/{case.pk}/").content.decode()
    detail = zf.get(f"/documents/{notice.pk}/").content.decode()  # the documents app links back to the case
    assert f"/enforcement/cases/{case.pk}/" in detail
    assert party.get(f"/documents/{filing.pk}/").status_code == 404
    other = Client()
    other.force_login(u["linqu_juzhang"])
    assert other.get(f"/enforcement/cases/{case.pk}/documents/{notice.pk}/docx/").status_code == 404
    assert other.post(url).status_code == 404


# --- permission matrix: every user × (issue before 告知, issue after, download the 决定书, download the 立案审批表) --------
# Written by hand from the domain: the organ's staff with 发文 duty issue (inspectors and department staff); the
# 负责人 and the 法制审核 reviewer see but do not issue; the party and the territory see the case from 告知 on, the
# party only its 告知书/决定书; everyone else (another district, other departments, other streets, admins) 404.
ISSUERS = {"zhifa_a", "zhifa_b", "yingji"}
ORGAN = ISSUERS | {"juzhang", "fazhi"}
AFTER_NOTICE = ORGAN | {"qiye_e", "jiedao_b", "anweiban", "shi_anweiban"}
MOMENT = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(scope="module")
def doc_cases(eworld, django_db_blocker):
    # A module fixture is built outside the test's frozen clock: build the cases at the same moment.
    with django_db_blocker.unblock(), time_machine.travel(MOMENT, tick=False):
        zf = eworld["users"]["zhifa_a"]
        before = advance(eworld, open_case(eworld), CaseStatus.INVESTIGATING)
        after = advance(eworld, open_case(eworld), CaseStatus.DECIDED)
        return {"before": before, "after": after, "filing": issue_case_document(zf, after, "filing"),
                "decision": issue_case_document(zf, after, "decision")}


def _issue_outcome(user, case, slug) -> str:
    try:
        with transaction.atomic():
            issue_case_document(user, case, slug)
            transaction.set_rollback(True)
    except NotFound:
        return "missing"
    except Forbidden:
        return "forbidden"
    return "ok"


def test_permission_matrix_of_case_documents(eworld, doc_cases):
    users = eworld["users"]
    assert ISSUERS | AFTER_NOTICE <= set(users)
    got, want = {}, {}
    for name, user in sorted(users.items()):
        c = Client()
        c.force_login(user)
        case = doc_cases["after"]
        got[name] = (
            _issue_outcome(user, doc_cases["before"], "filing"),
            _issue_outcome(user, case, "receipt"),
            c.get(f"/enforcement/cases/{case.pk}/documents/{doc_cases['decision'].pk}/docx/").status_code,
            c.get(f"/enforcement/cases/{case.pk}/documents/{doc_cases['filing'].pk}/docx/").status_code,
        )
        want[name] = (
            "ok" if name in ISSUERS else "forbidden" if name in ORGAN else "missing",
            "ok" if name in ISSUERS else "forbidden" if name in AFTER_NOTICE else "missing",
            200 if name in AFTER_NOTICE else 404,
            200 if name in AFTER_NOTICE - {"qiye_e"} else 404,
        )
    assert got == want
