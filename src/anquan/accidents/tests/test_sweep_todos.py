"""The leg sweep (reminders before and after a leg's due instant, once each) and the workbench lists
(``selectors.todo_q``): who finds which accident waiting, at a frozen 23:30 Shanghai."""
import datetime

import pytest
import time_machine

from anquan.notifications.models import Notification

from .. import services
from ..choices import GovLevel
from ..models import Accident
from ..selectors import accident_list
from ..sweep import sweep_legs
from .test_services import t

pytestmark = [pytest.mark.frozen("2026-11-22 23:30 +0800"), pytest.mark.django_db]


def _told(kind, leg):
    return set(Notification.objects.filter(kind=kind, target_id=leg.pk).values_list("user__username", flat=True))


def test_sweep_reminds_before_and_after_the_due_instant_once(aworld, django_capture_on_commit_callbacks):
    def sweep_legs_now():
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_legs()

    county = Accident.objects.get(pk=aworld["ACC_A"].pk).legs.get(level=GovLevel.COUNTY)  # due 01:30
    with time_machine.travel(t("2026-11-23T00:50"), tick=False):
        # ACC_B's and ACC_L's unit legs (due 23:30, the units never reported) are late; ACC_A's county leg not yet due
        assert sweep_legs_now() == {"soon": 0, "late": 2}
        assert not _told("accident_leg_due_soon", county)
    with time_machine.travel(t("2026-11-23T01:10"), tick=False):
        assert sweep_legs_now()["soon"] == 3  # the county legs of all three (received 23:30, due 01:30)
        told = _told("accident_leg_due_soon", county)
        assert {"anweiban", "yingji", "zhujian"} <= told and "jiedao_a" not in told  # the district's leg
    with time_machine.travel(t("2026-11-23T01:31"), tick=False):
        sweep_legs_now()
        before = Notification.objects.filter(kind="accident_leg_late").count()
        sweep_legs_now()  # a second run tells nobody twice
        assert Notification.objects.filter(kind="accident_leg_late").count() == before
        assert {"anweiban", "yingji"} <= _told("accident_leg_late", county)
        services.leg_forward(actor=aworld["users"]["anweiban"], leg=county)
    with time_machine.travel(t("2026-11-23T02:00"), tick=False):
        assert sweep_legs_now()["late"] == 4  # ACC_B and ACC_L: unit and county legs; ACC_A's county leg passed on, not swept


def ids(user, todo, today=datetime.date(2026, 11, 22)):
    return set(accident_list(user, {"todo": todo}, today=today).values_list("pk", flat=True))


def test_legs_to_record_wait_on_the_level_that_keeps_them(aworld):
    users = aworld["users"]
    a, b = aworld["ACC_A"].pk, aworld["ACC_B"].pk
    assert {a, b} <= ids(users["anweiban"], "legs")
    assert a in ids(users["zhujian"], "legs") and b not in ids(users["zhujian"], "legs")
    assert b in ids(users["jiedao_b"], "legs")  # the unit's own report time (it filed first, the unit has not)
    assert a not in ids(users["jiedao_a"], "legs")  # the enterprise reported itself; the county leg is the district's
    assert not ids(users["qiye_a"], "legs") and not ids(users["wangge_a"], "legs")


def test_investigation_approval_and_evaluation_lists(aworld):
    users = aworld["users"]
    b = aworld["ACC_B"].pk
    assert b not in ids(users["yingji"], "investigation_due")  # due 2027-01-21: not within 7 days
    assert b in ids(users["yingji"], "investigation_due", today=datetime.date(2027, 1, 15))
    assert b not in ids(users["jiedao_b"], "investigation_due", today=datetime.date(2027, 1, 15))
    acc = Accident.objects.get(pk=b)
    inv = services.investigation_form_team(actor=users["yingji"], investigation=acc.investigation, version=acc.investigation.version,
                                           data={"team_leader": "组长"})
    parts = dict.fromkeys(("report_unit_profile", "report_course", "report_casualties_loss", "report_cause_nature",
                           "report_responsibility", "report_measures"), "内容")
    inv = services.investigation_submit_report(actor=users["yingji"], investigation=inv, version=inv.version, data=parts)
    assert b in ids(users["anweiban"], "approval_due") and b in ids(users["shi_anweiban"], "approval_due")
    assert b not in ids(users["linqu_anweiban"], "approval_due")
    services.investigation_approve(actor=users["anweiban"], investigation=inv, version=inv.version, approved_on="2026-11-22")
    assert b not in ids(users["anweiban"], "approval_due")
    assert b not in ids(users["anweiban"], "evaluation_due")
    assert b in ids(users["anweiban"], "evaluation_due", today=datetime.date(2027, 11, 1))


def test_notice_titles_read_in_chinese(aworld, django_capture_on_commit_callbacks):
    from .world import report_data

    with django_capture_on_commit_callbacks(execute=True):
        acc = services.accident_report(actor=aworld["users"]["qiye_a"], data=report_data(aworld["S_A"], deaths=1))
    title = Notification.objects.filter(kind="accident_reported", target_id=acc.pk).first().title
    assert title == f"事故报告：{acc.unit_name}高处坠落（一般事故），请按时逐级上报"


def test_beat_runs_the_leg_sweep_every_five_minutes_and_the_task_sweeps(aworld, django_capture_on_commit_callbacks):
    from anquan import celery_app
    from anquan.celery import enqueue

    from ..tasks import sweep_accident_legs

    entry = celery_app.conf.beat_schedule["accident-leg-sweep"]
    assert entry["task"] == sweep_accident_legs.name == "anquan.accidents.tasks.sweep_accident_legs"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 300.0 and entry["options"]["expires"] < 300  # the 1-hour clock needs minutes, not the daily sweep
    late = Notification.objects.filter(kind="accident_leg_late")
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue(sweep_accident_legs, t("2026-11-23T00:50").isoformat()).get() == {"soon": 0, "late": 2}
    told = late.count()
    assert told and set(late.values_list("target_id", flat=True)) == {
        aworld[name].legs.get(level=GovLevel.UNIT).pk for name in ("ACC_B", "ACC_L")}
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(sweep_accident_legs, t("2026-11-23T00:50").isoformat()).get()  # a redelivered task tells nobody twice
    assert late.count() == told
