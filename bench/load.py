"""throughput: 16 connections for 60 s from wrk (Debian's), replaying a fixed, seeded mix of requests.

The mix (60% lists, 30% details, 10% dashboards, each with its user's bearer token) is written
into a Lua script as a table; each wrk thread walks it from its own offset. ``done`` prints the
totals and the latency percentiles as one JSON line (wrk's own summary has no p95).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

LUA = r'''
local reqs = {
%(rows)s
}
local counter = 0
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  counter = (id or 0) * 7919
end
function request()
  counter = counter + 1
  local r = reqs[(counter %% #reqs) + 1]
  return wrk.format(r[1], r[2], {["Authorization"] = "Bearer " .. r[3], ["Accept"] = "application/json"})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
'''


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_script(path: Path, requests, tokens: dict[str, str]) -> None:
    rows = ",\n".join(f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {_lua_string(tokens[r.user])}}}" for r in requests)
    path.write_text(LUA % {"rows": rows}, encoding="utf-8")


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run(port: int, script: Path, seconds: int = 60, connections: int = 16, threads: int = 2) -> dict:
    out = subprocess.run([wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^BENCHJSON (.*)$", out.stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk 输出无法解析：{out.stdout[-500:]} {out.stderr[-500:]}")
    raw = json.loads(match.group(1))
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {"requests": raw["requests"], "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            "errors": errors, "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
            "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1), "connections": connections, "seconds": seconds}
