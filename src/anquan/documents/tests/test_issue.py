"""issue_document: who may issue, in whose name, numbering per organ/year/series, audit, voiding."""
from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import time_machine
from django.utils import timezone

from anquan.audit.models import AuditEvent
from anquan.core.errors import Forbidden, Invalid, NotFound
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.documents.models import DocumentCounter, DocumentKind, OfficialDocument
from anquan.documents.numbering import abbreviation, organ_name
from anquan.documents.services import document_void, issue_document
from anquan.inspections.models import Inspection

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai


def docx_text(document: OfficialDocument) -> str:
    with document.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        return z.read("word/document.xml").decode("utf-8")


def circular(actor, **kw):
    args = {"kind": DocumentKind.CIRCULAR, "title": "关于近期安全生产检查情况的通报", "recipients": "各街道办事处、区有关部门",
            "paragraphs": ["近期开展了安全生产大检查。", "现将有关情况通报如下。"]}
    args.update(kw)
    return issue_document(actor, **args)


@pytest.fixture
def tree():
    return make_tree()


@pytest.mark.frozen(NOON)
def test_department_issues_numbered_documents_in_its_own_name(tree):
    zhifa = make_user("inspector", department=tree.yingji, name="王执法")
    first = circular(zhifa)
    second = circular(zhifa)
    assert first.number == "示应急通报〔2026〕1号"
    assert second.number == "示应急通报〔2026〕2号"
    assert first.issuer_department == tree.yingji and first.issuer_name == "示范区应急管理局"
    assert first.dated == datetime.date(2026, 11, 22)
    xml = docx_text(first)
    for text in ("示范区应急管理局", "示应急通报〔2026〕1号", "关于近期安全生产检查情况的通报", "各街道办事处、区有关部门：",
                 "近期开展了安全生产大检查。", "2026年11月22日"):
        assert text in xml
    # another series of the same organ starts at 1; the audit trail has the issue
    order = issue_document(zhifa, kind=DocumentKind.INTERVIEW, title="约谈通知", recipients="某公司", paragraphs=["请按时参加。"])
    assert order.number == "示应急约谈〔2026〕1号"
    event = AuditEvent.objects.get(model_key="officialdocument", object_id=first.pk)
    assert event.action == "document_issue" and event.after["number"] == first.number and event.acting_role == "inspector"


@pytest.mark.frozen("2026-12-30 10:00 +0800")  # the people are appointed before the year ends
def test_numbers_restart_each_year_and_are_per_organ(tree):
    zhifa = make_user("inspector", department=tree.yingji)
    street = make_user("street_staff", unit=tree.street_a)
    with time_machine.travel(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=datetime.UTC), tick=False):  # 23:00 Shanghai
        assert circular(zhifa).number == "示应急通报〔2026〕1号"
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False):  # 1 Jan 00:30 Shanghai
        assert circular(zhifa).number == "示应急通报〔2027〕1号"
        assert circular(street).number == "甲街通报〔2027〕1号"
        assert circular(street).issuer_name == "甲街道办事处"
    assert DocumentCounter.objects.count() == 3


def test_abbreviation_and_organ_rules(tree):
    assert abbreviation(department=tree.zhujian) == "示住建"
    assert abbreviation(department=tree.anweiban) == "示安委办"
    assert organ_name(department=tree.anweiban) == "示范区安委办"
    assert abbreviation(unit=tree.district) == "示安委办"
    assert organ_name(unit=tree.district) == "示范区安全生产委员会办公室"
    assert abbreviation(unit=tree.street_a) == "甲街"


def test_issuer_must_be_the_actors_own_unit_or_department(tree):
    zhifa = make_user("inspector", department=tree.yingji)
    with pytest.raises(Forbidden):
        circular(zhifa, issuer_department=tree.zhujian)
    with pytest.raises(Forbidden):
        circular(zhifa, issuer_unit=tree.district)
    assert circular(zhifa, issuer_department=tree.yingji).issuer_department == tree.yingji
    grid_worker = make_user("grid_worker", unit=tree.grid_a)  # may see, may not issue
    with pytest.raises(Forbidden):
        circular(grid_worker)
    assert OfficialDocument.objects.count() == 1


def test_about_object_must_be_in_the_issuers_scope(tree):
    enterprise = make_enterprise(tree.grid_a)
    site = make_site(tree.grid_a, enterprise=enterprise)
    inspection = Inspection.objects.create(site=site, kind="territorial", planned_on=datetime.date(2026, 11, 1),
                                           performed_at=timezone.now())
    street_b = make_user("street_staff", unit=tree.street_b)
    with pytest.raises(NotFound):
        circular(street_b, about=inspection)
    street_a = make_user("street_staff", unit=tree.street_a)
    doc = circular(street_a, about=inspection)
    assert doc.inspection == inspection
    # readable by who sees the inspection (the enterprise), not by the other street
    qiye = make_user("ent_manager", enterprise=enterprise)
    assert OfficialDocument.objects.visible_to(qiye).filter(pk=doc.pk).exists()
    assert not OfficialDocument.objects.visible_to(street_b).filter(pk=doc.pk).exists()
    # the district 安委办 sees the street's documents (issuer's scope)
    anweiban = make_user("anweiban", unit=tree.district)
    assert OfficialDocument.objects.visible_to(anweiban).filter(pk=doc.pk).exists()


def test_bad_input_is_refused_in_chinese_and_takes_no_number(tree):
    zhifa = make_user("inspector", department=tree.yingji)
    with pytest.raises(Invalid) as err:
        circular(zhifa, title=" ", paragraphs=[])
    assert err.value.errors["title"] == ["请填写公文标题"] and err.value.errors["paragraphs"] == ["请填写公文正文"]
    with pytest.raises(Invalid):
        circular(zhifa, kind="memo")
    with pytest.raises(Invalid):
        circular(zhifa, paragraphs="一段")
    assert not DocumentCounter.objects.exists()
    assert circular(zhifa).seq == 1


def test_void_keeps_the_number_and_needs_the_issuer(tree):
    zhifa = make_user("inspector", department=tree.yingji)
    other = make_user("dept_staff", department=tree.zhujian)
    doc = circular(zhifa)
    with pytest.raises(NotFound):
        document_void(actor=other, document=doc, version=doc.version, reason="错误")
    with pytest.raises(Invalid):
        document_void(actor=zhifa, document=doc, version=doc.version, reason="")
    document_void(actor=zhifa, document=doc, version=doc.version, reason="主送机关写错")
    doc.refresh_from_db()
    assert doc.voided_at and doc.void_reason == "主送机关写错"
    assert circular(zhifa).seq == 2
    assert AuditEvent.objects.filter(object_id=doc.pk, model_key="officialdocument", action="document_void").exists()


def test_a_failed_issue_rolls_back_its_number(tree):
    zhifa = make_user("inspector", department=tree.yingji)

    def broken(layout):
        raise ValueError("layout failed")

    with pytest.raises(ValueError):
        issue_document(zhifa, kind=DocumentKind.CIRCULAR, title="通报", recipients="", paragraphs=["正文"], build=broken)
    assert not OfficialDocument.objects.exists()
    assert circular(zhifa).seq == 1


@pytest.mark.frozen(NOON)
def test_two_organs_with_the_same_abbreviation_never_share_a_number(tree):
    district = make_user("anweiban", unit=tree.district)
    city = make_user("anweiban", unit=tree.city)
    first = circular(district)
    second = circular(city)  # 示范市 would also be 示安委办 by the rule
    assert first.number == "示安委办通报〔2026〕1号"
    assert second.number == "示范安委办通报〔2026〕1号"
    assert circular(city).number == "示范安委办通报〔2026〕2号"
    # the city keeps its 代字 in another series, even where the rule's one is free
    assert issue_document(city, kind=DocumentKind.INTERVIEW, title="约谈", recipients="", paragraphs=["x"]).number == "示范安委办约谈〔2026〕1号"
