"""Permission matrix of performing inspection tasks: every demo user × four named tasks × (view,
start, answer, sign, complete), through the API and the pages. Expectations are written by hand.

Named tasks (on top of ``core/tests/matrix_world.build_world``):

- ``T_IN``:   an industry inspection by 应急管理局 at S_A (qiye_a's site in wangge_a's grid, 街道甲),
              inspectors zhifa_a and zhifa_b (with grants of the task and the site), planned.
- ``T_HID``:  the same as an unannounced visit (暗访), not yet performed: hidden from the enterprise
              (qiye_a) and its street, community and grid (jiedao_a, lingdao, wangge_a).
- ``T_DONE``: an unannounced visit already performed: visible to them now; nothing changes any more.
- ``T_OUT``:  a territorial inspection in 邻区 at S_L by linqu_anweiban.

Letters: ``V`` sees it (API list and detail, page list and detail); ``S`` start (API; page: opening
the phone page), ``A`` answer an item, ``G`` sign, ``C`` complete. A lower-case letter: the user may
act but the state refuses (409; the phone page of a performed task sends the inspector to the record).
A visible task without the letter answers 403; an invisible one 404. Being able to see a task and to
hold ``inspection.perform`` (a street's staff, the 安委办, a department's staff) is not enough: only
the task's inspectors perform it.

Every action probe runs in a transaction that is rolled back, so probes do not affect each other;
the complete probe first fills the record (answers, signatures) as the task's inspector.
"""
from __future__ import annotations

import base64
import datetime
import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from anquan.core.tests.matrix import CONFLICT, Surface, api_json, check_cell, outcome
from anquan.core.tests.matrix_world import build_world
from anquan.inspections.models import Inspection, InspectionQuerySet
from anquan.inspections.services import perform

from .factories import make_task, png_bytes

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a", "qiye_a", "zhujian",
    "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "yingji", "xiaofang",
    "jiaotong", "secadmin",
]

TASKS = {                  # T_IN       T_HID      T_DONE     T_OUT
    "shi_anweiban":       ("V",       "V",       "V",       "V"),      # the city sees everything below it
    "anweiban":           ("V",       "V",       "V",       ""),       # the district: not hidden from it
    "linqu_anweiban":     ("",        "",        "",        "VSAGC"),  # its own task in 邻区
    "jiedao_a":           ("V",       "",        "V",       ""),       # the street of the site: hidden until performed
    "jiedao_b":           ("",        "",        "",        ""),
    "lingdao":            ("V",       "",        "V",       ""),       # a leader of 街道甲: hidden too
    "wangge_a":           ("V",       "",        "V",       ""),       # the grid: hidden
    "qiye_a":             ("V",       "",        "V",       ""),       # the enterprise itself: hidden
    "zhujian":            ("V",       "V",       "V",       ""),       # regulates the site's enterprise
    "zhifa_a":            ("VSAGC",   "VSAGC",   "Vsagc",   ""),       # inspector of the task
    "zhifa_b":            ("VSAGC",   "VSAGC",   "Vsagc",   ""),
    "zhuanjia":           ("",        "",        "",        ""),
    "ducha":              ("",        "",        "",        ""),
    "admin":              ("",        "",        "",        ""),
    "shenji":             ("",        "",        "",        ""),
    "qiye_a_fzr":         ("",        "",        "",        ""),       # another enterprise's principal
    "qiye_b":             ("",        "",        "",        ""),
    "yingji":             ("V",       "V",       "V",       ""),       # the organising department, not an inspector
    "xiaofang":           ("",        "",        "",        ""),
    "jiaotong":           ("",        "",        "",        ""),
    "secadmin":           ("",        "",        "",        ""),
}
NAMES = ["T_IN", "T_HID", "T_DONE", "T_OUT"]
WORLD: dict = {}


def _rolled_back(fn):
    with transaction.atomic():
        try:
            return fn()
        finally:
            transaction.set_rollback(True)


def _part_item(task):
    part = task.parts.get()
    return part, part.checklist.items.order_by("sort").first()


def _start(client, task):
    return _rolled_back(lambda: outcome(client.post(f"/api/v1/inspections/{task.pk}/start").status_code))


def _answer(client, task):
    part, item = _part_item(task)
    body = {"client_id": str(uuid.uuid4()), "part": part.pk, "item": item.pk, "result": "conform"}
    return _rolled_back(lambda: outcome(api_json(client, "put", f"/api/v1/inspections/{task.pk}/answers", body)))


def _sign(client, task):
    person = task.inspectors.order_by("pk").first()
    body = {"client_id": str(uuid.uuid4()), "signer_kind": "inspector", "person": person.pk,
            "image": base64.b64encode(png_bytes()).decode()}
    return _rolled_back(lambda: outcome(api_json(client, "post", f"/api/v1/inspections/{task.pk}/signatures", body)))


def _fill(task):
    """The complete record, made by the task's first inspector (before the probing user completes it)."""
    performer = WORLD["performer"][task.pk]
    part = task.parts.get()
    for item in part.checklist.items.all():
        perform.answer_save(actor=performer, inspection=task, data={"client_id": uuid.uuid4(), "part": part.pk, "item": item.pk, "result": "conform"})
    for person in task.inspectors.all():
        perform.signature_add(actor=performer, inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "inspector", "person": person.pk}, image=png_bytes())
    perform.signature_add(actor=performer, inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "representative", "name": "代表", "refused": True, "note": "拒签，有见证"})


def _complete(client, task):
    def run():
        if task.status != "performed":
            _fill(task)
        version = Inspection.objects.get(pk=task.pk).version
        return outcome(api_json(client, "post", f"/api/v1/inspections/{task.pk}/complete", {"version": version}))
    return _rolled_back(run)


def _perform_page(client, task):
    response = client.get(f"/inspections/{task.pk}/perform/")
    if response.status_code == 302 and response["Location"].endswith(f"/inspections/{task.pk}/"):
        return CONFLICT  # a performed task: the phone page sends its inspector to the closed record
    return outcome(response.status_code)


TASK_SURFACE = Surface(
    name="task",
    api_list=lambda t: "/api/v1/inspections?page_size=200",
    api_detail="/api/v1/inspections/{id}",
    page_list=lambda t: "/inspections/",
    page_detail="/inspections/{id}/",
    actions={"S": (_start, _perform_page), "A": (_answer, None), "G": (_sign, None), "C": (_complete, None)},
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        users = w["users"]
        yingji = w["departments"]["yingji"]
        later = timezone.localdate() + datetime.timedelta(days=60)  # first in every list
        za, zb, linqu = users["zhifa_a"], users["zhifa_b"], users["linqu_anweiban"]
        w["T_IN"] = make_task(w["S_A"], inspectors=[za, zb], department=yingji, kind="industry", planned_on=later, items=2)
        w["T_HID"] = make_task(w["S_A"], inspectors=[za, zb], department=yingji, kind="unannounced", unannounced=True,
                               enforcement=True, planned_on=later, items=2)
        w["T_DONE"] = make_task(w["S_A"], inspectors=[za, zb], department=yingji, kind="unannounced", unannounced=True,
                                planned_on=later, items=2)
        Inspection.objects.filter(pk=w["T_DONE"].pk).update(status="performed", started_at=timezone.now(), performed_at=timezone.now())
        w["T_OUT"] = make_task(w["S_L"], inspectors=[linqu], kind="territorial", planned_on=later, items=2)
        WORLD["performer"] = {w[n].pk: (linqu if n == "T_OUT" else za) for n in NAMES}
        yield w
        WORLD.clear()
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _refresh(obj):
    return Inspection.objects.get(pk=obj.pk)


def test_the_table_covers_every_demo_user(world):
    assert set(TASKS) == set(USERS) == set(world["users"]), "every demo user must have a row"


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", NAMES)
def test_task_matrix(world, name, user):
    letters = TASKS[user][NAMES.index(name)]
    problems = check_cell(_client(world, user), TASK_SURFACE, world[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


@pytest.mark.django_db
def test_the_matrix_fails_when_the_hidden_until_rule_is_removed(world, monkeypatch):
    """The meta-test: without concealment, qiye_a's and jiedao_a's cells of T_HID no longer hold."""
    monkeypatch.setattr(InspectionQuerySet, "concealed_q", lambda self, assignment: None)
    for user in ("qiye_a", "jiedao_a"):
        problems = check_cell(_client(world, user), TASK_SURFACE, world["T_HID"], TASKS[user][1], _refresh)
        assert problems, f"{user} should see T_HID without the rule"
