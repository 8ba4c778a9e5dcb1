"""Permission matrix of the administration screens (系统管理): every demo user × every page and action.

Expectations are written here by hand from domain.md (三权分立): only the 系统管理员 (``admin``)
configures accounts, people, role assignments, units, departments and holidays; every other
demo user — business roles, the 审计管理员 (``shenji``) and the 安全管理员 (``secadmin``)
included — gets 403 and nothing is written. The meta-test proves the table fails when the
permission check is removed. Business pages stay closed to ``admin``.
"""
from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from anquan.accounts.models import LoginFailure, Person, RoleAssignment, User
from anquan.audit.models import AuditEvent
from anquan.core.tests.matrix import FORBIDDEN, OK, outcome
from anquan.core.tests.matrix_world import assignment_of, build_world
from anquan.orgs.models import Department, OrgUnit

# fmt: off
#                   pages  actions
SCREENS = {
    "admin":          (OK,        OK),
    **dict.fromkeys([
        "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a", "qiye_a",
        "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "shenji", "qiye_a_fzr", "qiye_b", "yingji",
        "xiaofang", "jiaotong", "secadmin"], (FORBIDDEN, FORBIDDEN)),
}
# fmt: on


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built["person"] = Person.objects.create(name="矩阵测试人员")
        built["target"] = built["users"]["jiedao_b"]
        built["target_assignment"] = assignment_of("jiedao_b")
        built["department"] = built["departments"]["zhujian"]
        for _ in range(5):  # a locked (username, address) for 解除锁定
            LoginFailure.objects.create(username="jiedao_b", address="10.0.0.1")
        yield built
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def pages(w) -> list[str]:
    return [
        "/admin-console/", "/admin-console/users/", "/admin-console/users/new/",
        f"/admin-console/users/{w['target'].pk}/", "/admin-console/people/", "/admin-console/people/new/",
        f"/admin-console/people/{w['person'].pk}/edit/",
        "/org-units/manage/", "/org-units/new/", f"/org-units/{w['G_A'].pk}/edit/",
        "/org-units/departments/", "/org-units/departments/new/", f"/org-units/departments/{w['department'].pk}/edit/",
        "/rules/holidays/form/", "/admin-console/sign-in-locks/",
    ]


def actions(w) -> dict[str, tuple[str, dict]]:
    """Each administrator action as (url, form body); bodies are valid, so an administrator's post succeeds."""
    user_url = f"/admin-console/users/{w['target'].pk}/"
    return {
        "person create": ("/admin-console/people/new/", {"name": "新来的人", "post": "科员"}),
        "person edit": (f"/admin-console/people/{w['person'].pk}/edit/", {"name": "改名的人", "version": w["person"].version}),
        "user create": ("/admin-console/users/new/", {"username": "matrix_new", "name": "新账号"}),
        "assign": (user_url, {"do": "assign", "assign-role": "street_staff", "assign-unit": w["G_A"].pk, "assign-reason": "测试"}),
        "end": (user_url, {"do": "end", "assignment": w["target_assignment"].pk, "reason": "调岗"}),
        "deactivate": (user_url, {"do": "deactivate", "state-reason": "离职"}),
        "reset": (user_url, {"do": "reset", "state-reason": "本人申请"}),
        "sign-in unlock": ("/admin-console/sign-in-locks/", {"username": "jiedao_b", "address": "10.0.0.1", "reason": "本人来电"}),
        "unit create": ("/org-units/new/", {"name": "矩阵新网格", "kind": "grid", "parent": w["G_A"].parent_id}),
        "unit edit": (f"/org-units/{w['G_A'].pk}/edit/", {"name": w["G_A"].name + "（更名）", "code": "", "version": w["G_A"].version}),
        "department create": ("/org-units/departments/new/", {"name": "矩阵新部门", "kind": "other", "unit": w["G_A"].district_id}),
        "department edit": (f"/org-units/departments/{w['department'].pk}/edit/",
                            {"name": "住建局（更名）", "kind": "zhujian", "version": w["department"].version}),
        "holidays": ("/rules/holidays/form/", {
            "year": 2030, "source_document": "国办发明电〔2029〕1号", "d-TOTAL_FORMS": 2, "d-INITIAL_FORMS": 0,
            "d-0-date": "2030-01-01", "d-0-is_workday": "0", "d-0-name": "元旦",
            "d-1-date": "2030-02-09", "d-1-is_workday": "1", "d-1-name": "春节调休上班"}),
    }


def _state():
    return (User.objects.count(), Person.objects.count(), RoleAssignment.objects.count(), OrgUnit.objects.count(),
            Department.objects.count(), AuditEvent.objects.count(), LoginFailure.objects.count())


def _probe_actions(client, w) -> dict[str, str]:
    got = {}
    for name, (url, body) in actions(w).items():
        sid = transaction.savepoint()
        before = _state()
        response = client.post(url, body)
        result = outcome(response.status_code) if response.status_code != 200 or "temporary-password" in response.content.decode() else "ok"
        if result == OK and response.status_code == 200 and name not in ("user create", "reset"):
            result = f"form errors: {response.content.decode()[:120]}"
        if result != OK and _state() != before:
            result += " (but something was written)"
        got[name] = result
        transaction.savepoint_rollback(sid)
    return got


@pytest.mark.django_db
@pytest.mark.parametrize("user", sorted(SCREENS))
def test_console_matrix(world, user):
    client = _client(world, user)
    want_pages, want_actions = SCREENS[user]
    got_pages = {url: outcome(client.get(url).status_code) for url in pages(world)}
    assert got_pages == dict.fromkeys(got_pages, want_pages), user
    got_actions = _probe_actions(client, world)
    assert got_actions == dict.fromkeys(got_actions, want_actions), user


def test_the_table_covers_every_demo_user(world):
    assert set(SCREENS) == set(world["users"])


@pytest.mark.django_db
def test_matrix_fails_when_the_permission_check_is_removed(world, monkeypatch):
    """Meta-test: with every assignment permitting every action, the table must report mismatches."""
    monkeypatch.setattr(RoleAssignment, "permits", lambda self, action: True)
    client = _client(world, "jiedao_a")
    got_pages = {url: outcome(client.get(url).status_code) for url in pages(world)}
    assert all(v == OK for v in got_pages.values()), got_pages  # the pages open: the table's 403 would fail
    assert any(v == OK for v in _probe_actions(client, world).values())


@pytest.mark.django_db
def test_admin_never_gets_business_records(world):
    """三权分立: the administrator's scope holds no business record — lists come out empty, details answer 404
    (in Chinese), the API lists nothing — and the navigation offers no business page."""
    client = _client(world, "admin")
    lists = {"/hazards/": ("H_A", "H_B", "H_SELF", "H_MAJ"), "/enterprises/": ("E_A", "E_B", "E_C"),
             "/sites/": ("S_A", "S_B", "S_R"), "/inspections/": ("I_DONE", "I_HIDDEN")}
    for url, names in lists.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for name in names:
            assert f'href="{url}{world[name].pk}/"' not in page, (url, name)
        # The same probe finds the first of them for the 安委办 of the district: the link format is right.
        seen = _client(world, "anweiban").get(f"{url}?q={getattr(world[names[0]], 'name', '')}").content.decode()
        assert f'href="{url}{world[names[0]].pk}/"' in seen, url
    for url in [f"/hazards/{world['H_A'].pk}/", f"/enterprises/{world['E_A'].pk}/", f"/sites/{world['S_A'].pk}/",
                f"/inspections/{world['I_DONE'].pk}/"]:
        response = client.get(url)
        assert response.status_code == 404 and "页面不存在" in response.content.decode(), url
    assert client.get("/api/v1/hazards").json()["count"] == 0
    assert client.get("/api/v1/enterprises").json()["count"] == 0
    assert client.get(f"/api/v1/hazards/{world['H_A'].pk}").status_code == 404
    nav = client.get("/admin-console/").content.decode()
    assert 'href="/admin-console/"' in nav
    for business in ('href="/hazards/"', 'href="/enterprises/"', 'href="/inspections/"', 'href="/supervision/"'):
        assert business not in nav, business
