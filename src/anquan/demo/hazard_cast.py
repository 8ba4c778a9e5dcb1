"""Who acts in one district's year of hazards, and where: the cast and the places.

Why background accounts: every hazard is recorded, rectified and verified by a *user acting
in a role* (the services and the audit trail need one), and a district has far more of them
than the named demo users — a grid worker per grid, two staff per street office, a
person in each regulating department, and the safety manager and principal of the firms
that use the platform (``ONLINE_SHARE`` of them). The named users keep their places
(wangge_a in grid_a, jiedao_a in street_a, qiye_a at enterprise_a …); the others get
background accounts with usernames ``wg<grid id>``, ``jd<street id>_<n>``, ``bm<department
id>``, ``qy<enterprise id>`` / ``qy<enterprise id>_fzr``, valid from the demo's start, with
unusable passwords (they carry records; they are not demo logins).

People who are not users (responsible persons of the 五落实, experts, supervision-group
members) are ``Person`` rows without accounts.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.enterprises.models import Enterprise, EnterpriseRegulator, EnterpriseStatus, Site, SiteKind
from anquan.orgs.models import Department, DepartmentKind, OrgUnit, UnitKind

from . import names
from .hazard_life import Actor

#: Share of a district's enterprises whose staff use the platform (self-inspection is recorded by them).
ONLINE_SHARE = 0.15
EXPERT_FIELDS = ["化工安全", "机械安全", "电气安全", "建筑施工", "消防安全", "燃气安全"]


@dataclass
class Place:
    """A site with what a hazard there copies (services.common.place_of) and who regulates it."""

    site: Site
    street: OrgUnit
    industry_id: int | None
    department_id: int | None
    regulator_ids: list[int]  # district departments with a staff member that may inspect it


class Cast:
    """The actors and places of one district; ``new_*`` lists hold the rows to insert."""

    def __init__(self, district: OrgUnit, rng: random.Random, start, ids: dict):
        self.district, self.rng, self.start, self.ids = district, rng, start, ids
        self.new_people: list[Person] = []
        self.new_users: list[User] = []
        self.new_assignments: list[RoleAssignment] = []
        self._password = make_password(None)
        units = list(OrgUnit.objects.filter(path__startswith=district.path).order_by("path"))
        self.units = {u.pk: u for u in units}
        self.streets = [u for u in units if u.kind == UnitKind.STREET]
        self.grids = [u for u in units if u.kind == UnitKind.GRID]
        self.departments = list(Department.objects.filter(unit_id__in=[*district.ancestor_ids(), *self.units])
                                .filter(voided_at__isnull=True).select_related("unit").prefetch_related("industries")
                                .order_by("id"))
        self.industries_of = {d.pk: {i.pk for i in d.industries.all()} for d in self.departments}
        self._named()

    # ---------------------------------------------------------------- accounts

    def _named(self) -> None:
        assignments = (RoleAssignment.objects.active(self.start).select_related("user__person", "unit", "department__unit", "enterprise")
                       .order_by("id"))
        self.street_staff: dict[int, list[Actor]] = {}
        self.grid_workers: dict[int, Actor] = {}
        self.dept_staff: dict[int, Actor] = {}
        self.inspectors: dict[int, list[Actor]] = {}
        self.ent_staff: dict[int, list[Actor]] = {}
        self.anweiban: Actor | None = None
        self.city_anweiban: Actor | None = None
        self.by_username: dict[str, Actor] = {}
        for a in assignments:
            actor = Actor(a.user, a, a.user.display_name)
            self.by_username[a.user.username] = actor
            unit = a.unit or (a.department.unit if a.department_id else None)
            inside = unit is not None and unit.path.startswith(self.district.path)
            if a.role == RoleCode.ANWEIBAN and a.unit_id == self.district.pk:
                self.anweiban = actor
            elif a.role == RoleCode.ANWEIBAN and a.unit_id == self.district.parent_id:
                self.city_anweiban = actor
            elif a.role == RoleCode.STREET_STAFF and inside:
                self.street_staff.setdefault(a.unit_id, []).append(actor)
            elif a.role == RoleCode.GRID_WORKER and inside:
                self.grid_workers.setdefault(a.unit_id, actor)
            elif a.role == RoleCode.DEPT_STAFF and inside:
                self.dept_staff.setdefault(a.department_id, actor)
            elif a.role == RoleCode.INSPECTOR and inside:
                self.inspectors.setdefault(a.department_id, []).append(actor)
            elif a.role in (RoleCode.ENT_MANAGER, RoleCode.ENT_PRINCIPAL) and a.enterprise_id:
                self.ent_staff.setdefault(a.enterprise_id, []).append(actor)

    def person(self, name: str, post: str, **where) -> Person:
        person = Person(id=self.ids[Person].take(), name=name, post=post, phone=names.phone(self.rng), **where)
        person.created_at = person.updated_at = self.start
        self.new_people.append(person)
        return person

    def account(self, username: str, role: str, person: Person, *, unit=None, department=None, enterprise=None) -> Actor:
        user = User(id=self.ids[User].take(), username=username, password=self._password, person=person,
                    date_joined=self.start)
        assignment = RoleAssignment(id=self.ids[RoleAssignment].take(), user=user, role=role, unit=unit,
                                    department=department, enterprise=enterprise, valid_from=self.start)
        self.new_users.append(user)
        self.new_assignments.append(assignment)
        self.by_username[username] = Actor(user, assignment, person.name)
        return self.by_username[username]

    def staff_everywhere(self, enterprises: list[Enterprise]) -> None:
        """Two staff per street office, a worker per grid, one per regulating department, firm staff."""
        offices = {d.unit_id: d for d in self.departments if d.kind == DepartmentKind.STREET_OFFICE}
        rng = self.rng
        for street in self.streets:
            staff = self.street_staff.setdefault(street.pk, [])
            office = offices.get(street.pk)
            while len(staff) < 2:
                p = self.person(names.person_name(rng), f"{street.name}应急管理办公室科员", unit=street, department=office)
                staff.append(self.account(f"jd{street.pk}_{len(staff) + 1}", RoleCode.STREET_STAFF, p, unit=street, department=office))
        for grid in self.grids:
            if grid.pk not in self.grid_workers:
                p = self.person(names.person_name(rng), f"{grid.name}专职网格员", unit=grid)
                self.grid_workers[grid.pk] = self.account(f"wg{grid.pk}", RoleCode.GRID_WORKER, p, unit=grid)
        for dept in self.departments:
            if dept.unit_id == self.district.pk and self.industries_of[dept.pk] and dept.pk not in self.dept_staff:
                p = self.person(names.person_name(rng), f"{dept.name}安全监管科科员", unit=dept.unit, department=dept)
                self.dept_staff[dept.pk] = self.account(f"bm{dept.pk}", RoleCode.DEPT_STAFF, p, department=dept)
        if self.anweiban is None:
            dept = next(d for d in self.departments if d.unit_id == self.district.pk and d.kind == DepartmentKind.SAFETY_COMMITTEE)
            p = self.person(names.person_name(rng), f"{self.district.name}安委办工作人员", unit=self.district, department=dept)
            self.anweiban = self.account(f"aw{self.district.pk}", RoleCode.ANWEIBAN, p, unit=self.district, department=dept)
        for ent in enterprises:
            staff = self.ent_staff.setdefault(ent.pk, [])
            roles = {a.role for a in staff}
            if RoleCode.ENT_MANAGER not in roles:
                p = self.person(ent.safety_manager_name or names.person_name(rng), "安全生产管理人员", enterprise=ent)
                staff.insert(0, self.account(f"qy{ent.pk}", RoleCode.ENT_MANAGER, p, enterprise=ent))
            if RoleCode.ENT_PRINCIPAL not in roles:
                p = self.person(ent.principal_name, "主要负责人", enterprise=ent)
                staff.append(self.account(f"qy{ent.pk}_fzr", RoleCode.ENT_PRINCIPAL, p, enterprise=ent))

    # ---------------------------------------------------------------- places

    def street_of(self, grid: OrgUnit) -> OrgUnit:
        return next(self.units[i] for i in grid.ancestor_ids() if i in self.units and self.units[i].kind == UnitKind.STREET)

    def department_for(self, grid: OrgUnit, industry_id: int | None) -> int | None:
        """services.common.place_of's department: deepest non-city ancestor department of that industry."""
        if industry_id is None:
            return None
        chain = set(grid.ancestor_ids())
        fits = [d for d in self.departments if d.unit_id in chain and industry_id in self.industries_of[d.pk]
                and d.unit.kind not in (UnitKind.PROVINCE, UnitKind.CITY)]
        fits.sort(key=lambda d: (-d.unit.depth, d.pk))
        return fits[0].pk if fits else None

    def places(self) -> list[Place]:
        sites = list(Site.objects.filter(grid__path__startswith=self.district.path, voided_at__isnull=True)
                     .select_related("grid", "enterprise").order_by("id"))
        ent_ids = sorted({s.enterprise_id for s in sites if s.enterprise_id})
        first_industry: dict[int, int] = {}
        for ent_id, ind_id in (Enterprise.industries.through.objects.filter(enterprise_id__in=ent_ids)
                               .order_by("industry__sort", "industry_id").values_list("enterprise_id", "industry_id")):
            first_industry.setdefault(ent_id, ind_id)
        regulated: dict[int, list[int]] = {}
        for ent_id, dept_id in (EnterpriseRegulator.objects.active().filter(enterprise_id__in=ent_ids, department__isnull=False)
                                .order_by("id").values_list("enterprise_id", "department_id")):
            if dept_id in self.dept_staff:
                regulated.setdefault(ent_id, []).append(dept_id)
        places = []
        for site in sites:
            if site.enterprise_id and site.enterprise.status == EnterpriseStatus.CLOSED:
                continue
            industry_id = site.industry_id or first_industry.get(site.enterprise_id)
            if site.enterprise_id:
                regs = regulated.get(site.enterprise_id, [])
            else:
                regs = [d for d in self.dept_staff if industry_id in self.industries_of.get(d, ())]
            places.append(Place(site, self.street_of(site.grid), industry_id, self.department_for(site.grid, industry_id), regs))
        return places

    def online_enterprises(self, places: list[Place], pinned: list[int]) -> list[Enterprise]:
        """The firms whose staff use the platform: the pinned (named users') ones and a sample."""
        firms = {p.site.enterprise_id: p.site.enterprise for p in places if p.site.enterprise_id}
        others = [firms[i] for i in sorted(firms) if i not in pinned]
        chosen = self.rng.sample(others, round(len(others) * ONLINE_SHARE))
        return [firms[i] for i in pinned if i in firms] + sorted(chosen, key=lambda e: e.pk)

    def responsible(self, place: Place) -> int:
        """The 整改责任人 (a person, often without an account): the firm's safety manager, the project
        leader of a 工地, or the contact of a place without enterprise."""
        key = ("site", place.site.pk) if place.site.kind == SiteKind.CONSTRUCTION or not place.site.enterprise_id \
            else ("ent", place.site.enterprise_id)
        cache = self.__dict__.setdefault("_responsible", {})
        if key not in cache:
            site, ent = place.site, place.site.enterprise
            staff = self.ent_staff.get(site.enterprise_id)
            if key[0] == "ent" and staff:
                cache[key] = staff[0].user.person_id
            elif key[0] == "ent":
                cache[key] = self.person(ent.safety_manager_name or ent.principal_name, "安全生产管理人员", enterprise=ent).pk
            elif ent is not None:
                cache[key] = self.person(site.contact_name or names.person_name(self.rng), "项目负责人", enterprise=ent).pk
            else:
                cache[key] = self.person(site.contact_name or names.person_name(self.rng), "场所负责人", unit=site.grid).pk
        return cache[key]

    def outside_people(self) -> tuple[list[int], list[int]]:
        """Experts (专家库) and supervision-group members (督查组) who find hazards without accounts."""
        experts = [self.person(names.person_name(self.rng), f"安全生产专家库专家（{f}）", unit=self.district).pk for f in EXPERT_FIELDS]
        groups = [self.person(names.person_name(self.rng), f"{self.district.name}安委会第{n}督查组成员", unit=self.district).pk
                  for n in "一二三四"]
        return experts, groups
