"""Exports of the three lists: scoped, filtered, Chinese headers, refused for roles without export
and for more rows than one sheet holds."""
from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from anquan.hazards import exports, services

from .test_pages import at, media, png, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    return wb.worksheets[0].title, rows[0], rows[1:]


@pytest.fixture
def hazards(world):
    with at(datetime.date(2026, 3, 2), 10):
        ours = world.record(description="甲街道：配电箱无门", responsible_name="孙师傅", responsible_phone="13600000000",
                            measures="装门上锁", funds="1200.50", deadline="2026-03-05")
        closed = world.record(description="甲街道：灭火器过期")
        services.hazard_submit(actor=world.firm_user, hazard=closed, version=closed.version, measures_taken="更换", after_photos=[png()])
        services.hazard_verify(actor=world.street, hazard=closed, version=closed.version, passed=True)
        theirs = world.record(actor=world.street_b, site=world.market, source="territorial", description="乙街道：通道堵塞")
    return ours, closed, theirs


def test_hazard_list_export_is_scoped_and_filtered(world, hazards):
    ours, closed, theirs = hazards
    with at(datetime.date(2026, 3, 10), 9):
        client = world.client(world.street)
        title, header, rows = sheet(client.get("/hazards/export/hazards.xlsx"))
        assert title == "隐患清单"
        assert header == [c[0] for c in exports.COLUMNS["hazards"]]
        assert header[:3] == ["隐患编号", "场所", "企业"] and "逾期天数" in header and "现行整改期限" in header
        numbers = [r[0] for r in rows]
        assert sorted(numbers) == sorted([ours.number, closed.number]) and theirs.number not in numbers
        assert numbers[0] == ours.number  # overdue first
        row = dict(zip(header, rows[0], strict=False))  # trailing empty cells are not stored
        assert row["逾期天数"] == 5 and row["状态"] == "待整改" and row["隐患来源"] == "网格巡查"
        _, _, filtered = sheet(client.get("/hazards/export/hazards.xlsx?status=closed"))
        assert [r[0] for r in filtered] == [closed.number]
        _, _, searched = sheet(client.get("/hazards/export/hazards.xlsx?q=灭火器"))
        assert [r[0] for r in searched] == [closed.number]


def test_rectification_and_responsibility_lists(world, hazards):
    ours, closed, _ = hazards
    with at(datetime.date(2026, 3, 10), 9):
        client = world.client(world.anweiban)
        title, header, rows = sheet(client.get("/hazards/export/rectification.xlsx"))
        assert title == "整改清单"
        assert {"整改责任人", "责任人电话", "整改措施", "整改资金（元）", "现行整改期限", "应急预案/防范措施", "最近整改轮次"} <= set(header)
        assert closed.number not in [r[0] for r in rows]  # the rectification list holds open hazards
        row = dict(zip(header, next(r for r in rows if r[0] == ours.number), strict=False))  # trailing empty cells are not stored
        assert row["整改责任人"] == "孙师傅" and row["责任人电话"] == "13600000000" and float(row["整改资金（元）"]) == 1200.5
        title, header, rows = sheet(client.get("/hazards/export/responsibility.xlsx"))
        assert title == "责任清单"
        assert {"责任单位", "整改责任人", "发现人", "发现单位", "登记人", "验收人", "行业主管部门"} <= set(header)
        row = dict(zip(header, next(r for r in rows if r[0] == closed.number), strict=False))  # trailing empty cells are not stored
        assert row["发现人"] == "网格员小王" and row["发现单位"] == world.tree.grid_a.name
        assert row["验收人"] == "甲街道老李" and row["责任单位"] == "甲街道机械厂" and row["行业主管部门"] == "示范区应急管理局"


def test_export_needs_the_export_permission(world, hazards):
    assert world.client(world.grid).get("/hazards/export/hazards.xlsx").status_code == 403
    assert world.client(world.firm_user).get("/hazards/export/hazards.xlsx").status_code == 403
    assert world.client(world.street).get("/hazards/export/other.xlsx").status_code == 404
    list_page = world.client(world.grid).get("/hazards/").content.decode()
    assert "/hazards/export/" not in list_page
    assert "/hazards/export/hazards.xlsx" in world.client(world.street).get("/hazards/").content.decode()


def test_too_many_rows_are_refused_clearly(world, hazards, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    response = world.client(world.street).get("/hazards/export/hazards.xlsx?level=general", follow=True)
    html = response.content.decode()
    assert "超过Excel单表上限1行，无法导出" in html and "请增加筛选条件" in html
    assert response.redirect_chain[0][0].startswith("/hazards/?level=general")
