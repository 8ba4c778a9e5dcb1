"""The interactive API docs load entirely from this server (intranet rule) and list the operations."""
import pytest

from anquan.accounts.models import RoleAssignment, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_without_the_internet(login_as):
    user = User.objects.create_user("docs_reader")
    RoleAssignment.objects.create(user=user, role="sysadmin")
    page = login_as(user)
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/enterprises").first.wait_for()
    assert "安全生产治理平台 API" in page.locator("body").inner_text()
    # live_page fails the test if anything was requested from outside 127.0.0.1
