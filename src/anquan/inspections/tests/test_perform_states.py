"""The state rules of performing a task: a hand-written table of status × verb, and a seeded
Hypothesis run of random operation sequences checked against a small model of the rules."""
from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan.core.errors import Conflict, Invalid
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.models import Hazard
from anquan.inspections.models import Answer, Inspection
from anquan.inspections.services import perform

from .factories import make_task, png_bytes

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        t = make_tree()
        za = make_user("inspector", department=t.yingji, name="执法甲")
        zb = make_user("inspector", department=t.yingji, name="执法乙")
        za.person.enforcement_cert_no = "A1"
        za.person.save()
        firm = make_enterprise(t.grid_a, industries=("industry_trade",))
        site = make_site(t.grid_a, enterprise=firm, address="测试路1号")
        yield {"t": t, "za": za, "zb": zb, "site": site}


def new_task(w, **kw):
    return make_task(w["site"], inspectors=[w["za"], w["zb"]], department=w["t"].yingji, items=2, **kw)


def do(verb, w, task):
    """One verb by zhifa_a; returns "ok", "conflict" or "invalid"."""
    task = Inspection.objects.get(pk=task.pk)
    part = task.parts.get()
    item = part.checklist.items.order_by("sort").first()
    try:
        if verb == "start":
            perform.inspection_start(actor=w["za"], inspection=task)
        elif verb == "answer":
            perform.answer_save(actor=w["za"], inspection=task, data={"client_id": uuid.uuid4(), "part": part.pk, "item": item.pk, "result": "conform"})
        elif verb == "sign":
            perform.signature_add(actor=w["za"], inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "inspector", "person": w["za"].person_id}, image=png_bytes())
        elif verb == "complete":
            perform.inspection_complete(actor=w["za"], inspection=task, version=task.version)
    except Conflict:
        return "conflict"
    except Invalid:
        return "invalid"
    return "ok"


def finish(w, task):
    """Answer everything, sign, and complete (the happy path)."""
    part = task.parts.get()
    for item in part.checklist.items.all():
        perform.answer_save(actor=w["za"], inspection=task, data={"client_id": uuid.uuid4(), "part": part.pk, "item": item.pk, "result": "conform"})
    for user in (w["za"], w["zb"]):
        perform.signature_add(actor=w["za"], inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "inspector", "person": user.person_id}, image=png_bytes())
    perform.signature_add(actor=w["za"], inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "representative", "name": "代表"}, image=png_bytes())
    task = Inspection.objects.get(pk=task.pk)
    perform.inspection_complete(actor=w["za"], inspection=task, version=task.version)


# status before → verb → (outcome, status after). Written by hand from the rules, not from TRANSITIONS.
TABLE = [
    ("planned", "start", "ok", "in_progress"),
    ("planned", "answer", "ok", "in_progress"),      # the first answer starts the task
    ("planned", "sign", "ok", "in_progress"),
    ("planned", "complete", "conflict", "planned"),  # nothing recorded yet
    ("in_progress", "start", "ok", "in_progress"),   # a second phone starting: no-op
    ("in_progress", "answer", "ok", "in_progress"),
    ("in_progress", "sign", "ok", "in_progress"),
    ("in_progress", "complete", "invalid", "in_progress"),  # items unanswered, signatures missing
    ("performed", "start", "conflict", "performed"),
    ("performed", "answer", "conflict", "performed"),
    ("performed", "sign", "conflict", "performed"),
    ("performed", "complete", "conflict", "performed"),
]


@pytest.mark.parametrize(("before", "verb", "outcome", "after"), TABLE)
def test_state_table(world, before, verb, outcome, after):
    task = new_task(world)
    if before == "in_progress":
        perform.inspection_start(actor=world["za"], inspection=task)
    elif before == "performed":
        finish(world, task)
    assert Inspection.objects.get(pk=task.pk).status == before
    assert do(verb, world, task) == outcome
    task = Inspection.objects.get(pk=task.pk)
    assert task.status == after
    assert (task.started_at is not None) == (after != "planned")


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 1), st.sampled_from(["conform", "nonconform", "na"]), st.booleans()),
        st.tuples(st.just("sign"), st.integers(0, 1)),
        st.tuples(st.just("rep"), st.booleans()),
        st.tuples(st.just("complete")),
    ),
    max_size=10,
)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, enforcement=st.booleans(), prefill=st.booleans())
def test_random_sequences_follow_the_rules(world, ops, enforcement, prefill):
    """Completion succeeds exactly when the model says the record is complete; afterwards nothing changes.
    With ``prefill`` the sequence starts from a complete record, so completion is reached often."""
    w = world
    if prefill:
        ops = [("answer", 0, "nonconform", True), ("answer", 1, "conform", False), ("sign", 0), ("sign", 1), ("rep", True),
               *ops, ("complete",)]
    task = new_task(w, enforcement=enforcement)
    part = task.parts.get()
    items = list(part.checklist.items.order_by("sort"))
    people = [w["za"].person, w["zb"].person]
    model = {"answers": {}, "signed": set(), "rep": False, "done": False}
    for op in ops:
        current = Inspection.objects.get(pk=task.pk)
        try:
            if op[0] == "answer":
                _, i, result, described = op
                perform.answer_save(actor=w["za"], inspection=current, data={
                    "client_id": uuid.uuid4(), "part": part.pk, "item": items[i].pk, "result": result,
                    "hazard_description": "隐患情况" if described else ""})
                assert not model["done"]
                model["answers"][i] = (result, described or result != "nonconform")
            elif op[0] == "sign":
                perform.signature_add(actor=w["za"], inspection=current, data={
                    "client_id": uuid.uuid4(), "signer_kind": "inspector", "person": people[op[1]].pk}, image=png_bytes())
                assert not model["done"] and op[1] not in model["signed"]
                model["signed"].add(op[1])
            elif op[0] == "rep":
                data = {"client_id": uuid.uuid4(), "signer_kind": "representative", "name": "代表"}
                if op[1]:
                    data.update(refused=True, note="拒签，有见证人")
                perform.signature_add(actor=w["za"], inspection=current, data=data, image=None if op[1] else png_bytes())
                assert not model["done"] and not model["rep"]
                model["rep"] = True
            else:
                perform.inspection_complete(actor=w["za"], inspection=current, version=current.version)
                complete = (
                    len(model["answers"]) == len(items) and all(ok for _, ok in model["answers"].values())
                    and model["signed"] == {0, 1} and model["rep"] and not enforcement  # only za holds a 执法证
                )
                assert complete and not model["done"] and current.status == "in_progress"
                model["done"] = True
        except Conflict:
            # refused by state: after completion, a second signature of the same signer, or completing too early
            assert model["done"] or op[0] in ("sign", "rep", "complete")
            if op[0] == "complete":
                assert model["done"] or current.status == "planned"
            if model["done"]:
                assert Inspection.objects.get(pk=task.pk).status == "performed"
        except Invalid:
            assert op[0] == "complete" and not model["done"]
    task = Inspection.objects.get(pk=task.pk)
    assert task.status == ("performed" if model["done"] else ("in_progress" if ops and task.started_at else "planned"))
    nonconform = Answer.objects.filter(part__inspection=task, result="nonconform").count()
    assert Hazard.objects.filter(inspection=task).count() == (nonconform if model["done"] else 0)
