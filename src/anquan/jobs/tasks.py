"""Celery tasks of the jobs app: exports, and the daily audit anchor run by beat.

Tasks are thin: they call services, which hold the logic and can be called (and tested)
without Celery. Every task here is safe to run twice (acks_late may redeliver after a crash).
"""
from __future__ import annotations

import datetime

from celery import shared_task


@shared_task(name="anquan.jobs.tasks.run_export", ignore_result=True)
def run_export(job_id: int) -> None:
    """Write the file of export job ``job_id`` (claimed once; a second delivery does nothing)."""
    from .services import export_run

    export_run(job_id)


@shared_task(name="anquan.jobs.tasks.requeue_exports")
def requeue_exports() -> int:
    """Send again export jobs whose message was lost (beat, every 10 minutes)."""
    from .services import export_requeue_stale

    return export_requeue_stale()


@shared_task(name="anquan.jobs.tasks.anchor_audit")
def anchor_audit(day: str | None = None) -> int:
    """Anchor every audit chain's head as the anchor of ``day`` (default: yesterday, Shanghai).

    Beat runs it at 00:05, so the anchor of a day is the chain head as that day ended;
    idempotent per chain and day.
    """
    from anquan.audit.services import anchor_day
    from anquan.rules.calendar import today

    when = datetime.date.fromisoformat(day) if day else today() - datetime.timedelta(days=1)
    return anchor_day(when)


#: The import steps a worker may run (anquan.enterprises.import_jobs), by name: task arguments are data, not code.
IMPORT_STEPS = ("run_import_validation", "run_import_apply")


@shared_task(name="anquan.jobs.tasks.run_import", ignore_result=True)
def run_import(step: str, import_id: str, *args) -> None:
    """Validate or apply an uploaded enterprise import (large files) in the worker; progress goes to its state."""
    from anquan.enterprises import import_jobs

    if step not in IMPORT_STEPS or import_jobs.clean_id(import_id) is None:
        raise ValueError(f"unknown import step {step!r} or id {import_id!r}")
    getattr(import_jobs, step)(import_jobs.clean_id(import_id), *args)
