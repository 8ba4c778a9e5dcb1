"""Uploaded workbooks are read within bounds: the two amplification files of the red-team pass are refused
with flat memory, blank rows count against the limit, and the streamed tag count is exact across chunks."""
import io
import random
import re
import tracemalloc
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from anquan.core import workbooks
from anquan.enterprises import importer as enterprise_import
from anquan.hazards import importer as hazard_import

HEADERS = ["企业名称", "统一社会信用代码", "法定代表人", "主要负责人", "注册地址", "所属网格", "行业领域"]
MEMORY_CEILING = 40 * 1024 * 1024  # the finding: +287 MB


def _template(rows=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业档案"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _replace(xlsx: bytes, member: str, content: bytes) -> io.BytesIO:
    """The same workbook with one member's XML replaced or added (as a crafted file would be)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    parts = {name: source.read(name) for name in source.namelist()}
    if member == "xl/sharedStrings.xml" and member not in parts:  # openpyxl writes inline strings: link the table
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts[member] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    out.seek(0)
    return out


def _sheet_xml(rows_xml: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + rows_xml + b"</sheetData></worksheet>")


def _header_row() -> bytes:
    cells = b"".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
                     for i, h in enumerate(HEADERS))
    return b'<row r="1">' + cells + b"</row>"


def _million_blank_rows() -> io.BytesIO:
    blank = b"<row/>" * 1_000_000
    return _replace(_template(), "xl/worksheets/sheet1.xml", _sheet_xml(_header_row() + blank))


def _two_million_shared_strings() -> io.BytesIO:
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(2_000_000))
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="2000000" uniqueCount="2000000">' + strings + b"</sst>")
    return _replace(_template([["甲公司", "x", "y", "w", "z", "1", "工贸"]]), "xl/sharedStrings.xml", xml)


def _refused_with_flat_memory(check, fileobj) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(workbooks.FileRefused) as refused:
            check(fileobj)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CEILING, f"peak {peak / 1024 / 1024:.1f} MB"
    return refused.value.message


@pytest.mark.slow
def test_a_million_blank_rows_are_refused_before_openpyxl_reads_them():
    crafted = _million_blank_rows()
    assert len(crafted.getvalue()) < 400 * 1024  # small on the wire, as in the finding
    for check in (enterprise_import.check_file, hazard_import.check_file):
        crafted.seek(0)
        assert "空行也计算在内" in _refused_with_flat_memory(check, crafted)


@pytest.mark.slow
def test_two_million_shared_strings_are_refused_before_openpyxl_loads_them():
    crafted = _two_million_shared_strings()
    assert len(crafted.getvalue()) < 10 * 1024 * 1024
    message = _refused_with_flat_memory(enterprise_import.check_file, crafted)
    assert "文字条目超过300,000条" in message


def test_blank_rows_count_against_the_limit_when_reading(monkeypatch):
    """A sheet that jumps to a far row with one element passes the tag count; the reader still stops."""
    monkeypatch.setattr(workbooks, "BLANK_ROWS_ALLOWED", 5)
    monkeypatch.setattr(enterprise_import, "MAX_ROWS", 3)
    rows = _header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>甲公司</t></is></c></row><row r="500000"/>'.encode()
    crafted = _replace(_template(), "xl/worksheets/sheet1.xml", _sheet_xml(rows))
    with pytest.raises(workbooks.FileRefused, match="空行也计算在内"):
        enterprise_import.read_rows(crafted)


def test_data_rows_beyond_the_limit_are_refused_and_within_it_read(monkeypatch):
    monkeypatch.setattr(enterprise_import, "MAX_ROWS", 3)
    firm = ["甲公司", "91330100MA2XXXXX0X", "张三", "李四", "某路1号", "1", "工贸"]
    assert len(enterprise_import.read_rows(io.BytesIO(_template([firm] * 3)))) == 3
    with pytest.raises(workbooks.FileRefused, match="超过3行"):
        enterprise_import.read_rows(io.BytesIO(_template([firm] * 4)))


class Drip:
    """A stream that answers each read with a random number of bytes (chunk boundaries anywhere)."""

    def __init__(self, data: bytes, rng: random.Random):
        self.data, self.at, self.rng = data, 0, rng

    def read(self, _size: int) -> bytes:
        step = self.rng.randint(1, 70)
        piece = self.data[self.at:self.at + step]
        self.at += len(piece)
        return piece


@settings(max_examples=60, derandomize=True)
@given(parts=st.lists(st.sampled_from([b"<row>", b'<row r="3"/>', b"<x:row ", b"<rows>", b"<si>", b"a", b"<"]),
                      max_size=60), seed=st.integers(0, 2**16))
def test_the_streamed_count_equals_the_whole_count_wherever_the_chunks_break(parts, seed):
    data = b"".join(parts)
    pattern = re.compile(rb"<(?:\w+:)?row[\s>/]")
    assert workbooks.count_elements(Drip(data, random.Random(seed)), pattern, 10**6) == len(pattern.findall(data))
