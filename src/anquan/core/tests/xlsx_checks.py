"""Reading back a spreadsheet the platform wrote: no formula anywhere, the texts as typed."""
from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

#: A text a spreadsheet would run if it were a formula, with control characters beside it.
HOSTILE = '=HYPERLINK("http://x","y")'
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def no_formulas(content: bytes) -> list[str]:
    """Every text cell of every sheet (read with openpyxl, not read-only so data types are kept), after
    checking the XML of every sheet holds no ``<f>`` element and openpyxl sees no formula cell."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                assert not FORMULA_ELEMENT.search(xml), f"a formula in {name}"
    texts = []
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts
