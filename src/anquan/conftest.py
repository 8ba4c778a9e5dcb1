"""Fixtures shared by the tests of every app.

Browser fixtures (``browser``, ``live_page``, ``login_as``) live in
``anquan.core.tests.browser_support``; the test clock (``@pytest.mark.frozen``, the shifted session of
``ANQUAN_TEST_SHIFT_DAYS``, ``@pytest.mark.real_clock``) in ``anquan.core.tests.clock_support``.
They are imported here so every test sees them.
Add other shared fixtures below.
"""

import pytest
from django.db import connection

# Fixtures are found by name, so these imports are used although nothing calls them.
from anquan.core.tests.browser_support import (
    browser,
    live_page,
    login_as,
    playwright,
)
from anquan.core.tests.browser_support import (
    pytest_collection_modifyitems as _mark_browser_tests,
)
from anquan.core.tests.clock_support import (
    _clock_frozen_by_marker,
    pytest_configure,
    pytest_report_header,
)
from anquan.core.tests.clock_support import (
    pytest_collection_modifyitems as _skip_real_clock_tests_when_shifted,
)


def pytest_collection_modifyitems(config, items):
    _mark_browser_tests(config, items)
    _skip_real_clock_tests_when_shifted(config, items)
    # Tests marked ``postgres`` need PostgreSQL; on SQLite they are skipped with a reason
    # that -ra prints. CI runs the whole suite on PostgreSQL (DATABASE_URL), where they run.
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
        for item in items:
            if item.get_closest_marker("postgres"):
                item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploaded photos, signatures and generated documents of tests go to a temporary directory, never to
    var/media of the developer's demo; subprocesses (a real Celery worker, a second app server) inherit it."""
    import os

    from django.test.utils import override_settings

    media = str(tmp_path_factory.mktemp("media"))
    previous = os.environ.get("MEDIA_ROOT")
    os.environ["MEDIA_ROOT"] = media
    with override_settings(MEDIA_ROOT=media):
        yield media
    if previous is None:
        os.environ.pop("MEDIA_ROOT", None)
    else:
        os.environ["MEDIA_ROOT"] = previous


@pytest.fixture(autouse=True, scope="session")
def _tasks_in_process():
    """Background tasks run in the test's own process, even with REDIS_URL set (CI): only the tests
    that start a real worker (anquan.jobs.tests.worker) switch this off for themselves."""
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _industry_catalogue(request):
    """Re-seed the industry catalogue (a data migration) after a transactional test flushed it."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from anquan.orgs.models import Industry

    if not Industry.objects.exists():
        from anquan.demo.generator import ensure_industries

        ensure_industries()
