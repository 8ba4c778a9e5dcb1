"""``make bench``: build the dataset, start gunicorn, run every scenario, replay the SQL, write the results.

    SCALE=district|province   dataset size (default district)
    BENCH_REUSE=1             keep the database of a previous run (skip the build)
    BENCH_SAMPLES=300         timed samples per scenario (after BENCH_WARMUP=20 warm-up requests)
    BENCH_WORKERS=4           gunicorn sync workers
    BENCH_REPLAY=50           captured requests per scenario replayed through psycopg for sql_p50_ms
    BENCH_THROUGHPUT_SECONDS=60

Writes var/bench/results.json (and results-<scale>.json, so the other scale's run can be
compared): the scenario results, the PostgreSQL settings, the dataset and each target of
issue 5 item 8 with met/missed; prints the same as a table.
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time

from . import dataset, load, report, scenarios, sqlcapture
from .server import ROOT, Server, request, sign_in

OUT = ROOT / "var" / "bench"
PG_SETTINGS = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "maintenance_work_mem",
               "random_page_cost", "jit", "max_parallel_workers_per_gather", "synchronous_commit", "max_connections")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Bench:
    def __init__(self, scale: str):
        self.scale = scale
        self.url = dataset.database_url(scale)
        self.dsn = dataset.dsn(self.url)
        self.samples = env_int("BENCH_SAMPLES", 300)
        self.warmup = env_int("BENCH_WARMUP", 20)
        self.capture = OUT / "sql" / scale
        self.tokens: dict[str, str] = {}
        self.results: list[dict] = []
        self.page_size_queries: dict = {}

    # ---------------------------------------------------------------- steps

    def build(self) -> None:
        if os.environ.get("BENCH_REUSE") == "1" and self.info() is not None:
            print(f"沿用已有基准数据库 anquan_bench_{self.scale}", flush=True)
            return
        subprocess.run([sys.executable, "-m", "bench.dataset", "--scale", self.scale], cwd=ROOT, check=True)

    def info(self) -> dict | None:
        import psycopg

        try:
            with psycopg.connect(self.dsn) as conn:
                return conn.execute("SELECT info FROM bench_info").fetchone()[0]
        except psycopg.Error:
            return None

    def pg_settings(self) -> dict:
        import psycopg

        with psycopg.connect(self.dsn) as conn:
            return {name: conn.execute("SELECT current_setting(%s)", [name]).fetchone()[0] for name in PG_SETTINGS}

    def tokens_for(self, port: int, users) -> None:
        for user in sorted(set(users)):
            if user not in self.tokens:
                self.tokens[user] = sign_in(port, user)

    def run_scenario(self, port: int, name: str, reqs: list, conn) -> dict:
        """Send ``reqs`` one after another; the first ``warmup`` are not counted."""
        self.tokens_for(port, [r.user for r in reqs])
        timed, rows, failures = [], [], 0
        for i, r in enumerate(reqs):
            body = r.body
            if r.prepare:
                _, pk = r.prepare
                body = {**body, "version": conn.execute("SELECT version FROM hazards_hazard WHERE id = %s", [pk]).fetchone()[0]}
            counted = i >= self.warmup
            sample = f"{name}:{i}" if counted else None
            status, data, ms = request(port, r.method, r.path, body, self.tokens[r.user], sample, r.headers)
            if status >= 400:
                failures += 1
                if failures <= 3:
                    print(f"  {name}: {status} {r.method} {r.path} {data[:300].decode(errors='replace')}", flush=True)
                continue
            if counted:
                timed.append((sample, ms))
                rows.append(_rows_of(name, data))
        return {"timed": timed, "rows": rows, "failures": failures}

    def summarise(self, name: str, run: dict, captured: dict) -> dict:
        times = [ms for _, ms in run["timed"]]
        reqs = [captured[s] for s, _ in run["timed"] if s in captured]
        # The floor is a median: every k-th captured request is replayed (BENCH_REPLAY of them), which
        # estimates it as well as all 300 would, in a third of the time.
        step = max(1, len(reqs) // env_int("BENCH_REPLAY", 50))
        replayed = sqlcapture.replay(self.dsn, reqs[::step]) if reqs else []
        counts = [sum(1 for st in r["statements"] if not _is_savepoint(st["sql"])) for r in reqs]
        rows = [x for x in run["rows"] if x is not None]
        return {"scenario": name, "scale": self.scale, "rows": int(statistics.median(rows)) if rows else None,
                "samples": len(times), "p50_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(percentile(times, 0.95), 1) if times else None,
                "sql_p50_ms": round(statistics.median(replayed), 1) if replayed else None, "replayed": len(replayed),
                "queries": int(statistics.median(counts)) if counts else None,
                "queries_max": max(counts) if counts else None, "failures": run["failures"]}

    def plan(self, world, conn) -> dict[str, list]:
        n = self.samples + self.warmup
        rng = random.Random(f"anquan-bench:{dataset.SEED}")
        plans = {
            "hazard_list_street": scenarios.hazard_list(rng, world, world.street_users, n),
            "hazard_list_district": scenarios.hazard_list(rng, world, world.district_users, n),
            "hazard_list_city": scenarios.hazard_list(rng, world, world.city_users, n),
            "hazard_list_province": scenarios.hazard_list(rng, world, world.province_users, n),
            "hazard_list_deep": scenarios.hazard_list_deep(rng, world, n),
            "hazard_detail": scenarios.hazard_detail(rng, world, n),
            "hazard_create": scenarios.hazard_create(rng, world, n),
            "hazard_transition": scenarios.hazard_transition(rng, scenarios.transition_candidates(conn, world.district_id), n),
            "dashboard_district": scenarios.dashboard(rng, world, world.district_users, n),
            "dashboard_province": scenarios.dashboard(rng, world, world.province_users, n),
        }
        only = os.environ.get("BENCH_ONLY")
        if only:
            plans = {k: v for k, v in plans.items() if k in only.split(",")}
        return plans

    def page_sizes(self, port: int) -> None:
        """The same district list at page sizes 10, 50 and 200: the statement count must not change.

        One unsampled request first: a token's ``last_used_at`` is written at most once a minute, on
        whichever request comes first after that minute — not something the page size decides."""
        request(port, "GET", "/api/v1/hazards?status=open&page_size=1", None, self.tokens["anweiban"])
        for size in (10, 50, 200):
            sample = f"page_size:{size}"
            request(port, "GET", f"/api/v1/hazards?status=open&page_size={size}", None, self.tokens["anweiban"], sample)
        time.sleep(0.5)
        captured = sqlcapture.load(self.capture)
        self.page_size_queries = {size: sum(1 for st in captured[f"page_size:{size}"]["statements"]
                                            if not _is_savepoint(st["sql"])) for size in (10, 50, 200)
                                  if f"page_size:{size}" in captured}

    def export(self) -> dict:
        env = {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "bench.settings", "ANQUAN_DEMO": "1",
               "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "MEDIA_ROOT": str(OUT / "media")}
        env.pop("BENCH_CAPTURE_SQL", None)
        env.pop("REDIS_URL", None)
        out = subprocess.run([sys.executable, "-m", "bench.export", "anweiban"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=900)
        if out.returncode != 0:
            print(out.stderr[-2000:], flush=True)
            return {"scenario": "ledger_export", "scale": self.scale, "error": out.stderr[-500:]}
        data = json.loads(out.stdout.strip().splitlines()[-1])
        return {"scenario": "ledger_export", "scale": self.scale, "rows": data["rows"], "samples": 1,
                "p50_ms": round(data["seconds"] * 1000), "p95_ms": None, "sql_p50_ms": None, "queries": None, **data,
                "load_1m": round(os.getloadavg()[0], 2)}

    def throughput(self, port: int, world) -> dict:
        if load.wrk_path() is None:
            return {"scenario": "throughput", "scale": self.scale, "error": "wrk 未安装（make bench 会用 apt 安装）"}
        rng = random.Random(f"anquan-bench-mix:{dataset.SEED}")
        mix = scenarios.throughput_mix(rng, world, 3000)
        self.tokens_for(port, [r.user for r in mix])
        script = OUT / "mix.lua"
        load.write_script(script, mix, self.tokens)
        data = load.run(port, script, seconds=env_int("BENCH_THROUGHPUT_SECONDS", 60))
        return {"scenario": "throughput", "scale": self.scale, "rows": None, "samples": data["requests"],
                "sql_p50_ms": None, "queries": None, **data, "load_1m": round(os.getloadavg()[0], 2)}

    # ---------------------------------------------------------------- the whole run

    def run(self) -> dict:
        import psycopg

        OUT.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        self.build()
        info = self.info()
        print(f"数据集：{json.dumps(info['sizes'], ensure_ascii=False)}；加载{info['load_seconds']}秒", flush=True)
        for old in self.capture.glob("sql-*.jsonl"):
            old.unlink()
        server = Server(self.url, self.capture, env_int("BENCH_WORKERS", 4), OUT / f"gunicorn-{self.scale}.log")
        server.start()
        try:
            with psycopg.connect(self.dsn, autocommit=True) as conn:
                today = datetime.date.fromisoformat(info["as_of"])
                world = scenarios.World(conn, today)
                plans = self.plan(world, conn)
                runs, loads = {}, {}
                for name, reqs in plans.items():
                    started = time.perf_counter()
                    runs[name] = self.run_scenario(server.port, name, reqs, conn)
                    loads[name] = round(os.getloadavg()[0], 2)  # the machine is shared: say how busy it was
                    print(f"  {name}: {len(runs[name]['timed'])} samples in {time.perf_counter() - started:.0f}s"
                          f" (load {loads[name]})", flush=True)
            self.page_sizes(server.port)
            time.sleep(1)
            captured = sqlcapture.load(self.capture)
            for name, run in runs.items():
                self.results.append({**self.summarise(name, run, captured), "load_1m": loads[name]})
            if not os.environ.get("BENCH_ONLY") or "ledger_export" in os.environ["BENCH_ONLY"]:
                self.results.append(self.export())
            if not os.environ.get("BENCH_ONLY") or "throughput" in os.environ["BENCH_ONLY"]:
                self.results.append(self.throughput(server.port, world))
        finally:
            server.stop()
        target_rows = report.targets(self.results, self.scale, self.page_size_queries, report.load_other(OUT, self.scale),
                                     git_commit())
        doc = {"scale": self.scale, "finished_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
               "commit": git_commit(),
               "machine": machine(), "postgresql": self.pg_settings(), "dataset": info,
               "gunicorn_workers": env_int("BENCH_WORKERS", 4), "run_seconds": round(time.perf_counter() - t0, 1),
               "results": self.results, "queries_by_page_size": self.page_size_queries, "targets": target_rows}
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        (OUT / "results.json").write_text(text, encoding="utf-8")
        (OUT / f"results-{self.scale}.json").write_text(text, encoding="utf-8")
        print(report.table(self.results, target_rows), flush=True)
        print(f"写入 {OUT / 'results.json'}（总用时{doc['run_seconds']}秒）", flush=True)
        return doc


def _is_savepoint(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))


def _rows_of(name: str, data: bytes):
    try:
        body = json.loads(data)
    except ValueError:
        return None
    if name.startswith("hazard_list"):
        return body.get("count")
    if name.startswith("dashboard"):
        return (body.get("total") or {}).get("value")
    return 1


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine() -> dict:
    mem = ""
    try:
        mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        mem = f"{int(mem) // 1024 // 1024} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "load_average_at_end": os.getloadavg()}


def main() -> None:
    scale = os.environ.get("SCALE", "district")
    if scale not in ("district", "province"):
        raise SystemExit("SCALE 应为 district 或 province")
    Bench(scale).run()


if __name__ == "__main__":
    main()
