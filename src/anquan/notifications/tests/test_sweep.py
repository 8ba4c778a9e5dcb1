"""The notification sweep with a frozen clock: who hears of what, thresholds at their boundary
(23:30 Shanghai is still the same day although UTC says otherwise), and idempotency."""
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import notice_kinds, services
from anquan.hazards.choices import ListingStatus
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.hazards.tests.test_loop_smoke import png
from anquan.notifications.models import Notification
from anquan.notifications.sweep import Directory, sweep

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


class K:
    DEADLINE_SOON, OVERDUE, OVERDUE_ESCALATED, LISTING_DEADLINE = "deadline_soon", "overdue", "overdue_escalated", "listing_deadline"

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH), tick=False)


@pytest.fixture
def world():
    with at(datetime.date(2026, 5, 20), 9):
        tree = make_tree()
        firm = make_enterprise(tree.grid_a, name="提醒测试厂")
        site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
        users = {
            "grid": make_user("grid_worker", unit=tree.grid_a),
            "street": make_user("street_staff", unit=tree.street_a),
            "street_b": make_user("street_staff", unit=tree.street_b),
            "firm": make_user("ent_manager", enterprise=firm),
            "anweiban": make_user("anweiban", unit=tree.district),
            "other_anweiban": make_user("anweiban", unit=tree.other_district),
        }
    return {"tree": tree, "enterprise": firm, "site": site, **users}


def record(world, deadline: datetime.date, site=None, **extra) -> Hazard:
    with at(datetime.date(2026, 5, 20), 10):
        data = {"site": (site or world["site"]).pk, "description": "配电箱未接地", "source": "grid",
                "deadline": deadline.isoformat(), **extra}
        return services.hazard_record(actor=world["grid"], data=data, photos=[png()])


def recipients(kind: str, hazard=None) -> set[str]:
    rows = Notification.objects.filter(kind=kind)
    if hazard is not None:
        rows = rows.filter(target_id=hazard.pk, target_type__model="hazard")
    return set(rows.values_list("user__username", flat=True))


def names(world, *keys) -> set[str]:
    return {world[k].username for k in keys}


def test_deadline_soon_from_three_days_before(world):
    hazard = record(world, datetime.date(2026, 6, 10))
    with at(datetime.date(2026, 6, 6), 23, 30):  # four days before: not yet
        sweep()
    assert not recipients(K.DEADLINE_SOON)
    with at(datetime.date(2026, 6, 7), 0, 30):  # 16:30 UTC on the 6th, but the 7th in Shanghai: three days before
        sweep()
    assert recipients(K.DEADLINE_SOON, hazard) == names(world, "firm")


def test_overdue_goes_to_the_rectifiers_and_the_street_at_once(world):
    deadline = datetime.date(2026, 6, 10)
    hazard = record(world, deadline)
    with at(deadline, 23, 30):  # the deadline day itself is still in time
        sweep()
    assert not recipients(K.OVERDUE)
    with at(deadline + datetime.timedelta(days=1), 0, 30):  # UTC still says the 10th
        sweep()
    assert recipients(K.OVERDUE, hazard) == names(world, "firm", "street")
    assert not recipients(K.OVERDUE_ESCALATED)


def test_a_hazard_without_enterprise_is_the_streets_to_rectify(world):
    public = make_site(world["tree"].grid_a, name="农贸市场", industry_code="crowded")
    hazard = record(world, datetime.date(2026, 6, 10), site=public)
    with at(datetime.date(2026, 6, 11), 9):
        sweep()
    assert recipients(K.OVERDUE, hazard) == names(world, "street")


@pytest.mark.parametrize(("deadline", "last_quiet_day"), [
    (datetime.date(2026, 6, 1), datetime.date(2026, 6, 8)),   # 7 days overdue: not yet more than 7
    (datetime.date(2026, 9, 24), datetime.date(2026, 10, 1)),  # calendar days: the National Day holiday does not pause it
])
def test_escalation_to_the_anweiban_after_more_than_n_days(world, deadline, last_quiet_day):
    hazard = record(world, deadline)
    with at(last_quiet_day, 23, 30):
        sweep()
    assert recipients(K.OVERDUE, hazard) and not recipients(K.OVERDUE_ESCALATED)
    with at(last_quiet_day + datetime.timedelta(days=1), 0, 30):
        sweep()
    assert recipients(K.OVERDUE_ESCALATED, hazard) == names(world, "anweiban")


def test_escalation_days_follow_the_districts_rule(world):
    from anquan.rules.models import RuleOverride

    RuleOverride.objects.create(key="overdue.escalate_to_anweiban_days", value=2, unit=world["tree"].district, reason="本区从严",
                                set_by=world["anweiban"], set_at=datetime.datetime(2026, 1, 1, tzinfo=SH))
    hazard = record(world, datetime.date(2026, 6, 1))
    with at(datetime.date(2026, 6, 4), 9):  # 3 days overdue > 2
        sweep()
    assert recipients(K.OVERDUE_ESCALATED, hazard) == names(world, "anweiban")


def test_sweeping_twice_creates_nothing_new(world):
    record(world, datetime.date(2026, 6, 1))
    record(world, datetime.date(2026, 6, 12), description="第二处")
    with at(datetime.date(2026, 6, 10), 9):
        first = sweep()
        count = Notification.objects.count()
        second = sweep()
    assert first[K.OVERDUE] > 0 and first[K.OVERDUE_ESCALATED] > 0 and first[K.DEADLINE_SOON] > 0
    assert set(second.values()) == {0} and Notification.objects.count() == count


def test_an_extension_is_reminded_afresh(world):
    hazard = record(world, datetime.date(2026, 6, 10))
    with at(datetime.date(2026, 6, 8), 9):
        sweep()
        extension = services.extension_request(actor=world["firm"], hazard=hazard, new_deadline=datetime.date(2026, 6, 20), reason="缺料")
        services.extension_decide(actor=world["anweiban"], extension=extension, version=hazard.version, approve=True)
    with at(datetime.date(2026, 6, 18), 9):
        sweep()
    keys = sorted(Notification.objects.filter(kind=K.DEADLINE_SOON).values_list("key", flat=True))
    assert [k.split(":")[2] for k in keys] == ["d2026-06-10", "d2026-06-20"]


def test_a_rectification_nobody_was_told_of_is_caught_up_once_for_whoever_may_verify(world):
    hazard = record(world, datetime.date(2026, 6, 10))
    with at(datetime.date(2026, 6, 5), 9):
        # Submitted inside the test's transaction: the after-commit event never ran (as for imported rounds).
        services.hazard_submit(actor=world["firm"], hazard=hazard, version=hazard.version, measures_taken="已接地", after_photos=[png()])
        assert not recipients("verification_waiting")
        assert sweep()["verification_waiting"] == 1
        assert sweep()["verification_waiting"] == 0
    assert recipients("verification_waiting", hazard) == names(world, "street")
    assert not recipients(K.OVERDUE)  # awaiting verification is on the verifier's clock


def test_listing_deadline_near_goes_to_the_listing_units_anweiban(world):
    hazard = record(world, datetime.date(2026, 7, 30))
    ListedSupervision.objects.create(hazard=hazard, level="district", listing_unit=world["tree"].district, document_no="区安办督〔2026〕3号",
                                     deadline=datetime.date(2026, 7, 1), status=ListingStatus.LISTED,
                                     listed_at=hazard.found_at, listed_by=world["anweiban"])
    with at(datetime.date(2026, 6, 27), 9):
        sweep()
    assert not recipients(K.LISTING_DEADLINE)
    with at(datetime.date(2026, 6, 28), 9):
        sweep()
    assert recipients(K.LISTING_DEADLINE, hazard) == names(world, "anweiban")


def test_a_listings_review_is_reminded_when_due_to_the_listing_units_anweiban(world):
    hazard = record(world, datetime.date(2026, 7, 30))
    with at(datetime.date(2026, 6, 1), 9):
        listing = ListedSupervision.objects.create(
            hazard=hazard, level="district", listing_unit=world["tree"].district, document_no="区安办督〔2026〕4号",
            deadline=datetime.date(2026, 7, 30), status=ListingStatus.RESUME_APPLIED, listed_at=hazard.found_at,
            listed_by=world["anweiban"], resume_applied_at=datetime.datetime(2026, 6, 1, 23, 30, tzinfo=SH))
    # Applied on 1 June (Shanghai; 15:30 UTC): review within 10 days → due 11 June; reminded from 3 days before.
    with at(datetime.date(2026, 6, 7), 23, 30):
        assert sweep()["listing_review_due"] == 0
    with at(datetime.date(2026, 6, 8), 0, 30):
        assert sweep()["listing_review_due"] == 1
        assert sweep()["listing_review_due"] == 0
    row = Notification.objects.get(kind="listing_review_due")
    assert row.user == world["anweiban"] and row.target == listing and "2026-06-11前" in row.title


def test_the_directory_agrees_with_the_permission_rules(world):
    public = make_site(world["tree"].grid_a, name="出租房", industry_code="crowded")
    for hazard in (record(world, datetime.date(2026, 6, 10)), record(world, datetime.date(2026, 6, 10), site=public)):
        hazard = Hazard.objects.select_related("grid").get(pk=hazard.pk)
        assert Directory().rectifiers(hazard) == {u.pk for u in notice_kinds.rectifiers(hazard)}


def test_the_management_command(world):
    record(world, datetime.date(2026, 6, 1))
    out = io.StringIO()
    with at(datetime.date(2026, 6, 3), 9):
        call_command("notify_sweep", stdout=out)
    assert "隐患逾期" in out.getvalue() and Notification.objects.filter(kind=K.OVERDUE).exists()
    out = io.StringIO()
    call_command("notify_sweep", "--date", "2026-06-03", stdout=out)
    assert "隐患逾期0条" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_notify_each_fact_once(world):
    import threading

    from django.db import connection

    for i in range(5):
        record(world, datetime.date(2026, 6, 1), description=f"并发测试{i}")
    barrier, errors, results = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(sweep(datetime.date(2026, 6, 10)))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    # Each of the 5 hazards: overdue to the firm and the street (2), escalated to the 安委办 (1).
    assert Notification.objects.filter(kind=K.OVERDUE).count() == 10
    assert Notification.objects.filter(kind=K.OVERDUE_ESCALATED).count() == 5
    assert sweep(datetime.date(2026, 6, 10))[K.OVERDUE] == 0
