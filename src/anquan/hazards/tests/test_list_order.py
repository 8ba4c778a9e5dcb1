"""The hazard list sorts by urgency (issue 10, finding 8): overdue first, then the other open hazards,
then the closed ones — each by the deadline in force — so a hazard closed long ago never sits above
one due next week. Pages, the API and deep pages (cut from one group) keep the same order."""
from __future__ import annotations

import datetime

import pytest

from anquan.hazards import selectors, services
from anquan.hazards.choices import HazardStatus
from anquan.hazards.models import Hazard

from .test_pages import at, media, png, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def rows(world):
    """Five hazards of one street, built at their own frozen moments in March 2026."""
    with at(D(2026, 3, 1), 9):
        closed = world.record(description="早已销号的隐患", deadline="2026-03-03")
        awaiting = world.record(description="待验收的隐患", deadline="2026-03-04")
        overdue = world.record(description="逾期未整改的隐患", deadline="2026-03-05")
        soon = world.record(description="三月二十日到期", deadline="2026-03-20")
        later = world.record(description="四月底到期", deadline="2026-04-30")
    with at(D(2026, 3, 2), 10):
        for h in (closed, awaiting):
            services.hazard_submit(actor=world.firm_user, hazard=h, version=h.version, measures_taken="已整改",
                                   after_photos=[png()])
        closed.refresh_from_db()
        services.hazard_verify(actor=world.street, hazard=closed, version=closed.version, passed=True)
    return {"closed": closed, "awaiting": awaiting, "overdue": overdue, "soon": soon, "later": later}


EXPECTED = ["overdue", "awaiting", "soon", "later", "closed"]


def test_overdue_then_open_by_deadline_then_closed(world, rows):
    ids = {h.pk: name for name, h in rows.items()}
    assert Hazard.objects.get(pk=rows["closed"].pk).status == HazardStatus.CLOSED
    # 23:30 on 10 March in Shanghai (15:30 UTC): the 5 March deadline has passed, the 20th has not
    with at(D(2026, 3, 10), 23, 30):
        html = world.client(world.street).get("/hazards/").content.decode()
        shown = sorted((html.index(f"/hazards/{pk}/"), name) for pk, name in ids.items())
        assert [name for _, name in shown] == EXPECTED
        api = world.client(world.street).get("/api/v1/hazards?page_size=10").json()["items"]
        assert [ids[i["id"]] for i in api] == EXPECTED
        assert [ids[pk] for pk in selectors.hazard_list(world.street, {}).values_list("pk", flat=True)] == EXPECTED


@pytest.mark.parametrize("deep", [0, 1, 2, 3, 4])
def test_deep_pages_are_cut_from_the_three_groups_in_the_same_order(world, rows, monkeypatch, deep):
    ids = {h.pk: name for name, h in rows.items()}
    monkeypatch.setattr(selectors, "DEEP_OFFSET", deep)
    with at(D(2026, 3, 10), 23, 30):
        client = world.client(world.street)
        for size in (1, 2, 3):
            seen = []
            for page in range(1, 6 // size + 2):
                seen += [ids[i["id"]] for i in client.get(f"/api/v1/hazards?page_size={size}&page={page}").json()["items"]]
            assert seen == EXPECTED, (deep, size)
