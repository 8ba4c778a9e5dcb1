"""API tokens expire, and a session ends a fixed time after sign-in however active it is (issue 11, finding 7).

Before: a token worked until revoked, and a session touched every half hour lived for ever.
"""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from anquan.accounts.middleware import SESSION_ENDED, SIGNED_IN_AT
from anquan.accounts.models import ApiToken, User
from anquan.accounts.services import token_issue

GOOD = "correct-horse-battery"
MOMENT = "2026-11-22 23:30 +0800"

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(MOMENT)]


@pytest.fixture
def user():
    return User.objects.create_user("jiedao_x", password=GOOD)


@pytest.fixture
def clock(_clock_frozen_by_marker):
    return _clock_frozen_by_marker


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_says_when_it_expires_and_stops_working_then(user, clock, settings):
    settings.API_TOKEN_LIFETIME_HOURS = 24
    response = Client().post("/api/v1/auth/token", {"username": "jiedao_x", "password": GOOD},
                             content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 24 * 3600
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    issued = ApiToken.objects.get()
    assert expires_at == issued.expires_at == issued.created_at + datetime.timedelta(hours=24)
    client = Client()
    clock.shift(datetime.timedelta(hours=23, minutes=59))
    assert client.get("/api/v1/me", **_bearer(body["token"])).status_code == 200
    clock.shift(datetime.timedelta(minutes=1))
    assert client.get("/api/v1/me", **_bearer(body["token"])).status_code == 401


def test_the_lifetime_is_configured(user, clock, settings):
    settings.API_TOKEN_LIFETIME_HOURS = 1
    raw = token_issue(user)
    clock.shift(datetime.timedelta(minutes=59))
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200
    clock.shift(datetime.timedelta(minutes=1))
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_a_token_from_before_expiry_existed_is_refused(user):
    raw = token_issue(user)
    ApiToken.objects.update(expires_at=None)
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401


def _sign_in(client):
    response = client.post("/login/", {"username": "jiedao_x", "password": GOOD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    return client


def test_an_active_session_ends_at_the_absolute_lifetime(user, clock, settings):
    settings.SESSION_ABSOLUTE_HOURS = 2
    client = _sign_in(Client())
    # Active every 20 minutes: the sliding 30-minute age alone would keep it alive for ever.
    for _ in range(5):
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get("/").status_code == 200
    clock.shift(datetime.timedelta(minutes=20))  # 2 hours after sign-in, 20 minutes after the last request
    response = client.get("/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/login/")
    assert SESSION_ENDED.format(hours=2) in response.content.decode()
    assert client.get("/api/v1/me").status_code == 401
    # Signing in again starts a new clock.
    _sign_in(client)
    clock.shift(datetime.timedelta(minutes=20))
    assert client.get("/").status_code == 200


def test_the_api_under_a_session_ends_too(user, clock, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    client = _sign_in(Client())
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get("/api/v1/me").status_code == 200
    clock.shift(datetime.timedelta(minutes=25))
    assert client.get("/api/v1/me").status_code == 200
    clock.shift(datetime.timedelta(minutes=10))
    assert client.get("/api/v1/me").status_code == 401


def test_force_login_is_stamped_and_an_unstamped_session_starts_its_clock(user, clock, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    client = Client()
    client.force_login(user)
    assert isinstance(client.session[SIGNED_IN_AT], int)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get("/").status_code == 200  # a session from before the rule is not thrown out …
    assert isinstance(client.session[SIGNED_IN_AT], int)
    for _ in range(2):
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get("/").status_code == 200
    clock.shift(datetime.timedelta(minutes=10))
    assert client.get("/").status_code == 302  # … but ends an hour after its first request
