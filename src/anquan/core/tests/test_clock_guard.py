"""The guard against tests that pass only near the day they were written (issue 9).

The negative control runs pytest in a subprocess on a tiny sample written now, with the project's clock
plugin as its only plugin: a test that builds its world at the real "now" and then travels to a literal
moment (the shape that broke main) passes unshifted and fails under ``ANQUAN_TEST_SHIFT_DAYS``; the same
test written with ``@pytest.mark.frozen`` passes both ways; a ``real_clock`` test is skipped with its reason.
The grep keeps product code from asking the database for the date (the shifted run moves Python's clock only).
"""

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from time_machine import escape_hatch

from anquan.core.tests import clock_support

SRC = Path(__file__).resolve().parents[3]  # …/src
PRODUCT = SRC / "anquan"


def _real_now() -> dt.datetime:
    """The machine's clock, even inside the shifted session or a frozen test."""
    now = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    return dt.datetime.fromtimestamp(now, tz=dt.UTC)


def _sample(written: dt.datetime) -> str:
    moment = (written + dt.timedelta(hours=1)).isoformat()
    return textwrap.dedent(f'''
        import datetime
        import pytest
        import time_machine

        # The sample was "written" at {written.isoformat()}: it travels to one hour later.
        MOMENT = "{moment}"

        @pytest.fixture
        def role_begins():
            """Like a role assignment made by a fixture: valid from the moment the fixture ran."""
            return datetime.datetime.now(datetime.timezone.utc)

        @time_machine.travel(MOMENT, tick=False)
        def test_travel_after_the_world_was_built(role_begins):
            assert role_begins <= datetime.datetime.now(datetime.timezone.utc), "the role begins after the test's moment"

        @pytest.mark.frozen(MOMENT)
        def test_frozen_before_the_world_is_built(role_begins):
            assert role_begins == datetime.datetime.now(datetime.timezone.utc)

        @pytest.mark.real_clock("compares with another process that keeps the real date")
        def test_needs_the_real_date():
            assert datetime.date.today().year >= 2026
    ''')


def _run_sample(tmp_path: Path, shift: str | None) -> tuple[dict[str, str], str]:
    sample = tmp_path / "test_sample_dates.py"
    sample.write_text(_sample(_real_now()), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    report = tmp_path / "report.xml"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != clock_support.SHIFT_ENV and not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(SRC)
    if shift is not None:
        env[clock_support.SHIFT_ENV] = shift
    cmd = [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:xdist", "-p", "no:cacheprovider",
           "-p", "anquan.core.tests.clock_support", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
           "-rA", "--junitxml", str(report), str(sample)]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    outcomes = {}
    if report.exists():
        for case in ElementTree.parse(report).iter("testcase"):
            kinds = {child.tag for child in case}
            outcome = "FAILED" if kinds & {"failure", "error"} else "SKIPPED" if "skipped" in kinds else "PASSED"
            outcomes[case.get("name")] = outcome
    return outcomes, done.stdout + done.stderr


@pytest.mark.slow
def test_a_date_bound_test_passes_today_and_fails_in_the_shifted_run(tmp_path):
    today, output = _run_sample(tmp_path, shift=None)
    assert today == {
        "test_travel_after_the_world_was_built": "PASSED",
        "test_frozen_before_the_world_is_built": "PASSED",
        "test_needs_the_real_date": "PASSED",
    }, output

    shifted, output = _run_sample(tmp_path, shift="400")
    assert shifted == {
        "test_travel_after_the_world_was_built": "FAILED",  # the trap is caught
        "test_frozen_before_the_world_is_built": "PASSED",  # the fix holds on any day
        "test_needs_the_real_date": "SKIPPED",
    }, output
    assert "clock shifted 400 days ahead" in output
    assert "real clock needed (ANQUAN_TEST_SHIFT_DAYS set): compares with another process" in output


@pytest.mark.slow
def test_a_bad_shift_value_is_a_usage_error(tmp_path):
    _, output = _run_sample(tmp_path, shift="a year")
    assert "ANQUAN_TEST_SHIFT_DAYS must be a whole number of days" in output


def test_the_shift_lands_at_0030_shanghai_where_the_utc_date_is_the_day_before():
    real = dt.datetime(2026, 12, 3, 12, 29, tzinfo=dt.UTC)
    landing = clock_support.shifted_destination(400, now=real)
    assert landing.isoformat() == "2028-01-07T00:30:00+08:00"
    assert landing.astimezone(dt.UTC).date() == dt.date(2028, 1, 6)
    # 23:30 in Shanghai is still the same Shanghai day (15:30 UTC).
    late = dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC)
    assert clock_support.shifted_destination(1, now=late).date() == dt.date(2026, 12, 4)


@pytest.fixture
def made_at():
    return dt.datetime.now(dt.UTC)


@pytest.mark.frozen("2026-11-22 23:30 +0800")
def test_the_frozen_marker_builds_the_world_at_its_moment(made_at):
    from anquan.rules.calendar import today

    assert made_at == dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC)
    assert today() == dt.date(2026, 11, 22)


@pytest.mark.frozen(dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC))
@pytest.mark.django_db
def test_the_frozen_marker_holds_for_database_rows_at_0030_shanghai():
    from django.contrib.auth import get_user_model

    from anquan.rules.calendar import today

    assert today() == dt.date(2026, 11, 23)  # Shanghai is already on the 23rd
    assert escape_hatch.is_travelling()
    user = get_user_model().objects.create(username="clock-test")
    user.refresh_from_db()
    assert user.date_joined == dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC)


# Asking the database for the date would escape both the frozen tests and the shifted run.
DATABASE_CLOCK = re.compile(
    r"\bNow\(\)|CURRENT_DATE|CURRENT_TIMESTAMP|LOCALTIMESTAMP|\bnow\(\)\s*(?:::|[-+,)]|AT\b)|'now'|\bdb_default\s*=",
    re.IGNORECASE,
)


def _product_sources():
    for path in sorted(PRODUCT.rglob("*.py")):
        if "tests" in path.parts:
            continue
        yield path


def test_product_code_never_asks_the_database_for_the_date():
    """'Today' is rules.calendar.today() and 'now' is django.utils.timezone.now(): Python's clock, which tests control."""
    offenders = []
    for path in _product_sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0].replace("timezone.now()", "").replace("datetime.now()", "")
            if DATABASE_CLOCK.search(code):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, "use rules.calendar.today() / timezone.now(), not the database's clock:\n" + "\n".join(offenders)


def test_the_grep_finds_what_it_is_meant_to_find():
    for bad in ("Hazard.objects.filter(deadline__lt=Now())", 'cursor.execute("select CURRENT_DATE")',
                "models.DateField(db_default=Now())", "WHERE created_at > now() - interval '1 day'"):
        assert DATABASE_CLOCK.search(bad), bad
    for fine in ("timezone.now().date()", "today()", "known_now = 1"):
        assert not DATABASE_CLOCK.search(fine.replace("timezone.now()", "")), fine
