"""The to-do registry: what waits on a person today, contributed by every app (工作台 / 待办).

Why a registry: the hazard loop, inspections, supervision — and later documents to sign,
accidents, reports, campaigns, enforcement — each know what waits on whom in their own domain.
The workbench only asks them. Each app declares its providers in ``<app>/todos.py``; the
workbench app imports every such module at start-up (``apps.WorkbenchConfig.ready``,
``autodiscover_modules("todos")``), so adding a provider never touches the workbench.

A provider (``Todo``) is::

    key       stable id, "<app>.<what>" (e.g. "hazards.verify"); unique
    label     the Chinese words on the workbench (e.g. "待验收")
    urgency   sort order, lower first: 10 overdue / legally due, 20 waits on my decision,
              30 my own open work, 40 things to read or follow
    roles     role codes (accounts.roles.RoleCode) it applies to; the item is offered only to a
              user holding an active assignment of one of them (empty = every business role)
    count     count(user, today) -> int | None: how many; None = not applicable to this user
    url       url(user) -> str: the filtered list that shows exactly those rows

The rule every provider keeps: ``count`` counts the very queryset the page behind ``url``
lists (the same selector and filters), so a number and its list never disagree
(``workbench/tests/test_counts.py`` checks it for every demo role, reading the list's length from
the ``page`` — a Django paginator page — of the page's template context, so a list page behind a
to-do paginates with ``core.views.paginate`` or alike). ``hint`` is an optional short explanation
shown under the label.

Register with ``register(Todo(...))`` or the ``todo(...)`` decorator on the count function::

    @todo("hazards.verify", "待验收", urgency=20, roles={"street_staff"}, url=lambda user: "/hazards/?...")
    def _verify(user, today):
        return hazard_list(user, {...}, today=today).count()
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

#: Urgency bands (lower comes first on the workbench).
OVERDUE, DECIDE, OWN_WORK, FOLLOW = 10, 20, 30, 40


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    urgency: int
    count: Callable[[object, datetime.date], int | None]
    url: Callable[[object], str]
    roles: frozenset[str] = field(default_factory=frozenset)
    hint: str = ""


@dataclass(frozen=True)
class Item:
    """One line of a person's workbench: a provider's count for them today, and where it leads."""

    key: str
    label: str
    urgency: int
    count: int
    url: str
    hint: str = ""


_REGISTRY: dict[str, Todo] = {}


def register(provider: Todo) -> Todo:
    """Add ``provider``; registering the same key again replaces it (module reloads in tests)."""
    _REGISTRY[provider.key] = provider
    return provider


def todo(key: str, label: str, *, urgency: int, url: Callable, roles: Iterable[str] = (), hint: str = ""):
    """Decorator form of ``register`` for a count function."""
    def wrap(count):
        register(Todo(key, label, urgency, count, url, frozenset(roles), hint))
        return count
    return wrap


def providers() -> list[Todo]:
    return sorted(_REGISTRY.values(), key=lambda p: (p.urgency, p.key))


def applies(provider: Todo, role_codes: set[str]) -> bool:
    return not provider.roles or bool(provider.roles & role_codes)


def items_for(user, today: datetime.date | None = None) -> list[Item]:
    """The user's to-dos today, most urgent first (zero counts included: the page shows them quietly)."""
    from anquan.accounts.scope import active_assignments
    from anquan.rules.calendar import today as shanghai_today

    today = today or shanghai_today()
    role_codes = {a.role for a in active_assignments(user)}
    out = []
    for provider in providers():
        if not applies(provider, role_codes):
            continue
        n = provider.count(user, today)
        if n is None:
            continue
        out.append(Item(provider.key, provider.label, provider.urgency, n, provider.url(user), provider.hint))
    return out
