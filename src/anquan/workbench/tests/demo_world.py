"""The demo city for tests of what waits on whom (import ``demo`` and ``signed_in`` into a test module),
built once per test module under a clock frozen at 23:30 Shanghai on the demo's as-of
date (the evening, when a UTC "today" would already be tomorrow's) and rolled back at the module's end.

The clock stays frozen for every test of the module (the fixture holds the travel), so each test sees
the same "today" its world was built at; tests that change something run in their own savepoint.
"""
import datetime

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from anquan.demo.generator import build_demo

AS_OF = datetime.date(2026, 12, 3)
MOMENT = "2026-12-03 23:30 +0800"
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60, "inspections": True}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (override_settings(MEDIA_ROOT=str(media)), time_machine.travel(MOMENT, tick=False),
          django_db_blocker.unblock(), transaction.atomic()):
        built = build_demo(**SMALL)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client
    return sign_in
