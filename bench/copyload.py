"""COPY helpers for the province loader: id counters, rows with the table's defaults, sequence repair.

Why not the ORM: three million hazards and fifteen million audit events are loaded with
PostgreSQL's COPY (psycopg 3 ``cursor.copy``), which is one to two orders of magnitude faster
than INSERTs. Columns a builder leaves out get the table's natural empty value ("" for text,
0, false, NULL where nullable), read once from information_schema.
"""
from __future__ import annotations

import datetime

EMPTY = {"character varying": "", "text": "", "integer": 0, "smallint": 0, "bigint": 0, "boolean": False, "numeric": 0}


class Table:
    """One table's columns and how to fill the ones a row does not name."""

    def __init__(self, cursor, name: str, now: datetime.datetime):
        self.name = name
        cursor.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                       "WHERE table_name = %s ORDER BY ordinal_position", [name])
        self.columns = []
        self.defaults = {}
        for column, kind, nullable in cursor.fetchall():
            self.columns.append(column)
            if nullable == "YES":
                self.defaults[column] = None
            elif kind.startswith("timestamp"):
                self.defaults[column] = now
            elif kind == "date":
                self.defaults[column] = now.date()
            else:
                self.defaults[column] = EMPTY.get(kind)
        cursor.execute("SELECT coalesce(max(id), 0) FROM " + name)
        self.next_id = cursor.fetchone()[0] + 1

    def take(self) -> int:
        pk, self.next_id = self.next_id, self.next_id + 1
        return pk

    def row(self, values: dict) -> tuple:
        defaults = self.defaults
        return tuple(values[c] if c in values else defaults[c] for c in self.columns)


class Loader:
    """Buffers rows per table and COPYs them in batches on one connection."""

    def __init__(self, conn, now: datetime.datetime, batch: int = 50_000):
        self.conn, self.now, self.batch = conn, now, batch
        self.tables: dict[str, Table] = {}
        self.buffers: dict[str, list] = {}
        self.counts: dict[str, int] = {}

    def table(self, name: str) -> Table:
        if name not in self.tables:
            with self.conn.cursor() as cur:
                self.tables[name] = Table(cur, name, self.now)
            self.buffers[name], self.counts[name] = [], 0
        return self.tables[name]

    def add(self, name: str, values: dict) -> int:
        """Append a row (``id`` assigned when missing); returns its id."""
        table = self.table(name)
        if "id" not in values:
            values["id"] = table.take()
        self.buffers[name].append(table.row(values))
        if len(self.buffers[name]) >= self.batch:
            self.flush(name)
        return values["id"]

    def add_tuple(self, name: str, row: tuple) -> None:
        """A row already in the table's column order (hot paths: hazards, audit events)."""
        self.buffers[name].append(row)
        if len(self.buffers[name]) >= self.batch:
            self.flush(name)

    def flush(self, name: str | None = None) -> None:
        for table_name in [name] if name else list(self.buffers):
            rows = self.buffers[table_name]
            if not rows:
                continue
            table = self.tables[table_name]
            columns = ", ".join(f'"{c}"' for c in table.columns)
            with self.conn.cursor() as cur, cur.copy(f"COPY {table_name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            self.counts[table_name] += len(rows)
            self.buffers[table_name] = []

    def reset_sequences(self) -> None:
        with self.conn.cursor() as cur:
            for name in self.tables:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT coalesce(max(id), 1) FROM {name}))")
