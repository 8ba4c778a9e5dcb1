"""The daily e-mail digest: one e-mail per person per day listing their notifications not yet e-mailed.

Why a digest: in-app notifications appear at once; e-mail would flood a street official
with dozens of messages a day, so e-mail goes out once a day (``manage.py send_digest``,
later a Celery beat task). A person gets at most one digest per Shanghai day: a second run
the same day sends nothing to someone already e-mailed today (later notifications wait for
tomorrow's digest). Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked
``emailed_at`` in the transaction that sends, so two concurrent runs never send the same
notification twice and a failed send leaves them for the next run.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from anquan.rules.calendar import SHANGHAI
from anquan.rules.calendar import today as shanghai_today

from .models import Notification

SUBJECT = "【安全生产治理平台】{day:%Y年%m月%d日}消息摘要（{count}条）"


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)
    return start, start + datetime.timedelta(days=1)


def _body(user, rows: list[Notification], day: datetime.date) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [f"{user.display_name}，您好：", "", f"截至{day:%Y年%m月%d日}，您有以下{len(rows)}条消息提醒：", ""]
    for i, n in enumerate(rows, 1):
        lines.append(f"{i}. [{n.get_kind_display()}] {n.title}")
        if n.url:
            lines.append(f"   {base}{n.url}")
    lines += ["", f"请登录平台处理。全部消息：{base}/notifications/", "", "（本邮件由系统自动发送，请勿直接回复）"]
    return "\n".join(lines)


def send_digest(today: datetime.date | None = None) -> int:
    """Send today's digests; returns the number of e-mails sent."""
    day = today or shanghai_today()
    start, end = _bounds(day)
    emailed_today = Notification.objects.filter(emailed_at__gte=start, emailed_at__lt=end).values("user_id")
    pending = (Notification.objects.filter(emailed_at__isnull=True, created_at__lt=end, user__is_active=True)
               .exclude(user__email="").exclude(user_id__in=emailed_today))
    sent = 0
    for user_id in sorted(set(pending.values_list("user_id", flat=True))):
        sent += _send_one(user_id, day, end)
    return sent


def _send_one(user_id: int, day: datetime.date, end: datetime.datetime) -> int:
    from django.utils import timezone

    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user_id=user_id, emailed_at__isnull=True, created_at__lt=end)
            .select_related("user", "user__person")
            .order_by("created_at", "id")
        )
        if not rows:
            return 0
        user = rows[0].user
        send_mail(SUBJECT.format(day=day, count=len(rows)), _body(user, rows, day), settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(emailed_at=timezone.now())
    return 1
