"""A writer of the Chinese official-document layout (GB/T 9704-2012 党政机关公文格式) with python-docx.

What it lays out: A4 paper; margins 上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm; the 版头 (issuing organ in
red, 小标宋, large) with the 发文字号 centred under it and the red separator line; the 标题 (2号
小标宋, centred); 主送机关 (3号 仿宋, flush left, full-width colon); 正文 (3号 仿宋, first line
indented two characters, line spacing exactly 28 pt ≈ 22 lines a page); 一级/二级标题 (黑体/楷体);
tables; the 落款 (issuing organ) and 成文日期 (``2026年11月22日``) right-aligned above the date's
indent; page numbers ``— 1 —`` (4号 宋体) at the foot.

Fonts are the standard's (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) set as East Asian fonts;
where they are missing (the server's LibreOffice) ``fonts/fonts.conf`` maps them to free faces of the
same kind (``pdf.py``). Pagination: a heading keeps with what follows it, a line that introduces a
signature image keeps with the image, a table row never splits and a table's header row repeats on
each page, the 落款 keeps with its date — so no heading is left alone at the foot of a page.
"""
from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from anquan.core.text import xml_safe

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONG = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)

SIZE_ORGAN = Pt(26)   # 一号: the 发文机关标志 (GB/T 9704 leaves its size to the organ; ≤ 22 mm × 15 mm per char)
SIZE_TITLE = Pt(22)   # 二号
SIZE_BODY = Pt(16)    # 三号
SIZE_PAGE = Pt(14)    # 四号
SIZE_TABLE = Pt(12)   # 小四 in tables, so they fit the 156 mm type area
LINE = Pt(28)         # exactly 28 pt
TYPE_WIDTH_MM = 156   # 210 − 28 − 26


def chinese_date(day: datetime.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _add_run(paragraph, text: str):
    """Every text of a document enters here: what XML cannot carry (a vertical tab from Word, a lone
    surrogate) is dropped, so text stored before the input rule still prints (``core.text.xml_safe``)."""
    return paragraph.add_run(xml_safe(text))


def _fonts(run, name: str, size, *, bold=False, color=None) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _spacing(paragraph, *, exact=LINE, before=0, after=0, indent_chars=0, align=None) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = exact
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent_chars:
        fmt.first_line_indent = Pt(16 * indent_chars)
    if align is not None:
        paragraph.alignment = align


def _red_rule(paragraph) -> None:
    """The 版头 separator: a red line under the paragraph, the full type-area width."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), "E60012")
    borders.append(bottom)
    ppr.append(borders)


def _row_flag(row, tag: str) -> None:
    """Set a table-row property (``w:cantSplit``, ``w:tblHeader``) in the row's ``w:trPr``."""
    props = row._tr.get_or_add_trPr()
    if props.find(qn(tag)) is None:
        props.append(OxmlElement(tag))


def _page_field(paragraph) -> None:
    """``— PAGE —`` in 4号 宋体."""
    def text(value):
        run = _add_run(paragraph, value)
        _fonts(run, SONG, SIZE_PAGE)
        return run

    text("— ")
    run = text("")
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    text(" —")


class OfficialLayout:
    """One document being written; call the parts in reading order, then ``to_bytes()``."""

    def __init__(self, *, organ: str, number: str, title: str, dated: datetime.date):
        self.organ, self.number, self.title, self.dated = organ, number, title, dated
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28 - 7)  # page number 7 mm below the type area (一字线 above/below)
        styles = self.doc.styles["Normal"]
        styles.font.name = FANGSONG
        styles.font.size = SIZE_BODY
        styles.element.get_or_add_rPr()
        _fonts_style = styles.element.rPr.find(qn("w:rFonts"))
        if _fonts_style is None:
            _fonts_style = OxmlElement("w:rFonts")
            styles.element.rPr.insert(0, _fonts_style)
        _fonts_style.set(qn("w:eastAsia"), FANGSONG)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(footer)
        props = self.doc.core_properties
        props.title = xml_safe(title)
        props.author = xml_safe(organ)
        props.subject = xml_safe(number)
        stamp = datetime.datetime.combine(dated, datetime.time(9))
        props.created = props.modified = props.last_printed = stamp
        self._head()

    # --- 版头 and 主体 ---------------------------------------------------------------------------
    def _head(self) -> None:
        organ = self.doc.paragraphs[0] if self.doc.paragraphs else self.doc.add_paragraph()
        _spacing(organ, exact=Pt(40), before=0, after=24, align=WD_ALIGN_PARAGRAPH.CENTER)
        _fonts(_add_run(organ, self.organ), XIAOBIAOSONG, SIZE_ORGAN, color=RED)
        number = self.doc.add_paragraph()
        _spacing(number, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        _fonts(_add_run(number, self.number), FANGSONG, SIZE_BODY)
        _red_rule(number)
        self.doc.add_paragraph()  # 空一行
        title = self.doc.add_paragraph()
        _spacing(title, exact=Pt(35), align=WD_ALIGN_PARAGRAPH.CENTER)
        _fonts(_add_run(title, self.title), XIAOBIAOSONG, SIZE_TITLE)
        self.doc.add_paragraph()  # 标题下空一行

    def recipients(self, text: str) -> None:
        """主送机关, flush left, ending with a full-width colon."""
        if not text:
            return
        para = self.doc.add_paragraph()
        _spacing(para)
        _fonts(_add_run(para, text.rstrip("：:") + "："), FANGSONG, SIZE_BODY)

    def paragraph(self, text: str, *, lead: str = "", keep_with_next: bool = False) -> None:
        """A 正文 paragraph; ``lead`` is set in 黑体 before it (e.g. "检查时间："); ``keep_with_next``
        keeps it on the page of what follows (a line that introduces a signature image)."""
        para = self.doc.add_paragraph()
        _spacing(para, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        para.paragraph_format.keep_with_next = keep_with_next or None
        if lead:
            _fonts(_add_run(para, lead), HEITI, SIZE_BODY)
        _fonts(_add_run(para, text), FANGSONG, SIZE_BODY)

    def heading(self, text: str, level: int = 1) -> None:
        """一级标题 (黑体) or 二级标题 (楷体), indented two characters like the 正文."""
        para = self.doc.add_paragraph()
        _spacing(para, indent_chars=2)
        para.paragraph_format.keep_with_next = True  # never orphaned at the foot of a page
        _fonts(_add_run(para, text), HEITI if level == 1 else KAITI, SIZE_BODY)

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, str(text))
        # Fixed column widths filling the 156 mm type area (LibreOffice reads the grid, Word the cells).
        widths = widths_mm or [TYPE_WIDTH_MM / len(header)] * len(header)
        scale = TYPE_WIDTH_MM / sum(widths)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width * scale)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width * scale)
            _row_flag(row, "w:cantSplit")  # a row stays on one page
        _row_flag(table.rows[0], "w:tblHeader")  # the header row repeats on every page
        self.doc.add_paragraph()

    def _cell(self, cell, text: str, *, bold=False) -> None:
        para = cell.paragraphs[0]
        _spacing(para, exact=Pt(20), align=WD_ALIGN_PARAGRAPH.CENTER if bold else WD_ALIGN_PARAGRAPH.LEFT)
        _fonts(_add_run(para, text), HEITI if bold else FANGSONG, SIZE_TABLE)

    def image(self, data: bytes, *, width_mm: float = 40, caption: str = "") -> None:
        para = self.doc.add_paragraph()
        _spacing(para, exact=None or Pt(28), indent_chars=2)
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        para.paragraph_format.keep_together = True
        if caption:
            _fonts(_add_run(para, caption), FANGSONG, SIZE_BODY)
        para.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))

    def closing(self, *, organ: str | None = None) -> None:
        """落款 and 成文日期: two blank lines under the 正文, right-aligned, the date 4 characters in from the right."""
        self.doc.add_paragraph()
        self.doc.add_paragraph()
        name = self.doc.add_paragraph()
        _spacing(name, align=WD_ALIGN_PARAGRAPH.RIGHT)
        name.paragraph_format.keep_with_next = True  # the 落款 stays with its 成文日期
        name.paragraph_format.right_indent = Pt(16 * 2)
        _fonts(_add_run(name, organ or self.organ), FANGSONG, SIZE_BODY)
        date = self.doc.add_paragraph()
        _spacing(date, align=WD_ALIGN_PARAGRAPH.RIGHT)
        date.paragraph_format.right_indent = Pt(16 * 4)
        _fonts(_add_run(date, chinese_date(self.dated)), FANGSONG, SIZE_BODY)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


__all__ = ["OfficialLayout", "chinese_date"]
