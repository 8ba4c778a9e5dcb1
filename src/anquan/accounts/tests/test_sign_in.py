"""Signing in: throttling per (username, address), generic messages, session rotation, demo password."""
import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from anquan.accounts.backends import DEMO_PASSWORD
from anquan.accounts.models import LoginFailure, User
from anquan.accounts.services import GENERIC_FAILURE, LOCKED

GOOD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user("jiedao_x", password=GOOD)


def post(client, username, password, addr="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_password_is_stored_with_argon2(user):
    assert user.password.startswith("argon2")


def test_good_password_signs_in_and_rotates_the_session(user):
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    response = post(client, "jiedao_x", GOOD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session.get_expiry_age() == 30 * 60


def test_unknown_and_known_users_fail_alike(user):
    a = post(Client(), "jiedao_x", "wrong-password")
    b = post(Client(), "nobody_here", "wrong-password")
    assert a.status_code == b.status_code == 401
    assert GENERIC_FAILURE in a.content.decode() and GENERIC_FAILURE in b.content.decode()


@pytest.mark.parametrize("username", ["jiedao_x", "nobody_here"])
def test_five_failures_lock_the_pair_for_thirty_minutes(user, username):
    client = Client()
    for _ in range(4):
        assert GENERIC_FAILURE in post(client, username, "bad").content.decode()
    assert LOCKED in post(client, username, "bad").content.decode()
    # Even the right password is refused while locked; the message is the same for unknown users.
    response = post(client, username, GOOD)
    assert response.status_code == 401 and LOCKED in response.content.decode()
    # Another address is not locked.
    if username == "jiedao_x":
        assert post(Client(), username, GOOD, addr="10.0.0.2").status_code == 302
    # After the window the pair may try again.
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=31))
    expected = 302 if username == "jiedao_x" else 401
    assert post(client, username, GOOD).status_code == expected


def test_four_failures_then_success_clears_the_count(user):
    client = Client()
    for _ in range(4):
        post(client, "jiedao_x", "bad")
    assert post(client, "jiedao_x", GOOD).status_code == 302
    assert not LoginFailure.objects.exists()


@override_settings(DEMO_MODE=False)
def test_demo_password_is_refused_outside_demo_mode():
    User.objects.create_user("demo_user", password=DEMO_PASSWORD)
    assert post(Client(), "demo_user", DEMO_PASSWORD).status_code == 401


@override_settings(DEMO_MODE=True)
def test_demo_password_works_in_demo_mode():
    User.objects.create_user("demo_user", password=DEMO_PASSWORD)
    assert post(Client(), "demo_user", DEMO_PASSWORD).status_code == 302


def test_security_headers_on_the_login_page():
    response = Client().get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrftoken" in response.cookies


def test_login_requires_csrf(user):
    client = Client(enforce_csrf_checks=True)
    assert post(client, "jiedao_x", GOOD).status_code == 403


def test_open_redirect_is_refused(user):
    response = Client().post("/login/?next=https://evil.example/", {"username": "jiedao_x", "password": GOOD})
    assert response["Location"] == "/"


def test_api_token_round_trip(user):
    client = Client()
    response = client.post("/api/v1/auth/token", {"username": "jiedao_x", "password": GOOD}, content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 43
    from anquan.accounts.models import ApiToken

    stored = ApiToken.objects.get()
    assert stored.key_hash == ApiToken.hash(token) and token not in stored.key_hash
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/me", **auth).json()["username"] == "jiedao_x"
    assert client.delete("/api/v1/auth/token", **auth).status_code == 204
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_api_token_refused_for_bad_password(user):
    response = Client().post("/api/v1/auth/token", {"username": "jiedao_x", "password": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == GENERIC_FAILURE


def test_api_without_credentials_is_401():
    assert Client().get("/api/v1/enterprises").status_code == 401
