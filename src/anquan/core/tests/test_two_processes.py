"""Two app processes on one PostgreSQL database behave as one: overlapping notification sweeps notify once.

The overlap is forced, not hoped for: each racer (``sweep_racer``) waits at advisory-lock
barriers this test holds — once at the start and once before each insert of the sweep —
and the test releases a barrier only when ``pg_locks`` shows *both* processes waiting on it.
So both have read which notifications exist and decided to create the same ones before
either writes; afterwards each notification exists exactly once, thanks to the unique key
on ``Notification.key`` (and ``ignore_conflicts``), not to timing.
"""
from __future__ import annotations

import datetime
import json
import os
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from anquan.jobs.tests.processes import Children, child_env, wait_until
from anquan.jobs.tests.sweep_world import make_sweep_world
from anquan.notifications.models import Notification

from .sweep_racer import MAX_INSERT_BARRIERS

RACERS = ("racer_a", "racer_b")


def _sql(query: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _waiting(key: int, sub: int) -> int:
    """How many other sessions wait for advisory lock (key, sub) in this database."""
    return _sql(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s AND objid = %s"
        " AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [key, sub])[0][0]


def _at_barrier(children: Children, key: int, sub: int) -> str | None:
    """"waiting" when both racers wait on barrier ``sub``; "done" when both have finished (fewer inserts than barriers)."""
    codes = [proc.poll() for _, proc, _ in children.procs]
    if any(code not in (None, 0) for code in codes):
        raise AssertionError(f"a racer failed\n{children.logs()}")
    if _waiting(key, sub) == 2:
        return "waiting"
    return "done" if all(code == 0 for code in codes) else None


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_sweeping_at_the_same_moment_notify_each_fact_once(tmp_path):
    world = make_sweep_world(datetime.date(2026, 6, 10), overdue=40)
    key = os.getpid()  # xdist workers share the server: a key per test process
    barriers = range(1 + MAX_INSERT_BARRIERS)
    for sub in barriers:
        _sql("SELECT pg_advisory_lock(%s, %s)", [key, sub])
    children = Children(tmp_path)
    released: dict[int, float] = {}
    try:
        for name in RACERS:
            argv = [sys.executable, "-m", "anquan.core.tests.sweep_racer", "--date", world.sweep_on.isoformat(),
                    "--lock-key", str(key), "--out", str(tmp_path / f"{name}.json")]
            children.start(name, argv, child_env())
        for sub in barriers:
            if wait_until(lambda sub=sub: _at_barrier(children, key, sub), f"both racers at barrier {sub}", children) == "done":
                break
            released[sub] = time.time()
            _sql("SELECT pg_advisory_unlock(%s, %s)", [key, sub])
        for name, proc, _ in children.procs:
            assert proc.wait(timeout=60) == 0, f"{name} failed\n{children.logs()}"
    finally:
        _sql("SELECT pg_advisory_unlock_all()")
        children.stop()

    reports = [json.loads((tmp_path / f"{name}.json").read_text()) for name in RACERS]
    a, b = reports
    assert a["pid"] != b["pid"]
    # The start barrier: both were ready before it opened, and both swept after it.
    assert max(r["ready_at"] for r in reports) < released[0] <= min(r["started_at"] for r in reports)
    # Each insert barrier: both had decided what to insert before either inserted anything.
    assert len(a["inserts"]) == len(b["inserts"]) >= 1
    for n, (ia, ib) in enumerate(zip(a["inserts"], b["inserts"], strict=True)):
        assert ia["keys"] == ib["keys"]
        assert max(ia["waiting_at"], ib["waiting_at"]) < released[1 + n] <= min(ia["released_at"], ib["released_at"])
    # Both tried to create every notification (each believed it was first)…
    assert sum(i["rows"] for i in a["inserts"]) == sum(i["rows"] for i in b["inserts"]) == world.total
    # …and each exists exactly once.
    assert Notification.objects.count() == world.total
    assert Counter(Notification.objects.values_list("kind", flat=True)) == world.expected
    assert set(Counter(Notification.objects.values_list("user_id", "key")).values()) == {1}
