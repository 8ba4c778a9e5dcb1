"""Sign-in throttling that cannot be raced, a per-address cap, and the 系统管理员's 解除锁定.

Finding 6 of issue 11: 20 parallel wrong passwords ran 20 password checks (the count was read before
any attempt was recorded), and 12 usernames tried from one address were all checked. The password
checks are counted by wrapping ``User.check_password``: a lock that does not hold shows as more checks.
"""
from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from anquan.accounts import services
from anquan.accounts.models import LoginFailure, RoleAssignment, User
from anquan.accounts.services import ADDRESS_LOCKED, GENERIC_FAILURE, LOCKED
from anquan.audit.models import AuditEvent

GOOD = "correct-horse-battery"
MOMENT = "2026-11-22 23:30 +0800"


def post(client, username, password, addr="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


@pytest.fixture
def checks(monkeypatch):
    """How many times a password was actually checked against a stored hash (thread-safe)."""
    counter = {"n": 0}
    lock = threading.Lock()
    original = User.check_password

    def counting(self, raw_password):
        with lock:
            counter["n"] += 1
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting)
    return counter


# ------------------------------------------------------------------ races (PostgreSQL)


def _parallel(attempts: list[tuple[str, str]], addr="10.9.9.9") -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(attempts), timeout=60)
    results: list[tuple[int, str]] = []

    def attempt(username, password):
        try:
            client = Client()
            barrier.wait()  # all start together: every one of them would pass a count read before any records
            response = post(client, username, password, addr)
            results.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=a) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_wrong_passwords_check_at_most_the_limit(checks):
    User.objects.create_user("race_x", password=GOOD)
    results = _parallel([("race_x", f"wrong-{i}") for i in range(20)])
    assert len(results) == 20 and {status for status, _ in results} == {401}
    assert 1 <= checks["n"] <= settings.LOGIN_MAX_FAILURES, checks["n"]  # 20 before the fix
    assert sum(LOCKED in body for _, body in results) >= 20 - settings.LOGIN_MAX_FAILURES
    assert LoginFailure.objects.filter(username="race_x").count() == checks["n"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_usernames_from_one_address_check_at_most_the_address_limit(checks):
    for i in range(20):
        User.objects.create_user(f"race_{i}", password=GOOD)
    results = _parallel([(f"race_{i}", "wrong") for i in range(20)])
    assert {status for status, _ in results} == {401}
    assert 1 <= checks["n"] <= settings.LOGIN_MAX_FAILURES_PER_ADDRESS, checks["n"]
    assert sum(ADDRESS_LOCKED in body for _, body in results) >= 20 - settings.LOGIN_MAX_FAILURES_PER_ADDRESS


# ------------------------------------------------------------------ per address (any database)


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_twelve_usernames_from_one_address_are_not_all_checked(checks, _clock_frozen_by_marker):
    limit = settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    User.objects.create_user("jiedao_x", password=GOOD)
    bodies = [post(Client(), f"guess_{i}", "wrong").content.decode() for i in range(12)]
    assert [GENERIC_FAILURE in b for b in bodies[:limit - 1]] == [True] * (limit - 1)
    assert all(ADDRESS_LOCKED in b for b in bodies[limit - 1:]), bodies[limit - 1:]
    checked = checks["n"]
    # A real account with its right password is refused from that address too, without a check …
    response = post(Client(), "jiedao_x", GOOD)
    assert response.status_code == 401 and ADDRESS_LOCKED in response.content.decode()
    assert checks["n"] == checked
    # … but signs in from another address.
    assert post(Client(), "jiedao_x", GOOD, addr="10.0.0.2").status_code == 302
    # After the window the address may try again.
    _clock_frozen_by_marker.shift(datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES, seconds=1))
    assert post(Client(), "jiedao_x", GOOD).status_code == 302


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_success_clears_only_its_own_failures_not_the_address_count():
    """A guesser holding one valid account cannot reset the address's count by signing in with it."""
    User.objects.create_user("mine", password=GOOD)
    for i in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS - 1):
        post(Client(), f"other_{i}", "wrong")
    assert post(Client(), "mine", GOOD).status_code == 302
    assert ADDRESS_LOCKED in post(Client(), "other_x", "wrong").content.decode()


def test_messages_are_chinese_and_name_the_window():
    minutes = f"{settings.LOGIN_LOCK_MINUTES}分钟"
    assert minutes in LOCKED and "该账号" in LOCKED and "系统管理员" in LOCKED
    assert minutes in ADDRESS_LOCKED and "网络地址" in ADDRESS_LOCKED and "系统管理员" in ADDRESS_LOCKED


# ------------------------------------------------------------------ 解除锁定 by the 系统管理员


@pytest.fixture
def admin(db):
    user = User.objects.create_user("admin_x", password="not-used-here-123")
    RoleAssignment.objects.create(user=user, role="sysadmin")
    return user


def _lock_pair(username="jiedao_x", addr="10.0.0.1"):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        post(Client(), username, "wrong", addr)


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_admin_unlocks_a_pair_with_a_reason_and_it_is_audited(admin):
    User.objects.create_user("jiedao_x", password=GOOD)
    _lock_pair()
    assert LOCKED in post(Client(), "jiedao_x", GOOD).content.decode()
    client = Client()
    client.force_login(admin)
    page = client.get("/admin-console/sign-in-locks/").content.decode()
    assert "jiedao_x" in page and "10.0.0.1" in page and "解除锁定" in page

    refused = client.post("/admin-console/sign-in-locks/", {"username": "jiedao_x", "address": "10.0.0.1", "reason": ""})
    assert refused.status_code == 422 and "解除锁定必须填写原因" in refused.content.decode()
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES

    done = client.post("/admin-console/sign-in-locks/", {"username": "jiedao_x", "address": "10.0.0.1",
                                                         "reason": "本人来电，已核实身份"})
    assert done.status_code == 302
    assert not LoginFailure.objects.exists()
    event = AuditEvent.objects.get(action="accounts.sign_in_unlock")
    assert event.actor == admin and event.reason == "本人来电，已核实身份" and event.chain.key == "system"
    assert event.before["failures"] == settings.LOGIN_MAX_FAILURES and event.after["failures"] == 0
    assert post(Client(), "jiedao_x", GOOD).status_code == 302


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_admin_unlocks_an_address(admin):
    for i in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS):
        post(Client(), f"guess_{i}", "wrong", "10.0.0.7")
    assert services.sign_in_locks()["addresses"][0]["address"] == "10.0.0.7"
    client = Client()
    client.force_login(admin)
    assert "10.0.0.7" in client.get("/admin-console/sign-in-locks/").content.decode()
    response = client.post("/admin-console/sign-in-locks/", {"address": "10.0.0.7", "reason": "办公网出口地址，已核实"})
    assert response.status_code == 302
    assert services.sign_in_locks() == {"pairs": [], "addresses": []}
    assert GENERIC_FAILURE in post(Client(), "guess_0", "wrong", "10.0.0.7").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"address": "not-an-address", "reason": "x"},
    {"address": "10.0.0.1\x00", "reason": "x"},
    {"address": "", "reason": "x"},
    {"address": "10.0.0.99", "reason": "没有记录"},
    {"address": "10.0.0.1", "username": "x" * 500, "reason": "x"},
    {"do": "other"},
])
def test_bad_unlock_requests_answer_422_not_500(admin, body):
    client = Client()
    client.force_login(admin)
    assert client.post("/admin-console/sign-in-locks/", body).status_code == 422


@pytest.mark.django_db
def test_only_the_system_administrator_unlocks():
    user = User.objects.create_user("secadmin_x", password="not-used-here-123")
    RoleAssignment.objects.create(user=user, role="secadmin")
    _lock_pair()
    client = Client()
    client.force_login(user)
    assert client.get("/admin-console/sign-in-locks/").status_code == 403
    assert client.post("/admin-console/sign-in-locks/", {"username": "jiedao_x", "address": "10.0.0.1",
                                                         "reason": "x"}).status_code == 403
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES
    with pytest.raises(Exception, match="只有系统管理员"):
        services.sign_in_unlock(actor=user, username="jiedao_x", address="10.0.0.1", reason="x")
