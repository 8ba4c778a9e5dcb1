"""A bearer token's ``last_used_at`` is written at most once a minute, not on every request
(a list read must not become a write; docs/performance.md, finding 5)."""
import datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anquan.accounts.models import ApiToken
from anquan.accounts.services import token_issue, token_user
from anquan.core.tests.factories import make_tree, make_user

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _updates(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE"))


def test_last_used_at_is_written_once_a_minute():
    user = make_user("street_staff", unit=make_tree().street_a)
    raw = token_issue(user, "测试")
    with time_machine.travel(T0, tick=False):
        with CaptureQueriesContext(connection) as ctx:
            assert token_user(raw) == user
        assert _updates(ctx) == 1  # never used: written
        assert ApiToken.objects.get().last_used_at == T0
    with time_machine.travel(T0 + datetime.timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as ctx:
            assert token_user(raw) == user
        assert _updates(ctx) == 0  # within the minute: no write at all
        assert ApiToken.objects.get().last_used_at == T0
    with time_machine.travel(T0 + datetime.timedelta(seconds=61), tick=False):
        assert token_user(raw) == user
        assert ApiToken.objects.get().last_used_at == T0 + datetime.timedelta(seconds=61)


def test_a_concurrent_writer_is_not_overwritten():
    """The UPDATE repeats the condition: a request that read a stale value does not write again
    after another process wrote it between the read and the write."""
    user = make_user("street_staff", unit=make_tree().street_a)
    raw = token_issue(user)
    newer = T0 + datetime.timedelta(minutes=5)
    other = newer - datetime.timedelta(seconds=10)
    ApiToken.objects.update(last_used_at=T0)
    original_first = QuerySet.first

    def first_then_other_process_writes(self):
        found = original_first(self)
        if self.model is ApiToken:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=other)
        return found

    with time_machine.travel(newer, tick=False), mock.patch.object(QuerySet, "first", first_then_other_process_writes):
        assert token_user(raw) == user
    assert ApiToken.objects.get().last_used_at == other


def test_bearer_requests_within_a_minute_do_not_write():
    user = make_user("street_staff", unit=make_tree().street_a)
    raw = token_issue(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with time_machine.travel(T0, tick=False):
        assert client.get("/api/v1/hazards").status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/hazards").status_code == 200
        assert _updates(ctx) == 0
