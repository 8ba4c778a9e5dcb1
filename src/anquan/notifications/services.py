"""Creating notifications idempotently, and the one entry point for events: ``notify_event``.

``notify`` stores one notification per person for a fact (its ``key``); a fact already notified
is skipped, so sweeps, replays and races notify nobody twice. ``notify_event`` is what services
call after their audit record: it asks, *after the service's transaction commits*
(``transaction.on_commit``), who hears of the event (the kind's ``recipients`` in the registry,
minus the actor), stores the notifications and hands the new ones to the immediate channels
(``channels.py``). A rolled-back change therefore notifies nobody, and a failing channel never
undoes a committed change.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from anquan.audit.services import record, snapshot
from anquan.core.errors import Invalid
from anquan.core.services import bump_version

from . import kinds
from .models import DEFAULT_DIGEST_HOUR, Notification, Preference

log = logging.getLogger(__name__)


def _user_ids(users: Iterable) -> list[int]:
    ids = {u if isinstance(u, int) else u.pk for u in users}
    return sorted(i for i in ids if i)


def notify(users: Iterable, kind: str, key: str, title: str = "", *, target=None, url: str = "", context: dict | None = None) -> int:
    """One notification per user (users or user ids) for the fact ``key``; returns how many were new.

    Title and link come from the kind's registry entry when not given.
    """
    spec = kinds.get(kind)
    if spec is None:
        raise ValueError(f"unknown notification kind {kind!r}: declare it in the app's notice_kinds.py")
    context = context or {}
    if target is not None:
        title = title or spec.title(target, context)
        url = url or spec.url(target)
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=True) if target is not None else None
    rows = [
        Notification(user_id=user_id, kind=kind, key=f"{key}:u{user_id}"[:200], title=title[:200], url=url[:200],
                     target_type=target_type, target_id=getattr(target, "pk", None))
        for user_id in _user_ids(users)
    ]
    if not rows:
        return 0
    keys = [r.key for r in rows]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    Notification.objects.bulk_create([r for r in rows if r.key not in existing], ignore_conflicts=True)
    # Which rows this call created (a concurrent call may have won some keys between the two reads).
    new = list(Notification.objects.filter(key__in=[k for k in keys if k not in existing]).select_related("user"))
    if new:
        from .channels import push_now

        push_now(new)
    return len(new)


def notify_event(kind: str, target, *, key: str, actor=None, **context) -> None:
    """Notify the people concerned by ``kind`` about ``target`` once the caller's transaction commits.

    Call it inside the service, after its audit record; ``key`` names the fact (e.g. ``submitted:h12:r2``)
    so a replayed request, a retried job or a second call notify nobody twice. The actor never hears
    of their own act. Outside a transaction it runs at once.
    """
    spec = kinds.get(kind)
    if spec is None or spec.recipients is None:
        raise ValueError(f"{kind!r} is not an event kind: declare it with recipients in the app's notice_kinds.py")
    model, pk, actor_id = type(target), target.pk, getattr(actor, "pk", None)
    context = {**context, "actor_id": actor_id}

    def send():
        obj = model._base_manager.filter(pk=pk).first()
        if obj is None:
            return
        users = set(_user_ids(spec.recipients(obj, context))) - {actor_id}
        notify(users, kind, key, target=obj, context=context)

    transaction.on_commit(send, robust=True)


def mark_read(user, ids=None) -> int:
    """Mark the user's own notifications read (all unread when ``ids`` is None); returns how many changed.

    Not audited: the read mark is the person's inbox state, not a business record.
    """
    from django.utils import timezone

    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def preference_of(user) -> Preference:
    """The person's preference (unsaved default when they never chose)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user, digest_hour=DEFAULT_DIGEST_HOUR, version=0)


def parse_hour(value) -> int | None:
    """'off' → None (no digest); '0'…'23' → the hour; anything else (also nothing) is refused in Chinese."""
    text = str(value if value is not None else "").strip()
    if text == "off":
        return None
    if text.isascii() and text.isdigit() and 0 <= int(text) <= 23:
        return int(text)
    raise Invalid({"digest_hour": ["请选择0至23时之间的整点，或选择不接收摘要"]})


@transaction.atomic
def preference_set(*, actor, digest_hour, version) -> Preference:
    """The person chooses the hour of their daily digest (or none); audited, refused on a stale version.

    Only one's own preference: there is no way to name another person.
    """
    hour = parse_hour(digest_hour)
    pref, _ = Preference.objects.get_or_create(user=actor, defaults={"digest_hour": DEFAULT_DIGEST_HOUR})
    before = snapshot(pref, ["digest_hour"])
    if str(version).strip() == "0" and pref.version == 1 and before["digest_hour"] == DEFAULT_DIGEST_HOUR:
        version = 1  # the page showed the default of a person without a row: that row is what they read
    bump_version(pref, version)
    pref.digest_hour = hour
    pref.save(update_fields=["digest_hour", "version", "updated_at"])
    record(actor=actor, assignment=None, obj=pref, action="notifications.preference_set", before=before,
           after=snapshot(pref, ["digest_hour"]))
    return pref
