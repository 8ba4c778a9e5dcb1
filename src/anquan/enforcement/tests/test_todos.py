"""The workbench to-dos of enforcement: each count is the length of the case list its link opens."""
from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client

from .. import services
from ..models import CaseStatus
from .world import advance, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]
ITEM = re.compile(r'href="([^"]+)" data-todo="(enforcement\.[^"]+)">.*?data-count="(\d+)"', re.S)


def _client(w, name):
    c = Client()
    c.force_login(w["users"][name])
    return c


def _items(client):
    html = client.get("/").content.decode()
    return {key: (url.replace("&amp;", "&"), int(n)) for url, key, n in ITEM.findall(html)}


def test_counts_match_their_lists_and_the_90_day_clock_shows_overdue(eworld):
    open_case(eworld)
    advance(eworld, open_case(eworld), CaseStatus.NOTIFIED)
    decided = advance(eworld, open_case(eworld), CaseStatus.DECIDED)
    undecided = advance(eworld, open_case(eworld), CaseStatus.INVESTIGATING)
    head = _client(eworld, "juzhang")
    items = _items(head)
    for key in ("enforcement.approve", "enforcement.decide", "enforcement.publish"):
        assert items.get(key, ("", 0))[1] >= 1, (key, items)
    for key, (url, n) in items.items():
        assert head.get(url).context["page"].paginator.count == n, (key, url)
    assert _items(_client(eworld, "zhifa_a")).get("enforcement.mine", ("", 0))[1] >= 2
    services.publication_create(actor=eworld["users"]["juzhang"], case=decided)
    assert _items(head).get("enforcement.publish", ("", 0))[1] == items["enforcement.publish"][1] - 1
    # 90 days after 2026-11-22 (a Saturday in 2027, moved to the next working day): overdue only after that day
    from .. import clocks

    due = clocks.decision_due(datetime.date(2026, 11, 22))
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    with time_machine.travel(datetime.datetime.combine(due, datetime.time(23, 30), shanghai), tick=False):
        head = _client(eworld, "juzhang")  # a new sign-in: sessions have an absolute lifetime
        assert undecided.pk not in [c.pk for c in head.get("/enforcement/cases/?overdue=1").context["page"]]
    with time_machine.travel(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(0, 30), shanghai), tick=False):
        head = _client(eworld, "juzhang")
        page = head.get("/enforcement/cases/?overdue=1").context["page"]
        assert undecided.pk in [c.pk for c in page]
        assert _items(head)["enforcement.overdue"][1] == page.paginator.count
