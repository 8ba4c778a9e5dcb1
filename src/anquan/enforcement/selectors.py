"""Reads of enforcement shared by pages, API and other modules (always through ``visible_to``).

``decided_fine(case)`` is the interface for the modules that reward public reports (15% of the fine) and list
dishonest firms: the fine of a decided case, or None.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from anquan.rules.calendar import WorkCalendar, fallback_note, today

from . import clocks
from .models import Case, CaseStatus, PenaltyPublication

FILTERS = ("status", "q", "overdue", "mine", "unpublished")
#: Statuses in which the 90-day decision clock runs.
UNDECIDED = (CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.LEGAL_REVIEW, CaseStatus.DISCUSSION,
             CaseStatus.TO_NOTIFY, CaseStatus.NOTIFIED)
OPEN_WORK = (CaseStatus.PENDING_APPROVAL, *UNDECIDED, CaseStatus.DECIDED, CaseStatus.SERVED)


def decision_overdue_ids(qs, on) -> list[int]:
    """Cases still undecided after their §60 decision date (the date off holidays, so computed per case)."""
    cal = WorkCalendar()
    rows = qs.filter(status__in=UNDECIDED, filed_on__lt=on - datetime.timedelta(days=90 - 1)).values_list("pk", "filed_on", "unit")
    return [pk for pk, filed, _ in rows if clocks.decision_due(filed, calendar=cal) < on]


def case_list(user, params=None, on=None):
    params = params or {}
    on = on or today()
    qs = Case.objects.visible_to(user).select_related("organ", "enterprise", "unit").filter(voided_at__isnull=True)
    status = params.get("status")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    if params.get("mine") == "1":
        qs = qs.filter(inspectors__person_id=getattr(user, "person_id", None), status__in=OPEN_WORK)
    if params.get("overdue") == "1":
        qs = qs.filter(pk__in=decision_overdue_ids(qs, on))
    if params.get("unpublished") == "1":
        qs = qs.filter(status__in=(CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED),
                       decision_kind__in=("fine", "warning")).exclude(
            pk__in=PenaltyPublication.objects.filter(withdrawn_at__isnull=True).values("case_id"))
    text = (params.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(party_name__icontains=text) | Q(cause__icontains=text))
    return qs.order_by("-opened_at", "-id")


def decided_fine(case: Case) -> Decimal | None:
    """The fine decided in ``case`` (a 罚款 decision in force, not withdrawn), else None."""
    if case.decided_at is None or case.status == CaseStatus.WITHDRAWN or case.voided_at is not None or not case.is_fine:
        return None
    return case.fine_amount


@dataclass
class Clock:
    label: str
    due: object
    days_left: int | None
    done_on: object = None
    note: str = ""

    @property
    def overdue(self) -> bool:
        if self.done_on is not None:
            return self.done_on > self.due
        return self.days_left is not None and self.days_left < 0


def clocks_of(case: Case, on=None) -> list[Clock]:
    """The statutory clocks shown on the case page: decision (90 days), service, payment, publication."""
    on = on or today()
    cal = WorkCalendar()
    out = []
    if case.filed_on:
        due = clocks.decision_due(case.filed_on, unit=case.unit, calendar=cal)
        out.append(Clock("作出处罚决定（行政处罚法第六十条，自立案起90日）", due, clocks.days_left(due, on), case.decision_on,
                         fallback_note(case.filed_on, due)))
    if case.decision_on and case.procedure == "general":
        due = clocks.service_due(case.decision_on, unit=case.unit, calendar=cal)
        out.append(Clock("送达（第六十一条、第八十五条，7个工作日）", due, clocks.days_left(due, on), case.served_on,
                         fallback_note(case.decision_on, due)))
    if case.decision_on and case.is_penalty:
        due = clocks.publish_due(case.decision_on, unit=case.unit, calendar=cal)
        pub = case.publications.order_by("published_at").first()
        out.append(Clock("公开（安全生产法第七十八条，7个工作日）", due, clocks.days_left(due, on),
                         clocks_date(pub.published_at) if pub else None, fallback_note(case.decision_on, due)))
    if case.served_on and case.is_fine:
        due = clocks.payment_due(case.served_on, unit=case.unit, calendar=cal)
        out.append(Clock("缴纳罚款（第六十七条，15日）", due, clocks.days_left(due, on)))
    return out


def clocks_date(moment):
    from anquan.rules.calendar import local_date

    return local_date(moment)


def daily_fine_of(case: Case, on=None):
    """§112 (days, total) while the unit refuses to correct, up to the day it corrected; None when it does not apply."""
    if not (case.is_fine and case.correction_refused and case.correction_ordered_on):
        return None
    return clocks.daily_fine(case.fine_amount, case.correction_ordered_on, case.corrected_on or on or today())


def public_penalties(params=None):
    params = params or {}
    qs = PenaltyPublication.objects.public()
    text = (params.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(party_name__icontains=text) | Q(credit_code__icontains=text))
    return qs.order_by("-decision_on", "-id")


def statistics(user) -> dict:
    """Minimal 行政执法统计 over the visible cases: by status, fines decided and paid."""
    qs = Case.objects.visible_to(user).filter(voided_at__isnull=True)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")))
    decided = qs.filter(decided_at__isnull=False).exclude(status=CaseStatus.WITHDRAWN)
    fines = decided.aggregate(total=Sum("fine_amount"))["total"] or Decimal(0)
    paid = decided.aggregate(total=Sum("payments__amount"))["total"] or Decimal(0)
    return {"cases": qs.count(), "by_status": {s: by_status.get(s, 0) for s in CaseStatus.values},
            "decided": decided.count(), "fines_decided": fines, "fines_paid": paid}
