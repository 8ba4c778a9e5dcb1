"""The registry pages for a street official: they render, filter, keep input on errors and conflicts."""
from __future__ import annotations

import pytest

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_enterprise, make_site, make_user, new_credit_code
from anquan.enterprises.models import Enterprise
from anquan.enterprises.services import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(tree):
    return make_enterprise(tree.grid_a, name="甲街道建材厂", risk_colour="yellow", industries=["construction"])


def test_pages_render_for_a_street_user(tree, street_user, client_for, firm):
    site = make_site(tree.grid_a, enterprise=firm, name="建材厂一号厂区")
    client = client_for(street_user)
    for url in [
        "/", "/enterprises/", f"/enterprises/{firm.pk}/", "/enterprises/new/", f"/enterprises/{firm.pk}/edit/",
        "/sites/", f"/sites/{site.pk}/", "/sites/new/", f"/sites/{site.pk}/edit/", f"/sites/{site.pk}/void/",
        "/org-units/", "/enterprises/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "甲街道工作人员" in response.content.decode(), url  # the navbar shows who is signed in
    assert client.get("/enterprises/import/template.xlsx").status_code == 200
    assert "甲一社区" in client.get(f"/org-units/{tree.street_a.pk}/children/").content.decode()  # a fragment


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_out_of_scope_enterprises_answer_404(tree, street_user, client_for):
    theirs = make_enterprise(tree.grid_b)
    client = client_for(street_user)
    for suffix in ("", "edit/", "void/", "regulators/"):
        assert client.get(f"/enterprises/{theirs.pk}/{suffix}").status_code == 404


def test_actions_not_permitted_answer_403_and_are_not_offered(street_user, client_for, firm):
    client = client_for(street_user)
    assert client.get(f"/enterprises/{firm.pk}/void/").status_code == 403
    assert client.get(f"/enterprises/{firm.pk}/regulators/").status_code == 403
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert f"/enterprises/{firm.pk}/edit/" in page
    assert f"/enterprises/{firm.pk}/void/" not in page
    assert "变更历史" in page  # street staff may view the object's audit history


def test_grid_worker_sees_but_cannot_create_or_edit(tree, grid_worker, client_for, firm):
    client = client_for(grid_worker)
    assert client.get(f"/enterprises/{firm.pk}/").status_code == 200
    assert client.get("/enterprises/new/").status_code == 403
    assert client.get(f"/enterprises/{firm.pk}/edit/").status_code == 403
    assert client.get("/enterprises/import/").status_code == 403
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "/edit/" not in page and "变更历史" not in page


def test_list_filters(tree, street_user, client_for):
    red = make_enterprise(tree.grid_a, name="红色化工厂", risk_colour="red", industries=["hazchem"])
    blue = make_enterprise(tree.grid_a2, name="蓝色商店", risk_colour="blue")
    make_enterprise(tree.grid_b, name="乙街道红色企业", risk_colour="red")
    client = client_for(street_user)

    def names(query):
        response = client.get(f"/enterprises/?{query}")
        assert response.status_code == 200
        content = response.content.decode()
        return {e.name for e in (red, blue) if f"/enterprises/{e.pk}/" in content}, content

    assert names("")[0] == {"红色化工厂", "蓝色商店"}
    assert names("risk_colour=red")[0] == {"红色化工厂"}
    assert names(f"unit={tree.grid_a2.pk}")[0] == {"蓝色商店"}
    assert names(f"industry={tree.industries['hazchem'].pk}")[0] == {"红色化工厂"}
    assert names("q=化工")[0] == {"红色化工厂"}
    _, content = names("risk_colour=red")
    assert "乙街道红色企业" not in content
    assert "共 <strong>1</strong> 家企业" in content


def test_htmx_requests_get_only_the_results(street_user, client_for, firm):
    response = client_for(street_user).get("/enterprises/?q=建材", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and f"/enterprises/{firm.pk}/" in content


def test_create_shows_errors_and_keeps_input(tree, street_user, client_for):
    client = client_for(street_user)
    response = client.post("/enterprises/new/", {
        "name": "新建材公司", "credit_code": "91310000MA1FL0000X", "legal_representative": "王五", "principal_name": "赵六",
        "address": "测试路8号", "unit": tree.grid_a.pk, "industries": [tree.industries["construction"].pk],
        "scale": "small", "status": "normal", "risk_colour": "blue",
    })
    assert response.status_code == 200
    content = response.content.decode()
    assert "校验位错误" in content
    assert 'value="新建材公司"' in content and 'value="测试路8号"' in content
    assert not Enterprise.objects.filter(name="新建材公司").exists()


def test_create_redirects_to_the_new_record(tree, street_user, client_for):
    code = new_credit_code()
    response = client_for(street_user).post("/enterprises/new/", {
        "name": "新建材公司", "credit_code": code, "legal_representative": "王五", "principal_name": "赵六",
        "address": "测试路8号", "unit": tree.grid_a.pk,
        "industries": [tree.industries["construction"].pk, tree.industries["gas"].pk],
        "scale": "small", "status": "normal", "risk_colour": "blue",
    })
    created = Enterprise.objects.get(credit_code=code)
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{created.pk}/"
    assert created.industries.count() == 2
    assert AuditEvent.objects.filter(model_key="enterprise", object_id=created.pk, action="create").exists()


def _edit_data(enterprise, **changes):
    data = {k: v for k, v in _form_data({}, enterprise).items() if v is not None}
    data.update(changes)
    return data


def test_edit_with_a_stale_version_shows_the_conflict_and_changes_nothing(street_user, client_for, firm):
    client = client_for(street_user)
    assert client.post(f"/enterprises/{firm.pk}/edit/", _edit_data(firm, version=1, principal_phone="13911111111")).status_code == 302
    response = client.post(f"/enterprises/{firm.pk}/edit/", _edit_data(firm, version=1, principal_name="另一人"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "已被他人修改" in content
    assert 'value="另一人"' in content  # the user's input is kept
    firm.refresh_from_db()
    assert firm.principal_name == "李四" and firm.principal_phone == "13911111111" and firm.version == 2


def test_edit_keeps_all_industries(tree, street_user, client_for, firm):
    ids = [tree.industries["construction"].pk, tree.industries["gas"].pk]
    response = client_for(street_user).post(f"/enterprises/{firm.pk}/edit/", _edit_data(firm, version=1, industries=ids))
    assert response.status_code == 302
    assert sorted(firm.industries.values_list("pk", flat=True)) == sorted(ids)


def test_history_shows_before_and_after_in_words(street_user, client_for, firm):
    client = client_for(street_user)
    client.post(f"/enterprises/{firm.pk}/edit/", _edit_data(firm, version=1, risk_colour="red"))
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "风险等级：<del>黄（一般风险）</del> → <ins>红（重大风险）</ins>" in page


def test_void_needs_a_reason(tree, anweiban_user, client_for, firm):
    client = client_for(anweiban_user)
    response = client.post(f"/enterprises/{firm.pk}/void/", {"version": firm.version, "reason": "  "})
    assert response.status_code == 200
    assert "作废必须填写理由" in response.content.decode()
    firm.refresh_from_db()
    assert firm.voided_at is None

    response = client.post(f"/enterprises/{firm.pk}/void/", {"version": firm.version, "reason": "重复录入"})
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.voided_at is not None and firm.void_reason == "重复录入"
    assert AuditEvent.objects.filter(model_key="enterprise", object_id=firm.pk, action="void", reason="重复录入").exists()
    # voided records leave the list unless asked for
    assert f"/enterprises/{firm.pk}/" not in client.get("/enterprises/").content.decode()
    assert f"/enterprises/{firm.pk}/" in client.get("/enterprises/?include_voided=1").content.decode()


def test_change_regulators_with_a_reason(tree, anweiban_user, client_for, firm):
    client = client_for(anweiban_user)
    assert client.get(f"/enterprises/{firm.pk}/regulators/").status_code == 200
    response = client.post(f"/enterprises/{firm.pk}/regulators/", {"department": tree.yingji.pk, "kind": "direct", "reason": ""})
    assert "必须填写理由" in response.content.decode()
    assert not firm.regulators.filter(department=tree.yingji).exists()
    response = client.post(f"/enterprises/{firm.pk}/regulators/",
                           {"department": tree.yingji.pk, "kind": "direct", "reason": "区安委办通知由应急局直接监管"})
    assert response.status_code == 302
    assert firm.regulators.active().filter(department=tree.yingji, kind="direct").exists()


def test_site_create_and_void(tree, street_user, client_for, firm):
    client = client_for(street_user)
    response = client.post("/sites/new/", {"name": "新工地", "kind": "construction", "enterprise": firm.pk,
                                           "grid": tree.grid_a2.pk, "address": "工地路1号"})
    assert response.status_code == 302
    site = firm.sites.get(name="新工地")
    response = client.post(f"/sites/{site.pk}/void/", {"version": site.version, "reason": ""})
    assert "作废必须填写理由" in response.content.decode()
    assert client.post(f"/sites/{site.pk}/void/", {"version": site.version, "reason": "已竣工"}).status_code == 302


def test_org_tree_counts_only_visible_enterprises(tree, street_user, client_for):
    make_enterprise(tree.grid_a)
    make_enterprise(tree.grid_b)
    page = client_for(street_user).get("/org-units/").content.decode()
    assert "甲街道" in page and "乙街道" not in page
    children = client_for(street_user).get(f"/org-units/{tree.district.pk}/children/").content.decode()
    assert "乙街道" not in children
    assert client_for(street_user).get(f"/org-units/{tree.street_b.pk}/children/").status_code == 404


def test_audit_pages_are_for_auditors_only(tree, street_user, client_for, firm):
    client_for(street_user).post(f"/enterprises/{firm.pk}/edit/", _edit_data(firm, version=1, risk_colour="red"))
    assert client_for(street_user).get("/audit/").status_code == 403
    auditor = make_user("auditor", username="shenji_test")
    client = client_for(auditor)
    page = client.get("/audit/?model=enterprise").content.decode()
    assert "甲街道建材厂" in page
    result = client.post("/audit/verify/").content.decode()
    assert "校验通过" in result
