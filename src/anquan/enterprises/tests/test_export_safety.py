"""The enterprise export and import template survive what is stored: control characters (a vertical tab an
address got from Word) and texts a spreadsheet would run as formulas (``=HYPERLINK(...)``) — issue 11,
findings 1 and 2. The file is read back with openpyxl and its XML searched for ``<f>`` elements."""
from __future__ import annotations

import pytest

from anquan.core.tests.factories import make_enterprise
from anquan.core.tests.xlsx_checks import HOSTILE, no_formulas
from anquan.enterprises import exporter
from anquan.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_an_address_holding_a_vertical_tab_exports_for_the_whole_street(tree, street_user, client_for):
    make_enterprise(tree.grid_a, name="正常企业")
    make_enterprise(tree.grid_a, name="换行企业", address="甲路1号\u000b二楼", principal_name="李\x0c四")
    response = client_for(street_user).get("/enterprises/export.xlsx")
    assert response.status_code == 200
    texts = no_formulas(b"".join(response.streaming_content))
    assert "甲路1号二楼" in texts and "李四" in texts and "正常企业" in texts


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_texts_are_written_as_text(tree, street_user, client_for, lead):
    hostile = HOSTILE if lead == "=" else f'{lead}HYPERLINK("http://x","y")'
    make_enterprise(tree.grid_a, name=hostile, legal_representative=hostile, address=hostile + "路")
    response = client_for(street_user).get("/enterprises/export.xlsx")
    assert response.status_code == 200
    texts = no_formulas(b"".join(response.streaming_content))
    assert texts.count(hostile) == 2 and hostile + "路" in texts


def test_the_rows_and_the_template_go_through_the_safe_cell(tree):
    """The writer itself, called as the import template and the export job call it."""
    make_enterprise(tree.grid_a, name=HOSTILE, address="路\x0b号")
    stream = exporter.export_enterprises(Enterprise.objects.all())
    texts = no_formulas(stream.read())
    assert HOSTILE in texts and "路号" in texts
    # a lone surrogate cannot even reach the database (UTF-8), but a writer is given one in memory
    template = exporter.template_workbook([(1, HOSTILE, "长名\x0b\udc00")], [("x", "=1+1")])
    texts = no_formulas(template.read())
    assert HOSTILE in texts  # the example row names the first grid
    assert f"1 · {HOSTILE}（长名）" in texts and "x · =1+1" in texts
