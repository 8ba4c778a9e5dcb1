"""The app under benchmark: gunicorn with the project's config, and a small HTTP client that times requests.

Why gunicorn and a client in another process: issue 5 measures through the real HTTP stack.
The server is the production configuration (deploy/gunicorn.conf.py) with the settings module
switched to bench.settings (cache off, SQL capture) and a fixed worker count.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gunicorn -c deploy/gunicorn.conf.py`` on 127.0.0.1:<free port>; stopped by ``stop()`` (its own pid only)."""

    def __init__(self, database_url: str, capture_dir: Path, workers: int, log_path: Path):
        self.port = free_port()
        self.database_url, self.capture_dir, self.workers, self.log_path = database_url, capture_dir, workers, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "ANQUAN_DEMO": "1", "DJANGO_SETTINGS_MODULE": "bench.settings",
               "BENCH_CAPTURE_SQL": str(self.capture_dir), "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "LOG_LEVEL": "WARNING"}
        env.pop("REDIS_URL", None)
        config = ROOT / "deploy" / "gunicorn.conf.py"
        args = [str(Path(sys.executable).parent / "gunicorn")]
        if config.exists():
            args += ["-c", str(config)]
        args += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--pythonpath", f"{ROOT / 'src'},{ROOT}",
                 "--env", "DJANGO_SETTINGS_MODULE=bench.settings", "--timeout", "120", "anquan.wsgi:application"]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn 启动失败，见 {self.log_path}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn 60秒内未就绪")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()


def request(port: int, method: str, path: str, body: dict | None = None, token: str | None = None,
            sample: str | None = None, extra_headers: dict | None = None) -> tuple[int, bytes, float]:
    """(status, body, milliseconds from connecting to the last byte read)."""
    headers = {"Accept": "application/json", "Host": "127.0.0.1", **(extra_headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if sample:
        headers["X-Bench-Sample"] = sample
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    return response.status, data, (time.perf_counter() - started) * 1000


def sign_in(port: int, username: str, password: str = "anquan-demo") -> str:
    status, data, _ = request(port, "POST", "/api/v1/auth/token", {"username": username, "password": password})
    if status != 200:
        raise RuntimeError(f"{username} 登录失败：{status} {data[:200]!r}")
    return json.loads(data)["token"]
