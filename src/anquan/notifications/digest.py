"""The daily digest: once a day, at the hour each person chose, one message listing their notifications
not yet sent in a digest, through every digest channel (e-mail; a configured webhook).

Why a digest: in-app notifications appear at once; e-mail would flood a street official with dozens
of messages a day, so it goes out once a day. Why the person's hour: a grid worker starts at 7, an
office at 9; ``Preference.digest_hour`` (default 8, or none) says when. The beat task runs every
hour (``send_digest``): a person is due once the Shanghai clock has reached their hour and they got
no digest yet that Shanghai day — so a run missed at 8:00 is caught up at 9:00, and 23:30 Shanghai
(15:30 UTC) still counts as that day. A person gets at most one digest per day: notifications that
arrive later wait for tomorrow's. Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked
``emailed_at`` in the transaction that sends, so two concurrent runs never send the same row twice and
a failed send leaves them for the next run.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.rules.calendar import SHANGHAI

from .channels import DIGEST_SUBJECT, Channel, channels, digest_text  # noqa: F401 - re-exported for callers
from .models import DEFAULT_DIGEST_HOUR, Notification, Preference

SUBJECT = DIGEST_SUBJECT


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)
    return start, start + datetime.timedelta(days=1)


def _due_hours_q(hour: int) -> Q:
    """Users whose digest hour has come by ``hour`` o'clock (no preference row = the default hour)."""
    chose = Preference.objects.filter(digest_hour__isnull=False, digest_hour__lte=hour).values("user_id")
    q = Q(user_id__in=chose)
    if DEFAULT_DIGEST_HOUR <= hour:
        q |= ~Q(user_id__in=Preference.objects.values("user_id"))
    return q


def send_digest(today: datetime.date | None = None, *, now: datetime.datetime | None = None) -> int:
    """Send the digests due now; returns how many people got one.

    ``today`` (a date, e.g. from the management command) sends the digest of that day to everyone
    who wants one, whatever their hour; without it, the Shanghai clock decides day and hour.
    """
    if today is None:
        local = timezone.localtime(now or timezone.now(), SHANGHAI)
        day, hour = local.date(), local.hour
    else:
        day, hour = today, 23
    start, end = _bounds(day)
    carriers = [c for c in channels() if type(c).digest is not Channel.digest]
    if not carriers:
        return 0
    sent_today = Notification.objects.filter(emailed_at__gte=start, emailed_at__lt=end).values("user_id")
    pending = (Notification.objects.filter(_due_hours_q(hour), emailed_at__isnull=True, created_at__lt=end, user__is_active=True)
               .exclude(user_id__in=sent_today))
    sent = 0
    for user_id in sorted(set(pending.values_list("user_id", flat=True))):
        sent += _send_one(user_id, day, end, carriers)
    return sent


def _send_one(user_id: int, day: datetime.date, end: datetime.datetime, carriers: list[Channel]) -> int:
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
        carried = [channel.digest(user, rows, day) for channel in carriers]
        if not any(carried):
            return 0  # no address on any channel: the rows wait (and stay visible in the inbox)
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(emailed_at=timezone.now())
    return 1
