"""申请延期 does not just vanish (issue 10, finding 8): when the rectifier may not ask for an extension,
the detail page says why in its place — the deadline in force has passed (the rule: an extension is asked
before the deadline passes; an overdue hazard gets a written explanation to the 安委办 instead), or one
request is already pending. Dates at 23:30 and 00:10 Shanghai, where the UTC date differs."""
from __future__ import annotations

import datetime

import pytest

from anquan.hazards import services

from .test_pages import at, media, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
D = datetime.date
BUTTON = "申请延期</summary>"
PASSED = "整改期限已过，不能再申请延期；请向安委办提交逾期书面说明"


@pytest.fixture
def hazard(world):
    with at(D(2026, 3, 2), 9):
        return world.record(deadline="2026-03-20")


def _page(world, user, hazard) -> str:
    return world.client(user).get(f"/hazards/{hazard.pk}/").content.decode()


def test_on_the_deadline_day_the_button_is_there_and_after_it_the_reason(world, hazard):
    with at(D(2026, 3, 20), 23, 30):
        page = _page(world, world.firm_user, hazard)
        assert BUTTON in page and PASSED not in page
    with at(D(2026, 3, 21), 0, 10):
        page = _page(world, world.firm_user, hazard)
        assert BUTTON not in page and PASSED in page and 'data-testid="extension-blocked"' in page
        assert "逾期书面说明</summary>" in page  # what to do instead is on the same page


def test_a_pending_request_is_named_in_place_of_the_button(world, hazard):
    with at(D(2026, 3, 10), 10):
        services.extension_request(actor=world.firm_user, hazard=hazard, new_deadline=D(2026, 3, 31), reason="等待配件")
        page = _page(world, world.firm_user, hazard)
    assert BUTTON not in page and "已有待审批的延期申请（申请延至 2026-03-31）" in page


def test_people_who_may_not_ask_are_told_nothing(world, hazard):
    """The reason is for the one who would ask (the rectifier); the grid worker sees neither."""
    with at(D(2026, 3, 21), 0, 10):
        page = _page(world, world.grid, hazard)
    assert BUTTON not in page and PASSED not in page
