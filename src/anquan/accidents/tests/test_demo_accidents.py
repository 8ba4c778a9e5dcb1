"""The demo's accidents (``load_demo --inspections``): two years in 示范区 so 比上年同期 works, the construction-site
accident whose look-back shows the hazards 住建 found at that site before, the road accident with its 补报 on day 6,
one late leg — and the same every run."""
from __future__ import annotations

import datetime

import pytest

from anquan.accidents import stats
from anquan.accidents.lookback import accident_lookback
from anquan.accidents.models import Accident, CasualtyAddition
from anquan.audit.verify import verify_all
from anquan.demo.generator import build_demo
from anquan.rules.calendar import local_date

AS_OF = datetime.date(2026, 11, 22)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 40, "inspections": True, "hazards_per_enterprise": 0.5}

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(**SMALL)


def test_two_years_so_the_change_against_last_year_works(demo):
    user = demo.user("anweiban")
    period = stats.Period(AS_OF - datetime.timedelta(days=364), AS_OF)
    head = stats.headline(Accident.objects.visible_to(user), {}, period, user)
    now, before = head.cell("count").current, head.cell("count").previous
    assert now > 0 and before > 0
    # by hand from the rows themselves
    rows = list(Accident.objects.filter(district=demo.district, voided_at__isnull=True).values_list("occurred_on", "deaths"))
    assert now == sum(1 for day, _ in rows if period.start <= day <= period.end)
    assert before == sum(1 for day, _ in rows if period.previous.start <= day <= period.previous.end)
    assert head.cell("deaths").current == sum(d for day, d in rows if period.start <= day <= period.end)
    assert head.cell("count").change == stats.change_text(now, before)


def test_the_construction_site_accident_looks_back_on_prior_hazards(demo):
    accident = Accident.objects.get(site__kind="construction", place__endswith="3号楼北侧外脚手架")
    report = accident_lookback(demo.user("zhujian"), accident)
    texts = [h.description for h in report.hazards]
    assert any("临边防护" in t for t in texts) and any("连墙件" in t for t in texts)
    assert len(report.unrectified) >= 3  # found, not rectified when the accident happened
    assert report.visits and report.visits[0].inspection.performed_at < accident.occurred_at
    assert accident.investigation.team_leader


def test_road_accident_with_an_addition_on_day_6_and_one_late_leg(demo):
    road = Accident.objects.get(is_road_traffic=True)
    addition = CasualtyAddition.objects.get(accident=road)
    assert (local_date(addition.changed_at) - road.occurred_on).days == 6 and road.deaths == 1
    assert road.late_addition_until == road.occurred_on + datetime.timedelta(days=7)
    now = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.UTC)
    late = [leg for a in Accident.objects.filter(district=demo.district) for leg in a.legs.all() if leg.is_late(now)]
    assert len(late) == 1 and late[0].level == "county"


@pytest.mark.django_db(transaction=True)  # the rebuild flushes, which cannot run inside the test's transaction on PostgreSQL
def test_the_demo_is_the_same_every_run_and_the_audit_chain_verifies(demo, settings):
    settings.DEMO_MODE = True  # a rebuild wipes the database: demo mode only
    first = list(Accident.objects.order_by("number").values_list("number", "occurred_at", "kind", "deaths", "level"))
    assert verify_all() == []
    build_demo(**SMALL, force=True)
    again = list(Accident.objects.order_by("number").values_list("number", "occurred_at", "kind", "deaths", "level"))
    assert [r[1:] for r in first] == [r[1:] for r in again]
