"""Permission matrix of coverage (排查覆盖): every demo user × the named sites of ``matrix_world``, through the
page and its .xlsx export. Expectations are written by hand.

Named objects (``core/tests/matrix_world.build_world``): ``S_A`` (E_A, 建筑施工 → 住建局, wangge_a's grid in
街道甲) with ``I_DONE`` (performed today by 应急管理局) and ``I_HIDDEN`` (a 暗访 not yet performed); ``S_B``
(E_B, 危化 → 应急管理局, 街道乙); ``S_R`` (no enterprise, 人员密集 → 消防, wangge_a's grid); ``S_L`` (邻区).

Per user: the page (``ok`` or ``403``), then per site ``c`` (listed, inspected), ``o`` (listed, not
inspected) or ``-`` (not listed), then the planned visits the user sees at S_A (the hidden one counts for
those it is not hidden from; ``None`` where S_A is not listed). Coverage is for whoever plans inspections
in a territory or a department; the default territory is the top of the user's planning reach.
"""
from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from anquan.core.tests.matrix_world import build_world
from anquan.rules.calendar import SHANGHAI

NOW = datetime.datetime(2026, 11, 22, 15, 0, tzinfo=SHANGHAI)
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
SITES = ("S_A", "S_B", "S_R", "S_L")

EXPECT = {                 # page   S_A  S_B  S_R  S_L   planned at S_A
    "shi_anweiban":       ("ok",  "c", "o", "o", "o", 1),     # the city: both districts
    "anweiban":           ("ok",  "c", "o", "o", "-", 1),     # 示范区; the 暗访 is not hidden from the district
    "linqu_anweiban":     ("ok",  "-", "-", "-", "o", None),  # 邻区 only
    "jiedao_a":           ("ok",  "c", "-", "o", "-", 0),     # 街道甲: the 暗访 stays hidden from the street
    "jiedao_b":           ("ok",  "-", "o", "-", "-", None),  # 街道乙
    "zhujian":            ("ok",  "c", "-", "-", "-", 1),     # regulates E_A (建筑施工)
    "yingji":             ("ok",  "-", "o", "-", "-", None),  # regulates E_B (危化); I_DONE's site is not its own
    "xiaofang":           ("ok",  "-", "-", "o", "-", None),  # the unowned 人员密集 place
    "jiaotong":           ("ok",  "-", "-", "-", "-", None),  # nothing of its industries here
    "lingdao":            ("403",),                           # leaders do not plan inspections
    "wangge_a":           ("403",),                           # grid workers neither
    "qiye_a":             ("403",),                           # enterprises plan only their own self-inspections
    "qiye_a_fzr":         ("403",),
    "qiye_b":             ("403",),
    "zhifa_a":            ("403",),                           # inspectors perform, they do not plan
    "zhifa_b":            ("403",),
    "zhuanjia":           ("403",),
    "ducha":              ("403",),
    "admin":              ("403",),
    "secadmin":           ("403",),
    "shenji":             ("403",),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _rows(response) -> dict[str, dict]:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    head, *rows = [list(r) for r in wb["场所明细"].iter_rows(values_only=True)]
    return {r[0]: dict(zip(head, r, strict=True)) for r in rows}


def test_every_demo_user_has_a_row(world):
    assert set(EXPECT) == {u for u in world["users"] if world["users"][u].assignments.exists()}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(EXPECT))
def test_coverage_matrix(world, username):
    expected = EXPECT[username]
    client = _client(world, username)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/coverage/", PERIOD)
        export = client.get("/coverage/export.xlsx", PERIOD)
    if expected[0] == "403":
        assert (page.status_code, export.status_code) == (403, 403), username
        assert "排查覆盖情况仅向" in page.content.decode()
        return
    assert (page.status_code, export.status_code) == (200, 200), username
    rows = _rows(export)
    html = page.content.decode()
    for number in range(2, 10):  # every page of the site table (the city has more than one)
        if f"page={number}" not in html:
            break
        with time_machine.travel(NOW, tick=False):
            html += client.get("/coverage/", {**PERIOD, "page": number}).content.decode()
    got = []
    for name in SITES:
        site = world[name]
        row = rows.get(site.name)
        got.append("-" if row is None else ("c" if row["是否检查"] == "是" else "o"))
        assert (f'data-site="{site.pk}"' in html) == (row is not None), (username, name)
    pending = rows[world["S_A"].name]["已安排待检查"] if world["S_A"].name in rows else None
    assert (*got, pending) == expected[1:], username


@pytest.mark.django_db
def test_a_territory_out_of_reach_is_refused_not_shown(world):
    client = _client(world, "jiedao_a")
    with time_machine.travel(NOW, tick=False):
        page = client.get("/coverage/", {**PERIOD, "territory": str(world["G_B"].pk)})
        export = client.get("/coverage/export.xlsx", {**PERIOD, "territory": str(world["G_B"].pk)})
    assert page.status_code == 200 and "不在您的管辖范围内" in page.content.decode()
    rows = _rows(export)
    assert world["S_B"].name not in rows and world["S_A"].name in rows


@pytest.mark.django_db
def test_counted_visits_are_the_visible_ones_for_every_planner(world):
    from anquan.inspections import coverage as cov
    from anquan.inspections.models import Inspection

    for username, expected in EXPECT.items():
        if expected[0] != "ok":
            continue
        user = world["users"][username]
        with time_machine.travel(NOW, tick=False):
            p, _ = cov.parse_params(user, {**PERIOD, "kind": ""}, NOW.date())
            start, end = cov._bounds(p)
            visible = Inspection.objects.visible_to(user).filter(
                site__in=cov.frame(user, p).values("pk"), voided_at__isnull=True, performed_at__gte=start,
                performed_at__lt=end, kind__in=list(p.kinds))
            assert set(cov.performed(user, p)) == set(visible), username
