"""Every generated document converts to PDF with LibreOffice (a fresh profile per run) and the PDF
text (pdftotext) carries the fields it must; the PDF is A4 with the page number ``— 1 —``."""
from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
import time_machine

from anquan.documents import pdf
from anquan.documents.generators import (
    issue_circular,
    issue_inspection_record,
    issue_listing_notice,
    issue_recheck_opinion,
    issue_rectification_order,
)

from .world import build

NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(not pdf.available(), reason="LibreOffice 未安装（CI 安装 libreoffice-writer-nogui）"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext 未安装（CI 安装 poppler-utils）"),
]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def pdf_info(data: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60, text=True).stdout


def generate(kind: str, w):
    if kind == "inspection_record":
        return issue_inspection_record(w.zhifa_a, w.inspection)
    if kind == "rectification_order":
        return issue_rectification_order(w.zhifa_a, w.inspection)
    if kind == "recheck_opinion":
        return issue_recheck_opinion(w.zhifa_b, w.checked)
    if kind == "listing_notice":
        return issue_listing_notice(w.anweiban, w.listing)
    return issue_circular(w.anweiban, title="关于重大事故隐患挂牌督办情况的通报", recipients="各街道办事处、区有关部门",
                          paragraphs=["示范甲化工有限公司配电箱线路私拉乱接，已挂牌督办。"], about=w.listing.hazard)


EXPECTED = {
    "inspection_record": ["示范区应急管理局", "示应急检记〔2026〕1号", "现场检查记录", "示范甲化工有限公司",
                          "2026年11月20日9时30分", "王建国（执法证号：99010100001）", "李卫东（执法证号：99010100002）",
                          "不符合2项", "配电箱线路私拉乱接", "赵厂长拒绝签字", "2026年11月22日"],
    "rectification_order": ["示应急责改〔2026〕1号", "责令限期整改指令书", "示范甲化工有限公司：", "第六十五条",
                            "配电箱线路私拉乱接", "2026年12月7日", "2026年11月22日"],
    "recheck_opinion": ["示应急复查〔2026〕1号", "整改复查意见书", "已整改完毕，同意销号", "已更换灭火器4具"],
    "listing_notice": ["示范区安全生产委员会办公室", "示安委办督办〔2026〕1号", "重大事故隐患挂牌督办通知书",
                       "示安委督〔2026〕3号", "2027年1月31日"],
    "circular": ["示安委办通报〔2026〕1号", "关于重大事故隐患挂牌督办情况的通报", "各街道办事处、区有关部门：",
                 "已挂牌督办", "2026年11月22日"],
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_generated_document_converts_to_pdf_and_carries_its_fields(kind, tmp_path):
    with time_machine.travel(NOON, tick=False):
        w = build()
        document = generate(kind, w)
    with document.file.open("rb") as fh:
        data = pdf.docx_to_pdf(fh.read())
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for needle in EXPECTED[kind]:
        assert needle in text, f"{kind}: {needle!r} missing from the PDF text"
    assert "—1—" in text  # page number
    assert "595.3" in pdf_info(data, tmp_path)  # A4 width in points


def test_a_conversion_that_takes_too_long_is_stopped_and_cleaned_up(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(pdf.ConversionFailed, match="PDF转换超时"):
        pdf.docx_to_pdf(b"PK", timeout=0.01)
    assert list(tmp_path.iterdir()) == []  # the fresh profile and the files are gone
