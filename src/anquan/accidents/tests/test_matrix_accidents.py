"""Permission matrix of accidents: every demo user × named accident × action, through the API (list + detail) and
the pages (list + detail), against expectations written here by hand from the domain (not read from roles.py).

Accidents (world.py): ACC_A (street A, 建筑施工, E_A, reported by qiye_a), ACC_B (street B, 危化, E_B), ACC_L (邻区).
Letters: V read (API list + detail, page list + detail); A add casualties (补报); F record the county leg's
forwarding (接报、上报); I investigate (form the team: the investigating level or above); C close (结案, prepared
as 已批复 with 四不放过 complete). REPORT: filing a report at each site — ok, forbidden (no such duty) or
invalid (the site is out of scope). Each probe runs in a savepoint rolled back after it.

Read from the domain: the territory chain sees upwards (street ⊂ district ⊂ city), never sideways; the
应急管理局 (yingji, its inspectors) receives every accident of its district (第九条); another department
only its industry's (zhujian: 建筑施工); an enterprise its own; grants, supervisors and system roles nothing.
Enterprise, street, department and 安委办 report and 补报; the district (安委办, departments) records the
county leg, a street does not; the investigating level (一般: the district) or above investigates (安委办 and
departments); only the 安委办 closes.
"""
import json

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.tests.matrix import FORBIDDEN, INVALID, OK, outcome

from ..choices import AccidentStatus, FourNotsItem
from ..models import Accident, FourNots
from .world import report_data

pytestmark = [pytest.mark.frozen("2026-11-22 23:30 +0800"), pytest.mark.django_db]

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]
NOBODY = ["zhuanjia", "ducha", "admin", "shenji", "secadmin", "qiye_a_fzr", "qiye_b", "xiaofang", "jiaotong"]

# fmt: off
ACCIDENTS = {            # ACC_A (街道甲, 建筑施工)  ACC_B (街道乙, 危化)  ACC_L (邻区)
    "shi_anweiban":   ("VAFIC", "VAFIC", "VAFIC"),
    "anweiban":       ("VAFIC", "VAFIC", ""),
    "linqu_anweiban": ("",      "",      "VAFIC"),
    "jiedao_a":       ("VA",    "",      ""),
    "jiedao_b":       ("",      "VA",    ""),
    "lingdao":        ("V",     "",      ""),
    "wangge_a":       ("V",     "",      ""),
    "qiye_a":         ("VA",    "",      ""),
    "zhujian":        ("VAFI",  "",      ""),
    "zhifa_a":        ("V",     "V",     ""),
    "zhifa_b":        ("V",     "V",     ""),
    "yingji":         ("VAFI",  "VAFI",  ""),
    **dict.fromkeys(NOBODY, ("", "", "")),
}
REPORT = {               # at S_A            S_B        S_L
    "shi_anweiban":   (OK,      OK,      OK),
    "anweiban":       (OK,      OK,      INVALID),
    "linqu_anweiban": (INVALID, INVALID, OK),
    "jiedao_a":       (OK,      INVALID, INVALID),
    "jiedao_b":       (INVALID, OK,      INVALID),
    "qiye_a":         (OK,      INVALID, INVALID),
    "zhujian":        (OK,      INVALID, INVALID),
    "yingji":         (INVALID, OK,      INVALID),
    **dict.fromkeys(["qiye_a_fzr", "qiye_b", "xiaofang", "jiaotong"], (INVALID, INVALID, INVALID)),
    **dict.fromkeys(["lingdao", "wangge_a", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji", "secadmin"],
                    (FORBIDDEN, FORBIDDEN, FORBIDDEN)),
}
# fmt: on
NAMES = ["ACC_A", "ACC_B", "ACC_L"]


def _post(client, url, body) -> str:
    return outcome(client.post(url, data=json.dumps(body), content_type="application/json").status_code)


def _rolled_back(fn):
    def probe(client, acc):
        with transaction.atomic():
            result = fn(client, Accident.objects.get(pk=acc.pk))
            transaction.set_rollback(True)
        return result
    return probe


@_rolled_back
def _add(c, acc):
    return _post(c, f"/api/v1/accidents/{acc.pk}/additions", {"version": acc.version, "deaths": acc.deaths + 1})


@_rolled_back
def _forward(c, acc):
    return _post(c, f"/api/v1/accidents/{acc.pk}/legs/{acc.legs.get(level='county').pk}/forward", {})


@_rolled_back
def _investigate(c, acc):
    return _post(c, f"/api/v1/accidents/{acc.pk}/investigation/team", {"version": acc.investigation.version, "team_leader": "组长"})


@_rolled_back
def _close(c, acc):
    Accident.objects.filter(pk=acc.pk).update(status=AccidentStatus.APPROVED)
    for item in FourNotsItem.values:
        FourNots.objects.create(accident=acc, item=item, evidence="已落实", recorded_at=acc.reported_at, recorded_by=acc.reported_by)
    return _post(c, f"/api/v1/accidents/{acc.pk}/close", {"version": acc.version})


ACTIONS = {"A": _add, "F": _forward, "I": _investigate, "C": _close}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _view(client, acc) -> dict:
    listed = {a["id"] for a in client.get("/api/v1/accidents?page_size=200").json().get("items", [])}
    page = client.get("/accidents/")
    return {
        "api list": OK if acc.pk in listed else "missing",
        "api detail": outcome(client.get(f"/api/v1/accidents/{acc.pk}").status_code),
        "page list": (OK if f"/accidents/{acc.pk}/" in page.content.decode() else "missing") if page.status_code == 200 else "missing",
        "page detail": outcome(client.get(f"/accidents/{acc.pk}/").status_code),
    }


def test_the_tables_cover_every_demo_user(aworld):
    assert set(USERS) == set(aworld["users"]), "every demo user must have a row in every table"
    assert set(ACCIDENTS) == set(USERS) and set(REPORT) == set(USERS)


def _problems(aworld, name, users=USERS) -> list[str]:
    acc = aworld[name]
    i = NAMES.index(name)
    problems = []
    for username in users:
        letters = ACCIDENTS[username][i]
        client = _client(aworld["users"][username])
        want_view = OK if "V" in letters else "missing"
        for probe, got in _view(client, acc).items():
            if got != want_view:
                problems.append(f"{username} {probe}: expected {want_view}, got {got}")
        for letter, probe in ACTIONS.items():
            want = OK if letter in letters else (FORBIDDEN if "V" in letters else "missing")
            got = probe(client, acc)
            if got != want:
                problems.append(f"{username} {letter}: expected {want}, got {got}")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_accident_matrix(aworld, name):
    problems = _problems(aworld, name)
    assert not problems, "\n".join(problems)


def test_the_matrix_fails_when_scoping_is_removed(aworld, monkeypatch):
    """Negative control: with every assignment seeing every accident, the sideways cells fail."""
    from anquan.core.scoping import EVERYTHING

    from ..models import AccidentQuerySet

    monkeypatch.setattr(AccidentQuerySet, "scope_q", lambda self, assignment: EVERYTHING)
    problems = _problems(aworld, "ACC_A", users=["jiedao_b", "linqu_anweiban", "qiye_b"])
    assert any(p.startswith("jiedao_b api detail") for p in problems)
    assert any(p.startswith("linqu_anweiban") for p in problems) and any(p.startswith("qiye_b") for p in problems)


def test_report_matrix(aworld):
    problems = []
    for username in USERS:
        client = _client(aworld["users"][username])
        for i, site in enumerate(("S_A", "S_B", "S_L")):
            data = report_data(aworld[site])
            body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
            with transaction.atomic():
                got = _post(client, "/api/v1/accidents", body)
                transaction.set_rollback(True)
            if got != REPORT[username][i]:
                problems.append(f"{username} report at {site}: expected {REPORT[username][i]}, got {got}")
    assert not problems, "\n".join(problems)
