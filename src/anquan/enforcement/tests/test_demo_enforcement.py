"""The demo's enforcement (``demo.enforcement``): a year of cases of 示范区应急管理局 opened from performed inspections
through the services, each case's audit trail a valid path of the state table, the scripted ones present (paid and
closed, a hearing, a withdrawal, an unpaid one, a §113 proposal), the demo-internal 负责人 and 法制审核 accounts
unable to sign in, and the same every run."""
from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from anquan.audit.models import AuditEvent
from anquan.demo.generator import build_demo

from ..models import Case, CaseStatus, ClosureProposal, StatementKind
from ..services.common import TRANSITIONS

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

AS_OF = datetime.date(2026, 11, 22)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60, "inspections": True}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def snapshot():
    return [(c.party_name, c.cause, c.status, c.source_kind, c.inspection_id is not None, c.filed_on, c.decision_on,
             str(c.fine_amount), c.payments.count(), c.statements.count()) for c in Case.objects.order_by("pk")]


def path_is_valid(case) -> bool:
    status = None
    for action, before, after in AuditEvent.objects.filter(model_key="case", object_id=case.pk).order_by("seq")\
            .values_list("action", "before", "after"):
        step = action.removeprefix("case.")
        if step == "open":
            status = (after or {}).get("status")
            continue
        if step == "publish":  # publication: only of a decision in force
            if status not in (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED):
                return False
            continue
        sources, targets = TRANSITIONS[step]
        if status not in sources or (before or {}).get("status", status) != status:
            return False
        new = (after or {}).get("status")
        if new is not None and new != status:
            if new not in targets:
                return False
            status = new
    return status == case.status


def test_the_demo_year_of_cases(media):
    demo = build_demo(**SMALL)
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) >= 10
    yingji = demo.departments["yingji"]
    assert {c.organ_id for c in cases} == {yingji.pk}
    assert all(c.source_kind in ("inspection", "hazard") for c in cases)
    assert sum(c.source_kind == "inspection" for c in cases) >= len(cases) - 2
    assert all(c.inspection.performed_at < c.opened_at for c in cases if c.inspection)
    assert any(c.finding_id for c in cases)  # from a 不符合 item of a visit with answers
    statuses = {c.status for c in cases}
    assert {CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.SERVED} <= statuses
    assert all(path_is_valid(c) for c in cases)
    assert all(c.opened_at.date() <= AS_OF and (c.decision_on is None or c.decision_on <= AS_OF) for c in cases)
    heard = [c for c in cases if c.statements.filter(kind=StatementKind.HEARING_RECORD).exists()]
    assert len(heard) == 1 and heard[0].hearing_right and heard[0].fine_amount < heard[0].proposed_amount
    withdrawn = [c for c in cases if c.status == CaseStatus.WITHDRAWN]
    assert len(withdrawn) == 1 and withdrawn[0].withdraw_reason
    closed = [c for c in cases if c.status == CaseStatus.CLOSED]
    assert closed and all(sum(p.amount for p in c.payments.all()) == c.fine_amount for c in closed)
    proposal = ClosureProposal.objects.get()
    assert proposal.organ == yingji and proposal.cases.count() >= 3 and proposal.major_hazards and not proposal.decided_at
    # the 负责人 and 法制审核 are demo-internal: they cannot sign in
    for username in ("yingji_fzr", "yingji_fzsh"):
        assert not demo.users.get(username) and not type(cases[0].approved_by).objects.get(username=username).has_usable_password()


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_the_demo_cases_are_the_same_every_run(media):
    build_demo(**SMALL)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**SMALL)
    assert snapshot() == first and first
