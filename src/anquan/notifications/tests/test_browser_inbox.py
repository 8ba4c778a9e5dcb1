"""At phone size: the bell shows the unread count without opening the menu; opening a notification marks it read;
the person chooses the hour of the daily digest on the same page."""
import os

import pytest

from anquan.core.tests.factories import make_tree, make_user
from anquan.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_bell_and_inbox_on_a_phone(live_page, login_as):
    tree = make_tree()
    user = make_user("street_staff", unit=tree.street_a, name="张敏")
    notify([user], "overdue", "overdue:h1", "隐患已逾期：YH202600000001 配电箱未接地", url="/notifications/?show=all")
    notify([user], "sent_back", "sent_back:h2", "整改被退回：YH202600000002", url="/notifications/?show=all")
    page = login_as(user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/notifications/")
    bell = page.locator("#nav-bell")
    assert bell.is_visible() and bell.inner_text().strip() == "2"
    if os.environ.get("ANQUAN_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["ANQUAN_SHOTS"], "inbox-phone.png"), full_page=True)
    page.get_by_role("button", name="隐患已逾期：YH202600000001 配电箱未接地", exact=True).click()
    page.wait_for_url("**/notifications/?show=all")
    assert page.locator("#nav-bell").inner_text().strip() == "1"
    assert "已读" in page.locator("#notifications li").filter(has_text="YH202600000001").inner_text()
    page.select_option("#f-digest-hour", "18")
    page.locator("#digest").get_by_role("button", name="保存").click()
    page.wait_for_url("**/notifications/?show=all*")
    assert "已保存：每天18:00发送摘要" in page.content()
    assert page.locator("#f-digest-hour").input_value() == "18"
    from anquan.notifications.models import Preference

    assert Preference.objects.get(user=user).digest_hour == 18
