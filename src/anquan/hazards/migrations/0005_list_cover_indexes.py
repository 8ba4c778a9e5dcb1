"""Covering indexes for the hazard lists on PostgreSQL (issue 5 benchmark, docs/performance.md).

A list page sorts only ids (``selectors.page_rows``: overdue first, then deadline, then id) and
counts at most 10,001 rows. With the columns the sort and the usual filters read stored in the
index itself (INCLUDE), PostgreSQL answers both from the index alone (an index-only scan),
without visiting one table row per candidate:

- ``hazard_open_cover``: the open hazards (~6 %) of a territory — every "open, overdue first"
  list of any scope; small (about 7 bytes a hazard overall).
- ``hazard_path_cover``: every live hazard of a territory — the lists of all or of closed
  hazards and their deep pages (page 200 sorts 10,000 ids from this index instead of the table).

Both are partial (live rows only) and built CONCURRENTLY, so a production table stays writable
while they are built. On other databases (SQLite, the demo) nothing is created: they have
neither INCLUDE nor varchar_pattern_ops, and demo sizes do not need them. They are not in
``Hazard.Meta.indexes`` for that reason (Django's INCLUDE warns on SQLite).
"""
from django.db import migrations

COLUMNS = "status, level, source, industry_id, found_on, id"
INDEXES = {
    "hazard_open_cover": (f"(grid_path varchar_pattern_ops, deadline_in_force) INCLUDE ({COLUMNS}) "
                          "WHERE voided_at IS NULL AND status <> 'closed'"),
    "hazard_path_cover": (f"(grid_path varchar_pattern_ops) INCLUDE (deadline_in_force, {COLUMNS}) "
                          "WHERE voided_at IS NULL"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON hazards_hazard {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("hazards", "0004_checklist_owner_department_major_criterion")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
