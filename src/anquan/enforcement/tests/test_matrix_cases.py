"""Permission matrix of enforcement cases: every user × case action, through the API (and the case page for
viewing), against expectations written here by hand from the domain (not read from accounts/roles.py).

Users: every demo user plus the enforcement ones of ``world.py`` (juzhang 负责人 and fazhi 法制审核 of the 示范区
应急管理局, linqu_juzhang of 邻区's, qiye_e the party's safety manager). The cases are the 应急管理局's against
E_B (a chemical plant in street B), one per status, so each probe finds the state its step needs; each probe runs
in a savepoint rolled back after.

Before 告知 (letters): V view, O open a case about S_B, A approve 立案, E add evidence (named inspectors only),
R review, L 法制审核, N 告知, W 撤案. From 告知 on: V view, S statement, D decide, P publish.
``O`` is answered ``invalid`` (422) for a department that does not regulate the plant.
"""
from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from anquan.core.tests.matrix import FORBIDDEN, INVALID, MISSING, OK, outcome

from ..models import Case, CaseStatus
from .world import COURT, REVIEW_ORGAN, advance, open_case

MOMENT = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

NOBODY = ["qiye_a", "qiye_a_fzr", "qiye_b", "jiedao_a", "lingdao", "wangge_a", "linqu_anweiban", "zhuanjia", "ducha",
          "admin", "shenji", "secadmin"]

# fmt: off
MATRIX = {                # before 告知   from 告知 on   open (S_B)
    "zhifa_a":        ("VEN",    "VS",   OK),       # the case's first inspector
    "zhifa_b":        ("VN",     "VS",   OK),       # same organ, not (yet) named on the case: no evidence
    "yingji":         ("VN",     "VS",   OK),       # department staff without a 执法证
    "juzhang":        ("VARW",   "VDP",  FORBIDDEN),
    "fazhi":          ("VL",     "V",    FORBIDDEN),
    "linqu_juzhang":  ("",       "",     FORBIDDEN),  # another district
    "qiye_e":         ("",       "VS",   FORBIDDEN),  # the party: only from 告知 on
    "jiedao_b":       ("",       "V",    FORBIDDEN),  # the street of the plant: no case unless authorised
    "anweiban":       ("",       "V",    FORBIDDEN),
    "shi_anweiban":   ("",       "V",    FORBIDDEN),
    "zhujian":        ("",       "",     INVALID),    # opens cases, but does not regulate a chemical plant
    "xiaofang":       ("",       "",     INVALID),
    "jiaotong":       ("",       "",     INVALID),
    **dict.fromkeys(NOBODY, ("", "", FORBIDDEN)),
}
# fmt: on

PRE = {  # letter → (status the case must be in, step, data)
    "A": (CaseStatus.PENDING_APPROVAL, "approve", {}),
    "W": (CaseStatus.PENDING_APPROVAL, "withdraw", {"reason": "矩阵"}),
    "E": (CaseStatus.INVESTIGATING, "add_evidence", {"kind": "photo", "description": "矩阵照片"}),
    "R": (CaseStatus.REVIEWING, "review", {"opinion": "矩阵"}),
    "L": (CaseStatus.LEGAL_REVIEW, "legal_review", {"opinion": "矩阵", "passed": True}),
    "N": (CaseStatus.TO_NOTIFY, "notify", {"proposed_kind": "warning", "proposed_basis": "矩阵"}),
}
POST = {
    "S": (CaseStatus.NOTIFIED, "record_statement", {"kind": "statement", "text": "矩阵"}),
    "D": (CaseStatus.NOTIFIED, "decide", {"decision_kind": "fine", "fine_amount": "20000", "decision_basis": "矩阵",
                                          "review_organ": REVIEW_ORGAN, "court": COURT}),
    "P": (CaseStatus.DECIDED, "publish", {}),
}


@pytest.fixture(scope="module")
def cases(eworld, django_db_blocker):
    # A module fixture is built outside the test's frozen clock: build the cases at the same moment.
    with django_db_blocker.unblock(), time_machine.travel(MOMENT, tick=False):
        built = {}
        for status in (CaseStatus.PENDING_APPROVAL, CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.TO_NOTIFY,
                       CaseStatus.NOTIFIED, CaseStatus.DECIDED):
            built[status] = advance(eworld, open_case(eworld), status)
        built[CaseStatus.LEGAL_REVIEW] = advance(eworld, open_case(eworld), CaseStatus.LEGAL_REVIEW, legal=True)
        return built


def _client(w, username) -> Client:
    c = Client()
    c.force_login(w["users"][username])
    return c


def _act(client, case: Case, step: str, data: dict) -> str:
    with transaction.atomic():
        version = Case.objects.get(pk=case.pk).version
        if step == "publish":
            url, body = f"/api/v1/enforcement/cases/{case.pk}/publish", {}
        else:
            url, body = f"/api/v1/enforcement/cases/{case.pk}/steps/{step}", {"version": version, "data": data}
        status = client.post(url, data=json.dumps(body), content_type="application/json").status_code
        transaction.set_rollback(True)
    return outcome(status)


def _view(client, case: Case) -> list[str]:
    listed = case.pk in [i["id"] for i in client.get("/api/v1/enforcement/cases?page_size=200").json()["items"]]
    return [OK if listed else MISSING, outcome(client.get(f"/api/v1/enforcement/cases/{case.pk}").status_code),
            outcome(client.get(f"/enforcement/cases/{case.pk}/").status_code)]


def _expected(letter: str, letters: str) -> str:
    if letter in letters:
        return OK
    return FORBIDDEN if "V" in letters else MISSING


def test_every_demo_user_has_a_row(eworld):
    assert set(MATRIX) == set(eworld["users"]), "every user of the world must have a row"


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_case_matrix(eworld, cases, username):
    problems = _problems(eworld, cases, username)
    assert not problems, f"{username}: " + "; ".join(problems)


def test_the_matrix_fails_when_cases_are_not_concealed_before_notification(eworld, cases, monkeypatch):
    from ..models import CaseQuerySet

    monkeypatch.setattr(CaseQuerySet, "concealed_q", lambda self, assignment: None)
    assert any("before 告知" in p for p in _problems(eworld, cases, "qiye_e"))
    assert any("before 告知" in p for p in _problems(eworld, cases, "jiedao_b"))


def test_the_matrix_fails_when_the_organ_is_not_scoped(eworld, cases, monkeypatch):
    from django.db.models import Q

    from ..models import CaseQuerySet

    monkeypatch.setattr(CaseQuerySet, "scope_q", lambda self, assignment: Q(pk__isnull=False))
    assert _problems(eworld, cases, "linqu_juzhang")


def _problems(eworld, cases, username) -> list[str]:
    pre, post, open_expected = MATRIX[username]
    client = _client(eworld, username)
    problems = []
    for label, case, letters in (("before 告知", cases[CaseStatus.PENDING_APPROVAL], pre),
                                 ("from 告知", cases[CaseStatus.NOTIFIED], post)):
        want = OK if "V" in letters else MISSING
        for got in _view(client, case):
            if got != want:
                problems.append(f"view {label}: expected {want}, got {got}")
    for table, letters in ((PRE, pre), (POST, post)):
        for letter, (status, step, data) in table.items():
            got = _act(client, cases[status], step, data)
            if got != _expected(letter, letters):
                problems.append(f"{letter} ({step}): expected {_expected(letter, letters)}, got {got}")
    with transaction.atomic():
        got = outcome(client.post("/api/v1/enforcement/cases", data=json.dumps(
            {"source_kind": "report", "site": eworld["S_B"].pk, "cause": "矩阵立案"}), content_type="application/json").status_code)
        transaction.set_rollback(True)
    if got != open_expected:
        problems.append(f"O (open): expected {open_expected}, got {got}")
    return problems
