"""Permission matrix of 公文签发: every demo user × named sign-off × view/review/sign/return/withdraw, through
the pages and the API. Expectations are written here by hand from domain.md (the issuing organ's staff
review, its leader signs, the drafter never reviews or signs his own; the territory chain above sees
but does not act; nobody sideways or below sees), not read from the code.

Sign-offs (made in the fixture through the services):
- ``SO_R``: a 通报 drafted by jiedao_a for 街道甲, 待核稿.
- ``SO_S``: a 通报 drafted by jiedao_a for 街道甲, reviewed by lingdao, 待签发.
- ``SO_D``: a 通报 drafted by anweiban for 示范区, 待核稿.

Letters: V view (API list + detail, page list + detail); R 核稿通过, S 签发, B 退回, W 撤回. A letter in lower
case: the user may do it here but the state refuses (409). Without the letter: 403 when visible, else 404.
"""
from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.scoping import ScopedQuerySet
from anquan.core.tests.matrix import CONFLICT, OK, Surface, check_cell, outcome
from anquan.documents.models import SignOff

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]
NOBODY = ["wangge_a", "jiedao_b", "linqu_anweiban", "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha",
          "admin", "shenji", "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin"]

# fmt: off
TABLE = {              # SO_R (街道甲, 待核稿)  SO_S (街道甲, 待签发)  SO_D (示范区, 待核稿)
    "shi_anweiban":    ("V",     "V",     "V"),     # the city sees below, acts in its own organ only
    "anweiban":        ("V",     "V",     "VW"),    # drafted SO_D: may withdraw it, never review it
    "jiedao_a":        ("VW",    "Vw",    ""),      # the drafter: withdraws before signing; a street sees no district draft
    "lingdao":         ("VRsB",  "VrSB",  ""),      # the street's leader reviews, signs, sends back
    **dict.fromkeys(NOBODY, ("", "", "")),
}
# fmt: on
NAMES = ["SO_R", "SO_S", "SO_D"]
VERB = {"R": "review", "S": "sign", "B": "return", "W": "withdraw"}


def _api(letter):
    def probe(client, signoff):
        sid = transaction.savepoint()
        try:
            body = {"version": signoff.version, "opinion": "矩阵测试意见"}
            return outcome(client.post(f"/api/v1/documents/signoffs/{signoff.pk}/{VERB[letter]}", data=json.dumps(body),
                                       content_type="application/json").status_code)
        finally:
            transaction.savepoint_rollback(sid)
    return probe


def _page(letter):
    """The page answers a refused state with a message and a redirect: 409 is read from the unchanged state."""
    def probe(client, signoff):
        sid = transaction.savepoint()
        try:
            response = client.post(f"/documents/signoffs/{signoff.pk}/{VERB[letter]}/",
                                   {"version": signoff.version, "opinion": "矩阵测试意见"})
            got = outcome(response.status_code)
            if got == OK and SignOff.objects.get(pk=signoff.pk).state == signoff.state:
                return CONFLICT
            return got
        finally:
            transaction.savepoint_rollback(sid)
    return probe


SIGNOFF = Surface(
    name="signoff",
    api_list=lambda s: "/api/v1/documents/signoffs",
    api_detail="/api/v1/documents/signoffs/{id}",
    page_list=lambda s: "/documents/signoffs/?show=all",
    page_detail="/documents/signoffs/{id}/",
    actions={letter: (_api(letter), _page(letter)) for letter in VERB},
)


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signoff-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_dir):
    settings.MEDIA_ROOT = str(media_dir)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dir):
    from django.test import override_settings

    from anquan.accounts.models import User
    from anquan.demo.generator import build_demo
    from anquan.documents.services import drafts
    from anquan.documents.services import signoff as signoffs

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media_dir)), transaction.atomic():
        build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=20, hazards_per_enterprise=0)
        users = {u.username: u for u in User.objects.filter(username__in=USERS)}
        w = {"users": users}

        def draft(user, title):
            return drafts.signoff_of(drafts.draft_create(actor=user, title=title, recipients="各社区", paragraphs=["矩阵。"]))

        w["SO_R"] = draft(users["jiedao_a"], "关于矩阵甲的通报")
        w["SO_S"] = draft(users["jiedao_a"], "关于矩阵乙的通报")
        signoffs.signoff_review(actor=users["lingdao"], signoff=w["SO_S"], version=w["SO_S"].version)
        w["SO_D"] = draft(users["anweiban"], "关于矩阵丙的通报")
        yield w
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _refresh(obj):
    return SignOff.objects.get(pk=obj.pk)


def test_the_table_covers_every_demo_user(world):
    assert set(USERS) == set(world["users"]) == set(TABLE)
    assert world["SO_S"].state == "signing" and world["SO_R"].state == world["SO_D"].state == "reviewing"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "user", "letters"),
                         [pytest.param(n, u, TABLE[u][i], id=f"{n}-{u}") for i, n in enumerate(NAMES) for u in USERS])
def test_signoff_cell(world, name, user, letters):
    problems = check_cell(_client(world, user), SIGNOFF, world[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


@pytest.mark.django_db
def test_matrix_fails_when_visible_to_is_unscoped(world, monkeypatch):
    """Meta-test: with visible_to returning everything, the same table reports leaks."""
    monkeypatch.setattr(ScopedQuerySet, "visible_to", lambda self, user, action="view": self.all())
    failures = []
    for i, name in enumerate(NAMES):
        for user in ("jiedao_b", "qiye_a", "zhujian"):
            failures += check_cell(_client(world, user), SIGNOFF, world[name], TABLE[user][i], _refresh)
    assert any("detail: expected missing, got ok" in f for f in failures), failures
