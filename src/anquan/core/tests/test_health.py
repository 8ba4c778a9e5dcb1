"""Health probes (/healthz, /readyz) and the structured logs with a request id."""
from __future__ import annotations

import io
import json
import logging
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from anquan.core import health
from anquan.core.logs import JsonFormatter, RequestIdFilter, set_request_id
from anquan.jobs.tests.processes import REPO, child_env


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_without_login_or_database(client):
    response = client.get("/healthz")  # no django_db mark: touching the database would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"process": {"ok": True}}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_database_cache_and_broker_answer(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok", body
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.postgres
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis: set REDIS_URL=redis://…")
@pytest.mark.django_db
def test_readyz_reaches_the_real_broker_and_cache(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/readyz").json()
    assert body["status"] == "ok", body
    assert body["checks"]["broker"]["mode"] == "broker" and body["checks"]["cache"]["backend"] == "RedisCache"
    assert body["checks"]["database"]["vendor"] == "postgresql"


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "fail" and body["failing"] == ["broker"]
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert "Connection refused" in body["checks"]["broker"]["error"] or "111" in body["checks"]["broker"]["error"]


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_it_is_unreachable(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_readyz_is_503_naming_the_database_when_it_fails(client, monkeypatch):
    def down():
        raise OSError("数据库连接失败")

    monkeypatch.setitem(health.CHECKS, "database", down)
    body = client.get("/readyz").json()
    assert body["failing"] == ["database"] and body["checks"]["database"]["error"] == "OSError: 数据库连接失败"


# ---------------------------------------------------------------- request ids and JSON logs


def test_every_response_carries_a_request_id_and_a_valid_incoming_one_is_kept(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a.1"})["X-Request-ID"] == "nginx-4f2a.1"
    forged = client.get("/healthz", headers={"X-Request-ID": "bad id\r\nSet-Cookie: x"})["X-Request-ID"]
    assert len(forged) == 32 and "bad" not in forged


def test_one_request_line_is_logged_with_its_id_status_and_time(client, caplog):
    with caplog.at_level(logging.INFO, logger="anquan.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "req-123"})
    (record,) = [r for r in caplog.records if r.name == "anquan.request"]
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/healthz", 200, None)
    assert record.duration_ms >= 0 and response["X-Request-ID"] == "req-123"


def test_the_json_formatter_writes_one_object_per_line_with_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("anquan.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        set_request_id("abc123")
        logger.warning("导出失败：%s", "超时", extra={"job_id": 7})
        set_request_id(None)
        try:
            raise ValueError("坏数据")
        except ValueError:
            logger.exception("出错")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{"))
    assert first["message"] == "导出失败：超时" and first["request_id"] == "abc123" and first["job_id"] == 7
    assert first["level"] == "WARNING" and first["logger"] == "anquan.test.json" and first["time"].endswith("+08:00")
    assert second["request_id"] == "-" and "ValueError: 坏数据" in second["exception"]
    assert "导出失败" in stream.getvalue()  # Chinese kept readable, not \\u-escaped


def test_log_format_json_switches_the_whole_process_to_json_lines():
    code = "import django, logging; django.setup(); logging.getLogger('anquan.probe').warning('就绪检查失败')"
    env = {**child_env(LOG_FORMAT="json"), "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("REDIS_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=60,
                         check=True)
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert line["message"] == "就绪检查失败" and line["logger"] == "anquan.probe" and line["request_id"] == "-"


def test_the_client_address_comes_from_nginx_only_when_nginx_is_trusted(client, caplog, settings):
    def logged_address(**headers) -> str:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="anquan.request"):
            client.get("/healthz", headers=headers, REMOTE_ADDR="127.0.0.1")
        return next(r.remote_addr for r in caplog.records if r.name == "anquan.request")

    assert logged_address(**{"X-Forwarded-For": "10.1.2.3"}) == "127.0.0.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert logged_address(**{"X-Forwarded-For": "6.6.6.6, 10.1.2.3"}) == "10.1.2.3"  # the entry nginx appended
    assert logged_address() == "127.0.0.1"
