"""The 隐患清单 export reads tuples (values_list), not model rows: its cells must equal what the
column getters say for the same hazards, row for row, and it must not query per row."""
from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anquan.hazards import exports
from anquan.hazards.models import Hazard
from anquan.hazards.views import hazard_queryset

from .test_exports import hazards  # noqa: F401 - fixture
from .test_pages import at, media, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_ledger_rows_equal_the_column_getters(world, hazards):
    ours, _closed, _ = hazards
    Hazard.objects.filter(pk=ours.pk).update(deadline_in_force=datetime.date(2026, 3, 7))  # extended: original shown
    on = datetime.date(2026, 3, 10)
    with at(on, 9):
        qs = hazard_queryset(world.anweiban, {}, action="hazard.export", kind="hazards")
        expected = [[getter(h, on) for _, _, getter in exports.COLUMNS["hazards"]] for h in qs]
        with CaptureQueriesContext(connection) as ctx:
            got = [list(r) for r in exports.ledger_rows(qs, on)]
    assert got == expected and len(got) == 3
    assert len(ctx.captured_queries) == 1
    row = dict(zip([c[0] for c in exports.COLUMNS["hazards"]], got[0], strict=True))
    assert row["隐患编号"] == ours.number and row["逾期天数"] == 3 and row["原定整改期限（已延期时）"] == datetime.date(2026, 3, 5)
