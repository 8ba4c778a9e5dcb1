"""The administration screens at work: each change audited once, validity periods in Shanghai days,
ending keeps the record, refused forms keep what was typed and say why in Chinese, temporary passwords."""
from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from anquan.accounts import services
from anquan.accounts.models import Person, RoleAssignment, User
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Invalid
from anquan.core.tests.factories import make_enterprise, make_tree, make_user
from anquan.orgs import services as org_services
from anquan.orgs.models import Department, OrgUnit, UnitKind
from anquan.rules.models import HolidayDay

pytestmark = pytest.mark.django_db
FROZEN = "2026-11-22 23:30 +0800"  # late evening: the Shanghai date is a day ahead of the UTC date


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def admin(tree):
    return make_user("sysadmin", username="console_admin", name="系统管理员乙")


@pytest.fixture
def staff(tree):
    return make_user("street_staff", unit=tree.street_a, username="console_staff", name="街道员工")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def test_every_administration_change_writes_exactly_one_audit_event(tree, admin, staff):
    start = AuditEvent.objects.count()
    person = services.person_create(actor=admin, data={"name": "王五", "post": "科员"})
    services.person_update(actor=admin, person=person, data={"name": "王五", "phone": "0571-1234567"}, version=person.version)
    user, password = services.user_create(actor=admin, data={"username": "wang_wu", "person": person.pk}, reason="新入职")
    a = services.assignment_start(actor=admin, user=user, role="grid_worker", unit=tree.grid_a, reason="网格员任命")
    services.assignment_end(actor=admin, assignment=a, reason="调岗")
    services.password_reset(actor=admin, user=user, reason="本人电话申请")
    services.user_deactivate(actor=admin, user=user, reason="离职")
    services.user_activate(actor=admin, user=user, reason="返聘")
    unit = org_services.unit_create(actor=admin, data={"name": "新设网格", "kind": "grid", "parent": tree.community_a.pk})
    org_services.unit_update(actor=admin, unit=unit, data={"name": "新设网格一", "code": "330"}, version=unit.version)
    dept = org_services.department_create(actor=admin, data={"name": "示范区教育局", "kind": "jiaoyu", "unit": tree.district.pk})
    org_services.department_update(actor=admin, department=dept, data={"name": "示范区教育局", "kind": "jiaoyu",
                                                                        "industries": []}, version=dept.version)
    assert _actions(pk__gt=0)[-12:] == [
        "accounts.person_create", "accounts.person_update", "accounts.user_create", "start", "end",
        "accounts.password_reset", "accounts.user_deactivate", "accounts.user_activate",
        "orgs.unit_create", "orgs.unit_update", "orgs.department_create", "orgs.department_update",
    ]
    assert AuditEvent.objects.count() - start == 12
    events = AuditEvent.objects.filter(actor=admin)
    assert set(events.values_list("acting_role", flat=True)) == {"sysadmin"}
    assert password not in json.dumps(list(events.values("before", "after", "reason")), ensure_ascii=False)
    # A unit's events go to its district's chain; accounts to the system chain.
    assert AuditEvent.objects.get(action="orgs.unit_create").chain.key == f"district:{tree.district.pk}"
    assert AuditEvent.objects.get(action="accounts.user_create").chain.key == "system"


def test_nobody_else_may_administer(tree, staff):
    with pytest.raises(Exception) as refused:
        services.user_create(actor=staff, data={"username": "sneaky", "name": "某人"})
    assert refused.value.status == 403
    with pytest.raises(Exception) as refused:
        org_services.unit_create(actor=staff, data={"name": "私设网格", "kind": "grid", "parent": tree.community_a.pk})
    assert refused.value.status == 403
    assert not User.objects.filter(username="sneaky").exists() and not OrgUnit.objects.filter(name="私设网格").exists()


@pytest.mark.frozen(FROZEN)
def test_validity_is_in_shanghai_days_and_ending_keeps_the_record(tree, admin, staff):
    client = _client(admin)
    url = f"/admin-console/users/{staff.pk}/"
    response = client.post(url, {"do": "assign", "assign-role": "grid_worker", "assign-unit": tree.grid_a.pk,
                                 "assign-valid_from": "2026-11-22", "assign-valid_to": "2026-11-22",
                                 "assign-reason": "临时顶岗"})
    assert response.status_code == 302
    a = RoleAssignment.objects.get(user=staff, role="grid_worker")
    # 2026-11-22 in Shanghai: from its midnight (16:00 UTC the day before) to the next midnight.
    assert a.valid_from == datetime.datetime(2026, 11, 21, 16, 0, tzinfo=datetime.UTC)
    assert a.valid_to == datetime.datetime(2026, 11, 22, 16, 0, tzinfo=datetime.UTC)
    assert RoleAssignment.objects.active().filter(pk=a.pk).exists()  # 23:30 on its last day: still held
    count = RoleAssignment.objects.count()
    response = client.post(url, {"do": "end", "assignment": a.pk, "reason": "顶岗结束"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert RoleAssignment.objects.count() == count  # ended, not deleted
    assert a.end_reason == "顶岗结束" and not RoleAssignment.objects.active().filter(pk=a.pk).exists()
    page = client.get(url).content.decode()
    assert "已终止：顶岗结束" in page and "网格员" in page
    event = AuditEvent.objects.filter(action="end", object_id=a.pk).get()
    assert event.reason == "顶岗结束" and event.after["end_reason"] == "顶岗结束"


@pytest.mark.frozen(FROZEN)
def test_a_period_already_over_or_reversed_is_refused(tree, admin, staff):
    client = _client(admin)
    url = f"/admin-console/users/{staff.pk}/"
    response = client.post(url, {"do": "assign", "assign-role": "grid_worker", "assign-unit": tree.grid_a.pk,
                                 "assign-valid_from": "2026-11-20", "assign-valid_to": "2026-11-10"})
    assert response.status_code == 422 and "终止日期不能早于生效日期" in response.content.decode()
    with pytest.raises(Invalid) as refused:
        services.assignment_start(actor=admin, user=staff, role="grid_worker", unit=tree.grid_a,
                                  valid_from=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
                                  valid_to=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC))
    assert "不会生效" in refused.value.errors["valid_to"][0]


def test_refused_forms_keep_what_was_typed_and_say_why(tree, admin, staff):
    client = _client(admin)
    url = f"/admin-console/users/{staff.pk}/"
    response = client.post(url, {"do": "assign", "assign-role": "ent_manager", "assign-credit_code": "91330000MA0000000X",
                                 "assign-reason": "企业报备的安全管理员"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "没有统一社会信用代码为“91330000MA0000000X”的企业" in page
    assert 'value="91330000MA0000000X"' in page and "企业报备的安全管理员" in page
    response = client.post(url, {"do": "end", "assignment": staff.assignments.get().pk, "reason": "  "})
    assert response.status_code == 422 and "终止任职必须填写原因" in response.content.decode()
    response = client.post("/admin-console/users/new/", {"username": "9bad", "name": "张三", "post": "网格员"})
    page = response.content.decode()
    assert response.status_code == 422 and "用户名须以字母开头" in page and 'value="张三"' in page
    response = client.post("/org-units/new/", {"name": "错层网格", "kind": "street", "parent": tree.grid_a.pk})
    assert response.status_code == 422 and 'value="错层网格"' in response.content.decode()
    response = client.post("/org-units/new/", {"name": "错层街道", "kind": "district", "parent": tree.street_a.pk})
    assert "下级区划的层级必须低于上级" in response.content.decode()


def test_an_enterprise_role_is_found_by_credit_code_and_keeps_only_its_anchor(tree, admin, staff):
    firm = make_enterprise(tree.grid_a)
    a = services.assignment_start(actor=admin, user=staff, role="ent_manager", unit=tree.street_a, enterprise=firm)
    assert (a.enterprise_id, a.unit_id) == (firm.pk, None)  # a stray unit would have read as its scope


def test_stale_versions_are_refused(tree, admin):
    unit = tree.grid_a
    org_services.unit_update(actor=admin, unit=unit, data={"name": "网格甲一"}, version=unit.version)
    with pytest.raises(Conflict):
        org_services.unit_update(actor=admin, unit=OrgUnit.objects.get(pk=unit.pk), data={"name": "网格甲二"}, version=1)
    dept = tree.zhujian
    response = _client(admin).post(f"/org-units/departments/{dept.pk}/edit/",
                                   {"name": "住建局（我的修改）", "kind": "zhujian", "version": dept.version + 5})
    assert response.status_code == 409 and "住建局（我的修改）" in response.content.decode()
    assert Department.objects.get(pk=dept.pk).name == dept.name


def test_unit_edit_changes_name_not_place(tree, admin):
    client = _client(admin)
    grid = tree.grid_a
    response = client.post(f"/org-units/{grid.pk}/edit/", {"name": "网格甲（更名）", "kind": "province",
                                                           "parent": tree.other_district.pk, "version": grid.version})
    assert response.status_code == 302
    grid.refresh_from_db()
    assert (grid.name, grid.kind, grid.parent_id) == ("网格甲（更名）", UnitKind.GRID, tree.community_a.pk)


def test_temporary_password_must_be_changed_at_first_sign_in(tree, admin, settings):
    response = _client(admin).post("/admin-console/users/new/", {"username": "li_si", "name": "李四", "reason": "新入职"})
    assert response.status_code == 200 and 'data-testid="temporary-password"' in response.content.decode()
    user = User.objects.get(username="li_si")
    assert user.must_change_password and Person.objects.get(pk=user.person_id).name == "李四"
    temporary = response.context["password"]
    client = Client()
    response = client.post("/login/", {"username": "li_si", "password": temporary, "next": "/rules/"})
    assert response.status_code == 302 and response["Location"].startswith("/password/")
    response = client.get("/hazards/")  # any other page leads to the password first
    assert response.status_code == 302 and response["Location"] == "/password/?next=%2Fhazards%2F"
    response = client.post("/password/", {"old_password": temporary, "new_password": "12345678901",
                                          "new_password2": "12345678901", "next": "/rules/"})
    assert response.status_code == 422 and "密码只包含数字" in response.content.decode()  # Django's validator, in Chinese
    response = client.post("/password/", {"old_password": temporary, "new_password": "Anquan-li-si-2026",
                                          "new_password2": "Anquan-li-si-2026", "next": "/rules/"})
    assert response.status_code == 302 and response["Location"] == "/rules/"
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Anquan-li-si-2026")
    assert _actions(object_id=user.pk, model_key="user") == ["accounts.user_create", "accounts.password_change"]


def test_a_deactivated_account_cannot_sign_in(tree, admin):
    user, password = services.user_create(actor=admin, data={"username": "zhao_liu", "name": "赵六"})
    with pytest.raises(Invalid) as refused:
        services.user_deactivate(actor=admin, user=user, reason="")
    assert "停用账号必须填写原因" in refused.value.errors["reason"][0]
    services.user_deactivate(actor=admin, user=user, reason="离职")
    response = Client().post("/login/", {"username": "zhao_liu", "password": password})
    assert response.status_code == 401 and "用户名或密码错误" in response.content.decode()
    with pytest.raises(Invalid):
        services.user_deactivate(actor=admin, user=admin, reason="误操作")  # never oneself


def test_holidays_typed_in_the_form(admin):
    client = _client(admin)
    body = {"year": 2031, "source_document": "国办发明电〔2030〕1号", "reason": "", "d-TOTAL_FORMS": 3, "d-INITIAL_FORMS": 0,
            "d-0-date": "2031-01-01", "d-0-is_workday": "0", "d-0-name": "元旦",
            "d-1-date": "2030-12-31", "d-1-is_workday": "1", "d-1-name": "元旦调休上班",
            "d-2-date": "", "d-2-is_workday": "0", "d-2-name": ""}
    response = client.post("/rules/holidays/form/", body)
    page = response.content.decode()
    assert response.status_code == 422 and "不在2031年内" in page and 'value="元旦调休上班"' in page
    assert not HolidayDay.objects.filter(date__year=2031).exists()
    body.update({"d-1-date": "2031-01-04"})
    response = client.post("/rules/holidays/form/", body)
    assert response.status_code == 302
    assert list(HolidayDay.objects.filter(date__year=2031).order_by("date").values_list("name", "is_workday")) == [
        ("元旦", False), ("元旦调休上班", True)]
    assert _actions(action="holiday_load") == ["holiday_load"]
    # The form reopens with what was entered, for a correction.
    page = client.get("/rules/holidays/form/?year=2031").content.decode()
    assert 'value="元旦调休上班"' in page and 'value="国办发明电〔2030〕1号"' in page


def test_control_characters_are_refused_in_chinese(tree, admin, staff):
    from anquan.core.text import CONTROL_MESSAGE

    with pytest.raises(Invalid) as refused:
        services.user_deactivate(actor=admin, user=staff, reason="离\x0b职")
    assert CONTROL_MESSAGE in refused.value.errors["reason"][0]
    response = _client(admin).post("/admin-console/people/new/", {"name": "王\x0b五", "post": "科员"})
    assert response.status_code == 422 and CONTROL_MESSAGE in response.content.decode()
    assert not Person.objects.filter(post="科员").exists()
    with pytest.raises(Invalid):
        org_services.unit_create(actor=admin, data={"name": "新网格", "kind": "grid", "parent": tree.community_a.pk},
                                 reason="依据\x03文件")
    assert not OrgUnit.objects.filter(name="新网格").exists()  # refused after the insert: rolled back
