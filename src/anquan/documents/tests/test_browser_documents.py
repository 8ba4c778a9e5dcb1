"""At phone size (390×844): the inspector generates the 现场检查记录 from the performed inspection's page
and the 责令限期整改指令书 from a hazard's page, opens each and downloads the .docx; nothing overflows sideways."""
from __future__ import annotations

import re

import pytest

from anquan.documents.models import OfficialDocument

from .world import build

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def test_inspector_generates_documents_on_a_phone(login_as, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = build()
    page = login_as(w.zhifa_a)
    page.set_viewport_size(PHONE)

    page.goto(f"/inspections/{w.inspection.pk}/")
    box = page.locator("#documents-box")
    assert "尚未生成公文" in box.inner_text()
    box.get_by_role("button", name="生成现场检查记录").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    record = OfficialDocument.objects.get(kind="inspection_record")
    main = page.locator("main").inner_text()
    assert record.number in main and "现场检查记录" in main and "王建国（执法证号：99010100001）" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as info:
        page.get_by_role("link", name="下载Word").click()
    assert info.value.suggested_filename == f"{record.number}现场检查记录.docx"

    page.goto(f"/hazards/{w.hazards[1].pk}/")
    page.locator("#documents-box").get_by_role("button", name="生成责令限期整改指令书").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    order = OfficialDocument.objects.get(kind="rectification_order")
    assert order.number in page.locator("main").inner_text()

    # back on the inspection page the record is listed
    page.goto(f"/inspections/{w.inspection.pk}/")
    assert record.number in page.locator("#documents-box").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
