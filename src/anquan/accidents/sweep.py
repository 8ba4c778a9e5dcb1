"""The accident clocks are hours (1 and 2, 第九条、第十一条), so their reminders cannot wait for the daily sweep:
``manage.py accident_leg_sweep`` (every few minutes by cron or Celery beat) tells whoever keeps a leg that it is
due within ``SOON`` or late. Idempotent by key (one notice per leg, per due instant, per fact)."""
from __future__ import annotations

import datetime

from django.utils import timezone

from anquan.notifications.services import notify_event

from .models import ReportLeg

SOON = datetime.timedelta(minutes=30)


def sweep_legs(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"soon": 0, "late": 0}
    open_legs = (ReportLeg.objects.filter(required=True, is_top=False, forwarded_at__isnull=True, due_at__isnull=False,
                                          accident__voided_at__isnull=True)
                 .select_related("accident__unit"))
    for leg in open_legs.filter(due_at__lte=now + SOON):
        stamp = f"{leg.due_at:%Y%m%d%H%M}"
        if leg.due_at < now:
            notify_event("accident_leg_late", leg, key=f"leg_late:l{leg.pk}:{stamp}")
            counts["late"] += 1
        else:
            notify_event("accident_leg_due_soon", leg, key=f"leg_soon:l{leg.pk}:{stamp}")
            counts["soon"] += 1
    return counts
