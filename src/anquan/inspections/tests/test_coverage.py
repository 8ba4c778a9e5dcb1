"""Coverage (拉网式排查): what counts, who sees what, the frequency rule's shortfall, the page and its .xlsx."""
from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.inspections import coverage as cov
from anquan.inspections.models import Inspection
from anquan.rules.calendar import SHANGHAI
from anquan.rules.models import RuleOverride

NOW = datetime.datetime(2026, 4, 10, 10, 0, tzinfo=SHANGHAI)
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def visit(site, kind, when=None, *, planned=None, dept=None, unannounced=False, **fields):
    planned = planned or (when.date() if when else datetime.date(2026, 3, 1))
    return Inspection.objects.create(site=site, kind=kind, department=dept, planned_on=planned, performed_at=when,
                                     status="performed" if when else "planned", unannounced=unannounced, **fields)


class QD(dict):
    """A query dict with getlist, as request.GET has."""

    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db, clock):
    t = make_tree()
    w = {"tree": t}
    w["E_red"] = make_enterprise(t.grid_a, name="红色化工厂", risk_colour="red", industries=("industry_trade",))
    w["E_blue"] = make_enterprise(t.grid_a2, name="蓝色加工厂", risk_colour="blue", industries=("industry_trade",))
    w["E_y"] = make_enterprise(t.grid_b, name="黄色危化企业", risk_colour="yellow", industries=("hazchem",))
    w["E_closed"] = make_enterprise(t.grid_a, name="已取缔企业", status="closed")
    w["E_other"] = make_enterprise(t.other_grid, name="邻区企业", risk_colour="red")
    w["S_red"] = make_site(t.grid_a, enterprise=w["E_red"], name="红厂区", industry_code="industry_trade")
    w["S_blue"] = make_site(t.grid_a2, enterprise=w["E_blue"], name="蓝厂区", industry_code="industry_trade")
    w["S_y"] = make_site(t.grid_b, enterprise=w["E_y"], name="黄库区")  # no industry of its own: the enterprise's counts
    w["S_free"] = make_site(t.grid_a, name="无主商场", industry_code="crowded")
    make_site(t.grid_a, enterprise=w["E_closed"], name="取缔厂区")
    w["S_other"] = make_site(t.other_grid, enterprise=w["E_other"], name="邻区厂区")
    w["anweiban"] = make_user("anweiban", unit=t.district, department=t.anweiban)
    w["jiedao_a"] = make_user("street_staff", unit=t.street_a)
    w["yingji"] = make_user("dept_staff", department=t.yingji)
    w["wangge"] = make_user("grid_worker", unit=t.grid_a)
    w["qiye"] = make_user("ent_manager", enterprise=w["E_red"])
    w["zhifa"] = make_user("inspector", department=t.yingji)
    # In Q1 2026: two government visits of the red site, a self-inspection of the blue one, one visit of the
    # unowned site at 23:30 on 31 March (Shanghai), and what must not count.
    visit(w["S_red"], "industry", at(2026, 1, 10), dept=t.yingji)
    visit(w["S_red"], "territorial", at(2026, 2, 5))
    visit(w["S_blue"], "self", at(2026, 2, 6))
    visit(w["S_free"], "joint", at(2026, 3, 31, 23, 30))
    visit(w["S_free"], "territorial", at(2026, 4, 1, 0, 10))  # after the period
    visit(w["S_y"], "industry", at(2025, 12, 31, 23, 59), dept=t.yingji)  # before it
    visit(w["S_y"], "industry", at(2026, 2, 1), dept=t.yingji, voided_at=at(2026, 2, 2), void_reason="录错")
    visit(w["S_other"], "industry", at(2026, 2, 1))
    # 四不两直 planned at the red site, not yet performed: hidden from the street and the enterprise.
    w["hidden"] = visit(w["S_red"], "unannounced", None, planned=datetime.date(2026, 3, 20), dept=t.yingji, unannounced=True)
    return w


def params(user, **extra):
    p, errors = cov.parse_params(user, QD({**Q1, **extra}), NOW.date())
    assert errors == []
    return p


def test_whole_months():
    d = datetime.date
    assert cov.whole_months(d(2026, 1, 1), d(2026, 3, 31)) == 3
    assert cov.whole_months(d(2026, 1, 15), d(2026, 3, 31)) == 2
    assert cov.whole_months(d(2026, 1, 15), d(2026, 4, 14)) == 3
    assert cov.whole_months(d(2026, 1, 1), d(2026, 12, 31)) == 12
    assert cov.whole_months(d(2026, 2, 1), d(2026, 2, 27)) == 0
    assert cov.expected_visits(3, {"red": 1, "orange": 3, "yellow": 6, "blue": 12}) == {"red": 3, "orange": 1, "yellow": 0, "blue": 0}


@pytest.mark.django_db
def test_district_totals_streets_grids_colours_and_kinds(world):
    t = world["tree"]
    r = cov.report(world["anweiban"], params(world["anweiban"]))
    total = r.total
    # S_red, S_blue, S_y, S_free (not the closed firm's site, not 邻区's)
    assert (total.sites, total.covered, total.uncovered) == (4, 2, 2)
    assert (total.enterprises, total.enterprises_covered) == (3, 1)
    assert (total.expected, total.done, total.shortfall, total.short_sites) == (3, 3, 1, 1)
    assert total.percent == 50.0
    streets = {c.label: (c.sites, c.covered, c.shortfall) for c in r.streets}
    assert streets == {"甲街道": (3, 2, 1), "乙街道": (1, 0, 0)}
    grids = {c.key: (c.sites, c.covered) for c in r.grids}
    assert grids == {t.grid_a.pk: (2, 2), t.grid_a2.pk: (1, 0), t.grid_b.pk: (1, 0)}
    assert r.grids[0].percent == 0  # worst first
    colours = {c.key: (c.sites, c.extra["per_site"], c.shortfall) for c in r.colours}
    assert colours == {"red": (1, 3, 1), "orange": (0, 1, 0), "yellow": (1, 0, 0), "blue": (2, 0, 0)}
    kinds = {k["kind"]: (k["visits"], k["sites"]) for k in r.kinds}
    assert kinds["industry"] == (1, 1) and kinds["territorial"] == (1, 1) and kinds["joint"] == (1, 1)
    assert "self" not in kinds and kinds["unannounced"] == (0, 0)
    rows = {s.name: (s.n_done, s.n_pending, s.n_expected, s.n_short) for s in r.sites}
    assert rows["红厂区"] == (2, 1, 3, 1)  # the district sees the planned 暗访
    assert rows["蓝厂区"] == (0, 0, 0, 0)


@pytest.mark.django_db
def test_street_sees_its_street_and_never_the_hidden_visit(world):
    user = world["jiedao_a"]
    r = cov.report(user, params(user))
    assert {s.name for s in r.sites} == {"红厂区", "蓝厂区", "无主商场"}
    assert r.streets == []  # a street is broken down per grid only
    red = next(s for s in r.sites if s.name == "红厂区")
    assert (red.n_done, red.n_pending) == (2, 0)
    assert cov.pending(user, params(user)).count() == 0
    # performed, the unannounced visit counts and shows to the street like any other
    Inspection.objects.filter(pk=world["hidden"].pk).update(performed_at=at(2026, 3, 20), status="performed")
    red = next(s for s in cov.report(user, params(user)).sites if s.name == "红厂区")
    assert (red.n_done, red.n_pending, red.n_short) == (3, 0, 0)


@pytest.mark.django_db
def test_department_sees_the_sites_it_regulates(world):
    user = world["yingji"]
    r = cov.report(user, params(user))
    # 应急管理局 regulates 工贸 and 危化 firms; the unowned 人员密集 site is not its own
    assert {s.name for s in r.sites} == {"红厂区", "蓝厂区", "黄库区"}
    assert r.total.covered == 1


@pytest.mark.django_db
def test_filters_industry_kinds_and_only(world):
    user = world["anweiban"]
    hazchem = world["tree"].industries["hazchem"]
    assert {s.name for s in cov.report(user, params(user, industry=str(hazchem.pk))).sites} == {"黄库区"}
    with_self = cov.report(user, params(user, kind=["self", "industry", "territorial", "joint"]))
    assert with_self.total.covered == 3
    only_self = cov.report(user, params(user, kind=["self"]))
    assert {s.name for s in only_self.sites if s.n_done} == {"蓝厂区"}
    p = params(user, only="uncovered")
    assert {s.name for s in cov.table(cov.report(user, p).sites, p.only)} == {"黄库区", "蓝厂区"}
    p = params(user, only="short")
    assert [s.name for s in cov.table(cov.report(user, p).sites, p.only)] == ["红厂区"]


@pytest.mark.django_db
def test_local_frequency_override_changes_the_shortfall(world):
    user = world["anweiban"]
    RuleOverride.objects.create(key="inspection.frequency_months.red", value=2, unit=world["tree"].district,
                                reason="本区红色企业每两个月检查一次", set_by=user)
    r = cov.report(user, params(user))
    assert r.frequencies["red"] == 2 and r.expected["red"] == 1
    assert r.total.shortfall == 0


@pytest.mark.django_db
def test_bad_filters_get_chinese_messages_and_defaults(world):
    user = world["jiedao_a"]
    t = world["tree"]
    p, errors = cov.parse_params(user, QD(territory=str(t.other_street.pk), start="2026-13-01", end="昨天",
                                          industry="999999", kind=["bogus"], only="x"), NOW.date())
    assert p.territory == t.street_a and p.start == datetime.date(2026, 1, 1) and p.end == NOW.date()
    assert p.industry is None and p.kinds == cov.DEFAULT_KINDS and p.only == ""
    text = "".join(errors)
    for part in ("不在您的管辖范围内", "开始日期", "结束日期", "行业领域不存在", "bogus", "筛选条件无效"):
        assert part in text
    p, errors = cov.parse_params(user, QD(start="2020-01-01", end="2026-03-31"), NOW.date())
    assert "不能超过3年" in errors[0] and (p.end - p.start).days < cov.MAX_SPAN_DAYS
    p, errors = cov.parse_params(user, QD(start="2026-03-31", end="2026-01-01"), NOW.date())
    assert (p.start, p.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) and "对调" in errors[0]
    # the district above the street is not offered, the street's grids are
    options = {u.pk for u in cov.territory_options(user)}
    assert t.district.pk not in options and {t.street_a.pk, t.grid_a.pk} <= options and t.street_b.pk not in options


@pytest.mark.django_db
def test_page_access_and_content(world, client):
    for name in ("qiye", "wangge", "zhifa"):
        client.force_login(world[name])
        response = client.get("/coverage/")
        assert response.status_code == 403, name
        assert "排查覆盖情况仅向" in response.content.decode()
    client.force_login(world["anweiban"])
    html = client.get("/coverage/", Q1).content.decode()
    assert 'data-figure="percent">50.0%' in html and 'data-figure="shortfall">1<' in html
    assert "红厂区" in html and "邻区厂区" not in html and "取缔厂区" not in html
    assert "地方可配置的默认值，不是法定频次" in html and "chart-coverage" in html
    street_link = f"territory={world['tree'].street_a.pk}"
    assert street_link in html  # each street links to its own coverage
    html = client.get("/coverage/", {**Q1, "territory": str(world["tree"].street_a.pk)}).content.decode()
    assert "红厂区" in html and "黄库区" not in html
    html = client.get("/coverage/", {**Q1, "only": "uncovered"}).content.decode()
    assert "黄库区" in html and "蓝厂区" in html and "红厂区" not in html.split('id="sites"')[1]
    client.force_login(world["jiedao_a"])
    response = client.get("/coverage/", {**Q1, "territory": str(world["tree"].street_b.pk), "start": "坏日期"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "不在您的管辖范围内" in html and "不是有效日期" in html and "黄库区" not in html


@pytest.mark.django_db
def test_empty_states(world, client):
    client.force_login(world["anweiban"])
    html = client.get("/coverage/", {**Q1, "industry": str(world["tree"].industries["fireworks"].pk)}).content.decode()
    assert 'data-testid="coverage-empty"' in html and "没有您需要排查的场所" in html
    Inspection.objects.create(site=world["S_blue"], kind="industry", planned_on=datetime.date(2026, 3, 1), performed_at=at(2026, 3, 1))
    Inspection.objects.create(site=world["S_y"], kind="industry", planned_on=datetime.date(2026, 3, 1), performed_at=at(2026, 3, 1))
    html = client.get("/coverage/", {**Q1, "only": "uncovered"}).content.decode()
    assert "所有场所均已检查，没有未检查的场所" in html


def _export(client, query) -> dict:
    response = client.get("/coverage/export.xlsx", query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.django_db
def test_export_holds_what_the_page_shows(world, client):
    client.force_login(world["anweiban"])
    sheets = _export(client, Q1)
    assert list(sheets) == ["汇总", "按街道", "按网格", "场所明细"]
    summary = {r[0]: r[1] for r in sheets["汇总"] if r and r[0]}
    assert summary["场所：已检查 / 总数"] == "2 / 4（50.0%）"
    assert summary["应检查次数 / 已检查次数 / 欠检次数"] == "3 / 3 / 1"
    streets = {r[0]: r[1:4] for r in sheets["按街道"][1:]}
    assert streets["甲街道"] == [3, 2, 1] and streets["乙街道"] == [1, 0, 1] and streets["合计"] == [4, 2, 2]
    head, *rows = sheets["场所明细"]
    by_name = {r[0]: dict(zip(head, r, strict=True)) for r in rows}
    assert set(by_name) == {"红厂区", "蓝厂区", "黄库区", "无主商场"}
    red = by_name["红厂区"]
    assert red["是否检查"] == "是" and red["检查次数"] == 2 and red["欠检次数"] == 1 and red["已安排待检查"] == 1
    assert red["检查类型（次数）"] == "行业检查1次、属地检查1次" and red["街道"] == "甲街道"
    assert by_name["无主商场"]["企业"] == "（无所属企业）"
    assert by_name["无主商场"]["最近检查时间"] == datetime.datetime(2026, 3, 31, 23, 30)
    # the street's export: its own sites, no hidden visit
    client.force_login(world["jiedao_a"])
    sheets = _export(client, {**Q1, "only": "uncovered"})
    assert "按街道" not in sheets
    assert [r[0] for r in sheets["场所明细"][1:]] == ["蓝厂区"]


def _grow(world, n: int):
    t = world["tree"]
    for i in range(n):
        grid = (t.grid_a, t.grid_a2, t.grid_b)[i % 3]
        firm = make_enterprise(grid, risk_colour=("red", "orange", "yellow", "blue")[i % 4])
        site = make_site(grid, enterprise=firm, industry_code="industry_trade")
        if i % 2:
            visit(site, ("industry", "territorial", "joint")[i % 3], at(2026, 2, 1 + i % 27))


@pytest.mark.django_db
def test_query_count_does_not_grow_with_sites(world, client):
    client.force_login(world["anweiban"])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, Q1)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(world, 6)
    small = count("/coverage/"), count("/coverage/export.xlsx")
    _grow(world, 30)
    assert cov.report(world["anweiban"], params(world["anweiban"])).total.sites == 40
    assert (count("/coverage/"), count("/coverage/export.xlsx")) == small


@pytest.mark.django_db
def test_counted_visits_are_exactly_the_visible_ones_and_grants_do_not_widen_the_frame(world):
    from anquan.accounts.models import Grant, RoleAssignment

    jiedao = world["jiedao_a"]
    assignment = RoleAssignment.objects.get(user=jiedao)
    Grant.objects.create(assignment=assignment, model_key="site", object_id=world["S_y"].pk, reason="检查任务",
                         valid_from=NOW - datetime.timedelta(days=1), valid_to=NOW + datetime.timedelta(days=30))
    jiedao.__dict__.pop("_anquan_assignments", None)
    from anquan.enterprises.models import Site

    assert Site.objects.visible_to(jiedao).filter(pk=world["S_y"].pk).exists()  # the grant reaches the site …
    assert not cov.frame(jiedao, params(jiedao)).filter(pk=world["S_y"].pk).exists()  # … but it is not the street's to cover
    for name in ("anweiban", "jiedao_a", "yingji"):
        user = world[name]
        p = params(user, kind=list(cov.KIND_LABELS))
        start, end = cov._bounds(p)
        visible = Inspection.objects.visible_to(user).filter(
            site__in=cov.frame(user, p).values("pk"), voided_at__isnull=True, performed_at__gte=start, performed_at__lt=end)
        assert set(cov.performed(user, p)) == set(visible), name


@pytest.mark.django_db
def test_territory_options_drop_grids_only_when_too_many(world, monkeypatch):
    t = world["tree"]
    options = {u.pk for u in cov.territory_options(world["anweiban"])}
    assert {t.district.pk, t.street_a.pk, t.street_b.pk, t.grid_a.pk, t.grid_b.pk} <= options
    assert t.other_street.pk not in options and t.city.pk not in options
    monkeypatch.setattr(cov, "MAX_GRID_OPTIONS", 2)
    options = {u.pk for u in cov.territory_options(world["anweiban"])}
    assert {t.district.pk, t.street_a.pk, t.street_b.pk, t.community_b.pk} <= options and t.grid_a.pk not in options
