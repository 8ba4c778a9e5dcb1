"""Channels: the webhook adapter (an SMS gateway / 政务钉钉-style robot) against a local HTTP server on
127.0.0.1 — off by default, signed when a secret is set, carrying the digest and (when asked) each new
notification at once — and a failing gateway that never breaks the caller. No network beyond loopback."""
import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from anquan.core.tests.factories import make_tree, make_user
from anquan.notifications.channels import EmailChannel, InAppChannel, WebhookChannel, channels
from anquan.notifications.digest import send_digest
from anquan.notifications.models import Notification
from anquan.notifications.services import notify

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-06-02 09:00 +0800")]
SECRET = "SEC-test-secret"


@pytest.fixture
def gateway():
    """A local webhook receiver: records (path+query, JSON body) of every POST and answers 200."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body.decode()), self.headers["Content-Type"]))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode":0}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/robot/send?access_token=T", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def person():
    tree = make_tree()
    user = make_user("street_staff", unit=tree.street_a, username="wang", name="王芳")
    user.person.phone = "13800000000"
    user.person.save(update_fields=["phone"])
    return user


def test_the_webhook_is_off_by_default_and_the_inbox_and_email_are_on():
    assert [type(c) for c in channels()] == [InAppChannel, EmailChannel]
    assert not WebhookChannel().enabled()


def test_the_digest_goes_through_the_webhook_signed_as_the_robots_expect(settings, gateway, person):
    url, received = gateway
    settings.NOTIFICATION_WEBHOOK = {"url": url, "secret": SECRET, "timeout": 2, "push": False, "digest": True}
    notify([person], "overdue", "overdue:h1", "隐患已逾期：YH1", url="/hazards/1/")
    assert received == []  # not pushed at once: push is off
    assert send_digest() == 1  # no e-mail address: the webhook alone carries it
    assert len(received) == 1 and mail.outbox == []
    path, body, content_type = received[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{query['timestamp'][0]}\n{SECRET}".encode(), hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["T"] and query["sign"] == [expected]
    assert content_type.startswith("application/json")
    assert body["msgtype"] == "text" and body["to"] == {"username": "wang", "phone": "13800000000"}
    assert "王芳" in body["text"]["content"] and "[隐患逾期] 隐患已逾期：YH1" in body["text"]["content"]
    assert Notification.objects.get().emailed_at is not None
    assert send_digest() == 0 and len(received) == 1


def test_push_sends_each_new_notification_once_after_commit(settings, gateway, person, django_capture_on_commit_callbacks):
    url, received = gateway
    settings.NOTIFICATION_WEBHOOK = {"url": url, "secret": "", "timeout": 2, "push": True, "digest": False}
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], "sent_back", "sent_back:h2:r1", "整改被退回：YH2")
        assert received == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], "sent_back", "sent_back:h2:r1", "整改被退回：YH2")  # the same fact again
    assert [b["text"]["content"] for _, b, _ in received] == ["[整改被退回] 整改被退回：YH2"]
    assert "sign=" not in received[0][0]


def test_a_failing_gateway_never_breaks_the_caller_and_leaves_the_rows_to_a_channel_that_works(settings, person):
    settings.NOTIFICATION_WEBHOOK = {"url": "http://127.0.0.1:9/closed", "timeout": 1, "push": True, "digest": True}
    notify([person], "overdue", "overdue:h1", "隐患已逾期：YH1")  # push fails quietly
    assert send_digest() == 0  # the gateway failed, no e-mail address: nothing carried, nothing marked
    assert Notification.objects.get().emailed_at is None
    person.email = "wang@example.org"
    person.save(update_fields=["email"])
    assert send_digest() == 1 and len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
