"""The accident lists pages, API, exports and the workbench share (one filter, one meaning).

``accident_list(user, params, today=None, now=None)`` takes the query-string names the list page uses:
level, kind, status, year, industry, unit (a territory id: its subtree), q (number, unit name, place),
and ``todo`` — the workbench's lists (each to-do's count is the length of exactly this list):

- ``legs``: a required leg the user may record that is not yet passed on, with its clock running;
- ``investigation_due``: investigations the user may act on, report not submitted, due within 7 days or past;
- ``approval_due``: report submitted, not yet 批复;
- ``evaluation_due``: 批复 given, evaluation not yet recorded, due within 30 days or past.
"""
from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.services import safe_id
from anquan.rules.calendar import today as shanghai_today

from .choices import AccidentKind, AccidentLevel, AccidentStatus, GovLevel
from .models import Accident, ReportLeg
from .services.reporting import OUTSIDE_RECORDERS

INVESTIGATION_SOON_DAYS = 7
EVALUATION_SOON_DAYS = 30


def _own_unit(assignment):
    if assignment.scope_kind == ScopeKind.TERRITORY:
        return assignment.unit
    if assignment.scope_kind == ScopeKind.DEPARTMENT:
        return assignment.department.unit
    return None


def legs_to_record_q(user) -> Q:
    """Accidents with an open leg (required, not top, not passed on) on which one assignment of ``user`` may
    record (``accident.forward``, in scope, its own level's leg or the unit's leg in its chain) — the SQL twin of
    ``services.reporting.may_record_leg`` for the legs inside the tree."""
    combined = Q(pk__in=[])
    open_legs = ReportLeg.objects.filter(accident=OuterRef("pk"), required=True, is_top=False, forwarded_at__isnull=True)
    for assignment in active_assignments(user):
        own = _own_unit(assignment) if assignment.permits("accident.forward") else None
        if own is None:
            continue
        mine = open_legs.filter(Q(unit__path__startswith=own.path) | Q(level=GovLevel.UNIT, unit__isnull=True))
        if own.kind in OUTSIDE_RECORDERS:
            mine = open_legs.filter(Q(unit__path__startswith=own.path) | Q(unit__isnull=True))
        combined |= Accident.objects.assignment_q(assignment) & Q(Exists(mine))
    return combined


def investigator_q(user) -> Q:
    """Accidents whose investigation one assignment of ``user`` may act on (``common.may_investigate`` in SQL)."""
    combined = Q(pk__in=[])
    for assignment in active_assignments(user):
        own = _own_unit(assignment) if assignment.permits("accident.investigate") else None
        if own is None:
            continue
        rule = Q(investigation__body_unit__path__startswith=own.path)
        if own.depth == 0:
            rule |= Q(investigation__body_unit__isnull=True)
        combined |= Accident.objects.assignment_q(assignment) & rule
    return combined


def todo_q(user, todo: str, today: datetime.date) -> Q | None:
    if todo == "legs":
        return legs_to_record_q(user) & ~Q(status=AccidentStatus.CLOSED)
    if todo == "investigation_due":
        return investigator_q(user) & Q(status__in=[AccidentStatus.REPORTED, AccidentStatus.INVESTIGATING],
                                        investigation__due_on__lte=today + datetime.timedelta(days=INVESTIGATION_SOON_DAYS))
    if todo == "approval_due":
        return investigator_q(user) & Q(status=AccidentStatus.REPORT_SUBMITTED)
    if todo == "evaluation_due":
        return investigator_q(user) & Q(investigation__approved_on__isnull=False, investigation__evaluated_on__isnull=True,
                                        investigation__evaluation_due_on__lte=today + datetime.timedelta(days=EVALUATION_SOON_DAYS))
    return None


def accident_list(user, params=None, *, today: datetime.date | None = None):
    """The accidents ``user`` may see, filtered by ``params`` (a dict or QueryDict); unknown values are ignored."""
    params = params or {}
    today = today or shanghai_today()
    qs = Accident.objects.visible_to(user).live().select_related("unit", "industry", "enterprise", "investigation")
    level = params.get("level")
    if level in AccidentLevel.values:
        qs = qs.filter(level=level)
    kind = params.get("kind")
    if kind in AccidentKind.values:
        qs = qs.filter(kind=kind)
    status = params.get("status")
    if status in AccidentStatus.values:
        qs = qs.filter(status=status)
    year = safe_id(params.get("year"))
    if year and 1900 < year < 3000:
        qs = qs.filter(occurred_on__year=year)
    industry = safe_id(params.get("industry"))
    if industry:
        qs = qs.filter(industry_id=industry)
    unit = safe_id(params.get("unit"))
    if unit:
        from anquan.orgs.models import OrgUnit

        place = OrgUnit.objects.filter(pk=unit).first()
        qs = qs.filter(unit_path__startswith=place.path) if place else qs.none()
    text = (params.get("q") or "").strip()[:50]
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(unit_name__icontains=text) | Q(place__icontains=text))
    todo = params.get("todo")
    if todo:
        q = todo_q(user, todo, today)
        qs = qs.filter(q) if q is not None else qs.none()
    return qs.order_by("-occurred_at", "-id")
