"""The audit chain catches every kind of tampering: altered byte, deleted, inserted, swapped rows, cut tail."""
from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from anquan.audit.models import AuditAnchor, AuditChain, AuditEvent
from anquan.audit.services import anchor_day, record
from anquan.audit.verify import verify_all
from anquan.core.tests.factories import make_unit
from anquan.orgs.models import UnitKind


@pytest.fixture
def chain_of_five(db):
    city = make_unit("示范市", UnitKind.CITY)
    district = make_unit("示范区", UnitKind.DISTRICT, city)
    for i in range(5):
        with transaction.atomic():
            record(actor=None, assignment=None, obj=district, action="update", before={"n": i}, after={"n": i + 1})
    chain = AuditChain.objects.get(key=f"district:{district.pk}")
    assert chain.last_seq == 5
    return chain


def _raw(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _first_problem():
    problems = verify_all()
    return problems[0] if problems else None


def _assert_command_fails(seq):
    with pytest.raises(CommandError):
        call_command("verify_audit")
    problem = _first_problem()
    assert problem is not None and problem.seq == seq, problem


def test_intact_chain_verifies(chain_of_five):
    assert verify_all() == []
    call_command("verify_audit")


def test_events_of_one_district_share_one_chain(chain_of_five):
    assert list(AuditEvent.objects.filter(chain=chain_of_five).values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_altered_byte_is_caught(chain_of_five):
    event = AuditEvent.objects.get(chain=chain_of_five, seq=3)
    # Change one character of the stored reason, bypassing the ORM's save path.
    _raw(f"UPDATE {AuditEvent._meta.db_table} SET reason = %s WHERE id = %s", ("x", event.pk))
    _assert_command_fails(3)


def test_altered_json_value_is_caught(chain_of_five):
    event = AuditEvent.objects.get(chain=chain_of_five, seq=2)
    AuditEvent.objects.filter(pk=event.pk).update(after={"n": 99})
    _assert_command_fails(2)


def test_deleted_event_is_caught(chain_of_five):
    AuditEvent.objects.filter(chain=chain_of_five, seq=2).delete()
    _assert_command_fails(2)


def test_inserted_event_is_caught(chain_of_five):
    # Shift events 3..5 up by one and forge a plausible event 3 between them.
    for seq in (5, 4, 3):
        AuditEvent.objects.filter(chain=chain_of_five, seq=seq).update(seq=seq + 1)
    template = AuditEvent.objects.get(chain=chain_of_five, seq=2)
    template.pk, template.seq, template.reason = None, 3, "伪造"
    template.save()
    _assert_command_fails(3)


def test_swapped_events_are_caught(chain_of_five):
    a = AuditEvent.objects.get(chain=chain_of_five, seq=2)
    b = AuditEvent.objects.get(chain=chain_of_five, seq=4)
    AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=b.pk).update(seq=2)
    AuditEvent.objects.filter(pk=a.pk).update(seq=4)
    _assert_command_fails(2)


def test_cut_tail_is_caught_by_the_head(chain_of_five):
    AuditEvent.objects.filter(chain=chain_of_five, seq__gte=4).delete()
    _assert_command_fails(4)


def test_cut_tail_with_rewritten_head_is_caught_by_the_anchor(chain_of_five):
    anchor_day()
    event3 = AuditEvent.objects.get(chain=chain_of_five, seq=3)
    AuditEvent.objects.filter(chain=chain_of_five, seq__gte=4).delete()
    AuditChain.objects.filter(pk=chain_of_five.pk).update(last_seq=3, last_hash=event3.hash)
    assert AuditAnchor.objects.filter(chain=chain_of_five).exists()
    _assert_command_fails(5)


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    district = make_unit("示范区", UnitKind.DISTRICT)
    with pytest.raises(RuntimeError):
        record(actor=None, assignment=None, obj=district, action="update")
