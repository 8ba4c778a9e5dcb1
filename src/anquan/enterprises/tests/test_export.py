"""Excel export: scoped like the list, the same filters, Chinese headers, an RFC 5987 file name."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anquan.core.tests.factories import make_enterprise, make_site
from anquan.enterprises import exporter

pytestmark = pytest.mark.django_db


def _sheet(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_a_street_users_export_contains_only_its_enterprises(tree, street_user, client_for):
    mine = make_enterprise(tree.grid_a, name="甲街道建材厂", risk_colour="red", industries=["industry_trade", "hazchem"])
    builder = make_enterprise(tree.grid_b, name="乙街道建筑公司", industries=["construction"])
    make_site(tree.grid_a, enterprise=builder, name="甲街道工地")  # a site in street A makes it visible to A
    make_enterprise(tree.grid_b, name="乙街道工厂")
    make_enterprise(tree.other_grid, name="邻区工厂")

    response = client_for(street_user).get("/enterprises/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exporter.XLSX_TYPE
    filename = f"企业档案_{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert f'filename="enterprises_{timezone.localdate():%Y%m%d}.xlsx"' in response["Content-Disposition"]
    rows = _sheet(response)
    assert rows[0] == exporter.HEADERS
    names = sorted(r[0] for r in rows[1:])
    assert names == ["乙街道建筑公司", "甲街道建材厂"]
    first = next(r for r in rows[1:] if r[0] == "甲街道建材厂")
    assert first[1] == mine.credit_code
    assert first[6] == "甲一社区第一网格"
    assert first[7] == "危险化学品、工贸"
    assert first[10] == "红（重大风险）"
    assert first[11] == "未达标"


def test_the_export_uses_the_list_filters(tree, street_user, client_for):
    make_enterprise(tree.grid_a, name="红色企业", risk_colour="red")
    make_enterprise(tree.grid_a, name="蓝色企业", risk_colour="blue")
    rows = _sheet(client_for(street_user).get("/enterprises/export.xlsx?risk_colour=red"))
    assert [r[0] for r in rows[1:]] == ["红色企业"]


def test_export_needs_the_export_right(tree, grid_worker, client_for):
    make_enterprise(tree.grid_a)
    assert client_for(grid_worker).get("/enterprises/export.xlsx").status_code == 403


def test_too_many_rows_are_refused_clearly(tree, street_user, client_for, monkeypatch):
    make_enterprise(tree.grid_a)
    make_enterprise(tree.grid_a2)
    monkeypatch.setattr(exporter, "MAX_ROWS", 1)
    response = client_for(street_user).get("/enterprises/export.xlsx", follow=True)
    assert response.status_code == 200
    assert "超过Excel单表上限" in response.content.decode()
