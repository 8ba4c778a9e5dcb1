"""The periodic sweep: turns today's deadline facts into notifications, idempotently.

Why a sweep: overdue is derived from the deadline and today's date, never stored, so
no service call happens at the moment a hazard becomes overdue; a job looks each day
(``manage.py notify_sweep``; a Celery beat task calls ``sweep`` the same way). Each fact
has a key (e.g. ``overdue:h12:d2026-11-20``) and each notification the key plus its
recipient; the unique constraint on ``Notification.key`` makes a second run, or two runs
at once in two processes, create nothing new. A key names the deadline it is about, so an
extension (a new deadline in force) is reminded afresh.

Facts (numbers from anquan.rules: ``notify.deadline_soon_days``,
``overdue.escalate_to_anweiban_days``, each resolved for the hazard's district):

- deadline within N days → the rectifiers (as ``hazards.notice_kinds.rectifiers`` finds them one by one);
- overdue → the rectifiers and the staff of its street, at once;
- overdue by more than N calendar days → the district 安委办;
- listed-supervision (挂牌督办) deadline within N days → the listing unit's 安委办;
- its on-site review after a resume application (``listing.review_days``) due within N days or
  past → the listing unit's 安委办 (the application itself was told at once by the service);
- catching up: a rectification awaiting verification that nobody was told of (imported, or from
  before the event existed) → whoever may verify, exactly as ``hazard_submit`` tells them.

What happens at a moment (a rectification submitted, an extension asked …) is notified by the
service itself (``services.notify_event``, kinds in each app's ``notice_kinds.py``), not here.

Recipients come from one read of the active role assignments (``Directory``), so the
sweep makes a bounded number of queries however many hazards it touches.
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from anquan.accounts.models import RoleAssignment
from anquan.hazards.choices import ListingStatus
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.orgs.models import OrgUnit
from anquan.rules import values
from anquan.rules.calendar import today as shanghai_today
from anquan.rules.deadlines import OPEN_STATUSES, overdue_beyond, overdue_q

from .models import Notification

SWEPT = ("deadline_soon", "overdue", "overdue_escalated", "listing_deadline", "listing_review_due")

ENTERPRISE_ROLES = ("ent_manager", "ent_principal")
BATCH = 1000
#: The longest reminder window the rules allow (notify.deadline_soon_days ≤ 30): bounds the candidate query.
MAX_SOON_DAYS = 30


class Directory:
    """Who holds which post now (active assignments of active users), read once and indexed by anchor."""

    def __init__(self):
        self.enterprise: dict[int, set[int]] = defaultdict(set)
        self.unit_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.department_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        rows = RoleAssignment.objects.active().filter(user__is_active=True).values_list(
            "user_id", "role", "unit_id", "department_id", "enterprise_id")
        for user_id, role, unit_id, department_id, enterprise_id in rows:
            if enterprise_id and role in ENTERPRISE_ROLES:
                self.enterprise[enterprise_id].add(user_id)
            if unit_id:
                self.unit_role[(unit_id, role)].add(user_id)
            if department_id:
                self.department_role[(department_id, role)].add(user_id)

    def in_chain(self, unit_ids, role: str) -> set[int]:
        """Holders of ``role`` anchored at any of ``unit_ids`` (a unit and its ancestors)."""
        return set().union(*(self.unit_role.get((u, role), set()) for u in unit_ids))

    def rectifiers(self, hazard: Hazard) -> set[int]:
        """Batched mirror of hazards.notice_kinds.rectifiers (a test keeps them equal): the enterprise, else the street."""
        if hazard.enterprise_id:
            return set(self.enterprise.get(hazard.enterprise_id, set()))
        return self.in_chain(hazard.grid.ancestor_ids(), "street_staff")

    def street_staff(self, hazard: Hazard) -> set[int]:
        return self.in_chain(hazard.grid.ancestor_ids(), "street_staff")

    def district_anweiban(self, district_id) -> set[int]:
        return set(self.unit_role.get((district_id, "anweiban"), set()))


class Outbox:
    """Notifications to create, written in batches; existing keys are skipped (and the constraint guards races)."""

    def __init__(self):
        self.rows: list[Notification] = []
        self.created: dict[str, int] = {}
        self.hazard_type = ContentType.objects.get_for_model(Hazard)

    def add(self, user_ids, kind: str, key: str, title: str, hazard_id=None, url: str = "", target=None) -> None:
        """Queue one row per user; the target is the hazard ``hazard_id`` unless another ``target`` is given."""
        target_type = ContentType.objects.get_for_model(target) if target is not None else (self.hazard_type if hazard_id else None)
        target_id = target.pk if target is not None else hazard_id
        for user_id in sorted(user_ids):
            self.rows.append(Notification(user_id=user_id, kind=kind, key=f"{key}:u{user_id}"[:200], title=title[:200],
                                          target_type=target_type, target_id=target_id, url=url))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        keys = [r.key for r in self.rows]
        existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        # Sorted by key: concurrent sweeps insert in the same order, so they wait on each other, never deadlock.
        new = sorted((r for r in {r.key: r for r in self.rows}.values() if r.key not in existing), key=lambda r: r.key)
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            from .channels import push_now

            push_now(list(Notification.objects.filter(key__in=[r.key for r in new])))
        for row in new:
            self.created[row.kind] = self.created.get(row.kind, 0) + 1
        self.rows = []


class Rules:
    """Rule values per district (or listing unit), resolved once each."""

    def __init__(self):
        self._values: dict[tuple[str, int | None], int] = {}
        self._units: dict[int | None, OrgUnit | None] = {None: None}

    def unit(self, unit_id) -> OrgUnit | None:
        if unit_id not in self._units:
            self._units[unit_id] = OrgUnit.objects.filter(pk=unit_id).first()
        return self._units[unit_id]

    def get(self, key: str, unit_id) -> int:
        if (key, unit_id) not in self._values:
            self._values[(key, unit_id)] = values.get(key, self.unit(unit_id))
        return self._values[(key, unit_id)]


def _url(hazard_id: int) -> str:
    return f"/hazards/{hazard_id}/"


def _open_hazards():
    return Hazard.objects.filter(voided_at__isnull=True).select_related("grid", "finder_unit", "site")


def sweep(today: datetime.date | None = None) -> dict[str, int]:
    """Create today's notifications; returns how many of each kind were new. Safe to run again or concurrently."""
    today = today or shanghai_today()
    directory, rules, box = Directory(), Rules(), Outbox()
    _deadline_soon(box, today, directory, rules)
    _overdue(box, today, directory, rules)
    _listing_deadline(box, today, directory, rules)
    _listing_review_due(box, today, directory, rules)
    box.flush()
    counts = {kind: box.created.get(kind, 0) for kind in SWEPT}
    counts["verification_waiting"] = catch_up_verifications()
    return counts


def catch_up_verifications() -> int:
    """Rectifications waiting for verification that nobody was told of (rounds imported, or submitted before
    the event existed): tell whoever may verify, as ``hazard_submit`` does (same kind, key and recipients).

    Only hazards with no ``verification_waiting`` notification since their submission are looked at (one
    query), so in steady state this costs nothing; the recipients come from the permission rules
    (``hazards.notice_kinds``), not from a copy of them here.
    """
    from django.db.models import Exists, OuterRef

    from anquan.hazards.choices import HazardStatus
    from anquan.hazards.models import RectificationRound
    from anquan.notifications import kinds
    from anquan.notifications.services import notify

    told = Notification.objects.filter(kind="verification_waiting", target_type=ContentType.objects.get_for_model(Hazard),
                                       target_id=OuterRef("pk"), created_at__gte=OuterRef("submitted_at"))
    waiting = _open_hazards().filter(status=HazardStatus.AWAITING).exclude(Exists(told))
    spec, created = kinds.get("verification_waiting"), 0
    for hazard in waiting.iterator(chunk_size=BATCH):
        rnd = RectificationRound.objects.filter(hazard=hazard, verdict="pending").order_by("-number").first()
        if rnd is None:
            continue
        context = {"round": rnd.number, "actor_id": rnd.submitted_by_id}
        users = {u.pk for u in spec.recipients(hazard, context)} - {rnd.submitted_by_id}
        created += notify(users, "verification_waiting", f"verify:h{hazard.pk}:r{rnd.number}", target=hazard, context=context)
    return created


def _deadline_soon(box: Outbox, today, directory: Directory, rules: Rules) -> None:
    window = today + datetime.timedelta(days=MAX_SOON_DAYS)
    candidates = _open_hazards().filter(status__in=OPEN_STATUSES, deadline_in_force__gte=today, deadline_in_force__lte=window)
    for h in candidates.iterator(chunk_size=BATCH):
        days = rules.get("notify.deadline_soon_days", h.district_id)
        if (h.deadline_in_force - today).days > days:
            continue
        left = (h.deadline_in_force - today).days
        when = "今天到期" if left == 0 else f"{left}天后到期"
        box.add(directory.rectifiers(h), "deadline_soon", f"deadline_soon:h{h.pk}:d{h.deadline_in_force}",
                f"整改期限将至：{h.number}（{h.deadline_in_force:%Y-%m-%d}，{when}）{h.description[:30]}", h.pk, _url(h.pk))


def _overdue(box: Outbox, today, directory: Directory, rules: Rules) -> None:
    for h in _open_hazards().filter(overdue_q(today)).iterator(chunk_size=BATCH):
        deadline = h.deadline_in_force
        box.add(directory.rectifiers(h) | directory.street_staff(h), "overdue", f"overdue:h{h.pk}:d{deadline}",
                f"隐患已逾期：{h.number}（整改期限{deadline:%Y-%m-%d}）请尽快整改，并向安委办提交逾期书面说明", h.pk, _url(h.pk))
        if escalates(h, today, rules):
            n = rules.get("overdue.escalate_to_anweiban_days", h.district_id)
            box.add(directory.district_anweiban(h.district_id), "overdue_escalated",
                    f"overdue_escalated:h{h.pk}:d{deadline}",
                    f"逾期超过{n}日未整改：{h.number} {h.site.name}（整改期限{deadline:%Y-%m-%d}）", h.pk, _url(h.pk))


def escalates(hazard: Hazard, today: datetime.date, rules: Rules | None = None) -> bool:
    """Whether the sweep escalates this hazard today: ``rules.deadlines.overdue_beyond`` with the district's N."""
    rules = rules or Rules()
    n = rules.get("overdue.escalate_to_anweiban_days", hazard.district_id)
    return overdue_beyond(hazard.deadline_in_force, hazard.status, today, n)


def _listing_deadline(box: Outbox, today, directory: Directory, rules: Rules) -> None:
    window = today + datetime.timedelta(days=MAX_SOON_DAYS)
    listings = (ListedSupervision.objects.filter(delisted_at__isnull=True, deadline__gte=today, deadline__lte=window)
                .exclude(status=ListingStatus.DELISTED).filter(Q(hazard__voided_at__isnull=True))
                .select_related("hazard", "listing_unit"))
    for listing in listings.iterator(chunk_size=BATCH):
        unit = listing.listing_unit
        days = rules.get("notify.deadline_soon_days", unit.pk)
        if (listing.deadline - today).days > days:
            continue
        users = set(directory.unit_role.get((unit.pk, "anweiban"), set()))
        box.add(users, "listing_deadline", f"listing_deadline:l{listing.pk}:d{listing.deadline}",
                f"督办期限将至：{listing.document_no}（{listing.deadline:%Y-%m-%d}）{listing.hazard.number}",
                listing.hazard_id, _url(listing.hazard_id))


def _listing_review_due(box: Outbox, today, directory: Directory, rules: Rules) -> None:
    from anquan.rules.calendar import local_date
    from anquan.rules.deadlines import listing_review_due

    waiting = (ListedSupervision.objects.filter(status=ListingStatus.RESUME_APPLIED, delisted_at__isnull=True,
                                                hazard__voided_at__isnull=True)
               .select_related("hazard", "listing_unit"))
    for listing in waiting.iterator(chunk_size=BATCH):
        unit = listing.listing_unit
        due = listing_review_due(local_date(listing.resume_applied_at), unit=unit)
        left = (due - today).days
        if left > rules.get("notify.deadline_soon_days", unit.pk):
            continue
        when = f"已超过审查时限{-left}天" if left < 0 else ("今天到期" if left == 0 else f"{left}天后到期")
        users = set(directory.unit_role.get((unit.pk, "anweiban"), set()))
        box.add(users, "listing_review_due", f"review_due_soon:l{listing.pk}:d{due}",
                f"督办现场审查{when}：{listing.document_no} {listing.hazard.number}（{due:%Y-%m-%d}前）",
                url=_url(listing.hazard_id), target=listing)
