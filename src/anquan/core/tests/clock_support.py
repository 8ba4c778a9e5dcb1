"""The test clock: a frozen moment per test, and a whole session run far from the day it was written.

Why this exists: four tests once built their world (role assignments, grants) at the real "now" and
then travelled to a fixed past moment, so the assignments they used began *after* the moment they
tested; they passed on the day they were written and broke main eleven days later. Two tools
keep that from landing again (both re-exported by ``src/anquan/conftest.py``):

``@pytest.mark.frozen("2026-11-22 10:00 +0800")``
    Freezes Python's clock (time-machine, ``tick=False``) *before any fixture of the test runs*
    and keeps it frozen through teardown, so the test's world is built at the moment it tests.
    The session database is set up first, at the session's clock, so nothing shared is dated
    by one test's moment. Prefer it to a test-level ``@time_machine.travel``, which starts only
    after the fixtures have built their data.

``ANQUAN_TEST_SHIFT_DAYS=400``
    Moves the whole session's clock that many days ahead (ticking), landing at 00:30 Asia/Shanghai
    (16:30 UTC of the day before: the Shanghai date and the UTC date differ, so a "today" taken in
    UTC shows). ``.ci/run`` runs the fast part on SQLite a second time shifted, into a year the
    holiday package does not cover. Only Python's clock moves — PostgreSQL's ``now()``, the
    browser's ``Date``, LibreOffice and other processes keep the real date — so the shifted run
    leaves out browser and PostgreSQL tests, and product code never asks the database for the
    date (``core/tests/test_clock_guard.py`` greps for it).

``@pytest.mark.real_clock("why")``
    A test that needs the real date (it talks to another process that keeps it). Skipped in the
    shifted run with its reason; ``.ci/run`` prints how many there are.

This module imports neither Django nor the project, so ``test_clock_guard.py`` can load it as the
only plugin of a pytest run in a subprocess (the negative control of the guard).
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest

SHIFT_ENV = "ANQUAN_TEST_SHIFT_DAYS"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 00:30 in Shanghai is 16:30 UTC of the previous day: the two dates differ for 23 hours of ticking.
SHIFT_LANDING = dt.time(0, 30)

_session_travel = None


def shift_days() -> int:
    """The days the session's clock is moved ahead (0 when ANQUAN_TEST_SHIFT_DAYS is unset)."""
    raw = os.environ.get(SHIFT_ENV, "").strip()
    if not raw:
        return 0
    try:
        days = int(raw)
    except ValueError as exc:
        raise pytest.UsageError(f"{SHIFT_ENV} must be a whole number of days, not {raw!r}") from exc
    if days < 0:
        raise pytest.UsageError(f"{SHIFT_ENV} moves the clock ahead: give a positive number of days")
    return days


def shifted_destination(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """00:30 Shanghai time, ``days`` after today's Shanghai date."""
    now = now or dt.datetime.now(SHANGHAI)
    day = now.astimezone(SHANGHAI).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, SHIFT_LANDING, tzinfo=SHANGHAI)


def pytest_configure(config) -> None:
    """Register the markers and, when asked, start the whole-session travel before any fixture."""
    global _session_travel
    config.addinivalue_line("markers", "frozen(moment): freeze the clock at moment before any fixture of the test runs")
    config.addinivalue_line("markers", "real_clock(reason): needs the real date; skipped when the session clock is shifted")
    days = shift_days()
    if days and _session_travel is None:
        import time_machine

        _session_travel = time_machine.travel(shifted_destination(days), tick=True)
        _session_travel.start()


def pytest_report_header(config) -> str | None:
    days = shift_days()
    if not days:
        return None
    return f"clock shifted {days} days ahead ({SHIFT_ENV}): now {dt.datetime.now(SHANGHAI):%Y-%m-%d %H:%M} Asia/Shanghai"


def pytest_collection_modifyitems(config, items) -> None:
    """In a shifted session, skip the tests that need the real date, saying why."""
    if not shift_days():
        return
    for item in items:
        marker = item.get_closest_marker("real_clock")
        if marker is None:
            continue
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.real_clock needs a reason")
        item.add_marker(pytest.mark.skip(reason=f"real clock needed ({SHIFT_ENV} set): {reason}"))


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


@pytest.fixture(autouse=True)
def _clock_frozen_by_marker(request):
    """Start the ``frozen`` marker's travel before the test's own fixtures (autouse runs first)."""
    marker = request.node.get_closest_marker("frozen")
    if marker is None:
        yield None
        return
    if not marker.args:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.frozen needs a moment, e.g. '2026-11-22 10:00 +0800'")
    if request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(request.fixturenames):
        # The test database belongs to the whole session: create it at the session's clock first.
        request.getfixturevalue("django_db_setup")
    import time_machine

    with time_machine.travel(marker.args[0], tick=False) as traveller:
        yield traveller
