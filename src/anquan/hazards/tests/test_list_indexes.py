"""On PostgreSQL the hazard list's id sort and capped count are answered from the covering
indexes of migration 0005 alone (index-only scans), whatever the scope's size."""
import pytest
from django.db import connection

from anquan.hazards.selectors import capped_count, hazard_list

from .test_api import record, world  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only indexes")]


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny and its statistics depend on the tests before: ask only whether an
        # index-only scan can answer it (every other way is switched off, so it is chosen if it exists).
        for method in ("seqscan", "bitmapscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cursor.fetchall())


def test_covering_indexes_exist_and_answer_the_list():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'hazards_hazard'")
        names = {r[0] for r in cursor.fetchall()}
    assert {"hazard_open_cover", "hazard_path_cover", "hazard_deadline_cover"} <= names


@pytest.mark.parametrize("params", [{"status": "open"}, {"status": "open", "level": "major"}, {}, {"status": "closed"}])
def test_page_ids_and_count_are_index_only(world, params):
    record(world)
    qs = hazard_list(world["anweiban"], params)
    ids = qs.order_by("overdue_rank", "deadline_in_force", "id").values("pk")[9950:10000]
    assert "Index Only Scan using hazard_" in _plan(ids), _plan(ids)
    count = qs.order_by().values("pk")[:10001]
    assert "Index Only Scan using hazard_" in _plan(count)
    assert capped_count(qs) == (qs.count(), False)


def test_deep_page_half_is_read_in_index_order(world):
    record(world)
    from anquan.rules.calendar import today
    from anquan.rules.deadlines import overdue_q

    qs = hazard_list(world["anweiban"], {}).exclude(overdue_q(today()))
    plan = _plan(qs.order_by("deadline_in_force", "id").values("pk")[7500:7550])
    assert "Index Only Scan using hazard_deadline_cover" in plan and "Sort" not in plan, plan
