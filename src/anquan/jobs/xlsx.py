"""A small streaming .xlsx writer for large exports (one sheet, a styled header, plain values).

Why not openpyxl here: its write-only mode keeps memory flat, but serialises cell by cell
through an XML library — about 7,500 rows of 15 columns a second on one core, 13 s of a
100,000-row 隐患清单 spent on nothing but XML (docs/performance.md, finding 6). An export
needs none of what that machinery offers: values are strings, numbers, dates and empty
cells. So the sheet XML is written here as text, a thousand rows at a time, straight into
the zip (deflate level 1), and the few fixed parts of the package (content types,
relationships, workbook, styles) are constants. The file opens in Excel, WPS and LibreOffice
and reads back with openpyxl (tests/test_xlsx.py).

Values: ``str`` (inline strings, so never a formula even when a text begins with ``=``; characters
XML cannot carry and lone surrogates are dropped by ``core.text.xml_safe``; at most 32,767 characters,
Excel's limit), ``int``/``float``/``Decimal``, ``bool``, ``date`` and naive
``datetime`` (Excel serial numbers with a date format), ``None`` (an empty cell).
"""
from __future__ import annotations

import datetime
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from anquan.core.text import xml_safe

#: Excel's limits: rows of a sheet (one is the header) and characters of a cell.
MAX_SHEET_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
_EPOCH = datetime.datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
_BATCH = 1000

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Style indexes: 0 plain, 1 header (bold white on dark blue, centred, wrapped), 2 date, 3 date and time.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FF0B3D91"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    value = xml_safe(value)[:MAX_CELL_CHARS]
    return escape(value)


def _cell(ref: str, value, style: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if not value:
            return ""
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise ValueError("xlsx: aware datetimes must be converted to local time first")
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="3"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="2"><v>{(value - _EPOCH_DATE).days}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _cell(ref, str(value), style)


def write_xlsx(title: str, headers: Sequence[str], widths: Sequence[float], rows: Iterable[Sequence],
               out=None):
    """Write one sheet named ``title`` (the header row frozen) and return the open file at its start.

    ``rows`` is consumed once, streaming: memory does not grow with the number of rows. Raises
    ValueError for more rows than a sheet holds (callers refuse such exports before writing).
    """
    out = out if out is not None else tempfile.TemporaryFile(suffix=".xlsx")
    letters = [column_letter(i + 1) for i in range(len(headers))]
    sheet_name = escape(xml_safe(re.sub(r"[\\/?*\[\]:]", " ", title))[:31] or "Sheet1", {'"': "&quot;"})
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
            head = "".join(_cell(f"{letter}1", str(h), 1) for letter, h in zip(letters, headers, strict=True))
            sheet.write((
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/></sheetView></sheetViews>'
                f'<cols>{cols}</cols><sheetData><row r="1">{head}</row>').encode())
            n = 1
            batch: list[str] = []
            for values in rows:
                n += 1
                if n > MAX_SHEET_ROWS:
                    raise ValueError(f"more than {MAX_SHEET_ROWS - 1} rows for one sheet")
                cells = "".join([_cell(f"{letter}{n}", v) for letter, v in zip(letters, values, strict=True)])
                batch.append(f'<row r="{n}">{cells}</row>')
                if len(batch) >= _BATCH:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    out.seek(0)
    return out
