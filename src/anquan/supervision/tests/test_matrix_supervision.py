"""Permission matrix of supervision and accountability: every demo user × named object × action, through
the pages and the API, against expectations written here by hand (not read from the role table).

Objects (tests/world.py): GRP (示范区安委办's group for street A and the 应急管理局, ducha a member),
GRP_L (邻区's group); CHK_A (GRP's check of street A), CHK_Y (of the 应急管理局), CHK_L (邻区);
FND_A, FND_Y, FND_L their findings; INT_A (约谈 of E_A in street A), INT_L (约谈 of E_L in 邻区);
CIR_A (通报 of street A). Interviews and circulars: X void (作废, the recording organ only).

Letters: V view (API list + detail, page list + detail); groups: M add a member (manage), K record a
check; checks: F record a finding; findings: R report the fix (supervised unit), C confirm it (the
group / the 安委办 that formed it). Each action probe prepares the state it needs in a savepoint and
rolls it back, so the table tests who may, not the state the named object happens to be in.
"""
from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from anquan.accounts.models import User
from anquan.core.tests.matrix import FORBIDDEN, INVALID, OK, Surface, api_json, check_cell, outcome
from anquan.rules.calendar import today

from ..models import Finding, FindingStatus, SupervisionGroup

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]
NOBODY = ["jiedao_b", "wangge_a", "qiye_a", "zhujian", "zhuanjia", "admin", "shenji", "qiye_a_fzr", "qiye_b",
          "xiaofang", "jiaotong", "secadmin"]

# fmt: off
GROUPS = {               # GRP     GRP_L
    "shi_anweiban":   ("VMK",  "VMK"),
    "anweiban":       ("VMK",  ""),
    "linqu_anweiban": ("",     "VMK"),
    "jiedao_a":       ("V",    ""),     # its street is supervised: sees the group, cannot run it
    "lingdao":        ("V",    ""),
    "zhifa_a":        ("V",    ""),     # 应急管理局 (supervised department) staff
    "zhifa_b":        ("V",    ""),
    "yingji":         ("V",    ""),
    "ducha":          ("VK",   ""),     # member: through the group's grant
    **dict.fromkeys(NOBODY, ("", "")),
}
CHECKS = {               # CHK_A   CHK_Y   CHK_L
    "shi_anweiban":   ("VF",   "VF",   "VF"),
    "anweiban":       ("VF",   "VF",   ""),
    "linqu_anweiban": ("",     "",     "VF"),
    "jiedao_a":       ("V",    "",     ""),
    "lingdao":        ("V",    "",     ""),
    "zhifa_a":        ("",     "V",    ""),
    "zhifa_b":        ("",     "V",    ""),
    "yingji":         ("",     "V",    ""),
    "ducha":          ("VF",   "VF",   ""),
    **dict.fromkeys(NOBODY, ("", "", "")),
}
FINDINGS = {             # FND_A   FND_Y   FND_L
    "shi_anweiban":   ("VC",   "VC",   "VC"),
    "anweiban":       ("VC",   "VC",   ""),
    "linqu_anweiban": ("",     "",     "VC"),
    "jiedao_a":       ("VR",   "",     ""),
    "lingdao":        ("V",    "",     ""),
    "zhifa_a":        ("",     "V",    ""),
    "zhifa_b":        ("",     "V",    ""),
    "yingji":         ("",     "VR",   ""),
    "ducha":          ("VC",   "VC",   ""),
    **dict.fromkeys(NOBODY, ("", "", "")),
}
INTERVIEWS = {           # INT_A (E_A, 街道甲)  INT_L (E_L, 邻区)
    "shi_anweiban":   ("V", "V"),
    "anweiban":       ("VX", ""),       # the recording organ voids; the city sees but does not
    "linqu_anweiban": ("",   "VX"),
    "jiedao_a":       ("V", ""),
    "lingdao":        ("V", ""),
    "wangge_a":       ("V", ""),        # E_A is in its grid
    "qiye_a":         ("V", ""),        # held with its own enterprise
    "zhujian":        ("V", ""),        # regulates E_A
    **dict.fromkeys(["jiedao_b", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr",
                     "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin"], ("", "")),
}
CIRCULARS = {            # CIR_A (通报街道甲)
    "shi_anweiban":   ("V",),
    "anweiban":       ("VX",),
    "jiedao_a":       ("V",),
    "lingdao":        ("V",),
    **dict.fromkeys(["linqu_anweiban", "jiedao_b", "wangge_a", "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia",
                     "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong",
                     "secadmin"], ("",)),
}
#: Recording a 警示约谈 of E_A (accountability.record, within scope): ok / forbidden (no such duty) / invalid (E_A out of scope).
RECORD_E_A = {
    "shi_anweiban": OK, "anweiban": OK, "zhujian": OK,
    "linqu_anweiban": INVALID, "yingji": INVALID, "xiaofang": INVALID, "jiaotong": INVALID,
    **dict.fromkeys(["jiedao_a", "jiedao_b", "lingdao", "wangge_a", "qiye_a", "zhifa_a", "zhifa_b", "zhuanjia", "ducha",
                     "admin", "shenji", "qiye_a_fzr", "qiye_b", "secadmin"], FORBIDDEN),
}
# fmt: on


def _rolled_back(fn):
    """Run a probe in a savepoint that is rolled back, so every probe starts from the named world."""
    def probe(client, obj):
        with transaction.atomic():
            result = fn(client, obj)
            transaction.set_rollback(True)
        return result
    return probe


def _expert_person():
    return User.objects.get(username="zhuanjia").person_id


def _first_street(group):
    return SupervisionGroup.objects.get(pk=group.pk).streets.order_by("pk").first().pk


def _set_status(finding, status):
    Finding.objects.filter(pk=finding.pk).update(status=status)
    return Finding.objects.get(pk=finding.pk)


GROUP = Surface(
    "group", api_list=lambda o: "/api/v1/supervision-groups", api_detail="/api/v1/supervision-groups/{id}",
    page_list=lambda o: "/supervision/", page_detail="/supervision/groups/{id}/",
    actions={
        "M": (_rolled_back(lambda c, g: outcome(api_json(c, "post", f"/api/v1/supervision-groups/{g.pk}/members",
                                                         {"version": g.version, "person": _expert_person(), "role": "expert"}))),
              _rolled_back(lambda c, g: outcome(c.post(f"/supervision/groups/{g.pk}/members/",
                                                       {"version": g.version, "person": _expert_person(), "role": "expert"}).status_code))),
        "K": (_rolled_back(lambda c, g: outcome(api_json(c, "post", f"/api/v1/supervision-groups/{g.pk}/checks",
                                                         {"unit": _first_street(g), "checked_on": today().isoformat()}))),
              _rolled_back(lambda c, g: outcome(c.post(f"/supervision/groups/{g.pk}/checks/new/",
                                                       {"target": f"unit:{_first_street(g)}", "checked_on": today().isoformat()}).status_code))),
    },
)
FINDING_BODY = {"description": "矩阵问题", "demand": "矩阵整改", "deadline_days": 10}
CHECK = Surface(
    "check", api_list=lambda o: "/api/v1/supervision-checks", api_detail="/api/v1/supervision-checks/{id}",
    page_list=None, page_detail="/supervision/checks/{id}/",
    actions={"F": (_rolled_back(lambda c, k: outcome(api_json(c, "post", f"/api/v1/supervision-checks/{k.pk}/findings", FINDING_BODY))),
                   _rolled_back(lambda c, k: outcome(c.post(f"/supervision/checks/{k.pk}/findings/", FINDING_BODY).status_code)))},
)


def _report(api: bool):
    def probe(c, f):
        f = _set_status(f, FindingStatus.PENDING)
        body = {"version": f.version, "measures": "矩阵整改情况"}
        if api:
            return outcome(api_json(c, "post", f"/api/v1/supervision-findings/{f.pk}/report", body))
        return outcome(c.post(f"/supervision/findings/{f.pk}/report/", body).status_code)
    return _rolled_back(probe)


def _confirm(api: bool):
    def probe(c, f):
        f = _set_status(f, FindingStatus.REPORTED)
        if api:
            return outcome(api_json(c, "post", f"/api/v1/supervision-findings/{f.pk}/confirm", {"version": f.version}))
        return outcome(c.post(f"/supervision/findings/{f.pk}/confirm/", {"version": f.version}).status_code)
    return _rolled_back(probe)


FINDING = Surface(
    "finding", api_list=lambda o: "/api/v1/supervision-findings", api_detail="/api/v1/supervision-findings/{id}",
    page_list=lambda o: "/supervision/findings/", page_detail="/supervision/findings/{id}/",
    actions={"R": (_report(True), _report(False)), "C": (_confirm(True), _confirm(False))},
)
def _void(kind: str):
    def api_probe(c, o):
        return outcome(api_json(c, "post", f"/api/v1/{kind}s/{o.pk}/void", {"version": o.version, "reason": "登记有误"}))

    def page_probe(c, o):
        return outcome(c.post(f"/supervision/{kind}s/{o.pk}/void/", {"version": o.version, "reason": "登记有误"}).status_code)
    return {"X": (_rolled_back(api_probe), _rolled_back(page_probe))}


INTERVIEW = Surface("interview", api_list=lambda o: "/api/v1/interviews", api_detail="/api/v1/interviews/{id}",
                    page_list=lambda o: "/supervision/interviews/", page_detail="/supervision/interviews/{id}/",
                    actions=_void("interview"))
CIRCULAR = Surface("circular", api_list=lambda o: "/api/v1/circulars", api_detail="/api/v1/circulars/{id}",
                   page_list=lambda o: "/supervision/circulars/", page_detail="/supervision/circulars/{id}/",
                   actions=_void("circular"))

TABLES = [
    (GROUP, ["GRP", "GRP_L"], GROUPS),
    (CHECK, ["CHK_A", "CHK_Y", "CHK_L"], CHECKS),
    (FINDING, ["FND_A", "FND_Y", "FND_L"], FINDINGS),
    (INTERVIEW, ["INT_A", "INT_L"], INTERVIEWS),
    (CIRCULAR, ["CIR_A"], CIRCULARS),
]
CELLS = [
    pytest.param(surface, name, user, table[user][i], id=f"{surface.name}-{name}-{user}")
    for surface, names, table in TABLES
    for i, name in enumerate(names)
    for user in USERS
]


def _client(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _refresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.mark.django_db
def test_the_tables_cover_every_demo_user(sworld):
    assert set(USERS) == set(sworld["users"]), "every demo user must have a row in every table"
    for _, names, table in TABLES:
        assert set(table) == set(USERS)
        assert all(len(row) == len(names) for row in table.values())
    assert set(RECORD_E_A) == set(USERS)


@pytest.mark.django_db
@pytest.mark.parametrize(("surface", "name", "user", "letters"), CELLS)
def test_matrix_cell(sworld, surface, name, user, letters):
    problems = check_cell(_client(user), surface, sworld[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_recording_an_interview_of_e_a(sworld, user):
    body = {"target_enterprise": sworld["E_A"].pk, "held_on": today().isoformat(), "participants": "主要负责人", "content": "约谈"}
    client = _client(user)
    with transaction.atomic():
        got_api = outcome(api_json(client, "post", "/api/v1/interviews", body))
        transaction.set_rollback(True)
    with transaction.atomic():
        got_page = outcome(client.post("/supervision/interviews/new/", {**body, "target": f"enterprise:{sworld['E_A'].pk}"}).status_code)
        transaction.set_rollback(True)
    assert (got_api, got_page) == (RECORD_E_A[user], RECORD_E_A[user])


@pytest.mark.django_db
def test_the_matrix_fails_when_scoping_is_removed(sworld, monkeypatch):
    """Meta-test: with every row in everyone's scope the table must fail (it tests scope, not just status codes)."""
    from anquan.core.scoping import EVERYTHING

    from ..models import GroupQuerySet

    monkeypatch.setattr(GroupQuerySet, "scope_q", lambda self, a: EVERYTHING)
    problems = check_cell(_client("jiedao_b"), GROUP, sworld["GRP"], GROUPS["jiedao_b"][0], _refresh)
    assert problems
