"""Channels: how a notification leaves the platform. In-app and e-mail now; an SMS gateway or a
government messaging platform (政务钉钉/浙政钉-style robot webhooks) plugs in as an adapter.

Why adapters: the inbox row is the notification (in-app); everything else is a way to carry it —
at once (``push``: an SMS for an urgent fact) or once a day (``digest``: e-mail at the person's
chosen hour). Each channel says whether it is configured (``enabled``); settings list the channels
in use (``NOTIFICATION_CHANNELS``), and the webhook is off until ``NOTIFICATION_WEBHOOK["url"]`` is set
(government networks are intranets: nothing is sent anywhere by default).

A channel never raises into the caller: ``push`` runs after the change committed, and a failing
digest channel leaves the rows for the next run only when *no* channel carried them.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

DIGEST_SUBJECT = "【安全生产治理平台】{day:%Y年%m月%d日}消息摘要（{count}条）"


def digest_text(user, rows, day) -> str:
    """The digest as plain text (e-mail body, webhook message): every notification with its link."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [f"{user.display_name}，您好：", "", f"截至{day:%Y年%m月%d日}，您有以下{len(rows)}条消息提醒：", ""]
    for i, n in enumerate(rows, 1):
        lines.append(f"{i}. [{n.get_kind_display()}] {n.title}")
        if n.url:
            lines.append(f"   {base}{n.url}")
    lines += ["", f"请登录平台处理。全部消息：{base}/notifications/", "", "（本消息由系统自动发送，请勿直接回复）"]
    return "\n".join(lines)


class Channel:
    """One way of carrying notifications; subclasses override what they support."""

    code = ""
    label = ""

    def enabled(self) -> bool:
        return True

    def push(self, notifications: list) -> None:
        """Deliver new notifications at once (after commit). Default: nothing (the inbox has them)."""

    def digest(self, user, rows: list, day) -> bool:
        """Deliver one person's daily digest; True when it was carried. Default: this channel has no digest."""
        return False


class InAppChannel(Channel):
    """The inbox itself (消息提醒 page and the navbar bell): the stored row is the delivery."""

    code, label = "inapp", "站内消息"


class EmailChannel(Channel):
    """The daily digest by e-mail, to a person with an address (one e-mail a day, not one per fact)."""

    code, label = "email", "电子邮件"

    def digest(self, user, rows, day) -> bool:
        if not user.email:
            return False
        send_mail(DIGEST_SUBJECT.format(day=day, count=len(rows)), digest_text(user, rows, day),
                  settings.DEFAULT_FROM_EMAIL, [user.email])
        return True


class WebhookChannel(Channel):
    """A generic JSON webhook: an SMS gateway or a 政务钉钉/浙政钉-style robot.

    Configured in ``settings.NOTIFICATION_WEBHOOK``: ``url`` (empty = off), ``secret`` (then the
    request carries ``timestamp`` and ``sign`` = base64(HMAC-SHA256(secret, "timestamp\\nsecret")) in
    the query, as the DingTalk robots expect), ``timeout`` seconds, ``push`` (send each new
    notification at once) and ``digest`` (send the daily digest). The body is
    ``{"msgtype": "text", "text": {"content": …}, "to": {"username": …, "phone": …}}``; a gateway
    maps ``to`` to its own addressing.
    """

    code, label = "webhook", "短信/政务消息"

    def __init__(self, config: dict | None = None):
        self.config = {"url": "", "secret": "", "timeout": 5, "push": False, "digest": True,
                       **(getattr(settings, "NOTIFICATION_WEBHOOK", None) or {}), **(config or {})}

    def enabled(self) -> bool:
        return bool(self.config.get("url"))

    def _address(self) -> str:
        url, secret = self.config["url"], self.config.get("secret") or ""
        if not secret:
            return url
        timestamp = str(int(time.time() * 1000))
        mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        query = urllib.parse.urlencode({"timestamp": timestamp, "sign": base64.b64encode(mac).decode()})
        return f"{url}{'&' if '?' in url else '?'}{query}"

    def send(self, user, content: str) -> bool:
        """POST one message; False (logged) on any failure — a channel never breaks the caller."""
        person = getattr(user, "person", None)
        body = {"msgtype": "text", "text": {"content": content},
                "to": {"username": user.username, "phone": getattr(person, "phone", "") or ""}}
        request = urllib.request.Request(self._address(), data=json.dumps(body, ensure_ascii=False).encode(),
                                         headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=float(self.config.get("timeout") or 5)) as answer:
                return 200 <= answer.status < 300
        except (OSError, ValueError) as exc:
            log.warning("notification webhook failed for %s: %s", user.username, exc)
            return False

    def push(self, notifications) -> None:
        if not self.config.get("push"):
            return
        for n in notifications:
            self.send(n.user, f"[{n.get_kind_display()}] {n.title}")

    def digest(self, user, rows, day) -> bool:
        if not self.config.get("digest"):
            return False
        return self.send(user, digest_text(user, rows, day))


DEFAULT_CHANNELS = [
    "anquan.notifications.channels.InAppChannel",
    "anquan.notifications.channels.EmailChannel",
    "anquan.notifications.channels.WebhookChannel",
]


def channels() -> list[Channel]:
    """The configured channels that are enabled now (settings may change in tests, so read each time)."""
    paths = getattr(settings, "NOTIFICATION_CHANNELS", None) or DEFAULT_CHANNELS
    found = [import_string(path)() for path in paths]
    return [c for c in found if c.enabled()]


def push_now(notifications: list) -> None:
    """Hand newly created notifications to the channels that deliver at once, after the transaction commits."""
    pushing = [c for c in channels() if type(c).push is not Channel.push]
    if not pushing or not notifications:
        return
    ids = [n.pk for n in notifications if n.pk]

    def send():
        from .models import Notification

        rows = list(Notification.objects.filter(pk__in=ids).select_related("user", "user__person"))
        for channel in pushing:
            try:
                channel.push(rows)
            except Exception:  # a channel never breaks the caller
                log.exception("notification channel %s failed", channel.code)

    transaction.on_commit(send, robust=True)
