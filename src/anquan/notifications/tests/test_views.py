"""The inbox page: only one's own notifications, marking read, opening one, and the bell's count in the navbar."""
import pytest
from django.test import Client

from anquan.core.tests.factories import make_tree, make_user
from anquan.notifications.models import Notification
from anquan.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    tree = make_tree()
    me = make_user("street_staff", unit=tree.street_a)
    other = make_user("street_staff", unit=tree.street_b)
    notify([me], "overdue", "overdue:h1", "隐患已逾期：YH-MINE", url="/hazards/1/")
    notify([me], "sent_back", "sent_back:h2", "整改被退回：YH-SECOND", url="https://evil.example/")
    notify([other], "overdue", "overdue:h9", "隐患已逾期：YH-OTHERS")
    client = Client()
    client.force_login(me)
    return me, other, client


def test_the_inbox_shows_only_my_notifications_and_the_bell_counts_them(setup):
    _me, _, client = setup
    page = client.get("/notifications/").content.decode()
    assert "YH-MINE" in page and "YH-SECOND" in page and "YH-OTHERS" not in page
    home = client.get("/").content.decode()
    assert 'id="nav-bell"' in home and "2条未读" in home


def test_opening_marks_read_and_stays_on_this_site(setup):
    me, other, client = setup
    mine = Notification.objects.get(user=me, kind="overdue")
    response = client.post(f"/notifications/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/hazards/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    outside = Notification.objects.get(user=me, kind="sent_back")
    assert client.post(f"/notifications/{outside.pk}/open/")["Location"] == "/notifications/"
    others = Notification.objects.get(user=other)
    assert client.post(f"/notifications/{others.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=others.pk).read_at is None


def test_mark_all_read(setup):
    me, other, client = setup
    assert client.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()
    page = client.get("/notifications/").content.decode()
    assert "没有未读消息" in page and "条未读" not in page
    assert "YH-MINE" in client.get("/notifications/?show=all").content.decode()


def test_the_inbox_needs_sign_in():
    assert Client().get("/notifications/").status_code == 302


def test_marking_chosen_ones_read_ignores_bad_ids_and_never_marks_everything(setup):
    me, _, client = setup
    chosen = Notification.objects.get(user=me, kind="overdue")
    for bad in (["abc"], ["²"], ["-1"], ["99999999999999999999999"]):
        assert client.post("/notifications/read/", {"ids": bad}).status_code == 302, bad
    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 2
    assert client.post("/notifications/read/", {"ids": [str(chosen.pk), "²"]}).status_code == 302
    assert list(Notification.objects.filter(user=me, read_at__isnull=True)) == [
        Notification.objects.get(user=me, kind="sent_back")]


def test_the_kind_filter_lists_every_apps_kinds_in_chinese_and_ignores_unknown_ones(setup):
    _me, _, client = setup
    page = client.get("/notifications/").content.decode()
    for label in ("隐患逾期", "待验收", "延期待审批", "逾期书面说明", "挂牌督办", "督查问题待整改"):
        assert f">{label}</option>" in page, label
    only = client.get("/notifications/?kind=sent_back").content.decode()
    assert "YH-SECOND" in only and "YH-MINE" not in only
    for junk in ("nonsense", "overdue'--", "²", "x" * 500):
        response = client.get("/notifications/", {"kind": junk})
        assert response.status_code == 200 and "YH-MINE" in response.content.decode()


def test_the_digest_hour_is_chosen_on_the_inbox_page_and_audited(setup):
    from anquan.audit.models import AuditEvent
    from anquan.notifications.models import Preference

    me, other, client = setup
    page = client.get("/notifications/").content.decode()
    assert 'name="digest_hour"' in page and '<option value="8" selected>每天 08:00</option>' in page
    assert 'name="version" value="0"' in page
    response = client.post("/notifications/preference/", {"digest_hour": "18", "version": "0"})
    assert response.status_code == 302
    assert Preference.objects.get(user=me).digest_hour == 18 and not Preference.objects.filter(user=other).exists()
    assert AuditEvent.objects.filter(action="notifications.preference_set", actor=me).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "已保存：每天18:00发送摘要" in page and '<option value="18" selected>每天 18:00</option>' in page
    # A stale form (another tab) and nonsense are refused in Chinese, never a 500, and change nothing.
    for body in ({"digest_hour": "7", "version": "0"}, {"digest_hour": "99", "version": "2"}, {"digest_hour": "7", "version": "x"}, {"version": "2"}, {}):
        response = client.post("/notifications/preference/", body, follow=True)
        assert response.status_code == 200 and Preference.objects.get(user=me).digest_hour == 18, body
    assert "请选择0至23时之间的整点" in client.post("/notifications/preference/", {"digest_hour": "99", "version": "2"},
                                                  follow=True).content.decode()
    client.post("/notifications/preference/", {"digest_hour": "off", "version": "2"})
    assert Preference.objects.get(user=me).digest_hour is None
    assert '<option value="off" selected>不接收每日摘要</option>' in client.get("/notifications/").content.decode()
    assert Client().post("/notifications/preference/", {"digest_hour": "7", "version": "0"}).status_code == 302  # to sign-in
