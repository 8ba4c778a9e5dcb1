"""Build the benchmark database on PostgreSQL: ``python -m bench.dataset --scale district|province``.

The database (``anquan_bench_<scale>`` on the server of ``BENCH_DATABASE_URL`` / ``DATABASE_URL``,
default ``postgres://postgres@127.0.0.1:5432/``) is dropped and created, migrated, then filled:

- ``district``: the demo generator (``anquan.demo.generator.build_demo``, seed 2026, as of today)
  with 示范区 at benchmark size — 15 streets, 20,000 enterprises, 100,000 hazards of a year with
  their rounds, extensions, explanations, controls, listings and ~4 audit events each on the
  district's hash chain — and 邻区 small, as in the demo. Same seed, same 示范区, every time.
- ``province``: exactly the same first, then ``bench.province`` adds 13 cities and ~118 districts
  with COPY (indexes dropped before, rebuilt after) up to the issue's province size.

Then the bench users that the demo lacks (``sheng_anweiban``: the province's 安委办), and VACUUM ANALYZE
(planner statistics, and the visibility map that lets counts use index-only scans).
Loading tricks, all undone before the app sees the database: the session skips foreign-key
triggers (``session_replication_role = replica``; the generators write consistent rows) and
does not wait for WAL flushes (``synchronous_commit = off``); secondary indexes of the big tables
are dropped during the load and recreated after it.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026
#: 示范区 at benchmark size (issue 5: one district, ~20,000 enterprises, ~100,000 hazards).
DISTRICT = {"streets": 15, "enterprises": 20_000, "hazards_per_enterprise": 5.0}
#: Tables whose secondary indexes are dropped during the load and rebuilt after it.
BIG_TABLES = ["hazards_hazard", "audit_auditevent", "hazards_rectificationround", "hazards_hazard_found_by",
              "accounts_person", "accounts_user", "accounts_roleassignment", "enterprises_enterprise",
              "enterprises_site", "enterprises_enterpriseregulator", "enterprises_licence",
              "enterprises_enterprise_industries", "hazards_deadlineextension", "hazards_overdueexplanation"]


def server_url() -> str:
    """The PostgreSQL server (URL without a database name)."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/"
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def database_url(scale: str) -> str:
    return server_url() + f"anquan_bench_{scale}"


def dsn(url: str) -> str:
    """A libpq connection string psycopg accepts (postgres:// → postgresql://)."""
    return "postgresql://" + url.split("://", 1)[1]


def recreate(scale: str) -> None:
    import psycopg

    name = f"anquan_bench_{scale}"
    with psycopg.connect(dsn(server_url() + "postgres"), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                      [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(scale: str) -> None:
    os.environ["DATABASE_URL"] = database_url(scale)
    os.environ["ANQUAN_DEMO"] = "1"  # the demo users' password anquan-demo (the bench signs in with it)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anquan.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes of ``tables`` that back no constraint."""
    cursor.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.tablename, i.indexname""", [tables])
    return cursor.fetchall()


def fast_load(cursor) -> None:
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET maintenance_work_mem = '512MB'")


def build(scale: str, log=print) -> dict:
    """Drop, create, migrate and fill the database of ``scale``; returns the sizes and seconds."""
    started = time.perf_counter()
    recreate(scale)
    setup_django(scale)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    with connection.cursor() as cursor:
        dropped = secondary_indexes(cursor, BIG_TABLES)
        for name, _ in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        fast_load(cursor)
    from anquan.demo.generator import build_demo
    from anquan.rules.calendar import today

    as_of = today()
    build_demo(seed=SEED, as_of=as_of, streets=DISTRICT["streets"], enterprises=DISTRICT["enterprises"],
               hazards_per_enterprise=DISTRICT["hazards_per_enterprise"], log=log)
    demo_done = time.perf_counter()
    timings = {"migrate_s": round(migrated - started, 1), "demo_s": round(demo_done - migrated, 1)}
    if scale == "province":
        from . import province

        timings.update(province.build(as_of=as_of, seed=SEED, log=log))
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        for _name, definition in dropped:
            cursor.execute(definition)
        timings["indexes_s"] = round(time.perf_counter() - t0, 1)
        cursor.execute("SET session_replication_role = origin")
    add_bench_users()
    tune_database(scale)
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")  # statistics, and the visibility map for index-only scans
        timings["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
    sizes = sizes_of()
    info = {"scale": scale, "seed": SEED, "as_of": as_of.isoformat(), "sizes": sizes, "timings": timings,
            "load_seconds": round(time.perf_counter() - started, 1)}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_info (info jsonb)")
        cursor.execute("DELETE FROM bench_info")
        cursor.execute("INSERT INTO bench_info VALUES (%s::jsonb)", [json.dumps(info, ensure_ascii=False)])
    log(f"基准数据（{scale}）：{json.dumps(sizes, ensure_ascii=False)}；用时{info['load_seconds']}秒")
    return info


#: Per-database planner settings (ALTER DATABASE, so no server restart and no effect on other
#: databases): data lives in RAM or on SSD, so random reads cost about as much as sequential ones;
#: JIT compilation costs more than it saves on these short OLTP-and-dashboard queries.
DATABASE_SETTINGS = {"random_page_cost": "1.1", "jit": "off", "work_mem": "32MB"}


def tune_database(scale: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, value in DATABASE_SETTINGS.items():
            cursor.execute(f'ALTER DATABASE "anquan_bench_{scale}" SET {name} = %s', [value])


def add_bench_users() -> None:
    """The province's 安委办 (``sheng_anweiban``), which the demo city has no user for; every account
    gets the demo password, so the bench can take a token for any of them."""
    from django.db import transaction

    from anquan.accounts.models import Person, RoleAssignment, User
    from anquan.accounts.roles import RoleCode
    from anquan.demo.people import demo_password_hash
    from anquan.orgs.models import Department, DepartmentKind, OrgUnit, UnitKind

    with transaction.atomic():
        province = OrgUnit.objects.get(kind=UnitKind.PROVINCE, parent__isnull=True)
        dept, _ = Department.objects.get_or_create(unit=province, kind=DepartmentKind.SAFETY_COMMITTEE,
                                                   defaults={"name": f"{province.name}安委办"})
        person = Person.objects.create(name="省安委办基准用户", post=f"{province.name}安委办工作人员", unit=province, department=dept)
        user = User.objects.create(username="sheng_anweiban", password=demo_password_hash(), person=person)
        start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
        RoleAssignment.objects.create(user=user, role=RoleCode.ANWEIBAN, unit=province, department=dept, valid_from=start)
        # The demo's extra staff carry records but cannot sign in; the bench signs in as them (demo password).
        User.objects.filter(password__startswith="!").update(password=demo_password_hash())


def sizes_of() -> dict:
    from django.db import connection

    tables = {"org_units": "orgs_orgunit", "enterprises": "enterprises_enterprise", "sites": "enterprises_site",
              "users": "accounts_user", "hazards": "hazards_hazard", "rounds": "hazards_rectificationround",
              "audit_events": "audit_auditevent"}
    out = {}
    with connection.cursor() as cursor:
        for key, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            out[key] = cursor.fetchone()[0]
        cursor.execute("SELECT kind, count(*) FROM orgs_orgunit GROUP BY kind")
        out["units_by_kind"] = dict(cursor.fetchall())
        cursor.execute("SELECT pg_database_size(current_database())")
        out["database_mb"] = round(cursor.fetchone()[0] / 2**20)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["district", "province"], default=os.environ.get("SCALE", "district"))
    args = parser.parse_args(argv)
    build(args.scale)


if __name__ == "__main__":
    main()
