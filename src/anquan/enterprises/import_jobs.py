"""Import jobs between upload and confirmation, and their progress.

The uploaded file is kept as ``MEDIA_ROOT/imports/<uuid>.xlsx``; the job's state (owner,
status, progress) lives in the cache under ``anquan:import:<uuid>`` *and* in a JSON file
beside the upload, so another worker process (or a restarted one) still finds it.

``run_import_validation(import_id)`` and ``run_import_apply(import_id, only_good)`` do the
work and report progress; ``start`` runs them inline for small files, otherwise in a Celery
worker when a broker is configured (``anquan.jobs.tasks.run_import``; the worker must see the
same MEDIA_ROOT), or in a background thread in the embedded demo.

Statuses: ``validating`` → ``ready`` (preview stored) → ``importing`` → ``done``;
``failed`` when the file cannot be read.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from . import importer

logger = logging.getLogger(__name__)

STATE_TTL = 24 * 3600
#: Files with at most this many rows are validated within the request (no progress bar needed).
INLINE_ROWS = 1000


def inline_rows() -> int:
    return getattr(settings, "ANQUAN_IMPORT_INLINE_ROWS", INLINE_ROWS)


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_id(import_id) -> str | None:
    """The canonical hex form of a job id, or None for anything that is not a UUID (no path tricks)."""
    try:
        return uuid.UUID(str(import_id)).hex
    except (ValueError, TypeError, AttributeError):
        return None


def file_path(import_id: str) -> Path:
    return imports_dir() / f"{import_id}.xlsx"


def _json_path(import_id: str, kind: str) -> Path:
    return imports_dir() / f"{import_id}.{kind}.json"


def _key(import_id: str, kind: str) -> str:
    return f"anquan:import:{import_id}:{kind}"


def _write_json(path: Path, value) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=str))
    os.replace(tmp, path)


def _load(import_id: str, kind: str):
    import_id = clean_id(import_id)
    if import_id is None:
        return None
    value = cache.get(_key(import_id, kind))
    if value is None:
        path = _json_path(import_id, kind)
        if path.exists():
            value = json.loads(path.read_text())
            cache.set(_key(import_id, kind), value, STATE_TTL)
    return value


def _store(import_id: str, kind: str, value) -> None:
    cache.set(_key(import_id, kind), value, STATE_TTL)
    _write_json(_json_path(import_id, kind), value)


def get_state(import_id) -> dict | None:
    return _load(import_id, "state")


def set_state(import_id: str, **changes) -> dict:
    state = get_state(import_id) or {}
    state.update(changes)
    _store(import_id, "state", state)
    return state


def get_result(import_id) -> dict | None:
    """The stored preview: ``{"rows": [RowResult.as_dict()…], "summary": {...}}``."""
    return _load(import_id, "result")


#: Uploads and job states older than this are removed when a new file is uploaded.
KEEP_DAYS = 7


def purge_old(days: int = KEEP_DAYS) -> int:
    """Remove stored uploads and job files older than ``days`` (nothing else keeps them)."""
    import time

    limit = time.time() - days * 86400
    removed = 0
    for path in imports_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def create_job(user, uploaded) -> str:
    """Check an uploaded file by content and keep it; raises ``importer.FileRefused``."""
    importer.check_file(uploaded, size=uploaded.size)
    purge_old()
    import_id = uuid.uuid4().hex
    with open(file_path(import_id), "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    set_state(
        import_id,
        id=import_id,
        user_id=user.pk,
        filename=os.path.basename(uploaded.name or "")[:200],
        size=uploaded.size,
        created_at=timezone.now().isoformat(),
        status="validating",
        done=0,
        total=0,
        message="",
    )
    return import_id


def estimated_rows(import_id: str) -> int | None:
    """The sheet's declared row count (may be missing in files from some tools)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(file_path(import_id), read_only=True)
        ws = wb["企业档案"] if "企业档案" in wb.sheetnames else wb.worksheets[0]
        rows = ws.max_row
        wb.close()
        return rows
    except Exception:  # noqa: BLE001
        return None


def _user(state):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=state["user_id"], is_active=True).first()


def run_import_validation(import_id: str) -> None:
    """Validate the stored file of ``import_id`` in chunks, reporting progress, and store the preview."""
    state = get_state(import_id)
    user = _user(state) if state else None
    if user is None:
        return
    set_state(import_id, status="validating", done=0, total=0, message="")
    try:
        rows = importer.read_rows(file_path(import_id))
        set_state(import_id, total=len(rows))
        preview = importer.validate_rows(
            user, rows, progress=lambda done, total: set_state(import_id, done=done, total=total)
        )
    except importer.FileRefused as refused:
        set_state(import_id, status="failed", message=refused.message)
        return
    except Exception:
        logger.exception("import %s: validation failed", import_id)
        set_state(import_id, status="failed", message="校验时出现系统错误，请稍后重试或联系系统管理员")
        return
    _store(import_id, "result", {"rows": [r.as_dict() for r in preview.rows], "summary": preview.summary})
    set_state(import_id, status="ready", summary=preview.summary, done=len(rows), total=len(rows))


def run_import_apply(import_id: str, only_good: bool) -> None:
    """Import the stored file (all rows, or only the good ones) in one transaction, reporting progress."""
    state = get_state(import_id)
    user = _user(state) if state else None
    if user is None:
        return
    set_state(import_id, status="importing", phase="checking", done=0,
              total=(state.get("summary") or {}).get("total", 0), message="")
    try:
        rows = importer.read_rows(file_path(import_id))
        outcome = importer.apply_import(
            user, rows, only_good=only_good,
            check_progress=lambda done, total: set_state(import_id, phase="checking", done=done, total=total),
            progress=lambda done, total: set_state(import_id, phase="writing", done=done, total=total),
        )
    except importer.FileRefused as refused:
        set_state(import_id, status="failed", message=refused.message)
        return
    except Exception:
        logger.exception("import %s: apply failed", import_id)
        set_state(import_id, status="ready", message="导入时出现系统错误，未导入任何数据。请稍后重试或联系系统管理员")
        release(import_id)
        return
    if outcome.refused:
        # Nothing was written; show the fresh preview (data may have changed since) with the reason.
        preview = outcome.preview
        if preview is not None:
            _store(import_id, "result", {"rows": [r.as_dict() for r in preview.rows], "summary": preview.summary})
        set_state(import_id, status="ready", message=outcome.refused,
                  summary=preview.summary if preview else state.get("summary"))
        release(import_id)
        return
    set_state(import_id, status="done", outcome=outcome.as_dict(), only_good=only_good,
              finished_at=timezone.now().isoformat())
    try:
        file_path(import_id).unlink()
    except OSError:
        pass


def _in_thread(func, *args) -> None:
    try:
        func(*args)
    finally:
        connections.close_all()


def start(func, import_id: str, *args, inline: bool) -> None:
    """Run ``func(import_id, *args)`` now (small files), in a Celery worker (large ones, with a broker),
    or in a background thread (large ones in the embedded demo, where tasks would run in-process anyway)."""
    if inline:
        func(import_id, *args)
    elif not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        from django.db import transaction

        from anquan.celery import enqueue
        from anquan.jobs.tasks import run_import

        transaction.on_commit(lambda: enqueue(run_import, func.__name__, import_id, *args))
    else:
        threading.Thread(target=_in_thread, args=(func, import_id, *args), daemon=True, name=f"import-{import_id}").start()


def claim(import_id: str) -> bool:
    """Whether this caller may start the import (guards against a double click running it twice)."""
    return cache.add(_key(import_id, "lock"), "1", 3600)


def release(import_id: str) -> None:
    cache.delete(_key(import_id, "lock"))
