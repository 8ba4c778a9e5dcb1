"""jobs.xlsx: the streaming writer's files read back with openpyxl, value for value and style for style."""
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from anquan.jobs import xlsx


def read(stream):
    return load_workbook(io.BytesIO(stream.read()))


def test_values_read_back_exactly():
    rows = [
        ("YH0001", "含<尖括号>&符号\"引号'", 12, 3.5, Decimal("1200.50"), True, datetime.date(2026, 3, 5),
         datetime.datetime(2026, 3, 5, 14, 30, 15), None, ""),
        ("  首尾空格  ", "控制字符\x00\x07\x1f已去掉\t制表符保留", -1, 0.0, Decimal("0"), False, datetime.date(1900, 3, 1),
         datetime.datetime(2030, 12, 31, 23, 59, 59), "末尾", "x" * 40000),
    ]
    headers = [f"列{i}" for i in range(10)]
    wb = read(xlsx.write_xlsx("隐患清单", headers, [18] * 10, iter(rows)))
    ws = wb.worksheets[0]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert ws.title == "隐患清单" and got[0] == headers
    first, second = got[1], got[2]
    assert first[:6] == ["YH0001", "含<尖括号>&符号\"引号'", 12, 3.5, 1200.5, True]
    assert first[6] == datetime.datetime(2026, 3, 5) and first[7] == datetime.datetime(2026, 3, 5, 14, 30, 15)
    assert first[8] is None and first[9] is None
    assert second[0] == "  首尾空格  " and second[1] == "控制字符已去掉\t制表符保留"
    assert second[6] == datetime.datetime(1900, 3, 1) and second[7] == datetime.datetime(2030, 12, 31, 23, 59, 59)
    assert second[8] == "末尾" and len(second[9]) == xlsx.MAX_CELL_CHARS
    assert ws["G2"].number_format == "yyyy-mm-dd" and ws["H2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_header_style_frozen_pane_widths_and_sheet_name():
    wb = read(xlsx.write_xlsx("a/b:c*d?[e]" + "长" * 40, ["编号", "名称"], [18, 40], iter([("1", "甲")])))
    ws = wb.worksheets[0]
    assert ws.title == ("a b c d  e " + "长" * 40)[:31]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FF0B3D91" and ws["A1"].alignment.wrap_text
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 18 and ws.column_dimensions["B"].width == 40


def test_streams_many_rows_and_refuses_more_than_a_sheet(monkeypatch):
    stream = xlsx.write_xlsx("x", ["n"], [8], ((i,) for i in range(5000)))
    values = [r[0] for r in load_workbook(io.BytesIO(stream.read()), read_only=True).worksheets[0].iter_rows(values_only=True)]
    assert values == ["n", *range(5000)]
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 10)
    with pytest.raises(ValueError):
        xlsx.write_xlsx("x", ["n"], [8], ((i,) for i in range(10)))


def test_column_letters():
    assert [xlsx.column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
