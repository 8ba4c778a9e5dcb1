"""The case documents in a real browser on a phone (390×844): an inspector issues the 行政处罚告知书 and the
行政处罚决定书 from the case page of a decided case and downloads the 决定书 as .docx (and as PDF where LibreOffice
is installed); the .docx names the 复议机关 and the court; the party downloads the same 决定书 from its case page."""
from __future__ import annotations

import io

import pytest
from docx import Document

from anquan.documents import pdf
from anquan.documents.organs import appeal_bodies

from ..models import CaseStatus
from .world import advance, build_enforcement_world, open_case

pytestmark = [pytest.mark.browser, pytest.mark.real_clock("a live server and a browser keep the real date"),
              pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def docx_text(path) -> str:
    doc = Document(io.BytesIO(path.read_bytes()))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_inspector_issues_and_downloads_the_decision_on_a_phone(live_page, login_as, tmp_path):
    w = build_enforcement_world()
    case = advance(w, open_case(w), CaseStatus.DECIDED, amount="20000")
    page = login_as(w["users"]["zhifa_a"])
    page.set_viewport_size(PHONE)
    page.goto(f"/enforcement/cases/{case.pk}/")
    for label in ("生成行政处罚告知书", "生成行政处罚决定书"):
        page.get_by_role("button", name=label).click()
        page.wait_for_load_state()
    assert page.get_by_role("button", name="生成行政处罚决定书").count() == 0  # issued once
    card = page.locator("#case-documents")
    assert "罚决〔" in card.inner_text() and "罚告〔" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = card.locator("li", has_text="行政处罚决定书")
    with page.expect_download() as info:
        row.get_by_role("link", name="下载Word").click()
    saved = tmp_path / "decision.docx"
    info.value.save_as(saved)
    text = docx_text(saved)
    review, court = appeal_bodies(department=case.organ)
    assert f"向{review}申请行政复议" in text and f"向{court}提起行政诉讼" in text and case.party_name in text
    if pdf.available():
        with page.expect_download() as info:
            row.get_by_role("link", name="下载PDF").click()
        assert info.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)
    # The party reads the same 决定书 from its own case page (and no internal record is listed there).
    page.context.clear_cookies()
    page = login_as(w["users"]["qiye_e"])
    page.goto(f"/enforcement/cases/{case.pk}/")
    card = page.locator("#case-documents")
    assert "行政处罚决定书" in card.inner_text() and "生成" not in card.inner_text()
    with page.expect_download() as info:
        card.locator("li", has_text="行政处罚决定书").get_by_role("link", name="下载Word").click()
    assert info.value.suggested_filename.endswith(".docx")
