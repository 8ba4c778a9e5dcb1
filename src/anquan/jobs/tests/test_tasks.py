"""The Celery tasks and the beat schedule, run in-process (eager) — what beat sends, and what each task does.

The same tasks in a real worker process: test_worker.py.
"""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import Counter

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from anquan import celery_app
from anquan.audit.models import AuditAnchor
from anquan.celery import enqueue
from anquan.jobs.tasks import anchor_audit
from anquan.notifications.models import Notification
from anquan.notifications.tasks import send_daily_digest, sweep_notifications
from anquan.rules.calendar import SHANGHAI
from anquan.rules.calendar import today as shanghai_today

from .processes import REPO, child_env
from .sweep_world import make_sweep_world


def test_beat_sends_the_sweep_often_the_digest_hourly_and_the_anchor_after_midnight():
    schedule = celery_app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} <= set(celery_app.tasks)
    sweep = schedule["notification-sweep"]
    assert sweep["task"] == "anquan.notifications.tasks.sweep_notifications"
    assert sweep["schedule"] == settings.SWEEP_SECONDS == 600 and sweep["options"]["expires"] < 600
    assert schedule["notification-digest"]["schedule"] == crontab(minute=0)  # each person's chosen hour
    assert schedule["audit-anchor"]["schedule"] == crontab(hour=0, minute=5)
    assert schedule["export-requeue"]["task"] == "anquan.jobs.tasks.requeue_exports"
    assert celery_app.conf.timezone == "Asia/Shanghai"  # crontab hours are Shanghai hours


@pytest.mark.django_db
def test_sweep_and_digest_tasks_notify_and_mail_once():
    world = make_sweep_world(datetime.date(2026, 6, 10), overdue=2)
    counts = enqueue(sweep_notifications, world.sweep_on.isoformat()).get()
    assert {k: n for k, n in counts.items() if n} == world.expected
    assert Counter(Notification.objects.values_list("kind", flat=True)) == world.expected
    assert set(enqueue(sweep_notifications, world.sweep_on.isoformat()).get().values()) == {0}

    for n, user in enumerate(world.users.values()):
        user.email = f"user{n}@example.invalid"
        user.save(update_fields=["email"])
    recipients = set(Notification.objects.values_list("user_id", flat=True))
    day = shanghai_today().isoformat()  # the day's digest for everyone, whatever hour each chose
    assert enqueue(send_daily_digest, day).get() == len(recipients) == len(mail.outbox) == 3
    assert enqueue(send_daily_digest, day).get() == 0


@pytest.mark.django_db
def test_the_anchor_task_seals_yesterday():
    make_sweep_world(datetime.date(2026, 6, 10))  # records hazards, so audit chains have heads
    with time_machine.travel(datetime.datetime(2026, 6, 11, 0, 5, tzinfo=SHANGHAI), tick=False):
        written = enqueue(anchor_audit).get()
    assert written >= 1
    assert set(AuditAnchor.objects.values_list("day", flat=True)) == {datetime.date(2026, 6, 10)}
    assert enqueue(anchor_audit, "2026-06-10").get() == 0  # idempotent per chain and day


def _settings_in_a_fresh_process(**env: str) -> dict:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k) for k in ('CELERY_TASK_ALWAYS_EAGER', 'CELERY_BROKER_URL', "
            "'CELERY_RESULT_BACKEND', 'CELERY_TASK_DEFAULT_QUEUE')} | {'cache': s.CACHES['default']['BACKEND']}))")
    base = {k: v for k, v in child_env().items() if k not in ("REDIS_URL", "DATABASE_URL", "CELERY_QUEUE")}
    out = subprocess.run([sys.executable, "-c", code], env={**base, **env}, cwd=REPO, capture_output=True, text=True,
                         timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_redis_tasks_run_in_process_and_with_it_go_to_the_broker():
    embedded = _settings_in_a_fresh_process()
    assert embedded["CELERY_TASK_ALWAYS_EAGER"] is True and embedded["CELERY_RESULT_BACKEND"] is None
    assert embedded["cache"].endswith("LocMemCache")
    production = _settings_in_a_fresh_process(REDIS_URL="redis://10.0.0.5:6379/1")
    assert production["CELERY_TASK_ALWAYS_EAGER"] is False
    assert production["CELERY_BROKER_URL"] == production["CELERY_RESULT_BACKEND"] == "redis://10.0.0.5:6379/1"
    assert production["CELERY_TASK_DEFAULT_QUEUE"] == "anquan" and production["cache"].endswith("RedisCache")
