"""Statistics equal hand counts on seeded accidents, including the change against the same period last year
(比上年同期), and every figure's link lists exactly the accidents it counts. Frozen at 2026-11-22 23:30 Shanghai."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from anquan.accidents import stats
from anquan.accidents.models import Accident
from anquan.rules.calendar import SHANGHAI

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

PERIOD = stats.Period(datetime.date(2026, 1, 1), datetime.date(2026, 11, 22))


def test_change_text_reads_like_a_circular():
    # seed 001: 88起、死亡27人、受伤104人 … 分别下降6.4%、25%、23.5%和28.6%
    assert stats.change_text(88, 94) == "下降6.4%"
    assert stats.change_text(27, 36) == "下降25%"
    assert stats.change_text(104, 136) == "下降23.5%"
    assert stats.change_text(Decimal("500"), Decimal("700")) == "下降28.6%"
    assert stats.change_text(12, 10) == "上升20%"
    assert stats.change_text(3, 0) == "上年同期为0" and stats.change_percent(3, 0) is None
    assert stats.change_text(0, 0) == "持平" and stats.change_text(5, 5) == "持平"
    assert stats.change_percent(1, 3) == Decimal("-66.7")  # half up to one decimal


def test_same_period_last_year_handles_29_february():
    p = stats.Period(datetime.date(2028, 1, 1), datetime.date(2028, 2, 29)).previous
    assert (p.start, p.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 2, 28))


@pytest.fixture
def world(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=30, hazards_per_enterprise=0)
    grid_a = demo.grid_a
    grid_b = demo.street_b.children.first().children.first() if demo.street_b.children.exists() else demo.street_b
    reporter = demo.user("jiedao_a")
    n = [0]

    def make(day, grid, deaths=0, serious=0, injuries=0, loss=0, level="general", kind="fall", void=False):
        n[0] += 1
        moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)
        return Accident.objects.create(
            number=f"T{n[0]:04d}", unit_name="测试单位", unit=grid, unit_path=grid.path, district=grid.district,
            occurred_at=moment, occurred_on=day, learned_at=moment, place="现场", account="经过", kind=kind,
            deaths=deaths, serious_injuries=serious, injuries=injuries, direct_loss_yuan=Decimal(loss), level=level,
            reported_at=moment, reported_by=reporter, reported_role="street_staff",
            voided_at=moment if void else None)

    d = datetime.date
    # this year, 2026-01-01 … 2026-11-22
    make(d(2026, 1, 1), grid_a, deaths=1, injuries=2, loss=100000)
    make(d(2026, 6, 30), grid_a, serious=1, loss=50000, kind="electric")
    make(d(2026, 11, 22), grid_a, deaths=2, injuries=1, loss=250000)
    make(d(2026, 8, 8), grid_b, deaths=3, level="larger", kind="collapse")
    make(d(2026, 8, 9), grid_b, deaths=9, level="larger", void=True)  # voided: never counted
    make(d(2026, 11, 23), grid_a, deaths=5)  # after the period (written as if recorded later)
    # last year, same period 2025-01-01 … 2025-11-22
    make(d(2025, 1, 1), grid_a, deaths=2, injuries=4, loss=300000)
    make(d(2025, 3, 3), grid_a, deaths=1, serious=2, loss=100000)
    make(d(2025, 5, 5), grid_b, deaths=3, level="larger", loss=200000, kind="collapse")
    make(d(2025, 9, 9), grid_b, deaths=2, injuries=1, loss=100000)
    make(d(2025, 11, 22), grid_a, injuries=3, loss=100000, kind="electric")
    make(d(2025, 11, 23), grid_a, deaths=7)  # the day after last year's period
    make(d(2024, 12, 31), grid_a, deaths=7)  # before it
    return demo, grid_b


def test_headline_equals_hand_counts_with_the_change_against_last_year(world):
    demo, _ = world
    head = stats.headline(Accident.objects.visible_to(demo.user("anweiban")), {}, PERIOD, demo.user("anweiban"))
    got = {m: (head.cell(m).current, head.cell(m).previous, head.cell(m).change) for m in stats.MEASURES}
    # by hand: this year 4 accidents, deaths 1+0+2+3=6, injured (2)+(1)+(1)+0=4 of which serious 1, loss 40万
    #          last year 5 accidents, deaths 2+1+3+2+0=8, injured 4+2+0+1+3=10 of which serious 2, loss 80万
    assert got["count"] == (4, 5, "下降20%")
    assert got["deaths"] == (6, 8, "下降25%")
    assert got["injuries"] == (4, 10, "下降60%")
    assert got["serious"] == (1, 2, "下降50%")
    assert got["loss"] == (Decimal("40.00"), Decimal("80.00"), "下降50%")
    assert stats.summary_sentence(head).startswith("共发生生产安全事故4起、死亡6人、受伤4人，直接经济损失40.00万元")


def test_breakdowns_equal_hand_counts_and_links_list_exactly_them(world):
    demo, _ = world
    user = demo.user("anweiban")
    scoped = Accident.objects.visible_to(user)
    levels = {r.label: (r.cell("count").current, r.cell("count").previous) for r in stats.breakdown(scoped, {}, PERIOD, "level", user)}
    assert levels["一般"] == (3, 4) and levels["较大"] == (1, 1) and levels["重大"] == (0, 0)
    kinds = {r.label: (r.cell("deaths").current, r.cell("deaths").previous) for r in stats.breakdown(scoped, {}, PERIOD, "kind", user)}
    assert kinds == {"触电": (0, 0), "高处坠落": (3, 2 + 1 + 2), "坍塌": (3, 3)}
    areas = {r.label: r.cell("count").current for r in stats.breakdown(scoped, {}, PERIOD, "unit", user)}
    assert areas[demo.street_a.name] == 3 and areas[demo.street_b.name] == 1 and sum(areas.values()) == 4
    # every figure links to the list that shows exactly the counted accidents
    c = Client()
    c.force_login(user)
    for row in [stats.headline(scoped, {}, PERIOD, user), *stats.breakdown(scoped, {}, PERIOD, "level", user),
                *stats.breakdown(scoped, {}, PERIOD, "unit", user)]:
        cell = row.cell("count")
        for url, expected in ((cell.url, cell.current), (cell.previous_url, cell.previous)):
            page = c.get(url).content.decode()
            assert int(re.search(r"data-count>(\d+)<", page).group(1)) == expected, url


def test_statistics_are_scoped(world):
    demo, _ = world
    street = demo.user("jiedao_a")
    head = stats.headline(Accident.objects.visible_to(street), {}, PERIOD, street)
    assert (head.cell("count").current, head.cell("count").previous) == (3, 3)
    other = demo.user("jiedao_b")
    head = stats.headline(Accident.objects.visible_to(other), {}, PERIOD, other)
    assert (head.cell("count").current, head.cell("count").previous) == (1, 2)


def test_statistics_page_shows_the_sentence_and_survives_bad_input(world):
    demo, _ = world
    c = Client()
    c.force_login(demo.user("anweiban"))
    page = c.get("/accidents/statistics/?from=2026-01-01&to=2026-11-22").content.decode()
    assert "分别下降20%、下降25%、下降60%和下降50%" in page
    for q in ("from=xx&to=2026-13-40", "unit=999999999999999999999", "level=nope&kind=%00", "from=2026-12-01&to=2026-01-01"):
        assert c.get(f"/accidents/statistics/?{q}").status_code == 200
        assert c.get(f"/accidents/?{q}").status_code == 200


def test_summary_sentence_reads_an_increase_from_zero_as_a_number_not_a_percent():
    cells = [stats.Cell(m, cur, prev, "", "") for m, cur, prev in (
        ("count", 2, 0), ("deaths", 1, 0), ("injuries", 0, 0), ("serious", 0, 0), ("missing", 0, 0),
        ("loss", Decimal("12.50"), Decimal("10.00")))]
    row = stats.Row("合计", {}, [c for c in cells if c.measure in stats.MEASURES])
    assert stats.summary_sentence(row).endswith("相比分别增加2起、增加1人、持平和上升25%。")
