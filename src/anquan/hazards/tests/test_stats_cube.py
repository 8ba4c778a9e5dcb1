"""``stats.prepare``: every dashboard figure from one scan equals the figure computed on its own
(one COUNT or GROUP BY each), for a random dataset (seeded), several scopes and filters, with the
clock frozen at 23:30 in Shanghai (15:30 UTC: the Shanghai day, not the UTC day, decides overdue)."""
import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anquan.hazards import stats
from anquan.hazards.models import Hazard, HazardCategory
from anquan.hazards.selectors import hazard_list
from anquan.orgs.models import UnitKind
from anquan.rules.calendar import today as shanghai_today

from .test_stats import SH, D, row, world  # noqa: F401 - the fixture

STATUSES = ("pending", "rectifying", "awaiting_verification", "closed")
SOURCES = ("self", "industry", "territorial", "grid", "expert", "public")
# 23:30 in Shanghai; the world (role assignments included) is built at this moment too (``frozen``).
NOW = datetime.datetime(2027, 6, 20, 23, 30, tzinfo=SH)
TODAY = D(2027, 6, 20)


def random_hazards(world, n: int, seed: int) -> None:
    rng = random.Random(seed)
    categories = [None, *HazardCategory.objects.order_by("id").values_list("pk", flat=True)[:40]]
    for _ in range(n):
        found = TODAY - datetime.timedelta(days=rng.randint(0, 120))
        deadline = found + datetime.timedelta(days=rng.randint(0, 40))  # some fall on today, some just before
        status = rng.choice(STATUSES)
        closed_on = min(TODAY, found + datetime.timedelta(days=rng.randint(0, 50))) if status == "closed" else None
        h = row(world, rng.choice(["site_a", "site_a2", "site_b"]), found_on=found, deadline=deadline, status=status,
                closed_on=closed_on, on_time=rng.random() < 0.7, level=rng.choice(["general", "general", "major"]),
                source=rng.choice(SOURCES), category_id=rng.choice(categories))
        if rng.random() < 0.05:
            Hazard.objects.filter(pk=h.pk).update(voided_at=NOW)


def figures(qs, params, unit, kind=None) -> dict:
    head = stats.headline(qs, params, TODAY)
    out = {}
    for name, f in head.items():
        if isinstance(f, stats.Rate):
            out[name] = (f.numerator.value, f.denominator.value, f.display)
        else:
            out[name] = (f.value, f.display)
    for family in ("by_status", "by_level", "by_source", "by_category", "by_industry"):
        out[family] = [(f.label, f.value, f.params) for f in getattr(stats, family)(qs, params)]
    out["by_territory"] = [(f.label, f.value, f.params) for f in stats.by_territory(qs, params, unit, kind)]
    return out


PARAMS = [{}, {"found_from": "2027-04-01"}, {"found_to": "2027-06-10"}, {"closed_to": "2027-06-15"},
          {"level": "major"}, {"source": "grid", "status": "open"}, {"include_voided": "1"}, {"status": "bogus"}]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.frozen(NOW)
def test_prepared_figures_equal_the_direct_ones(world, seed):
    random_hazards(world, 120, seed)
    tree = world["tree"]
    assert shanghai_today() == TODAY and datetime.datetime.now(datetime.UTC).hour == 15
    seen = []
    for user, unit, kind in ((world["anweiban"], tree.district, None), (world["street"], tree.street_a, UnitKind.GRID)):
        for params in PARAMS:
            direct = figures(hazard_list(user, params).order_by(), params, unit, kind)
            prepared = stats.prepare(hazard_list(user, params).order_by(), params)
            assert figures(prepared, params, unit, kind) == direct, (user, params)
            seen.append((direct["overdue"][0], direct["on_time_rate"][0], direct["days_to_close"][0]))
    assert seen[0][0] > 0 and seen[0][1] > 0 and seen[0][2]  # the dataset exercises the figures


def test_a_prepared_dashboard_scans_once(world):
    random_hazards(world, 30, 3)
    qs = stats.prepare(hazard_list(world["anweiban"], {}, today=TODAY).order_by(), {}, TODAY)
    with CaptureQueriesContext(connection) as ctx:
        figures(qs, {}, world["tree"].district)
    # the names of industries and categories and the territory's units: small tables, no hazard scan
    assert all('"hazards_hazard"' not in q["sql"] for q in ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]
    assert len(ctx.captured_queries) <= 4


def test_figures_for_another_day_do_not_read_a_stale_cube(world):
    row(world, found_on=D(2027, 6, 1), deadline=D(2027, 6, 20))
    qs = stats.prepare(Hazard.objects.all(), {}, D(2027, 6, 20))
    assert stats.overdue(qs, {}, D(2027, 6, 20)).value == 0
    assert stats.overdue(qs, {}, D(2027, 6, 21)).value == 1  # another day: counted, not read from the cube
    assert stats.rectification_rate(qs, {}, D(2027, 5, 31)).denominator.value == 0
