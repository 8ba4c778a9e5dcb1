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
                       "区县级挂牌督办", "2027年1月31日"],
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


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, timeout=60, text=True).stdout


def _installed(family: str) -> bool:
    out = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True, timeout=30).stdout
    return bool(out.strip())


@pytest.mark.skipif(not (_installed("AR PL SungtiL GB") and _installed("Noto Serif CJK SC")),
                    reason="文鼎PL简报宋/思源宋体 未安装（.ci/run 安装 fonts-arphic-gbsn00lp、fonts-noto-cjk）")
@pytest.mark.frozen("2026-11-22 12:00 +0800")
def test_pdf_uses_the_song_faces_not_a_japanese_sans(tmp_path):
    """The .docx asks for 仿宋_GB2312 and 方正小标宋简体: the PDF carries AR PL SungtiL GB (正文) and
    Noto Serif CJK Bold (版头, 标题) through fonts/fonts.conf, not the Noto Sans CJK JP fallback."""
    from anquan.documents.layout import OfficialLayout

    layout = OfficialLayout(organ="示范区应急管理局", number="示应急通报〔2026〕1号", title="关于字体的通报",
                            dated=datetime.date(2026, 11, 22))
    layout.recipients("各街道办事处")
    layout.paragraph("正文以仿宋排印，数字2026与汉字同一字体。")
    layout.closing()
    fonts = pdf_fonts(pdf.docx_to_pdf(layout.to_bytes()), tmp_path)
    assert "BousungEG-Light-GB" in fonts, fonts  # AR PL SungtiL GB's PostScript name
    assert "NotoSerifCJK" in fonts and "Bold" in fonts, fonts
    assert "NotoSansCJK" not in fonts, fonts  # no 黑体 run in this document: nothing fell back to the sans


@pytest.mark.frozen("2026-11-22 12:00 +0800")
def test_no_heading_is_left_alone_at_the_foot_of_a_page(tmp_path):
    """Forty sections of one to three lines under a heading: page breaks fall at every position, and
    the last line of a page is never a heading (keep-with-next), as with 三、签字 in a long record."""
    from anquan.documents.layout import OfficialLayout

    layout = OfficialLayout(organ="示范区应急管理局", number="示应急检记〔2026〕1号", title="现场检查记录",
                            dated=datetime.date(2026, 11, 22))
    for k in range(1, 41):
        layout.heading(f"标题第{k}节")
        for n in range(k % 3 + 1):
            layout.paragraph(f"第{k}节第{n + 1}段。")
    data = pdf.docx_to_pdf(layout.to_bytes())
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    pages = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                           timeout=60).stdout.decode("utf-8").split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 4
    for number, page in enumerate(pages[:-1], 1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and not re.fullmatch(r"—\s*\d+\s*—", line.strip())]
        assert not lines[-1].startswith("标题第"), f"page {number} ends with the heading {lines[-1]!r}"
