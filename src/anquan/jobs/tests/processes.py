"""Starting real processes from tests: Celery workers and beat, or plain Python scripts, on the test database.

pytest-django's test database is ``test_<name>`` (``test_<name>_gw0`` … under xdist); a
child process must connect to *that* database, so ``child_env`` points DATABASE_URL at
``connection.settings_dict["NAME"]``. Tests that use children are
``@pytest.mark.django_db(transaction=True)``: their rows are committed, so the children see them.

Every child writes its output to a log file; ``wait_until`` fails with the tail of those
logs when a child dies or the deadline passes, so a failure in CI says what happened.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
#: Generous: a cold worker on a loaded 2-core CI machine takes a few seconds to start.
DEADLINE = 90.0


def database_url() -> str:
    """A URL for the database this test process is connected to (the test database)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s["HOST"] or ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'])}"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "anquan.settings",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    })
    env.update(extra)
    return env


@dataclass
class Children:
    """Processes started by one test, with their logs; stop() ends them (SIGTERM, then SIGKILL)."""

    directory: Path
    procs: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.directory / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append((name, proc, log))
        return proc

    def logs(self, tail: int = 4000) -> str:
        parts = []
        for name, proc, log in self.procs:
            text = log.read_text(errors="replace") if log.exists() else ""
            parts.append(f"--- {name} (pid {proc.pid}, exit {proc.poll()}) ---\n{text[-tail:]}")
        return "\n".join(parts)

    def check_alive(self, *names: str) -> None:
        for name, proc, _ in self.procs:
            if (not names or name in names) and proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}\n{self.logs()}")

    def stop(self) -> None:
        for _, proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc, _ in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def wait_until(predicate: Callable[[], object], what: str, children: Children | None = None,
               alive: tuple[str, ...] = (), timeout: float = DEADLINE, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail naming ``what`` (with the children's logs)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if children is not None and alive:
            children.check_alive(*alive)
        if time.monotonic() > deadline:
            logs = children.logs() if children is not None else ""
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n{logs}")
        time.sleep(interval)


def unique_queue() -> str:
    """A queue nobody else consumes: concurrent test runs share one Redis."""
    return f"anquan-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def worker_argv(queue: str) -> list[str]:
    return [str(BIN / "celery"), "-A", "anquan", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h",
            "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"]


def beat_argv(schedule: Path) -> list[str]:
    return [str(BIN / "celery"), "-A", "anquan", "beat", "--schedule", str(schedule), "--loglevel=INFO"]
