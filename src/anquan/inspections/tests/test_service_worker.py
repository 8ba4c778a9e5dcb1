"""The perform page's service worker view (/inspections/sw.js): headers, scope, public on purpose."""
import pytest
from django.test import Client


def test_service_worker_is_served_with_its_scope_and_no_cache(client):
    response = client.get("/inspections/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/inspections/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "__VERSION__" not in body  # the cache name carries a real version
    assert "网络不可用，已保存的记录不会丢失，请联网后重试" in body
    assert 'request.method !== "GET"' in body  # API posts and any non-GET pass through, never cached


@pytest.mark.django_db
def test_service_worker_is_public_and_the_same_for_everybody(django_user_model):
    anonymous = Client().get("/inspections/sw.js")
    assert anonymous.status_code == 200  # no redirect to /login/: the worker holds no data
    user = django_user_model.objects.create_user(username="sw-user", password="x-Anquan-2026!")
    signed_in = Client()
    signed_in.force_login(user)
    response = signed_in.get("/inspections/sw.js")
    assert response.status_code == 200 and response.content == anonymous.content
    assert response["Cache-Control"] == "no-cache"  # not replaced by the no-store of signed-in pages

