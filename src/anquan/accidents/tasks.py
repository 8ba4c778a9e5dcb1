"""Celery task for the accident clocks: the leg reminder sweep (scheduled by beat every 5 minutes, settings.py).

The clocks are hours (第九条 1 hour, 第十条 2 hours), so the daily notification sweep is too coarse; the sweep is
idempotent by key (one notice per leg, per due instant, per fact), so a redelivered task notifies nobody twice.
"""
from __future__ import annotations

import datetime

from celery import shared_task


@shared_task(name="anquan.accidents.tasks.sweep_accident_legs")
def sweep_accident_legs(now: str | None = None) -> dict[str, int]:
    """Tell the keepers of open legs due within 30 minutes or late; ``now`` is an ISO instant (default: now)."""
    from anquan.accidents.sweep import sweep_legs

    return sweep_legs(datetime.datetime.fromisoformat(now) if now else None)
