"""Which SQL did a request run? Captured in the app process, replayed later through psycopg alone.

Why: the wall time a client sees is app time + SQL time. Replaying the very statements a
request ran, straight through psycopg on an idle connection, gives the floor the SQL alone
costs (``sql_p50_ms``); the difference is what Django, ninja and serialisation add.

``CaptureMiddleware`` is installed by bench/settings.py only when ``BENCH_CAPTURE_SQL`` names a
directory. For a request carrying ``X-Bench-Sample: <scenario>:<n>`` it wraps the database
connection (``connection.execute_wrapper``), keeps each statement with its parameters, and
after the response has been handed to the server writes one JSON line per request to
``<dir>/sql-<pid>.jsonl`` with each statement rendered client-side exactly as psycopg sent it.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.core.signals import request_finished
from django.db import connection

HEADER = "HTTP_X_BENCH_SAMPLE"


class _Recorder:
    def __init__(self):
        self.statements: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, None if many else params, (time.perf_counter() - started) * 1000))


class CaptureMiddleware:
    """Record the statements of requests that ask to be sampled (header ``X-Bench-Sample``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.directory = Path(os.environ["BENCH_CAPTURE_SQL"])
        self.directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, request):
        sample = request.META.get(HEADER)
        if not sample:
            return self.get_response(request)
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            response = self.get_response(request)
        # Rendering and writing happen after the body went out (request_finished), off the client's clock.
        def flush(sender, **kwargs):
            request_finished.disconnect(flush)
            self._write(sample, response.status_code, recorder.statements)
        request_finished.connect(flush, weak=False)
        return response

    def _write(self, sample: str, status: int, statements) -> None:
        rendered = []
        for sql, params, ms in statements:
            try:
                text = connection.ops.compose_sql(sql, params) if params is not None else sql
            except Exception:  # noqa: BLE001 - a statement that cannot be rendered is replayed as written
                text = sql
            rendered.append({"sql": text, "ms": round(ms, 3)})
        line = json.dumps({"sample": sample, "status": status, "pid": os.getpid(), "statements": rendered},
                          ensure_ascii=False)
        with open(self.directory / f"sql-{os.getpid()}.jsonl", "a", encoding="utf-8") as out:
            out.write(line + "\n")


def load(directory: Path) -> dict[str, dict]:
    """Every captured request by sample id (``scenario:n``)."""
    captured = {}
    for path in sorted(Path(directory).glob("sql-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                captured[row["sample"]] = row
    return captured


def replay(dsn: str, requests: list[dict], rounds: int = 1) -> list[float]:
    """Milliseconds each request's statements take when replayed alone through psycopg, in order.

    Each request is replayed inside one transaction that is rolled back, so writes change
    nothing; each statement runs under a savepoint, so a statement refused by a unique
    constraint (the same number inserted a second time) counts with its time to refusal and
    the rest go on. Savepoint commands are not timed. With ``rounds`` > 1 the fastest round
    counts (the floor).
    """
    import psycopg

    times = []
    with psycopg.connect(dsn, autocommit=False) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.commit()
        for req in requests:
            best = None
            for _ in range(rounds):
                total = 0.0
                with conn.cursor() as cur:
                    for st in req["statements"]:
                        sql = st["sql"]
                        if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
                            continue
                        cur.execute("SAVEPOINT bench_replay")
                        started = time.perf_counter()
                        try:
                            cur.execute(sql.encode() if isinstance(sql, str) else sql, prepare=False)
                            if cur.description is not None:
                                cur.fetchall()
                            total += (time.perf_counter() - started) * 1000
                            cur.execute("RELEASE SAVEPOINT bench_replay")
                        except psycopg.Error:
                            total += (time.perf_counter() - started) * 1000
                            cur.execute("ROLLBACK TO SAVEPOINT bench_replay")
                conn.rollback()
                best = total if best is None else min(best, total)
            times.append(best)
    return times
