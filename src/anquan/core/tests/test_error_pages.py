"""403, 404, 500 and a failed CSRF check answer in Chinese with a way back (pages) or JSON (API).

pytest-django runs with DEBUG=False, so these are the pages production shows.
"""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import include, path

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "No ", "matches the given query")


def _boom(request):
    raise RuntimeError("a bug")


def _refuse(request):
    raise PermissionDenied("只有测试人员可以打开此页")


# A URLconf with the platform's pages plus two views that fail, and the platform's handlers.
urlpatterns = [
    path("boom/", _boom),
    path("refuse/", _refuse),
    path("api/v1/boom", _boom),
    path("", include("anquan.urls")),
]
handler403 = "anquan.core.error_pages.forbidden"
handler404 = "anquan.core.error_pages.not_found"
handler500 = "anquan.core.error_pages.server_error"


@pytest.fixture
def world():
    tree = make_tree()
    other = make_enterprise(tree.other_grid)
    return {
        "tree": tree,
        "street_a": make_user("street_staff", unit=tree.street_a),
        "anweiban": make_user("anweiban", unit=tree.district),
        "other_site": make_site(tree.other_grid, enterprise=other),
    }


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _assert_chinese_page(response, status: int, *words: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert 'data-testid="error-page"' in text
    assert "返回上一页" in text and 'href="/"' in text
    for word in words:
        assert word in text
    for english in ENGLISH:
        assert english not in text, english


def test_an_out_of_scope_object_is_a_chinese_404_page(world):
    response = _client(world["street_a"]).get(f"/sites/{world['other_site'].pk}/")
    _assert_chinese_page(response, 404, "页面不存在")


def test_an_unknown_address_is_a_chinese_404_page_and_json_under_the_api(world):
    client = _client(world["street_a"])
    _assert_chinese_page(client.get("/no-such-page/"), 404, "不存在")
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["detail"] == "对象不存在或无权访问"


def test_audit_log_refused_to_anweiban_in_chinese(world):
    response = _client(world["anweiban"]).get("/audit/")
    _assert_chinese_page(response, 403, "无权访问", "只有审计管理员可以查看审计日志")


def test_coverage_refusal_is_the_same_page(world):
    qiye = make_user("ent_manager", enterprise=make_enterprise(world["tree"].grid_a))
    response = _client(qiye).get("/coverage/")
    _assert_chinese_page(response, 403, "排查覆盖情况仅向")


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_raises_is_a_chinese_500_page_or_json(world):
    client = _client(world["street_a"])
    response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统出现错误" in text and "回到首页" in text and "Server Error" not in text
    response = client.get("/api/v1/boom")
    assert response.status_code == 500 and "系统出现错误" in response.json()["detail"]
    _assert_chinese_page(client.get("/refuse/"), 403, "只有测试人员可以打开此页")


def test_a_failed_csrf_check_is_a_chinese_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["street_a"])
    _assert_chinese_page(client.post("/logout/"), 403, "安全校验失败", "刷新后重新提交")
