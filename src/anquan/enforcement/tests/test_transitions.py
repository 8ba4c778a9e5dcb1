"""The state table of a case: random walks of steps (hypothesis) never leave the table, terminal states take no
step, and every refusal is a Conflict naming the current status in Chinese."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anquan.core.errors import Conflict

from ..models import CaseStatus
from ..services.common import TRANSITIONS, next_status

STEPS = sorted(TRANSITIONS)
TERMINAL = {CaseStatus.CLOSED, CaseStatus.WITHDRAWN}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(list(CaseStatus))), max_size=25))
def test_random_walks_follow_the_table(walk):
    status = CaseStatus.PENDING_APPROVAL
    for step, wanted in walk:
        sources, targets = TRANSITIONS[step]
        to = wanted if targets else None
        try:
            new = next_status(status, step, to)
        except Conflict as err:
            assert status not in sources or wanted not in targets
            assert "案件" in err.message or "不能" in err.message
            continue
        assert status in sources
        assert new == status if not targets else new in targets
        status = new


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_closed_and_withdrawn_cases_take_no_step(status):
    for step in STEPS:
        with pytest.raises(Conflict, match=str(CaseStatus(status).label)):
            next_status(status, step, next(iter(TRANSITIONS[step][1]), None))


def test_every_status_but_the_first_is_reached_by_some_step():
    reached = {t for _, targets in TRANSITIONS.values() for t in targets}
    assert reached == set(CaseStatus) - {CaseStatus.PENDING_APPROVAL}


def test_nothing_is_withdrawn_after_the_decision():
    for status in (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED):
        with pytest.raises(Conflict):
            next_status(status, "withdraw")
