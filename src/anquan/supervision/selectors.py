"""Every read of supervision lists, scoped with ``visible_to`` and shared by pages and the API.

``supervised_figures`` is the one place a group member sees figures of a unit outside their own
scope: a supervisor's grants on a street's org unit do not open its subtree's hazards (grants are
of single objects), so the check page shows the supervised unit's counts through this selector,
which answers only for a check the user can see.
"""
from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Q, Value, When

from anquan.core.services import safe_id
from anquan.rules.calendar import today as shanghai_today

from .models import (
    Circular,
    Finding,
    FindingStatus,
    Interview,
    SupervisionCheck,
    SupervisionGroup,
    finding_overdue_q,
)


def group_list(user):
    return SupervisionGroup.objects.visible_to(user).select_related("formed_by_unit").prefetch_related("streets", "departments")


def check_list(user, group_id=None):
    qs = SupervisionCheck.objects.visible_to(user).select_related("group", "unit", "department")
    if group_id not in (None, ""):
        qs = qs.filter(group_id=safe_id(group_id) or 0)
    return qs


FINDING_FILTERS = ("status", "overdue", "group", "check")


def finding_list(user, params=None, today: datetime.date | None = None):
    """Findings ``user`` may see, overdue first, then by deadline; ``params``: status, overdue=1/0, group, check.
    A value that cannot mean anything matches nothing."""
    today = today or shanghai_today()
    params = params or {}
    qs = Finding.objects.visible_to(user).filter(voided_at__isnull=True)
    status = params.get("status") or ""
    if status:
        qs = qs.filter(status=status) if status in FindingStatus.values else qs.none()
    overdue = params.get("overdue") or ""
    if overdue == "1":
        qs = qs.filter(finding_overdue_q(today))
    elif overdue == "0":
        qs = qs.exclude(finding_overdue_q(today))
    elif overdue:
        qs = qs.none()
    for name, field in (("group", "group_id"), ("check", "check_record_id")):
        value = params.get(name) or ""
        if value:
            qs = qs.filter(**{field: safe_id(value) or 0})
    rank = Case(When(finding_overdue_q(today), then=Value(0)),
                When(status=FindingStatus.CONFIRMED, then=Value(2)), default=Value(1), output_field=IntegerField())
    return (qs.annotate(overdue_rank=rank).select_related("unit", "department", "group", "check_record")
            .order_by("overdue_rank", "deadline", "id"))


def interview_list(user):
    return Interview.objects.visible_to(user).filter(voided_at__isnull=True).select_related(
        "target_unit", "target_department", "target_enterprise", "recorder_unit")


def circular_list(user):
    return Circular.objects.visible_to(user).filter(voided_at__isnull=True).select_related(
        "target_unit", "target_department", "target_enterprise", "recorder_unit")


def supervised_figures(check: SupervisionCheck, today: datetime.date | None = None) -> dict:
    """The supervised unit's hazard and inspection figures for a check the caller already found in scope.

    A street: hazards of places in its territory and inspections of sites there; a department:
    hazards it is responsible for and inspections it organised. From a year before the group's period
    start (the page shows the date).
    """
    from anquan.hazards.choices import HazardLevel, HazardSource, HazardStatus
    from anquan.hazards.models import Hazard
    from anquan.inspections.models import Inspection
    from anquan.rules.deadlines import overdue_q

    today = today or shanghai_today()
    since = check.group.period_start - datetime.timedelta(days=365)
    if check.unit_id:
        hazards = Hazard.objects.filter(grid_path__startswith=check.unit.path)
        inspections = Inspection.objects.filter(site__grid__path__startswith=check.unit.path)
    else:
        hazards = Hazard.objects.filter(department_id=check.department_id)
        inspections = Inspection.objects.filter(department_id=check.department_id)
    hazards = hazards.filter(voided_at__isnull=True, found_on__gte=since)
    inspections = inspections.filter(voided_at__isnull=True, planned_on__gte=since)
    tips = hazards.filter(source__in=[HazardSource.PUBLIC, HazardSource.MEDIA])
    return {
        "since": since,
        "hazards": hazards.count(),
        "open": hazards.exclude(status=HazardStatus.CLOSED).count(),
        "overdue": hazards.filter(overdue_q(today)).count(),
        "major": hazards.filter(level=HazardLevel.MAJOR).count(),
        "tips": tips.count(),
        "tips_open": tips.exclude(status=HazardStatus.CLOSED).count(),
        "inspections": inspections.count(),
        "inspections_performed": inspections.filter(performed_at__isnull=False).count(),
    }


def open_q() -> Q:
    return ~Q(status=FindingStatus.CONFIRMED)
