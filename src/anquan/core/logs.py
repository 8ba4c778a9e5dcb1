"""Structured logs with a request id: one id joins nginx's access log, the app's lines and the tasks a request sent.

- ``RequestIdMiddleware`` takes the ``X-Request-ID`` nginx set (or makes one), keeps it
  for the request's duration, answers it in the ``X-Request-ID`` header and writes one
  ``request`` line per request (method, path, status, milliseconds, user id, address).
  Behind nginx, the peer is nginx: when it is one of ``TRUSTED_PROXIES`` the client's
  address is taken from the ``X-Forwarded-For`` entry nginx appended (the last one), so
  sign-in throttling and logs see the person, not the proxy. A header from anyone else is ignored.
- ``RequestIdFilter`` puts the id on every log record (``record.request_id``), in
  requests, in Celery tasks (``anquan.celery`` carries it in the task headers) and
  elsewhere ("-").
- ``JsonFormatter`` writes one JSON object per line; settings switch to it with
  ``LOG_FORMAT=json`` (production), the plain format stays the default for people.

This module imports no models: the logging configuration loads it before the apps.
"""
from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from zoneinfo import ZoneInfo

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("anquan_request_id", default=None)

#: An incoming id is trusted only if it looks like one (it ends up in logs and headers).
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
HEADER = "X-Request-ID"

request_log = logging.getLogger("anquan.request")
#: Log times are Shanghai times with their offset, in every process (gunicorn's master starts before Django sets TZ).
LOG_TIMEZONE = ZoneInfo("Asia/Shanghai")


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> None:
    _request_id.set(value)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives every request an id (nginx's ``X-Request-ID`` when valid), answers it, logs the request once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _client_address(request)
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def _log(request, status: int, started: float) -> None:
        if not request_log.isEnabledFor(logging.INFO):
            return
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s", request.method, request.path, status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "remote_addr": request.META.get("REMOTE_ADDR", ""),
            },
        )


def _client_address(request) -> None:
    from django.conf import settings

    trusted = getattr(settings, "TRUSTED_PROXIES", ())
    if not trusted or request.META.get("REMOTE_ADDR") not in trusted:
        return
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if forwarded:
        request.META["REMOTE_ADDR"] = forwarded[-1]


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or "-"
        return True


#: Attributes every LogRecord has; anything else on a record came from ``extra=`` and is written out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO, with offset), level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, LOG_TIMEZONE).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get() or "-",
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
