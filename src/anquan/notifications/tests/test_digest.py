"""The daily e-mail digest: one e-mail per person per day with their unsent notifications, marked once sent."""
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from anquan.core.tests.factories import make_user
from anquan.notifications.digest import send_digest
from anquan.notifications.models import Notification, NotificationKind
from anquan.notifications.services import notify

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime(2026, 6, day, hour, minute, tzinfo=SH), tick=False)


@pytest.fixture
def people():
    from anquan.core.tests.factories import make_tree

    tree = make_tree()
    with at(1, 8):
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
        notify([alice, bob, nomail], NotificationKind.OVERDUE, "overdue:h1", "隐患已逾期：YH1", url="/hazards/1/")
        notify([alice], NotificationKind.SENT_BACK, "sent_back:h2", "整改被退回：YH2", url="/hazards/2/")
    with at(2, 18):
        assert send_digest() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"alice@example.org", "bob@example.org"}
    body = by_person["alice@example.org"].body
    assert "张敏" in body and "隐患已逾期：YH1" in body and "整改被退回：YH2" in body and "/hazards/2/" in body
    assert "（2条）" in by_person["alice@example.org"].subject
    assert not Notification.objects.filter(user__in=[alice, bob], emailed_at__isnull=True).exists()
    assert Notification.objects.filter(user=nomail, emailed_at__isnull=True).count() == 1  # no address: left unsent


def test_a_second_run_the_same_day_sends_nothing_and_later_ones_wait_for_tomorrow(people):
    alice, _, _ = people
    with at(2, 9):
        notify([alice], NotificationKind.OVERDUE, "overdue:h1", "隐患已逾期：YH1")
    with at(2, 18):
        assert send_digest() == 1
    with at(2, 20):
        notify([alice], NotificationKind.DEADLINE_SOON, "soon:h3", "整改期限将至：YH3")
        assert send_digest() == 0
    with at(3, 0, 10):  # 16:10 UTC on the 2nd, but the 3rd in Shanghai
        assert send_digest() == 1
    assert len(mail.outbox) == 2 and "YH3" in mail.outbox[1].body and "YH1" not in mail.outbox[1].body


def test_the_management_command(people):
    alice, _, _ = people
    with at(2, 9):
        notify([alice], NotificationKind.OVERDUE, "overdue:h1", "隐患已逾期：YH1")
    out = io.StringIO()
    with at(2, 18):
        call_command("send_digest", stdout=out)
    assert "已发送1封" in out.getvalue() and len(mail.outbox) == 1
