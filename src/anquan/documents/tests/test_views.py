"""Pages: list (scoped, filters), detail, .docx and PDF download, generating from an object's page,
the 通报 form, voiding; out-of-scope → 404, visible but not permitted → 403."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from anquan.core.tests.factories import make_user
from anquan.documents import pdf
from anquan.documents.generators import issue_inspection_record, issue_listing_notice
from anquan.documents.models import OfficialDocument

from .world import build

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(NOON, tick=False):
        yield build()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.frozen(NOON)
def test_generate_from_the_inspection_page_and_download(w):
    c = client_for(w.zhifa_a)
    url = reverse("documents:issue", args=["inspection_record", "inspection", w.inspection.pk])
    response = c.post(url)
    doc = OfficialDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[doc.pk])
    page = c.get(response["Location"])
    assert page.status_code == 200
    assert "示应急检记〔2026〕1号" in page.content.decode() and "下载Word" in page.content.decode()
    download = c.get(reverse("documents:docx", args=[doc.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"] and ".docx" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body[:2] == b"PK"
    import hashlib

    assert hashlib.sha256(body).hexdigest() == doc.sha256


@pytest.mark.frozen(NOON)
def test_hazard_page_shows_buttons_and_issued_documents(w):
    c = client_for(w.anweiban)
    html = c.get(reverse("hazards:detail", args=[w.listing.hazard_id])).content.decode()
    # the 安委办 lists and notifies, but is no enforcement body: no 责令限期整改指令书 button for it
    assert "生成挂牌督办通知书" in html and "生成责令限期整改指令书" not in html
    notice = issue_listing_notice(w.anweiban, w.listing)
    html = c.get(reverse("hazards:detail", args=[w.listing.hazard_id])).content.decode()
    assert notice.number in html and "生成挂牌督办通知书" not in html  # one live notice per listing
    html = client_for(w.zhifa_a).get(reverse("hazards:detail", args=[w.listing.hazard_id])).content.decode()
    assert "生成责令限期整改指令书" in html
    # an enterprise user sees the documents but gets no buttons
    from anquan.core.tests.factories import make_user as mk

    qiye = mk("ent_manager", enterprise=w.enterprise)
    html = client_for(qiye).get(reverse("hazards:detail", args=[w.listing.hazard_id])).content.decode()
    assert notice.number in html and "生成挂牌督办通知书" not in html


@pytest.mark.frozen(NOON)
def test_refused_generation_explains_why(w):
    c = client_for(w.zhifa_a)
    hazard = w.hazards[1]  # no verified round yet
    response = c.post(reverse("documents:issue", args=["recheck_opinion", "hazard", hazard.pk]), follow=True)
    assert "尚无整改验收" in response.content.decode()
    assert not OfficialDocument.objects.exists()
    # a kind that does not fit the object
    response = c.post(reverse("documents:issue", args=["listing_notice", "hazard", hazard.pk]), follow=True)
    assert "该对象不能生成这种文书" in response.content.decode()
    assert c.post(reverse("documents:issue", args=["memo", "hazard", hazard.pk])).status_code == 404
    assert c.post(reverse("documents:issue", args=["recheck_opinion", "site", hazard.pk])).status_code == 404


@pytest.mark.frozen(NOON)
def test_out_of_scope_is_404_and_not_permitted_is_403(w):
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    other_street = client_for(make_user("street_staff", unit=w.tree.street_b))
    for name in ("documents:detail", "documents:docx", "documents:pdf"):
        assert other_street.get(reverse(name, args=[doc.pk])).status_code == 404
    assert other_street.post(reverse("documents:issue", args=["inspection_record", "inspection", w.inspection.pk])).status_code == 404
    grid = client_for(make_user("grid_worker", unit=w.tree.grid_a))
    assert grid.get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert grid.post(reverse("documents:issue", args=["inspection_record", "inspection", w.inspection.pk])).status_code == 403
    assert grid.post(reverse("documents:void", args=[doc.pk]), {"version": 1, "reason": "x"}).status_code == 403
    doc.refresh_from_db()
    assert doc.voided_at is None
    assert other_street.get(reverse("documents:list")).content.decode().count(doc.number) == 0


@pytest.mark.frozen(NOON)
def test_list_filters_by_kind_and_year(w):
    record = issue_inspection_record(w.zhifa_a, w.inspection)
    c = client_for(w.zhifa_a)
    html = c.get(reverse("documents:list")).content.decode()
    assert record.number in html
    assert record.number not in c.get(reverse("documents:list"), {"kind": "circular"}).content.decode()
    assert record.number not in c.get(reverse("documents:list"), {"year": "2025"}).content.decode()
    assert record.number in c.get(reverse("documents:list"), {"year": "2026", "kind": "inspection_record", "q": "检记"}).content.decode()
    assert c.get(reverse("documents:list"), {"year": "abc", "kind": "<x>", "page": "-3"}).status_code == 200


@pytest.mark.frozen(NOON)
def test_circular_form_and_void(w):
    c = client_for(w.street_a)
    bad = c.post(reverse("documents:circular"), {"title": "", "recipients": "各社区", "body": "  \n "})
    assert bad.status_code == 422
    assert "请填写公文标题" in bad.content.decode() and "请填写公文正文" in bad.content.decode()
    ok = c.post(reverse("documents:circular"), {"title": "关于检查情况的通报", "recipients": "各社区", "body": "第一段\n第二段"})
    assert ok.status_code == 302 and not OfficialDocument.objects.exists()  # a draft: numbered when signed
    from anquan.documents.models import SignOff
    from anquan.documents.services import signoff as signoffs

    signoff = SignOff.objects.get()
    leader = make_user("leader", unit=w.tree.street_a)
    signoffs.signoff_review(actor=leader, signoff=signoff, version=signoff.version)
    signoffs.signoff_sign(actor=leader, signoff=signoff, version=signoff.version)
    doc = OfficialDocument.objects.get()
    assert doc.paragraphs == ["第一段", "第二段"] and doc.number == "甲街通报〔2026〕1号" and doc.issued_by == leader
    # the issuing organ's staff voids it (the leader signs, the office keeps the register)
    missing = c.post(reverse("documents:void", args=[doc.pk]), {"version": doc.version, "reason": ""}, follow=True)
    assert "请填写作废原因" in missing.content.decode()
    c.post(reverse("documents:void", args=[doc.pk]), {"version": doc.version, "reason": "标题有误"})
    doc.refresh_from_db()
    assert doc.void_reason == "标题有误"
    stale = c.post(reverse("documents:void", args=[doc.pk]), {"version": 1, "reason": "再次"}, follow=True)
    assert "已作废" in stale.content.decode()
    # a user without any organ to draft in may not open the form; nor an inspector (he issues on the spot only)
    assert client_for(make_user("grid_worker", unit=w.tree.grid_a)).get(reverse("documents:circular")).status_code == 403
    assert client_for(w.zhifa_a).get(reverse("documents:circular")).status_code == 403


@pytest.mark.slow
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice 未安装（CI 安装 libreoffice-writer-nogui）")
@pytest.mark.frozen(NOON)
def test_pdf_download(w):
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    response = client_for(w.street_a).get(reverse("documents:pdf", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF") and ".pdf" in response["Content-Disposition"]  # streamed from the cache
