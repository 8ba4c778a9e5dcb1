"""Reopening the perform page without a network (service worker /inspections/sw.js), at phone size.

zhifa_a opens the task online; once the service worker controls the page the connection is cut and
the page reloaded: the perform page comes from the worker's cache (not the browser's error page),
perform.js starts without errors, an answer goes to the IndexedDB outbox; back online it reaches
the server exactly once. A task page never loaded online gets the short Chinese offline page.
"""
from __future__ import annotations

import re
import time
import uuid

import pytest
from django.test import Client

from anquan.accounts.models import User
from anquan.inspections.models import Answer

from .test_browser_perform import PHONE, card, sign_in, task  # noqa: F401  (task is a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def wait_until(page, script: str, timeout: float = 10.0):
    """Poll an async expression with page.evaluate (which awaits promises; wait_for_function does not)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if value:
            return value
        assert time.monotonic() < deadline, f"still false after {timeout}s: {script}"
        time.sleep(0.2)


def controlled(page) -> bool:
    return page.evaluate("Boolean(navigator.serviceWorker.controller)")


def test_perform_page_reopens_offline_and_sends_once(live_page, task):
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "zhifa_a")
    url = f"/inspections/{task.pk}/perform/"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(function () { return true; })")
    page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")
    page.get_by_text("本机尚无记录").wait_for()
    page.wait_for_load_state("networkidle")
    # the page asked the worker to keep its static files: wait until they are stored
    wait_until(page, """(async () => {
        const names = await caches.keys();
        const assets = names.find(k => k.startsWith('anquan-perform-assets-'));
        if (!assets) return false;
        const keys = await (await caches.open(assets)).keys();
        return keys.some(r => r.url.endsWith('/inspections/perform.js'));
    })()""")

    page.context.set_offline(True)
    response = page.reload()
    assert response is None or response.status == 200
    assert re.search(rf"/inspections/{task.pk}/perform/$", page.url)
    assert controlled(page)
    assert task.site.name in page.locator("main").inner_text()  # the perform page, from the cache
    assert page.locator("#net-state").inner_text() == "离线"
    page.get_by_text("本机尚无记录").wait_for()  # perform.js started from the cached page

    card(page, task, 1).get_by_role("button", name="不符合").click()
    c1 = card(page, task, 1)
    c1.locator("[data-field=hazard_description]").fill("安全出口堵塞")
    c1.locator("[data-field=hazard_description]").blur()
    page.get_by_text(re.compile(r"待上传 1 条")).wait_for()
    assert not Answer.objects.filter(part__inspection=task).exists()

    page.context.set_offline(False)
    page.get_by_text("已全部上传").wait_for(timeout=20_000)
    page.wait_for_load_state("networkidle")
    answers = list(Answer.objects.filter(part__inspection=task).select_related("item"))
    assert len(answers) == 1
    assert answers[0].item.number == "1" and answers[0].result == "nonconform"
    assert answers[0].hazard_description == "安全出口堵塞"

    # online again, the page shows the server's current state (network first), not the stored copy:
    # zhifa_b answers item 2 from his own phone, zhifa_a's reload shows it
    zb = Client()
    zb.force_login(User.objects.get(username="zhifa_b"))
    part = task.parts.get()
    item2 = part.checklist.items.get(number="2")
    reply = zb.put(f"/api/v1/inspections/{task.pk}/answers", content_type="application/json",
                   data={"client_id": str(uuid.uuid4()), "part": part.pk, "item": item2.pk, "result": "conform"})
    assert reply.status_code == 201
    page.reload()
    zb_name = User.objects.get(username="zhifa_b").person.name
    card(page, task, 2).get_by_text(f"{zb_name} 已记录：符合").wait_for()
    page.get_by_text("已全部上传").wait_for()
    page.wait_for_load_state("networkidle")
    assert Answer.objects.filter(part__inspection=task, item__number="1").count() == 1

    # a task page never loaded online: the short Chinese offline page, not the browser's error page
    page.context.set_offline(True)
    page.goto(f"/inspections/{task.pk + 1000}/perform/")
    assert "网络不可用，已保存的记录不会丢失，请联网后重试" in page.locator("body").inner_text()
    page.context.set_offline(False)


PAGE_KEYS = """(async () => {
    const names = (await caches.keys()).filter(k => k.startsWith('anquan-perform-pages-'));
    let urls = [];
    for (const n of names) urls = urls.concat((await (await caches.open(n)).keys()).map(r => r.url));
    return urls;
})()"""


def test_signing_out_forgets_the_stored_page(live_page, task):
    page = live_page
    page.set_viewport_size(PHONE)
    sign_in(page, "zhifa_a")
    url = f"/inspections/{task.pk}/perform/"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(function () { return true; })")
    page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")
    wait_until(page, PAGE_KEYS + ".then(urls => urls.some(u => u.endsWith('/perform/')))")
    page.get_by_text("本机尚无记录").wait_for()

    # signing out from the page (navbar form): the stored page is dropped
    page.evaluate("document.querySelector('form[action=\"/logout/\"]').requestSubmit()")
    page.wait_for_url(lambda u: "/perform/" not in u)
    wait_until(page, PAGE_KEYS + ".then(urls => urls.length === 0)")

    # the next user of the phone, offline, gets the offline page, not zhifa_a's task
    page.goto("/inspections/")
    page.context.set_offline(True)
    page.goto(url)
    body = page.locator("body").inner_text()
    assert "网络不可用，已保存的记录不会丢失，请联网后重试" in body and task.site.name not in body
    page.context.set_offline(False)

    # a page the server now refuses (signed out in another tab: redirect to /login/) is forgotten too
    sign_in(page, "zhifa_a")
    page.goto(url)
    wait_until(page, PAGE_KEYS + ".then(urls => urls.length === 1)")
    page.context.clear_cookies()
    page.goto(url)
    page.wait_for_url(lambda u: "/login/" in u)
    wait_until(page, PAGE_KEYS + ".then(urls => urls.length === 0)")
