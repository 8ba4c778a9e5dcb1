"""Celery tasks for notifications: the periodic sweep and the daily e-mail digest (scheduled by beat).

Both wrap functions that are safe to run again or from two processes at once (the sweep
by the unique key of each notification, the digest by claiming rows with SKIP LOCKED), so
a task redelivered after a crash, or two beats by mistake, notify nobody twice.
"""
from __future__ import annotations

import datetime

from celery import shared_task


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task(name="anquan.notifications.tasks.sweep_notifications")
def sweep_notifications(today: str | None = None) -> dict[str, int]:
    """Create the notifications of ``today`` (ISO date; default: today in Shanghai); returns new ones per kind."""
    from anquan.notifications.sweep import sweep

    return {str(kind): n for kind, n in sweep(_day(today)).items()}


@shared_task(name="anquan.notifications.tasks.send_daily_digest")
def send_daily_digest(today: str | None = None) -> int:
    """Send the digests due this hour (each person's chosen hour; ``today`` = everyone's of that day); returns how many."""
    from anquan.notifications.digest import send_digest

    return send_digest(_day(today))
