"""Creating notifications idempotently: a fact already notified (same key) is skipped."""
from __future__ import annotations

from collections.abc import Iterable

from .models import Notification


def notify(users: Iterable, kind: str, key: str, title: str, hazard=None, url: str = "") -> int:
    """One notification per user for the fact ``key``; returns how many were new."""
    rows = [
        Notification(user=user, kind=kind, key=f"{key}:u{user.pk}"[:200], title=title[:200], hazard=hazard, url=url)
        for user in {u.pk: u for u in users}.values()
    ]
    if not rows:
        return 0
    before = Notification.objects.filter(key__in=[r.key for r in rows]).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(key__in=[r.key for r in rows]).count() - before


def mark_read(user, ids=None) -> int:
    """Mark the user's own notifications read (all unread when ``ids`` is None); returns how many changed.

    Not audited: the read mark is the person's inbox state, not a business record.
    """
    from django.utils import timezone

    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
