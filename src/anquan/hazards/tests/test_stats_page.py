"""The 统计分析 page and the statutory report download: scoped counts, numbers that link to
exactly what they count, a constant number of queries, and bad parameters answered in Chinese."""
from __future__ import annotations

import datetime
import io
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.catalogue_data import seed_catalogue
from anquan.hazards.models import Hazard
from anquan.hazards.services.common import place_of

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = datetime.date
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=SH)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_n = itertools.count(1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    seed_catalogue()
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="统计页测试厂")
    other_firm = make_enterprise(tree.grid_b, name="乙街道另一厂")
    return {
        "tree": tree, "firm": firm, "other_firm": other_firm,
        "site_a": make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade"),
        "site_a2": make_site(tree.grid_a2, industry_code="crowded"),
        "site_b": make_site(tree.grid_b, enterprise=other_firm, industry_code="construction"),
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "firm_user": make_user("ent_manager", enterprise=firm),
        "other_firm_user": make_user("ent_manager", enterprise=other_firm),
    }


def row(world, site="site_a", *, found_on, deadline=None, status="pending", closed_on=None, on_time=None, **fields) -> Hazard:
    """A hazard as the services leave it (place snapshot from place_of), without the loop's ceremony."""
    n = next(_n)
    deadline = deadline or found_on + datetime.timedelta(days=10)
    closed = status == "closed"
    return Hazard.objects.create(
        number=f"YHS{n:08d}", site=world[site], **place_of(world[site]),
        description=f"统计页测试隐患{n}", source=fields.pop("source", "grid"),
        found_at=datetime.datetime.combine(found_on, datetime.time(9), tzinfo=SH), found_on=found_on,
        recorded_by=world["grid"], recorded_role="grid_worker", deadline=deadline, deadline_in_force=deadline, status=status,
        closed_on=closed_on if closed else None, closed_on_time=on_time if closed else None,
        closed_at=datetime.datetime.combine(closed_on, datetime.time(15), tzinfo=SH) if closed else None, **fields,
    )


def seed(world, copies=1):
    """Per copy: street A — an overdue, a pending in time, a major, two closed (one late), one from last year;
    street B — two hazards street A must never count."""
    for _ in range(copies):
        row(world, found_on=D(2026, 3, 1))                                          # overdue
        row(world, "site_a2", found_on=D(2026, 6, 10), source="self")                # in time
        row(world, found_on=D(2026, 5, 1), level="major", deadline=D(2026, 9, 1), status="rectifying")
        row(world, found_on=D(2026, 4, 1), status="closed", closed_on=D(2026, 4, 6), on_time=True)
        row(world, "site_a2", found_on=D(2026, 4, 1), status="closed", closed_on=D(2026, 4, 21), on_time=False)
        row(world, found_on=D(2025, 11, 1))                                          # outside the default period
        row(world, "site_b", found_on=D(2026, 2, 1))
        row(world, "site_b", found_on=D(2026, 2, 2), level="major")


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def figure_links(html: str) -> dict[str, tuple[str, str]]:
    """data-figure key → (href, the big number shown)."""
    found = re.findall(r'href="([^"]+)" data-figure="(\w+)">\s*<div class="card-body"><div class="stat-label">[^<]*</div>'
                       r'<div class="stat-value[^"]*">([^<]*)</div>', html)
    return {key: (href.replace("&amp;", "&"), value) for href, key, value in found}


def list_count(c: Client, url: str) -> int:
    return c.get(url).context["page"].paginator.count


def test_street_sees_only_its_hazards_and_every_headline_number_links_to_what_it_counts(world):
    seed(world)
    c = client(world["street"])
    response = c.get("/hazards/stats/")
    assert response.status_code == 200
    head = response.context["head"]
    assert head["total"].value == 5  # street B's two and last year's one are not counted
    assert head["overdue"].value == 1 and head["major"].value == 1
    assert (head["rectification_rate"].numerator.value, head["rectification_rate"].denominator.value) == (2, 5)
    assert head["on_time_rate"].display == "50.0%" and head["days_to_close"].value == 12.5
    links = figure_links(response.content.decode())
    assert set(links) == {"total", "rectification_rate", "on_time_rate", "overdue", "days_to_close", "major"}
    expected = {"total": 5, "rectification_rate": 2, "on_time_rate": 1, "overdue": 1, "days_to_close": 2, "major": 1}
    for key, (href, shown) in links.items():
        assert href.startswith("/hazards/?") and "found_from=2026-01-01" in href
        assert list_count(c, href) == expected[key], key
        assert shown == head[key].display
    assert links["total"][1] == "5" and links["rectification_rate"][1] == "40.0%"
    # breakdowns: each count links to a list of the same size; the territory table lists street A's grids
    ctx = response.context
    assert {f.label: f.value for f in ctx["territory"]} == {world["tree"].grid_a.name: 3, world["tree"].grid_a2.name: 2}
    for figures in (ctx["statuses"], ctx["levels"], ctx["sources"], ctx["categories"], ctx["industries"], ctx["territory"]):
        assert sum(f.value for f in figures) == 5
        for f in figures:
            if f.value:
                assert list_count(c, f.url) == f.value
    assert "vendor/echarts/echarts.min.js" in response.content.decode()


def test_period_and_unit_filters_narrow_the_counts(world):
    seed(world)
    c = client(world["street"])
    ctx = c.get("/hazards/stats/", {"found_from": "2025-01-01", "found_to": "2026-12-31"}).context
    assert ctx["head"]["total"].value == 6
    ctx = c.get("/hazards/stats/", {"unit": world["tree"].grid_a2.pk}).context
    assert ctx["head"]["total"].value == 2 and ctx["territory"] == []
    # another street's unit is not a way in: it matches nothing
    ctx = c.get("/hazards/stats/", {"unit": world["tree"].street_b.pk}).context
    assert ctx["head"]["total"].value == 0
    assert c.get("/hazards/stats/", {"found_from": "garbage", "unit": "x"}).status_code == 200


def test_stats_page_needs_login_and_the_list_links_to_it(world):
    assert Client().get("/hazards/stats/").status_code == 302
    assert 'href="/hazards/stats/"' in client(world["street"]).get("/hazards/").content.decode()


def test_query_count_does_not_grow_with_the_data(world, django_assert_num_queries):
    c = client(world["street"])
    seed(world, 1)
    c.get("/hazards/stats/")  # warm the session and the rule caches
    with CaptureQueriesContext(connection) as small:
        assert c.get("/hazards/stats/").status_code == 200
    assert len(small.captured_queries) < 40
    seed(world, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        response = c.get("/hazards/stats/")
    assert response.context["head"]["total"].value == 35


# ---------------------------------------------------------------- the statutory report


def test_enterprise_user_downloads_its_report_and_sees_the_form(world):
    seed(world)
    c = client(world["firm_user"])
    page = c.get("/hazards/stats/").content.decode()
    assert "主要负责人" in page and "2026年7月15日前" in page and "2027年1月31日前" in page
    response = c.get("/hazards/report/", {"year": "2026", "quarter": "2"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for r in ws.iter_rows(values_only=True) for c in r if c is not None]
    assert "统计页测试厂" in cells and any("主要负责人" in str(v) for v in cells)
    annual = c.get("/hazards/report/", {"year": "2026", "quarter": "all"})
    assert annual.status_code == 200 and annual["Content-Type"] == XLSX
    assert c.get("/hazards/report/").status_code == 200  # own enterprise, this year


def test_report_of_an_enterprise_out_of_scope_is_404(world):
    c = client(world["firm_user"])
    assert c.get("/hazards/report/", {"enterprise": world["other_firm"].pk, "year": "2026"}).status_code == 404
    assert c.get("/hazards/report/", {"enterprise": "abc", "year": "2026"}).status_code == 404
    street = client(world["street"])
    assert street.get("/hazards/report/", {"enterprise": world["other_firm"].pk}).status_code == 404
    assert street.get("/hazards/report/", {"enterprise": world["firm"].pk, "quarter": "1"}).status_code == 200


@pytest.mark.parametrize("params, text", [
    ({"year": "abc"}, "年份无效"), ({"year": "1999"}, "年份无效"), ({"year": "2031"}, "年份无效"),
    ({"year": "2026", "quarter": "5"}, "季度无效"), ({"year": "2026", "quarter": "x"}, "季度无效"),
])
def test_bad_year_or_quarter_gets_a_chinese_message(world, params, text):
    c = client(world["firm_user"])
    response = c.get("/hazards/report/", params)
    assert response.status_code == 302 and response["Location"] == "/hazards/stats/"
    assert any(text in str(m) for m in get_messages(response.wsgi_request))


def test_a_user_without_an_enterprise_is_asked_to_pick_one(world):
    response = client(world["street"]).get("/hazards/report/", {"year": "2026"})
    assert response.status_code == 302
    assert any("请指定" in str(m) for m in get_messages(response.wsgi_request))
