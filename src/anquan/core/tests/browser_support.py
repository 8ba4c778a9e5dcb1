"""Browser-test fixtures: Debian's Chromium driven by Playwright (sync API) against live_server.

Use them from any test (they are re-exported by ``src/anquan/conftest.py``)::

    def test_login_page(live_page):
        live_page.goto("/login/")
        assert live_page.title()

    def test_list(live_page, login_as, user):
        page = login_as(user)          # signs ``user`` in (session cookie), returns live_page
        page.goto("/enterprises/")

Rules kept here so no test has to remember them:

* The browser is ``/usr/bin/chromium`` from Debian (``.ci/run`` installs it). Nothing
  skips: without it every browser test errors loudly. ``playwright install`` downloads
  browsers and cannot work here — never call it.
* A test that uses ``browser`` is marked ``browser`` automatically (``make test-fast``
  leaves those out), whether or not it says ``@pytest.mark.browser``.
* A page may load nothing from outside this machine (government intranets): any request
  to another host is aborted and fails the test, as does an uncaught JavaScript error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio loop in the main thread, which trips Django's
# "you cannot call this from an async context" guard for ORM calls made by the test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test that drives the browser as ``browser``."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    """One headless Chromium per test process (per xdist worker)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's chromium package "
            "(`apt-get install chromium`; .ci/run installs it). Do not run `playwright install`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def _vendored_assets_present() -> bool:
    from django.conf import settings

    return any((Path(d) / "vendor" / "VERSIONS.json").exists() for d in settings.STATICFILES_DIRS)


@pytest.fixture
def live_page(browser, live_server) -> Iterator:
    """A fresh page (own context: cookies, storage) whose relative URLs go to ``live_server``."""
    if not _vendored_assets_present():
        pytest.fail(
            "var/vendor/ is empty: run `make test` (it runs npm ci and scripts/vendor_assets.py)", pytrace=False
        )
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    outside: list[str] = []
    js_errors: list[str] = []

    def only_local(route, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    yield page
    context.close()
    if outside:
        pytest.fail(f"the page tried to load from outside this machine: {outside}", pytrace=False)
    if js_errors:
        pytest.fail(f"uncaught JavaScript errors: {js_errors}", pytrace=False)


@pytest.fixture
def login_as(live_page, live_server) -> Callable:
    """``login_as(user)`` signs ``user`` in on ``live_page`` (a real session cookie) and returns the page.

    It skips the sign-in form on purpose; a test of the form itself should fill it in.
    """
    from django.conf import settings
    from django.test import Client

    def sign_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        live_page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return live_page

    return sign_in
