"""The registry of notification kinds: each app declares what it tells people, in its own ``notice_kinds.py``.

Why a registry: a notification is about *something* (a hazard, a supervision finding, later a report
or a campaign); the notifications app must not know every domain. Each app lists its kinds once —
a stable code (stored in ``Notification.kind``), the Chinese label shown in the inbox and the
digest, the model of its target, how to write the title and the link from the target, and, for
kinds sent at the moment of an event, who hears of it (``recipients``). ``apps.NotificationsConfig.ready``
imports every installed app's ``notice_kinds`` module, so an app plugs in without touching this one.

A kind's ``recipients(target, context)`` answers with users (or user ids); the actor of the event is
always left out by ``services.notify_event``. Recipients should come from
``notifications.recipients.who_may`` (the permission rules) rather than a second copy of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: Badge colours of the inbox, from the most to the least urgent.
TONES = ("danger", "warning", "primary", "info", "secondary")


@dataclass(frozen=True)
class NoticeKind:
    #: Stored in ``Notification.kind``; unique across apps, never renamed (old rows keep it).
    code: str
    #: Chinese label shown in the inbox filter, badges and the digest.
    label: str
    #: ``"app_label.ModelName"`` of the target (the thing the notification is about).
    model: str
    #: ``title(target, context) -> str``: one line, what happened and what to do.
    title: Callable[[object, dict], str]
    #: ``url(target) -> str``: the page to open (a path inside this site).
    url: Callable[[object], str]
    #: ``recipients(target, context) -> users``; None for kinds only the periodic sweep creates.
    recipients: Callable[[object, dict], Iterable] | None = None
    #: Badge colour (one of ``TONES``).
    tone: str = "secondary"


_REGISTRY: dict[str, NoticeKind] = {}


def register(*kinds: NoticeKind) -> None:
    """Declare kinds (called at import of an app's ``notice_kinds`` module); a code taken by another kind is an error."""
    for kind in kinds:
        if kind.tone not in TONES:
            raise ValueError(f"notice kind {kind.code}: unknown tone {kind.tone!r}")
        known = _REGISTRY.get(kind.code)
        # A module imported again (autoreload) re-declares the same kind with new functions: fine.
        if known is not None and (known.model, known.label) != (kind.model, kind.label):
            raise ValueError(f"notice kind {kind.code!r} is declared twice")
        _REGISTRY[kind.code] = kind


def get(code: str) -> NoticeKind | None:
    return _REGISTRY.get(code)


def all_kinds() -> list[NoticeKind]:
    return list(_REGISTRY.values())


def label(code: str) -> str:
    """The Chinese label of a stored code; an unknown code (an app removed) shows as 其他消息, never the raw code."""
    kind = _REGISTRY.get(code)
    return kind.label if kind else "其他消息"


def tone(code: str) -> str:
    kind = _REGISTRY.get(code)
    return kind.tone if kind else "secondary"


def choices() -> list[tuple[str, str]]:
    """(code, label) of every kind, for the inbox filter."""
    return [(k.code, k.label) for k in _REGISTRY.values()]
