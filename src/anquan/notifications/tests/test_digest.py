"""The daily digest: one message per person per Shanghai day, at the hour the person chose (default 8:00),
with their notifications not yet sent, marked once sent. The clock is frozen before the world is built."""
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Invalid
from anquan.core.tests.factories import make_tree, make_user
from anquan.notifications.digest import send_digest
from anquan.notifications.models import Notification, Preference
from anquan.notifications.services import notify, preference_set

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-06-01 08:00 +0800")]


def at(day: int, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime(2026, 6, day, hour, minute, tzinfo=SH), tick=False)


@pytest.fixture
def people():
    tree = make_tree()
    alice = make_user("street_staff", unit=tree.street_a, username="alice", name="张敏")
    bob = make_user("street_staff", unit=tree.street_b, username="bob")
    nomail = make_user("street_staff", unit=tree.street_b, username="nomail")
    alice.email, bob.email = "alice@example.org", "bob@example.org"
    alice.save(update_fields=["email"])
    bob.save(update_fields=["email"])
    return alice, bob, nomail


def test_one_email_per_person_per_day(people):
    alice, bob, nomail = people
    with at(2, 9):
        notify([alice, bob, nomail], "overdue", "overdue:h1", "隐患已逾期：YH1", url="/hazards/1/")
        notify([alice], "sent_back", "sent_back:h2", "整改被退回：YH2", url="/hazards/2/")
    with at(2, 18):
        assert send_digest() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"alice@example.org", "bob@example.org"}
    body = by_person["alice@example.org"].body
    assert "张敏" in body and "[隐患逾期] 隐患已逾期：YH1" in body and "整改被退回：YH2" in body and "/hazards/2/" in body
    assert "（2条）" in by_person["alice@example.org"].subject
    assert not Notification.objects.filter(user__in=[alice, bob], emailed_at__isnull=True).exists()
    assert Notification.objects.filter(user=nomail, emailed_at__isnull=True).count() == 1  # no address: left unsent


def test_a_second_run_the_same_day_sends_nothing_and_later_ones_wait_for_tomorrow(people):
    alice, _, _ = people
    with at(2, 9):
        notify([alice], "overdue", "overdue:h1", "隐患已逾期：YH1")
    with at(2, 18):
        assert send_digest() == 1
    with at(2, 20):
        notify([alice], "deadline_soon", "soon:h3", "整改期限将至：YH3")
        assert send_digest() == 0
    with at(3, 7, 59):  # tomorrow, before her hour (default 08:00)
        assert send_digest() == 0
    with at(3, 8, 0):
        assert send_digest() == 1
    assert len(mail.outbox) == 2 and "YH3" in mail.outbox[1].body and "YH1" not in mail.outbox[1].body


def test_the_digest_goes_at_the_hour_the_person_chose_even_late_in_the_shanghai_evening(people):
    alice, bob, _ = people
    with at(2, 9):
        preference_set(actor=alice, digest_hour="23", version=0)
        notify([alice, bob], "overdue", "overdue:h1", "隐患已逾期：YH1")
    with at(2, 22, 59):
        assert send_digest() == 1 and [m.to for m in mail.outbox] == [["bob@example.org"]]
    with at(2, 23, 30):  # 15:30 UTC: still the 2nd in Shanghai, and her hour has come
        assert send_digest() == 1
    assert mail.outbox[1].to == ["alice@example.org"] and "2026年06月02日" in mail.outbox[1].subject
    with at(3, 0, 30):  # 16:30 UTC on the 2nd, but the 3rd in Shanghai: nothing new, and not yet 23:00
        notify([alice], "overdue", "overdue:h2", "隐患已逾期：YH2")
        assert send_digest() == 0


def test_an_early_hour_counts_in_shanghai_not_in_utc(people):
    alice, _, _ = people
    with at(2, 9):
        preference_set(actor=alice, digest_hour="0", version=0)
        notify([alice], "overdue", "overdue:h1", "隐患已逾期：YH1")
    with at(3, 0, 10):  # 16:10 UTC on the 2nd: the 3rd's digest at 00:xx Shanghai
        assert send_digest() == 1
    assert "2026年06月03日" in mail.outbox[0].subject


def test_no_digest_when_the_person_chose_none(people):
    alice, _, _ = people
    with at(2, 9):
        pref = preference_set(actor=alice, digest_hour="off", version=0)
        notify([alice], "overdue", "overdue:h1", "隐患已逾期：YH1")
    assert pref.digest_hour is None
    with at(2, 23, 30):
        assert send_digest() == 0
    assert Notification.objects.get(user=alice).emailed_at is None  # still in the inbox


def test_choosing_the_hour_is_audited_checked_and_versioned(people):
    alice, _, _ = people
    before = AuditEvent.objects.count()
    pref = preference_set(actor=alice, digest_hour="7", version=0)
    assert (pref.digest_hour, pref.version) == (7, 2)
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor_id, event.before, event.after) == (
        "notifications.preference_set", alice.pk, {"digest_hour": 8}, {"digest_hour": 7})
    with pytest.raises(Conflict):  # a second tab that still shows the default
        preference_set(actor=alice, digest_hour="9", version=0)
    for bad in ("24", "-1", "7.5", "２", "abc", "9" * 30):
        with pytest.raises(Invalid):
            preference_set(actor=alice, digest_hour=bad, version=pref.version)
    assert Preference.objects.get(user=alice).digest_hour == 7


def test_the_management_command_sends_the_days_digest_to_everyone_who_wants_one(people):
    alice, _, _ = people
    with at(2, 6):
        notify([alice], "overdue", "overdue:h1", "隐患已逾期：YH1")
        out = io.StringIO()
        call_command("send_digest", "--date", "2026-06-02", stdout=out)
    assert "已发送1封" in out.getvalue() and len(mail.outbox) == 1
