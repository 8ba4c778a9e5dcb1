"""A covering index of live hazards by (deadline in force, id) on PostgreSQL, for deep list pages.

``selectors.page_rows`` cuts pages from DEEP_OFFSET on out of one half of the list order — the
overdue hazards, or all the others — each in (deadline in force, id) order. This index returns
that order without a sort, and with the territory path and the common filter columns included
the scan never visits the table: page 200 of a district's 100,000 hazards reads ~10,000 index
entries (about 2 ms) instead of sorting every id of the district. For a narrow scope (a street)
the planner prefers ``hazard_path_cover`` and a small sort instead. PostgreSQL only, built
CONCURRENTLY (see 0005).
"""
from django.db import migrations

NAME = "hazard_deadline_cover"
DEFINITION = "(deadline_in_force, id) INCLUDE (grid_path, status, level, source, found_on) WHERE voided_at IS NULL"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON hazards_hazard {DEFINITION}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("hazards", "0005_list_cover_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
