"""Bulk-loading helpers: pre-assigned primary keys, batched inserts, sequence repair, timing."""
from __future__ import annotations

import time
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

BATCH = 1000


class Ids:
    """Hands out primary keys from ``max(id) + 1`` so paths and foreign keys are known before inserting."""

    def __init__(self, model):
        self.model = model
        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        pk, self.next = self.next, self.next + 1
        return pk


def insert(model, objs: list) -> int:
    if objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)


def reset_sequences(*models) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them (SQLite follows by itself)."""
    sqls = connection.ops.sequence_reset_sql(no_style(), list(models))
    if sqls:
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)


class Progress:
    """Prints one line per step with its counts and seconds (silent without a writer)."""

    def __init__(self, write=None):
        self.write = write

    @contextmanager
    def step(self, label: str):
        started = time.perf_counter()
        counts: dict = {}
        yield counts
        if self.write:
            detail = "，".join(f"{k} {v}" for k, v in counts.items())
            self.write(f"  {label}：{detail}（{time.perf_counter() - started:.2f}秒）")

    def line(self, text: str) -> None:
        if self.write:
            self.write(text)
