"""Deadlines through the services with a frozen clock: the deadline day ends at midnight Shanghai time,
not UTC; extensions only before it passes; written explanations only after."""
import datetime
import zoneinfo

import pytest
import time_machine

from anquan.core.errors import Conflict
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardStatus
from anquan.hazards.models import Hazard
from anquan.rules.deadlines import overdue_q

from .test_loop_smoke import png

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DEADLINE = datetime.date(2026, 9, 30)  # the eve of the National Day holidays

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH), tick=False)


@pytest.fixture
def world():
    with at(datetime.date(2026, 9, 1), 9):
        tree = make_tree()
        firm = make_enterprise(tree.grid_a)
        site = make_site(tree.grid_a, enterprise=firm)
        street = make_user("street_staff", unit=tree.street_a)
        firm_user = make_user("ent_manager", enterprise=firm)
        hazard = services.hazard_record(actor=street, data={"site": site.pk, "description": "消防通道堵塞", "source": "territorial",
                                                             "deadline": DEADLINE.isoformat()})
    return hazard, street, firm_user


def overdue_ids():
    from anquan.rules.calendar import today

    return set(Hazard.objects.filter(overdue_q(today())).values_list("pk", flat=True))


def test_not_overdue_at_23_30_on_the_deadline_day_overdue_after_midnight(world):
    hazard, _, _ = world
    with at(DEADLINE, 23, 30):  # 15:30 UTC: a UTC date would still say the 30th too; 00:30 below is the 30th in UTC
        assert hazard.pk not in overdue_ids()
    with at(DEADLINE + datetime.timedelta(days=1), 0, 30):  # 2026-09-30 16:30 UTC — still the 30th in UTC
        assert hazard.pk in overdue_ids()


def test_overdue_during_the_holiday_itself(world):
    hazard, _, _ = world
    with at(datetime.date(2026, 10, 3), 10):  # a public holiday: a set date is not moved by the calendar
        assert hazard.pk in overdue_ids()


def test_extension_only_before_the_deadline_passes(world):
    hazard, _, firm_user = world
    with at(DEADLINE, 23, 30):
        ext = services.extension_request(actor=firm_user, hazard=hazard, new_deadline=DEADLINE + datetime.timedelta(days=14), reason="国庆停工")
        assert ext.previous_deadline == DEADLINE
    ext.delete()
    with at(DEADLINE + datetime.timedelta(days=1), 0, 30), pytest.raises(Conflict, match="期限已过"):
        services.extension_request(actor=firm_user, hazard=hazard, new_deadline=DEADLINE + datetime.timedelta(days=14), reason="国庆停工")


def test_written_explanation_only_when_overdue(world):
    hazard, _, firm_user = world
    with at(DEADLINE, 23, 30), pytest.raises(Conflict, match="未逾期"):
        services.overdue_explain(actor=firm_user, hazard=hazard, text="资金未到位")
    with at(DEADLINE + datetime.timedelta(days=1), 8):
        services.overdue_explain(actor=firm_user, hazard=hazard, text="资金未到位")
    assert hazard.explanations.count() == 1


def test_submission_at_23_30_on_the_deadline_day_is_on_time(world):
    hazard, street, firm_user = world
    with at(DEADLINE, 23, 30):
        rnd = services.hazard_submit(actor=firm_user, hazard=hazard, version=hazard.version, measures_taken="已清理", after_photos=[png()])
    assert rnd.on_time is True
    with at(DEADLINE + datetime.timedelta(days=9), 10):  # a late verification is the verifier's lateness, not the firm's
        services.hazard_verify(actor=street, hazard=hazard, version=hazard.version, passed=True)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_on_time is True


def test_submission_after_midnight_is_late(world):
    hazard, _, firm_user = world
    with at(DEADLINE + datetime.timedelta(days=1), 0, 5):
        rnd = services.hazard_submit(actor=firm_user, hazard=hazard, version=hazard.version, measures_taken="已清理", after_photos=[png()])
    assert rnd.on_time is False
