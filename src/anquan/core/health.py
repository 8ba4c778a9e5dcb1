"""Health probes for load balancers and systemd: ``/healthz`` (alive) and ``/readyz`` (ready to serve).

``/healthz`` answers 200 as long as the process can run a view: no database, no cache,
so a database outage does not make every app server look dead and get restarted.
``/readyz`` checks what a request needs — the database (``SELECT 1``), the cache (a
write and a read) and the Celery broker (a connection) — and answers 503 naming the
failing check, so nginx/the load balancer stops sending traffic to a server that cannot
serve. Both answer JSON ``{"status": "ok" | "fail", "checks": {name: {...}}}``, need no
login, and are never cached.

With no broker configured (``CELERY_TASK_ALWAYS_EAGER``, the embedded demo) tasks run
in-process; the broker check then reports ``"in-process"`` and passes. Each check is
bounded by ``TIMEOUT`` seconds so a probe never hangs.
"""
from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

TIMEOUT = 2.0


def _check_database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connections["default"].vendor}


def _check_cache() -> dict:
    key = f"anquan:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("缓存写入后读取不到")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker() -> dict:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return {"mode": "in-process"}
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    with Connection(url, connect_timeout=TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
    return {"mode": "broker", "transport": url.split(":", 1)[0]}


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the class and message say which
        result = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. No database, no cache, no login."""
    return JsonResponse({"status": "ok", "checks": {"process": {"ok": True}}})


@never_cache
@require_GET
def readyz(request):
    """Readiness: database, cache and broker reachable; 503 with the failing checks named otherwise."""
    checks = {name: _run(check) for name, check in CHECKS.items()}
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "fail" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})
