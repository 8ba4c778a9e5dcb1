"""The registers of what waits on someone in the hazard loop: 挂牌督办台账, 延期审批, 逾期说明 and 提请研究.

One selector per register, shared by its page, its export and the workbench count (``todos.py``),
so a number on the workbench and the register it opens list the same rows. Every register reads
through ``visible_to`` (out-of-scope rows never appear). The params are query-string names as in
``selectors``; a value that cannot mean anything matches nothing.

- listings      status (挂牌督办中 … 已摘牌, or ``active`` = not yet 摘牌), level, unit, q,
                mine=1 (resume applied, awaiting MY level's on-site review)
- extensions    status (待审批/已批准/未批准), unit, q, mine=1 (pending and waiting on me: I may
                decide it by the who-found-it rule and it is not my own request; the 安委办 only
                for what its level found, ``services.common.waiting_q``)
- explanations  kind (explanation/escalation), open=1 (the hazard is not yet 销号) / 0, unit, q,
                from/to (submission date)

Derived columns (days left on a deadline, the 挂牌督办 on-site review clock) are computed per row
for ``today`` (Asia/Shanghai): the 10-day review clock is the rule ``listing.review_days`` where the
listing level sits, counted as ``rules.deadlines.listing_review_due`` counts it.
"""
from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from anquan.accounts.scope import active_assignments
from anquan.core.services import safe_id
from anquan.orgs.models import OrgUnit
from anquan.rules.calendar import local_date
from anquan.rules.deadlines import listing_review_due

from .choices import ExtensionStatus, HazardStatus, ListingLevel, ListingStatus
from .models import DeadlineExtension, ListedSupervision, OverdueExplanation
from .services.common import overseen_q

LISTING_FILTERS = ("status", "level", "unit", "q", "mine")
EXTENSION_FILTERS = ("status", "unit", "q", "mine")
EXPLANATION_FILTERS = ("kind", "open", "unit", "q", "from", "to")


class _Nothing(Exception):
    pass


def _unit_q(user, value) -> Q:
    path = OrgUnit.objects.visible_to(user).filter(pk=safe_id(value) or 0).values_list("path", flat=True).first()
    if path is None:
        raise _Nothing
    return Q(hazard__grid_path__startswith=path)


def _text_q(value) -> Q:
    text = value.strip()[:100]
    return (Q(hazard__number__icontains=text) | Q(hazard__description__icontains=text)
            | Q(hazard__site__name__icontains=text) | Q(hazard__enterprise__name__icontains=text))


def _common(user, qs: QuerySet, params, name: str, value) -> QuerySet:
    if name == "unit":
        return qs.filter(_unit_q(user, value))
    if name == "q":
        return qs.filter(_text_q(value))
    return qs


def _apply(user, qs: QuerySet, params, names, own) -> QuerySet:
    params = params or {}
    try:
        for name in names:
            value = params.get(name)
            if value in (None, ""):
                continue
            qs = own(qs, name, value) if name not in ("unit", "q") else _common(user, qs, params, name, value)
    except _Nothing:
        return qs.none()
    return qs


_HAZARD = ("hazard__site", "hazard__enterprise", "hazard__grid")


# ---------------------------------------------------------------- 挂牌督办台账


def reviewing_units(user) -> list[int]:
    """The units whose listings this user signs off: assignments listing for their level (a 区县以上 安委办,
    a street's staff) permitting the on-site review (only the listing level reviews and 摘牌,
    ``services.supervision._listing_assignment``)."""
    from .services.supervision import may_list_for_level

    return [a.unit_id for a in active_assignments(user)
            if may_list_for_level(a) and a.permits("hazard.review_listing")]


def listing_register(user, params=None) -> QuerySet[ListedSupervision]:
    def own(qs, name, value):
        if name == "status":
            if value == "active":
                return qs.filter(delisted_at__isnull=True)
            if value not in ListingStatus.values:
                raise _Nothing
            return qs.filter(status=value)
        if name == "level":
            if value not in ListingLevel.values:
                raise _Nothing
            return qs.filter(level=value)
        if name == "mine":
            if value != "1":
                raise _Nothing
            return qs.filter(status=ListingStatus.RESUME_APPLIED, listing_unit_id__in=reviewing_units(user))
        return qs

    qs = ListedSupervision.objects.visible_to(user).filter(hazard__voided_at__isnull=True)
    qs = _apply(user, qs, params, LISTING_FILTERS, own)
    return qs.select_related(*_HAZARD, "listing_unit").order_by("deadline", "id")


def listing_rows(listings, today: datetime.date) -> list[ListedSupervision]:
    """Each listing with ``days_left`` (督办期限 − today) and, once resume is applied, the review clock."""
    rows = list(listings)
    for li in rows:
        li.days_left = (li.deadline - today).days if li.delisted_at is None else None
        li.review_due = None
        li.review_days_left = None
        if li.status == ListingStatus.RESUME_APPLIED and li.resume_applied_at:
            li.review_due = listing_review_due(local_date(li.resume_applied_at), unit=li.listing_unit)
            li.review_days_left = (li.review_due - today).days
    return rows


# ---------------------------------------------------------------- 延期审批


def extension_register(user, params=None) -> QuerySet[DeadlineExtension]:
    def own(qs, name, value):
        if name == "status":
            if value not in ExtensionStatus.values:
                raise _Nothing
            return qs.filter(status=value)
        if name == "mine":
            if value != "1":
                raise _Nothing
            return qs.filter(mine_q(user))
        return qs

    qs = DeadlineExtension.objects.visible_to(user).filter(hazard__voided_at__isnull=True)
    qs = _apply(user, qs, params, EXTENSION_FILTERS, own)
    return qs.select_related(*_HAZARD, "requested_by__person", "decided_by__person").order_by(
        "previous_deadline", "requested_at", "id")


def mine_q(user) -> Q:
    """Pending requests waiting on ``user``: ``services.deadlines.extension_decide`` would accept the
    decision, and nobody closer decides it (``services.common.waiting_q``)."""
    from .models import Hazard

    decidable = Hazard.objects.filter(overseen_q(user, "hazard.decide_extension", waiting=True)).values("pk")
    return Q(status=ExtensionStatus.PENDING, hazard__in=decidable) & ~Q(requested_by=user)


def extension_rows(extensions, today: datetime.date) -> list[DeadlineExtension]:
    """Each request with ``days_left`` on the deadline it asks to move (negative once passed)."""
    rows = list(extensions)
    for ext in rows:
        ext.days_left = (ext.previous_deadline - today).days if ext.status == ExtensionStatus.PENDING else None
    return rows


# ---------------------------------------------------------------- 逾期说明 / 提请研究


def explanation_register(user, params=None) -> QuerySet[OverdueExplanation]:
    def own(qs, name, value):
        if name == "kind":
            if value not in OverdueExplanation.Kind.values:
                raise _Nothing
            return qs.filter(kind=value)
        if name == "open":
            if value not in ("0", "1"):
                raise _Nothing
            closed = Q(hazard__status=HazardStatus.CLOSED)
            return qs.exclude(closed) if value == "1" else qs.filter(closed)
        if name in ("from", "to"):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                raise _Nothing from None
            return qs.filter(**{"submitted_at__date__gte" if name == "from" else "submitted_at__date__lte": day})
        return qs

    qs = OverdueExplanation.objects.visible_to(user).filter(hazard__voided_at__isnull=True)
    qs = _apply(user, qs, params, EXPLANATION_FILTERS, own)
    return qs.select_related(*_HAZARD, "submitted_by__person").order_by("-submitted_at", "-id")
