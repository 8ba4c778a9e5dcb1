"""Export jobs: ask (``export_request``), run in a worker (``export_run``), and the kinds of export there are.

The request only records what was asked and queues the job after commit; the worker
builds the scoped, filtered queryset *as the requester* (with the role assignments they
hold when the job runs), writes the workbook with the same exporter the synchronous
download uses, and stores it in the media storage, so any app server can hand it out.
Without a broker (the embedded demo) the job runs in the requesting process right after
the request's transaction commits, exactly as before, only recorded.

Every write to ``ExportJob`` is here; a job's state moves queued → running → done/failed
by conditional UPDATEs, so a task delivered twice (acks_late after a worker crash) runs once.
"""
from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, DomainError, Forbidden, Invalid
from anquan.core.logs import current_request_id
from anquan.rules.calendar import today

from .models import ExportJob, ExportKind, JobStatus

log = logging.getLogger(__name__)

#: At most this many unfinished exports per person: a second click waits for the first.
MAX_UNFINISHED = 3
#: A job still "running" after this long lost its worker (the hard time limit is shorter).
STALE_AFTER = datetime.timedelta(hours=2)
#: A job still queued after this long lost its message (e.g. Redis restarted without persistence): send it again.
REQUEUE_AFTER = datetime.timedelta(minutes=10)
#: Progress is written every this many rows (one small UPDATE each).
PROGRESS_EVERY = 5000
FAILED_MESSAGE = "导出失败：系统错误，请稍后重试；如仍失败请联系系统管理员。"


def reporting_db() -> str:
    """The database alias for heavy reads: the read replica when configured (DATABASE_REPLICA_URL), else default."""
    return "replica" if "replica" in settings.DATABASES else "default"


@dataclass(frozen=True)
class ExportSpec:
    title: str
    action: str
    ascii_name: str
    queryset: Callable  # (user, params) -> scoped, filtered queryset
    write: Callable  # (queryset, title, on) -> open temporary file at its start
    max_rows: int


def _enterprise_spec() -> ExportSpec:
    from anquan.enterprises import exporter
    from anquan.enterprises.views import enterprise_queryset

    return ExportSpec("企业档案", "enterprise.export", "enterprises",
                      lambda user, params: enterprise_queryset(user, params, action="enterprise.export"),
                      lambda qs, title, on: exporter.export_enterprises(qs), exporter.MAX_ROWS)


def _hazard_spec(kind: str) -> ExportSpec:
    from anquan.hazards import exports
    from anquan.hazards.views import LISTS, hazard_queryset

    return ExportSpec(LISTS[kind], "hazard.export", f"hazards_{kind}",
                      lambda user, params: hazard_queryset(user, params, action="hazard.export", kind=kind),
                      lambda qs, title, on: exports.export(kind, title, qs, on), exports.MAX_ROWS)


def spec_for(kind: str) -> ExportSpec:
    if kind == ExportKind.ENTERPRISES:
        return _enterprise_spec()
    if kind in (ExportKind.HAZARDS, ExportKind.RECTIFICATION, ExportKind.RESPONSIBILITY):
        return _hazard_spec(kind)
    raise Invalid({"kind": ["不支持的导出内容"]})


def _permits(user, action: str) -> bool:
    return _permitting(user, action) is not None


def _permitting(user, action: str):
    """The first active assignment of ``user`` that permits ``action`` (the role the export is made in), or None."""
    return next((a for a in active_assignments(user) if a.permits(action)), None)


def _audit_chain(assignment) -> str | None:
    """The district chain of the unit the export is made for: who took data out of the system is audited
    where the data lives (the system chain for a city or province level)."""
    unit = assignment.unit or (assignment.department.unit if assignment.department_id else None) or (
        assignment.enterprise.unit if assignment.enterprise_id else None)
    return f"district:{unit.district_id}" if unit is not None and unit.district_id else None


def params_of(query) -> dict[str, list[str]]:
    """A list page's query string (QueryDict or dict) as {name: [values]}, without the page number."""
    if isinstance(query, QueryDict):
        pairs = {k: query.getlist(k) for k in query}
    else:
        pairs = {k: (list(v) if isinstance(v, list | tuple) else [v]) for k, v in (query or {}).items()}
    return {k: [str(v) for v in vs if v not in (None, "")] for k, vs in pairs.items()
            if k not in ("page", "list", "csrfmiddlewaretoken") and any(v not in (None, "") for v in vs)}


def _querydict(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


# ---------------------------------------------------------------- asking


def export_request(*, actor, kind: str, params) -> ExportJob:
    """Record an export of list ``kind`` with the list's filters and queue it; the worker does the rest."""
    spec = spec_for(kind)
    if not _permits(actor, spec.action):
        raise Forbidden(f"您没有导出{spec.title}的权限")
    with transaction.atomic():
        mine = ExportJob.objects.visible_to(actor)
        mine.filter(status=JobStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER).update(
            status=JobStatus.FAILED, error="导出中断（处理进程已停止），请重新导出。", finished_at=timezone.now())
        if mine.unfinished().count() >= MAX_UNFINISHED:
            raise Conflict(f"您已有{MAX_UNFINISHED}个导出任务尚未完成，请等其完成后再导出。")
        job = ExportJob.objects.create(kind=kind, params=params_of(params), requested_by=actor,
                                       request_id=current_request_id() or "")
        assignment = _permitting(actor, spec.action)
        record(actor=actor, assignment=assignment, obj=job, action="export_request",
               after={"kind": kind, "params": job.params}, chain_key=_audit_chain(assignment))
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Send the job to the workers; if the broker is down the job stays queued and ``export_requeue_stale`` retries."""
    from anquan.celery import enqueue

    from .tasks import run_export

    try:
        enqueue(run_export, job_id)
    except Exception:
        log.exception("export job %s could not be queued; it will be sent again later", job_id)


def export_requeue_stale() -> int:
    """Send again the jobs queued for longer than REQUEUE_AFTER (beat, every few minutes); returns how many.

    Safe when the first message was only slow, not lost: the job is claimed once, a second
    delivery finds it taken and does nothing.
    """
    stale = list(ExportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=timezone.now() - REQUEUE_AFTER)
                 .values_list("pk", flat=True)[:1000])
    for job_id in stale:
        _enqueue(job_id)
    return len(stale)


# ---------------------------------------------------------------- running (in the worker)


def _with_progress(queryset, total: int, job_id: int, counter: list[int]):
    """``queryset`` whose ``iterator()`` counts rows and writes the job's progress every PROGRESS_EVERY rows.

    The exporters stream with ``queryset.iterator()``; a subclass of the queryset's own class
    (kept through select_related/prefetch_related, which clone with ``__class__``) reports
    progress without the exporters knowing about jobs.
    """
    base = type(queryset)

    class ProgressQuerySet(base):
        def iterator(self, chunk_size=None):
            for row in super().iterator(chunk_size=chunk_size):
                counter[0] += 1
                if counter[0] % PROGRESS_EVERY == 0 and total:
                    ExportJob.objects.filter(pk=job_id).update(progress=min(99, counter[0] * 100 // total))
                yield row

    clone = queryset._chain()
    clone.__class__ = ProgressQuerySet
    return clone


def export_run(job_id: int) -> ExportJob | None:
    """Claim a queued job and write its file; None if another delivery of the task already took it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0)
    if not claimed:
        log.info("export job %s already taken or gone", job_id)
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        _write(job)
    except Exception as exc:  # the job records the failure; the person sees why
        if isinstance(exc, DomainError):
            message = exc.message if not isinstance(exc, Invalid) else "；".join(m for ms in exc.errors.values() for m in ms)
        else:
            log.exception("export job %s failed", job_id)
            message = FAILED_MESSAGE
        ExportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _write(job: ExportJob) -> None:
    spec = spec_for(job.kind)
    user = job.requested_by
    if not user.is_active or not _permits(user, spec.action):  # the role may have ended since the request
        raise Forbidden(f"申请人已无导出{spec.title}的权限")
    on = today()
    queryset = spec.queryset(user, _querydict(job.params)).using(reporting_db())
    total = queryset.count()
    if total > spec.max_rows:
        raise Invalid(f"符合条件的记录共{total:,}条，超过Excel单表上限{spec.max_rows:,}行，无法导出。"
                      "请增加筛选条件（如按街道、日期）后分批导出。")
    ExportJob.objects.filter(pk=job.pk).update(rows=total)
    counter = [0]
    stream = spec.write(_with_progress(queryset, total, job.pk, counter), spec.title, on)
    try:
        job.file.save(f"{spec.ascii_name}_{on:%Y%m%d}.xlsx", File(stream), save=False)
    finally:
        stream.close()
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, rows=counter[0], file=job.file.name,
        filename=f"{spec.title}_{on:%Y%m%d}.xlsx", finished_at=timezone.now())
