"""One of two app processes racing the notification sweep (run by test_two_processes, not collected by pytest).

    python -m anquan.core.tests.sweep_racer --date 2026-06-10 --lock-key 4242 --out result.json

Barriers across processes are PostgreSQL advisory locks the test holds exclusively:

1. at start the racer records when it got ready, then waits for a shared lock on
   (key, 0) — the test releases it once *both* racers are seen waiting in ``pg_locks``;
2. before each ``Notification.objects.bulk_create`` of the sweep (after the sweep has
   read which keys exist and decided what is new) it waits on (key, 1 + n) the same way.

So both processes have decided to insert the same notifications before either inserts any:
only the unique key on Notification stands between them and duplicates. The racer writes
what it did (times, rows it tried to insert per call, the sweep's counts) to ``--out``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import time

import django

#: Barriers on bulk_create calls after this many are skipped (the sweep makes one per kind with rows).
MAX_INSERT_BARRIERS = 8


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", required=True)
    parser.add_argument("--lock-key", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anquan.settings")
    django.setup()
    from django.db import connection

    from anquan.notifications.models import Notification
    from anquan.notifications.sweep import sweep

    report: dict = {"pid": os.getpid(), "inserts": []}

    def barrier(sub: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", [args.lock_key, sub])

    manager = Notification.objects
    original = manager.bulk_create

    def bulk_create_after_barrier(objs, *a, **kw):
        objs = list(objs)
        call = {"rows": len(objs), "keys": sorted(o.key for o in objs), "waiting_at": time.time()}
        if len(report["inserts"]) < MAX_INSERT_BARRIERS:
            barrier(1 + len(report["inserts"]))
        call["released_at"] = time.time()
        report["inserts"].append(call)
        return original(objs, *a, **kw)

    manager.bulk_create = bulk_create_after_barrier
    connection.ensure_connection()
    report["ready_at"] = time.time()
    barrier(0)
    report["started_at"] = time.time()
    report["counts"] = {str(k): n for k, n in sweep(datetime.date.fromisoformat(args.date)).items()}
    report["finished_at"] = time.time()
    with open(args.out, "w") as out:
        json.dump(report, out)


if __name__ == "__main__":
    main()
