"""Look-back (倒查): who inspected a site, in which role, what they found and what they missed.

Why: "two mechanisms" of accountability — a hazard that should have been found and was
not is traced back to whoever inspected the place before. For a site (or every site of
an enterprise) and a date range this module lists the performed inspections with:

- the inspectors and the roles their accounts held *at the time* of the visit (role
  assignments are ended, never deleted, so the past can be asked);
- what they found: hazards linked to the inspection, or recorded at the site on the day
  of the visit by its recorder or one of its inspectors;
- what they missed: hazards at the same site, in the same top-level category (GB/T 13861:
  人的因素 / 物的因素 / 环境因素 / 管理因素) as a category they checked, found *later* by
  others. Accidents come with their own issue: ``MISSED_SOURCES`` is the hook where the
  accidents app adds "revealed by an accident at the site" findings.

Everything is read-only and read through ``visible_to``: a user looks back only over the
sites, inspections and hazards in their scope. ``inspection_record_visit`` is the minimal
write needed to have something to look back at (the inspections issue extends it).
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from anquan.accounts.models import Person, RoleAssignment
from anquan.accounts.roles import ROLES, ScopeKind
from anquan.audit.services import record, snapshot
from anquan.core.errors import Forbidden, Invalid, NotFound
from anquan.core.services import safe_id
from anquan.enterprises.models import Enterprise, Site
from anquan.inspections.models import Inspection, InspectionKind, InspectionStatus
from anquan.rules.calendar import SHANGHAI, local_date

from .models import Hazard, HazardCategory

#: The longest range one look-back may cover (keeps the page and the API bounded).
MAX_RANGE_DAYS = 3 * 366
#: Callables ``(user, site_ids, after: datetime) -> list[(Hazard, label)]`` adding further
#: "found later" evidence (e.g. hazards revealed by an accident); the accidents app appends here.
MISSED_SOURCES: list[Callable] = []

KIND_OF_SCOPE = {
    ScopeKind.TERRITORY: InspectionKind.TERRITORIAL,
    ScopeKind.DEPARTMENT: InspectionKind.INDUSTRY,
    ScopeKind.ENTERPRISE: InspectionKind.SELF,
    ScopeKind.GRANTS: InspectionKind.EXPERT,
}


@dataclass
class Inspector:
    person: Person
    roles: list[str]  # the roles (with their unit) the person's accounts held at the time of the visit


@dataclass
class Missed:
    hazard: Hazard
    root: str  # the shared top-level category
    days_later: int
    how: str = "其后检查发现"


@dataclass
class Visit:
    inspection: Inspection
    inspectors: list[Inspector]
    recorded_role_label: str
    categories: list[HazardCategory]
    found: list[Hazard] = field(default_factory=list)
    missed: list[Missed] = field(default_factory=list)


@dataclass
class Report:
    sites: list[Site]
    enterprise: Enterprise | None
    date_from: datetime.date
    date_to: datetime.date
    visits: list[Visit]

    @property
    def missed_count(self) -> int:
        return sum(len(v.missed) for v in self.visits)


def _role_label(code: str) -> str:
    return ROLES[code].label if code in ROLES else code


def _root_prefix(path: str) -> str:
    """The path prefix of a category's top-level ancestor ("/B/B01/B0102/" → "/B/")."""
    lead = "/" if path.startswith("/") else ""
    return f"{lead}{path.strip('/').split('/')[0]}/"


def _day_bounds(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=SHANGHAI)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI)
    return start, end


def resolve_place(user, *, site=None, enterprise=None) -> tuple[list[Site], Enterprise | None]:
    """The visible site, or the visible sites of a visible enterprise; 404 for anything out of scope."""
    if site not in (None, ""):
        found = Site.objects.visible_to(user).filter(pk=safe_id(site) or 0).select_related("grid", "enterprise").first()
        if found is None:
            raise NotFound()
        return [found], found.enterprise
    if enterprise not in (None, ""):
        firm = Enterprise.objects.visible_to(user).filter(pk=safe_id(enterprise) or 0).first()
        if firm is None:
            raise NotFound()
        sites = list(Site.objects.visible_to(user).filter(enterprise=firm).select_related("grid", "enterprise").order_by("name", "id"))
        return sites, firm
    raise Invalid({"site": ["请选择要倒查的场所或企业"]})


def check_range(date_from, date_to) -> tuple[datetime.date, datetime.date]:
    if not isinstance(date_from, datetime.date) or not isinstance(date_to, datetime.date):
        raise Invalid({"from": ["请填写起止日期（YYYY-MM-DD）"]})
    if date_to < date_from:
        raise Invalid({"to": ["结束日期不能早于开始日期"]})
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise Invalid({"to": ["一次倒查的时间范围不能超过三年"]})
    return date_from, date_to


def _roles_at(person_ids: set[int], moments: list[datetime.datetime]) -> list[RoleAssignment]:
    """Every assignment of these people's accounts that overlaps the visits (one query)."""
    if not person_ids or not moments:
        return []
    first, last = min(moments), max(moments)
    return list(
        RoleAssignment.objects.filter(user__person_id__in=person_ids, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .select_related("user", "unit", "department", "enterprise")
    )


def _held_at(assignments, person_id: int, at: datetime.datetime) -> list[str]:
    labels = []
    for a in assignments:
        if a.user.person_id == person_id and a.valid_from <= at and (a.valid_to is None or a.valid_to > at):
            where = a.department or a.enterprise or a.unit
            labels.append(f"{_role_label(a.role)}（{where}）" if where else _role_label(a.role))
    return labels


def lookback(user, *, site=None, enterprise=None, date_from, date_to) -> Report:
    """The look-back report (read-only). A constant number of queries whatever the number of visits."""
    date_from, date_to = check_range(date_from, date_to)
    sites, firm = resolve_place(user, site=site, enterprise=enterprise)
    site_ids = [s.pk for s in sites]
    start, end = _day_bounds(date_from, date_to)
    inspections = list(
        Inspection.objects.visible_to(user)
        .filter(site_id__in=site_ids, performed_at__gte=start, performed_at__lt=end, voided_at__isnull=True)
        .select_related("site", "department", "recorded_by__person")
        .prefetch_related("inspectors", "categories_checked")
        .order_by("performed_at", "id")
    )
    if not inspections:
        return Report(sites, firm, date_from, date_to, [])
    hazards = list(
        Hazard.objects.visible_to(user)
        .filter(site_id__in=site_ids, voided_at__isnull=True, found_on__gte=local_date(inspections[0].performed_at))
        .select_related("category", "site", "recorded_by__person")
        .prefetch_related("found_by")
        .order_by("found_at", "id")
    )
    people = {p.pk for i in inspections for p in i.inspectors.all()}
    assignments = _roles_at(people, [i.performed_at for i in inspections])
    extra = [item for source in MISSED_SOURCES for item in source(user, site_ids, start)]
    roots = {_root_prefix(c.path) for i in inspections for c in i.categories_checked.all()}
    root_names = dict(HazardCategory.objects.filter(path__in=roots).values_list("path", "name"))
    visits = [_visit(i, hazards, assignments, extra, root_names) for i in inspections]
    return Report(sites, firm, date_from, date_to, visits)


def _visit(inspection: Inspection, hazards: list[Hazard], assignments, extra, root_names: dict[str, str]) -> Visit:
    at = inspection.performed_at
    day = local_date(at)
    inspector_ids = {p.pk for p in inspection.inspectors.all()}
    categories = list(inspection.categories_checked.all())
    roots = {_root_prefix(c.path) for c in categories}

    def by_this_team(h: Hazard) -> bool:
        finders = {p.pk for p in h.found_by.all()}
        return (inspection.recorded_by_id and h.recorded_by_id == inspection.recorded_by_id) or bool(finders & inspector_ids)

    found = [h for h in hazards if h.site_id == inspection.site_id
             and (h.inspection_id == inspection.pk or (h.found_on == day and by_this_team(h)))]
    found_ids = {h.pk for h in found}
    missed = []
    for h in hazards:
        if h.site_id != inspection.site_id or h.pk in found_ids or h.found_at <= at or h.category is None:
            continue
        root = _root_prefix(h.category.path)
        if root in roots and not by_this_team(h):
            missed.append(Missed(h, root_names.get(root, root.strip("/")), (h.found_on - day).days))
    for h, how in extra:
        root = _root_prefix(h.category.path) if h.category else ""
        if h.site_id == inspection.site_id and root in roots and h.pk not in found_ids and h.found_at > at:
            missed.append(Missed(h, root_names.get(root, root.strip("/")), (h.found_on - day).days, how))
    inspectors = [Inspector(p, _held_at(assignments, p.pk, at)) for p in inspection.inspectors.all()]
    return Visit(inspection, inspectors, _role_label(inspection.recorded_role) if inspection.recorded_role else "",
                 categories, found, missed)


@transaction.atomic
def inspection_record_visit(*, actor, site: Site, performed_at: datetime.datetime, inspectors=(), categories=(),
                            summary: str = "") -> Inspection:
    """Record a performed inspection visit of a site (minimal; the inspections issue extends it), audited.

    Whoever may record hazards at the site may record a visit there; the kind follows the
    acting role (属地 / 行业 / 企业自查 / 专家), the inspectors are people (not accounts).
    """
    assignment = Site.objects.authorizing_assignment(actor, "hazard.record", site.pk)
    if assignment is None:
        if not Site.objects.visible_to(actor).filter(pk=site.pk).exists():
            raise NotFound()
        raise Forbidden()
    if not isinstance(performed_at, datetime.datetime) or performed_at.tzinfo is None:
        raise Invalid({"performed_at": ["请填写检查时间"]})
    from anquan.hazards.services.recording import people_for

    ids = {safe_id(p) or 0 for p in inspectors}
    reach = people_for(actor, site) | Person.objects.filter(pk=actor.person_id or 0)
    people = list(reach.filter(pk__in=ids).distinct())
    if len(people) != len(ids):
        raise Invalid({"inspectors": ["所选检查人员不存在或不在您的管辖范围内"]})
    if not people and actor.person_id:
        people = [actor.person]
    chosen = list(HazardCategory.objects.filter(pk__in=[safe_id(c) or 0 for c in categories], active=True))
    inspection = Inspection.objects.create(
        site=site, kind=KIND_OF_SCOPE.get(assignment.scope_kind, InspectionKind.TERRITORIAL),
        department=assignment.department if assignment.scope_kind == ScopeKind.DEPARTMENT else None,
        planned_on=local_date(performed_at), performed_at=performed_at, status=InspectionStatus.PERFORMED, summary=(summary or "").strip()[:10000],
        recorded_by=actor, recorded_role=assignment.role,
    )
    inspection.inspectors.set(people)
    inspection.categories_checked.set(chosen)
    record(actor=actor, assignment=assignment, obj=inspection, action="record_visit", after=snapshot(inspection))
    return inspection
