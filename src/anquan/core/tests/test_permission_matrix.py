"""Permission matrix: every demo user × (in-scope, out-of-scope, hidden) object × action,
through the pages and the API, against expectations written here by hand from the
role table of domain.md (not read from anquan.accounts.roles).

Letters: V view (list + detail), U update, X void (作废), R change regulators.
Hazard letters (every transition, each probe preparing in a savepoint the state it needs, so
the table tests who may, not what state the named hazard happens to be in): U edit 五落实,
S start, T submit rectification, P verify (pass), K send back, E request extension,
D decide extension, O explain overdue, G escalate (提请政府研究), J judge 重大, W downgrade,
M transfer, C interim control (start and end), L list (挂牌督办), A apply to resume,
Q on-site review of a listing, Z delist (摘牌), H 回头看 re-check. A lower-case letter: the
user may, but the named hazard's own state refuses (409).
"""
from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.scoping import ScopedQuerySet
from anquan.enterprises.models import Enterprise, Site
from anquan.enterprises.services import _form_data

from .matrix import INVALID, MISSING, OK, Surface, api_json, check_cell, outcome
from .matrix_hazards import HAZARD, HAZARD_WORLD, PHOTO, ROUND
from .matrix_world import build_world, new_credit_code

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    # further demo users: principal of qiye_a's demo firm, another firm, three departments, security admin
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]

# fmt: off
ENTERPRISES = {          # E_A (街道甲, 建筑施工)  E_B (街道乙, 危化)  E_C (第三街道, 工贸, 专家授权)  E_L (邻区)
    "shi_anweiban":   ("VURX", "VURX", "VURX", "VURX"),
    "anweiban":       ("VURX", "VURX", "VURX", ""),
    "linqu_anweiban": ("",     "",     "",     "VURX"),
    "jiedao_a":       ("VU",   "",     "",     ""),
    "jiedao_b":       ("",     "VU",   "",     ""),
    "lingdao":        ("V",    "",     "",     ""),
    "wangge_a":       ("V",    "",     "",     ""),
    "qiye_a":         ("V",    "",     "",     ""),
    "zhujian":        ("V",    "",     "",     ""),
    "zhifa_a":        ("",     "V",    "V",    ""),
    "zhifa_b":        ("",     "V",    "V",    ""),
    "zhuanjia":       ("",     "",     "V",    ""),
    "ducha":          ("",     "",     "",     ""),
    "admin":          ("",     "",     "",     ""),
    "shenji":         ("",     "",     "",     ""),
    "qiye_a_fzr":     ("",     "",     "",     ""),
    "qiye_b":         ("",     "",     "",     ""),
    "yingji":         ("",     "V",    "V",    ""),
    "xiaofang":       ("",     "",     "",     ""),
    "jiaotong":       ("",     "",     "",     ""),
    "secadmin":       ("",     "",     "",     ""),
}
SITES = {                # S_A (E_A, 网格甲)  S_B (E_B)  S_R (无企业, 网格甲, 人员密集)  S_L (邻区)
    "shi_anweiban":   ("VUX", "VUX", "VUX", "VUX"),
    "anweiban":       ("VUX", "VUX", "VUX", ""),
    "linqu_anweiban": ("",    "",    "",    "VUX"),
    "jiedao_a":       ("VUX", "",    "VUX", ""),
    "jiedao_b":       ("",    "VUX", "",    ""),
    "lingdao":        ("V",   "",    "V",   ""),
    "wangge_a":       ("V",   "",    "V",   ""),
    "qiye_a":         ("V",   "",    "",    ""),
    "zhujian":        ("V",   "",    "",    ""),
    "zhifa_a":        ("",    "V",   "",    ""),
    "zhifa_b":        ("",    "V",   "",    ""),
    "zhuanjia":       ("",    "",    "",    ""),
    "ducha":          ("",    "",    "",    ""),
    "admin":          ("",    "",    "",    ""),
    "shenji":         ("",    "",    "",    ""),
    "qiye_a_fzr":     ("",    "",    "",    ""),
    "qiye_b":         ("",    "",    "",    ""),
    "yingji":         ("",    "V",   "",    ""),
    "xiaofang":       ("",    "",    "V",   ""),   # 人员密集场所 without an enterprise: by industry × territory
    "jiaotong":       ("",    "",    "",    ""),
    "secadmin":       ("",    "",    "",    ""),
}
INSPECTIONS = {          # I_DONE (S_A, 已实施)  I_HIDDEN (S_A, 暗访未实施)  I_L (邻区)
    "shi_anweiban":   ("V", "V", "V"),
    "anweiban":       ("V", "V", ""),
    "linqu_anweiban": ("",  "",  "V"),
    "jiedao_a":       ("V", "",  ""),   # the street of the site: hidden until performed
    "jiedao_b":       ("",  "",  ""),
    "lingdao":        ("V", "",  ""),
    "wangge_a":       ("V", "",  ""),   # the grid of the site: hidden
    "qiye_a":         ("V", "",  ""),   # the enterprise itself: hidden
    "zhujian":        ("V", "V", ""),
    "zhifa_a":        ("V", "V", ""),   # the planning department sees its own plan
    "zhifa_b":        ("V", "V", ""),
    "zhuanjia":       ("",  "",  ""),
    "ducha":          ("",  "",  ""),
    "admin":          ("",  "",  ""),
    "shenji":         ("",  "",  ""),
    "qiye_a_fzr":     ("",  "",  ""),
    "qiye_b":         ("",  "",  ""),
    "yingji":         ("V", "V", ""),
    "xiaofang":       ("",  "",  ""),
    "jiaotong":       ("",  "",  ""),
    "secadmin":       ("",  "",  ""),
}
UNITS = {                # G_A (网格甲)  G_B (街道乙的网格)  G_L (邻区网格)
    "shi_anweiban":   ("V", "V", "V"),
    "anweiban":       ("V", "V", ""),
    "linqu_anweiban": ("",  "",  "V"),
    "jiedao_a":       ("V", "",  ""),
    "jiedao_b":       ("",  "V", ""),
    "lingdao":        ("V", "",  ""),
    "wangge_a":       ("V", "",  ""),
    "qiye_a":         ("V", "",  ""),
    "zhujian":        ("V", "V", ""),
    "zhifa_a":        ("V", "V", ""),
    "zhifa_b":        ("V", "V", ""),
    "zhuanjia":       ("",  "",  ""),
    "ducha":          ("",  "",  ""),
    "admin":          ("V", "V", "V"),  # configuration: the tree, but no business records
    "shenji":         ("V", "V", "V"),
    "qiye_a_fzr":     ("V", "",  ""),   # the grids of its own firm's sites
    "qiye_b":         ("",  "",  ""),
    "yingji":         ("V", "V", ""),
    "xiaofang":       ("V", "V", ""),
    "jiaotong":       ("V", "V", ""),
    "secadmin":       ("V", "V", "V"),
}
# Hazards. Read from domain.md: the 安委办 does everything below in its territory but does not rectify,
# downgrade (the regulator's call) or apply to resume (the enterprise's); only the listing level reviews
# and delists its own listing (so 市安委办 may not sign off a 区 listing). A street records, rectifies
# only places without an enterprise (企业主体责任), and oversees what its unit found; a grid worker records and
# follows up (edits the 五落实); an enterprise rectifies its hazards, verifies only its own self-found
# 一般 ones and applies to resume; a department oversees what it found or what was reported to it (public reports, an enterprise's
# self-found 重大 hazards; its self-found 一般 ones the enterprise closes itself), and
# only the hazard's responsible department downgrades; an inspector records, controls and judges 重大;
# a street lists (街道级挂牌督办) in its own territory (Q/Z of a 区 listing stay the 区's);
# a leader only views. Lower case = permitted, refused by the state (a 一般 hazard cannot be listed
# or downgraded).
HAZARDS = {              # H_A (网格甲, 网格员发现)  H_B (街道乙发现)  H_L (邻区)  H_SELF (甲企业自查一般)  H_MAJ (住建局发现, 重大)
    "shi_anweiban":   ("VUPKDGJMCHl",   "VUPKDGJMCHl",   "VUPKDGJMCHl",   "VUPKDGJMCHl",   "VUPKDGJMCHL"),
    "anweiban":       ("VUPKDGJMCHlQZ", "VUPKDGJMCHlQZ", "",              "VUPKDGJMCHlQZ", "VUPKDGJMCHLQZ"),
    "linqu_anweiban": ("",              "",              "VUPKDGJMCHlQZ", "",              ""),
    "jiedao_a":       ("VUPKDGJCHl",    "",              "",              "VUJCl",         "VUJCL"),
    "jiedao_b":       ("",              "VUPKDGJCHl",    "",              "",              ""),
    "lingdao":        ("V",             "",              "",              "V",             "V"),
    "wangge_a":       ("VU",            "",              "",              "VU",            "VU"),
    "qiye_a":         ("VUSTEOA",       "",              "",              "VUSTPKEOA",     "VUSTEOA"),
    "zhujian":        ("VUJCw",         "",              "",              "VUJCw",         "VUPKDGJCHW"),
    "zhifa_a":        ("",              "VJC",           "",              "",              ""),
    "zhifa_b":        ("",              "VJC",           "",              "",              ""),
    "zhuanjia":       ("",              "",              "",              "",              ""),
    "ducha":          ("",              "",              "",              "",              ""),
    "admin":          ("",              "",              "",              "",              ""),
    "shenji":         ("",              "",              "",              "",              ""),
    "qiye_a_fzr":     ("",              "",              "",              "",              ""),   # principal of another firm
    "qiye_b":         ("",              "",              "",              "",              ""),   # not E_B's account
    "yingji":         ("",              "VUJCw",         "",              "",              ""),
    "xiaofang":       ("",              "",              "",              "",              ""),
    "jiaotong":       ("",              "",              "",              "",              ""),
    "secadmin":       ("",              "",              "",              "",              ""),
}
# Rounds and photos are seen exactly by those who see their hazard.
HAZARD_CHILDREN = {      # of H_A  H_B  H_L
    "shi_anweiban":   ("V", "V", "V"),
    "anweiban":       ("V", "V", ""),
    "linqu_anweiban": ("",  "",  "V"),
    "jiedao_a":       ("V", "",  ""),
    "jiedao_b":       ("",  "V", ""),
    "lingdao":        ("V", "",  ""),
    "wangge_a":       ("V", "",  ""),
    "qiye_a":         ("V", "",  ""),
    "zhujian":        ("V", "",  ""),
    "zhifa_a":        ("",  "V", ""),
    "zhifa_b":        ("",  "V", ""),
    **dict.fromkeys(["zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "xiaofang", "jiaotong", "secadmin"], ("", "", "")),
    "yingji":         ("",  "V", ""),
}
# Creating an enterprise or a site in a grid: ok / invalid (grid out of scope, 422) / forbidden (no such right, 403).
C, N, F = OK, INVALID, "forbidden"  # created / refused as invalid (422) / forbidden (403)
CREATE = {               # G_A  G_B  G_L
    "shi_anweiban":   (C, C, C),
    "anweiban":       (C, C, N),
    "linqu_anweiban": (N, N, C),
    "jiedao_a":       (C, N, N),
    "jiedao_b":       (N, C, N),
    **dict.fromkeys(["lingdao", "wangge_a", "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin"], (F, F, F)),
}
# fmt: on


# ------------------------------------------------------------------ probes


def _enterprise_update_api(client, e):
    return outcome(api_json(client, "patch", f"/api/v1/enterprises/{e.pk}", {"version": e.version, "principal_phone": "13800000000"}))


def _enterprise_update_page(client, e):
    response = client.get(f"/enterprises/{e.pk}/edit/")
    if response.status_code != 200:
        return outcome(response.status_code)
    data = {k: v for k, v in _form_data({}, e).items() if v is not None}
    data.update(version=e.version, principal_phone="13900000000")
    return outcome(client.post(f"/enterprises/{e.pk}/edit/", data).status_code)


def _enterprise_void_api(client, e):
    return outcome(api_json(client, "post", f"/api/v1/enterprises/{e.pk}/void", {"version": e.version, "reason": "重复录入"}))


def _regulators_api(client, e):
    return outcome(api_json(client, "post", f"/api/v1/enterprises/{e.pk}/regulators", {"add": [], "end": [], "reason": "复核"}))


def _get(url):
    return lambda client, obj: outcome(client.get(url.format(id=obj.pk)).status_code)


def _site_update_api(client, s):
    return outcome(api_json(client, "patch", f"/api/v1/sites/{s.pk}", {"version": s.version, "contact_phone": "13800000000"}))


def _site_void_api(client, s):
    return outcome(api_json(client, "post", f"/api/v1/sites/{s.pk}/void", {"version": s.version, "reason": "场所已拆除"}))


ENTERPRISE = Surface(
    name="enterprise",
    api_list=lambda e: f"/api/v1/enterprises?q={e.name}",
    api_detail="/api/v1/enterprises/{id}",
    page_list=lambda e: f"/enterprises/?q={e.name}",
    page_detail="/enterprises/{id}/",
    actions={
        "U": (_enterprise_update_api, _enterprise_update_page),
        "R": (_regulators_api, _get("/enterprises/{id}/regulators/")),
        "X": (_enterprise_void_api, _get("/enterprises/{id}/void/")),
    },
)
SITE = Surface(
    name="site",
    api_list=lambda s: f"/api/v1/sites?q={s.name}",
    api_detail="/api/v1/sites/{id}",
    page_list=lambda s: f"/sites/?q={s.name}",
    page_detail="/sites/{id}/",
    actions={
        "U": (_site_update_api, _get("/sites/{id}/edit/")),
        "X": (_site_void_api, _get("/sites/{id}/void/")),
    },
)
INSPECTION = Surface(
    name="inspection",
    api_list=lambda i: "/api/v1/inspections?page_size=100",
    api_detail="/api/v1/inspections/{id}",
    page_list=lambda i: "/inspections/",
    page_detail="/inspections/{id}/",
)
ORGUNIT = Surface(
    name="orgunit",
    api_list=lambda u: f"/api/v1/org-units?q={u.name}&page_size=100",
    api_detail="/api/v1/org-units/{id}",
    page_list=None,
    page_detail="/org-units/{id}/children/",
)

TABLES = [
    (ENTERPRISE, ["E_A", "E_B", "E_C", "E_L"], ENTERPRISES),
    (SITE, ["S_A", "S_B", "S_R", "S_L"], SITES),
    (INSPECTION, ["I_DONE", "I_HIDDEN", "I_L"], INSPECTIONS),
    (ORGUNIT, ["G_A", "G_B", "G_L"], UNITS),
    (HAZARD, ["H_A", "H_B", "H_L", "H_SELF", "H_MAJ"], HAZARDS),
    (ROUND, ["R_A", "R_B", "R_L"], HAZARD_CHILDREN),
    (PHOTO, ["P_A", "P_B", "P_L"], HAZARD_CHILDREN),
]
CELLS = [
    pytest.param(surface, name, user, table[user][i], id=f"{surface.name}-{name}-{user}")
    for surface, names, table in TABLES
    for i, name in enumerate(names)
    for user in USERS
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo city and the named objects, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        HAZARD_WORLD.update(built)
        yield built
        HAZARD_WORLD.clear()
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _refresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_tables_cover_every_demo_user(world):
    assert set(USERS) == set(world["users"]), "every demo user must have a row in every table"
    for _, names, table in TABLES:
        assert set(table) == set(USERS)
        assert all(len(row) == len(names) for row in table.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("surface", "name", "user", "letters"), CELLS)
def test_matrix_cell(world, surface, name, user, letters):
    problems = check_cell(_client(world, user), surface, world[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


def _trade_id():
    from anquan.orgs.models import Industry

    return Industry.objects.get(code="industry_trade").pk


def _create_enterprise(client, grid):
    body = {
        "name": f"新建测试企业{grid.pk}", "credit_code": new_credit_code(), "legal_representative": "王五",
        "principal_name": "赵六", "address": "测试路8号", "unit": grid.pk, "industries": [_trade_id()],
    }
    return outcome(api_json(client, "post", "/api/v1/enterprises", body))


def _create_site(client, grid):
    body = {"name": f"新建测试场所{grid.pk}", "grid": grid.pk, "address": "测试路9号", "kind": "shop"}
    return outcome(api_json(client, "post", "/api/v1/sites", body))


def _create_enterprise_page(client, grid):
    response = client.get("/enterprises/new/")
    if response.status_code != 200:
        return outcome(response.status_code)
    data = {
        "name": f"页面新建企业{grid.pk}", "credit_code": new_credit_code(), "legal_representative": "王五",
        "principal_name": "赵六", "address": "测试路8号", "unit": grid.pk, "scale": "small", "industries": [_trade_id()],
        "status": "normal", "risk_colour": "blue", "standard_grade": "",
    }
    response = client.post("/enterprises/new/", data)
    if response.status_code == 200:  # the form came back with errors: the grid was refused
        return INVALID if "管辖范围" in response.content.decode() else f"form errors: {response.content[:200]!r}"
    return outcome(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("create", [_create_enterprise, _create_site, _create_enterprise_page], ids=["api-enterprise", "api-site", "page-enterprise"])
def test_create_matrix(world, user, create):
    client = _client(world, user)
    got = tuple(create(client, world[g]) for g in ("G_A", "G_B", "G_L"))
    assert got == CREATE[user]


@pytest.mark.django_db
def test_nothing_is_written_when_a_body_names_an_out_of_scope_grid(world):
    before = (Enterprise.objects.count(), Site.objects.count())
    client = _client(world, "jiedao_a")
    assert _create_enterprise(client, world["G_B"]) == INVALID
    assert _create_site(client, world["G_L"]) == INVALID
    response = client.patch(
        f"/api/v1/sites/{world['S_A'].pk}", data={"version": world["S_A"].version, "grid": world["G_B"].pk},
        content_type="application/json",
    )
    assert response.status_code == 422 and "grid" in response.json()["errors"]
    assert (Enterprise.objects.count(), Site.objects.count()) == before
    assert _refresh(world["S_A"]).grid_id == world["G_A"].pk


@pytest.mark.django_db
def test_matrix_fails_when_visible_to_is_unscoped(world, monkeypatch):
    """Meta-test: with visible_to returning everything, the same tables must report mismatches."""
    monkeypatch.setattr(ScopedQuerySet, "visible_to", lambda self, user, action="view": self.all())
    failures, by_surface = [], {}
    for surface, names, table in TABLES:
        for i, name in enumerate(names):
            for user in ("jiedao_a", "qiye_a", "linqu_anweiban"):
                sid = transaction.savepoint()
                found = check_cell(_client(world, user), surface, world[name], table[user][i], _refresh)
                transaction.savepoint_rollback(sid)
                failures += found
                by_surface.setdefault(surface.name, []).extend(found)
    assert any("detail: expected missing, got ok" in f for f in failures), failures
    assert any("list: expected missing, got ok" in f for f in failures), failures
    # Every surface notices the leak, not just one of them (hazards, rounds and photos included).
    assert all(any("expected missing, got ok" in f for f in found) for found in by_surface.values()), by_surface
    assert MISSING  # the unscoped queryset leaks out-of-scope objects; the matrix notices
