"""Uploaded .xlsx workbooks, read within bounds (the enterprise and hazard importers share this).

Why bounds beyond the file size: an .xlsx is a zip of XML, and a small file can unpack into a great deal
of work. A red-team pass found a 138 KB file with a million blank rows that held a request for 35 s (blank
rows were skipped without being counted) and an 87 KB file with two million shared strings that took 39 s
and 287 MB (openpyxl loads the whole shared-string table when the workbook opens, even read-only). So,
before openpyxl sees the file:

* ``check_archive`` streams the archive's XML in chunks (memory stays flat) and refuses a workbook whose
  members unpack beyond ``MAX_UNCOMPRESSED``, whose shared-string table holds more than
  ``MAX_SHARED_STRINGS`` entries, or whose worksheets hold more ``<row>`` elements than the import allows;
* ``table_rows`` then reads the sheet counting *every* row it reads, blank ones included (a sheet may
  jump from row 2 to row 1,000,000 with one element, and openpyxl yields the rows in between).
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator

#: Uncompressed size of all members together.
MAX_UNCOMPRESSED = 300 * 1024 * 1024
#: Distinct texts in one workbook: 20,000 rows × 14 columns of different texts is 280,000.
MAX_SHARED_STRINGS = 300_000
#: Blank rows tolerated beyond the data limit (trailing formatting, a gap between blocks).
BLANK_ROWS_ALLOWED = 1_000
#: The header is looked for in the first rows only.
HEADER_SEARCH_ROWS = 10

_CHUNK = 1 << 20
_WINDOW = 64  # longer than any tag counted, with a namespace prefix
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def count_elements(stream, pattern: re.Pattern, limit: int) -> int:
    """Occurrences of ``pattern`` (a short tag) in a byte stream read in chunks; stops once past ``limit``."""
    found, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        # A tag that may continue into the next chunk is left for the next round (counted once).
        keep_from = max(len(data) - _WINDOW, 0)
        found += sum(1 for m in pattern.finditer(data) if m.start() < keep_from)
        if found > limit:
            return found
        tail = data[keep_from:]
    return found + len(pattern.findall(tail))


def check_archive(fileobj, max_rows: int) -> None:
    """Refuse a workbook that would unpack into far more work than ``max_rows`` rows of data can need."""
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileRefused("文件不是Excel工作簿（.xlsx），请使用平台提供的导入模板")
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
            raise FileRefused("文件解压后过大，请拆分后分批导入")
        row_limit = max_rows + BLANK_ROWS_ALLOWED + HEADER_SEARCH_ROWS
        for member in members:
            name = member.filename.lower()
            if name == "xl/sharedstrings.xml":
                with archive.open(member) as stream:
                    if count_elements(stream, _SHARED_STRING, MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
                        raise FileRefused(f"文件中的文字条目超过{MAX_SHARED_STRINGS:,}条，请删除无关内容或拆分后分批导入")
            elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(member) as stream:
                    if count_elements(stream, _ROW, row_limit) > row_limit:
                        raise FileRefused(too_many_rows(max_rows))
    fileobj.seek(0)


def too_many_rows(max_rows: int) -> str:
    return f"文件超过{max_rows:,}行（空行也计算在内），请删除多余的空行，或拆分后分批导入"


def table_rows(source, *, sheet: str, header_key: Callable[[object], str | None], columns: dict[str, str],
               max_rows: int, no_header: str, skip: Callable[[dict], bool] = lambda data: False,
               ) -> tuple[dict[int, str], list[tuple[int, dict]]]:
    """Read the sheet ``sheet`` (or the first): find the header, then every data row within the bounds.

    ``header_key(cell)`` names the column a header cell is (or None); ``columns`` maps that name to a field.
    Returns ``({column index: field}, [(Excel row number, {field: raw value})])``; blank rows and rows for
    which ``skip(data)`` holds are left out but counted against ``max_rows + BLANK_ROWS_ALLOWED``.
    """
    import openpyxl

    wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        found_columns: dict[int, str] = {}
        header_row = 0
        for number, values in enumerate(rows, start=1):
            found = {i: k for i, k in ((i, header_key(v)) for i, v in enumerate(values)) if k}
            if len(found) >= 2:
                found_columns, header_row = {i: columns[k] for i, k in found.items()}, number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not found_columns:
            raise FileRefused(no_header)
        return found_columns, list(_data_rows(rows, header_row, found_columns, max_rows, skip))
    finally:
        wb.close()


def _data_rows(rows, header_row: int, columns: dict[int, str], max_rows: int, skip) -> Iterator[tuple[int, dict]]:
    kept = 0
    for read, (number, values) in enumerate(enumerate(rows, start=header_row + 1), start=1):
        if read > max_rows + BLANK_ROWS_ALLOWED:
            raise FileRefused(too_many_rows(max_rows))
        data = {f: values[i] if i < len(values) else None for i, f in columns.items()}
        if all(v is None or str(v).strip() == "" for v in data.values()) or skip(data):
            continue
        kept += 1
        if kept > max_rows:
            raise FileRefused(too_many_rows(max_rows))
        yield number, data
