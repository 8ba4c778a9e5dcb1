"""The demo city generator: 示范省 → 示范市 → 示范区 (full) and 邻区 (small), users, and optional extra cities.

``build_demo()`` is what ``manage.py load_demo`` and the tests call. Each district draws
from its own ``random.Random`` seeded by (seed, district index), so 示范区 comes out the
same whatever the other sizes are. The load bypasses the services for speed (bulk inserts
with pre-assigned ids) and writes one ``demo_load`` audit event per district chain.

Stable handles for tests (see ``Demo``): jiedao_a works in 示范区's first street, jiedao_b in
its second; wangge_a's grid is the first grid of jiedao_a's street; qiye_a's enterprise is
示范区's first enterprise and has its main site in that grid; zhuanjia holds one Grant on
a 示范区 enterprise registered (with all its sites) in the last street.
"""
from __future__ import annotations

import datetime
import importlib
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from anquan.accounts.models import Grant, RoleAssignment, User
from anquan.audit.services import record
from anquan.enterprises.models import Enterprise, Site
from anquan.orgs.models import Department, Industry, OrgUnit, UnitKind

from . import names
from .bulk import Ids, Progress, insert, reset_sequences
from .firms import Context, FirmBuilder
from .hazards import HAZARDS_PER_ENTERPRISE, build_hazards
from .people import Core, create_users
from .tree import CITY_DEPARTMENTS, DISTRICT_DEPARTMENTS, Shape, build_departments, build_units, new_unit

PROVINCE, CITY, DISTRICT, NEIGHBOUR = "示范省", "示范市", "示范区", "邻区"
PROVINCE_CODE = "39"  # not a real 省级区划代码, so demo codes never collide with real ones
NEIGHBOUR_SHAPE = Shape(streets=2, enterprises=60, communities=(2, 3), grids=(1, 2), unowned_sites=5)
#: Enterprises pinned in 示范区 so the demo users always have what they need: index → (street, industries).
#: 0: qiye_a's (first grid of the first street); 1: zhuanjia's grant (last street); 2: qiye_b's (second street).
PINNED = {0: ("first", ["industry_trade", "special_equipment"]), 1: ("last", ["hazchem"]), 2: ("second", ["crowded", "fire_key"])}


class DemoAlreadyLoaded(Exception):
    """示范市 exists already (use force=True / --force to rebuild)."""


def is_loaded() -> bool:
    return OrgUnit.objects.filter(kind=UnitKind.CITY, name=CITY).exists()


def ensure_industries() -> dict[str, Industry]:
    """The catalogue of orgs migration 0002 (again, after a flush), keyed by code."""
    catalogue = importlib.import_module("anquan.orgs.migrations.0002_industry_catalogue").CATALOGUE
    for code, name, sort in catalogue:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "sort": sort})
    importlib.import_module("anquan.orgs.migrations.0003_industry_trade_sectors").seed_sub_sectors(Industry)
    return {i.code: i for i in Industry.objects.all()}


def wipe() -> None:
    """Empty the whole database (``flush``) — only in demo mode, never on a real system."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("重建示范数据会清空整个数据库，仅允许在演示模式（ANQUAN_DEMO=1）下进行")
    call_command("flush", interactive=False, verbosity=0)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class _Run:
    """State of one build: options, id counters, the industry catalogue and the credit codes taken."""

    def __init__(self, seed, as_of, shape, progress):
        self.seed, self.as_of, self.shape, self.progress = seed, as_of, shape, progress
        self.start = _midnight(_year_before(as_of))
        self.industries = ensure_industries()
        self.codes: set[str] = set()

    def rng(self, key) -> random.Random:
        return random.Random(f"anquan-demo:{self.seed}:{key}")

    def counters(self):
        self.unit_ids, self.dept_ids, self.ent_ids = Ids(OrgUnit), Ids(Department), Ids(Enterprise)

    def top(self, name, kind, parent, code) -> OrgUnit:
        unit = new_unit(self.unit_ids, name, kind, parent, code)
        insert(OrgUnit, [unit])
        return unit

    def city(self, parent, name, code) -> tuple[OrgUnit, dict]:
        city = self.top(name, UnitKind.CITY, parent, code)
        depts, _, _ = build_departments(self.dept_ids, city, CITY_DEPARTMENTS, self.industries)
        return city, depts

    def district(self, index, city, city_depts, name, code, shape, pinned=None):
        """One district in its own (nested) transaction, closed by its ``demo_load`` audit event."""
        rng = self.rng(index)
        with transaction.atomic(), self.progress.step(f"{city.name}{name}") as counts:
            district = self.top(name, UnitKind.DISTRICT, city, code)
            tree = build_units(rng, self.unit_ids, district, shape, in_order=(index == 0))
            tree.departments, tree.street_offices, tree.department_industries = build_departments(
                self.dept_ids, district, DISTRICT_DEPARTMENTS, self.industries, tree.streets)
            ctx = Context(rng=rng, tree=tree, city=city, industries=self.industries, as_of=self.as_of,
                          start=self.start, codes=self.codes)
            firms = FirmBuilder(ctx, self.ent_ids)
            firms.plan(shape.enterprises, _resolve(pinned or {}, len(tree.streets)))
            firms.plan_unowned(shape.unowned_sites if shape.unowned_sites is not None else max(3, shape.enterprises // 20))
            firms.plan_regulators(city_depts["yingji"], direct=max(1, shape.enterprises // 200))
            counts.update(streets=len(tree.streets), communities=len(tree.communities), grids=len(tree.all_grids),
                          departments=len(tree.departments) + len(tree.street_offices))
            counts.update(firms.save())
            record(actor=None, assignment=None, obj=district, action="demo_load",
                   after={**counts, "seed": self.seed, "as_of": self.as_of.isoformat()})
        return tree, firms


def _resolve(pinned: dict, streets: int) -> dict:
    where = {"first": 0, "second": 1, "last": streets - 1}
    return {i: (where[w], codes) for i, (w, codes) in pinned.items()}


def build_demo(*, seed: int = 2026, as_of: datetime.date | None = None, streets: int = 12, enterprises: int = 2000,
               cities: int = 1, districts: int = 2, force: bool = False, log=None,
               hazards_per_enterprise: float = HAZARDS_PER_ENTERPRISE, inspections: bool = False) -> Demo:
    """Build the demo city (raises ``DemoAlreadyLoaded`` when 示范市 exists and not ``force``); then a year
    of hazards in 示范区 and 邻区 (``hazards_per_enterprise`` × their enterprises; 0 for none); then, when
    ``inspections`` (``load_demo --inspections``, as ``make demo`` runs it), 示范区's inspections (``demo.inspections``)."""
    if streets < 2 or enterprises < len(PINNED) or cities < 1 or districts < 1:
        raise ValueError("示范区至少需要2个街道和3家企业，城市和区县数至少为1")
    if is_loaded():
        if not force:
            raise DemoAlreadyLoaded(f"{CITY}已存在")
        wipe()
    progress = Progress(log)
    run = _Run(seed, as_of or timezone.localdate(), Shape(streets=streets, enterprises=enterprises), progress)
    with transaction.atomic():
        run.counters()
        province = run.top(PROVINCE, UnitKind.PROVINCE, None, f"{PROVINCE_CODE}0000")
        city, city_depts = run.city(province, CITY, f"{PROVINCE_CODE}0100")
        main, firms = run.district(0, city, city_depts, DISTRICT, f"{PROVINCE_CODE}0102", run.shape, PINNED)
        linqu, _ = run.district(1, city, city_depts, NEIGHBOUR, f"{PROVINCE_CODE}0103", NEIGHBOUR_SHAPE)
        with progress.step("演示用户") as counts:
            core = Core(
                city=city, city_depts=city_depts, district=main.district, district_depts=main.departments,
                linqu=linqu.district, linqu_depts=linqu.departments, street_a=main.streets[0], street_b=main.streets[1],
                office_a=main.street_offices[0], office_b=main.street_offices[1], grid_a=main.grids[0][0],
                enterprise_a=firms.enterprises[0], enterprise_b=firms.enterprises[2],
                expert_enterprise=firms.enterprises[1], start=run.start, as_of_start=_midnight(run.as_of),
            )
            users = create_users(run.rng("users"), core)
            counts["users"] = len(users)
            record(actor=None, assignment=None, obj=city, action="demo_load",
                   after={"users": sorted(u.username for u in users), "seed": seed, "as_of": run.as_of.isoformat()})
        reset_sequences(OrgUnit, Department, Enterprise)
    _extra_cities(run, province, cities, districts)
    demo = lookup()
    build_hazards(demo, seed=seed, as_of=run.as_of, start=run.start, per_enterprise=hazards_per_enterprise, progress=progress)
    if inspections:
        from .inspections import build_inspections

        build_inspections(demo, seed=seed, as_of=run.as_of, progress=progress)
        from .accidents import build_accidents

        with progress.step("示范区事故") as counts, transaction.atomic():
            counts.update(build_accidents(demo, seed=seed, as_of=run.as_of))
        from .enforcement import build_enforcement

        with progress.step("示范区行政执法") as counts, transaction.atomic():
            counts.update(build_enforcement(demo, seed=seed, as_of=run.as_of))
    progress.line(demo.summary())
    return demo


def _extra_cities(run: _Run, province: OrgUnit, cities: int, districts: int) -> None:
    """Cities 2…n for the province-scale benchmark, each committed on its own."""
    index = 2
    for c in range(1, cities):
        with transaction.atomic():
            run.counters()
            code = f"{PROVINCE_CODE}{c + 1:02d}"
            city, city_depts = run.city(province, _pick(names.EXTRA_CITIES, c - 1), f"{code}00")
            for d in range(districts):
                run.district(index, city, city_depts, _pick(names.EXTRA_DISTRICTS, d), f"{code}{d + 2:02d}", run.shape)
                index += 1
            reset_sequences(OrgUnit, Department, Enterprise)


def _pick(words: list[str], i: int) -> str:
    return words[i] if i < len(words) else f"{words[i % len(words)][:-1]}{i // len(words) + 1}{words[i % len(words)][-1]}"


# ---------------------------------------------------------------- finding the demo objects again


@dataclass
class Demo:
    """The demo objects tests and docs refer to, found again from the database (after any run)."""

    province: OrgUnit
    city: OrgUnit
    district: OrgUnit
    linqu: OrgUnit
    street_a: OrgUnit  # jiedao_a's (and lingdao's) street
    street_b: OrgUnit  # jiedao_b's street
    grid_a: OrgUnit  # wangge_a's grid, inside street_a
    enterprise_a: Enterprise  # qiye_a's (and qiye_a_fzr's); main site in grid_a
    enterprise_b: Enterprise  # qiye_b's, in street_b
    expert_enterprise: Enterprise  # zhuanjia's granted enterprise, outside street_a
    departments: dict[str, Department]  # 示范区's, by DepartmentKind value
    users: dict[str, User]

    def user(self, username: str) -> User:
        return self.users[username]

    def summary(self) -> str:
        kinds = dict.fromkeys(UnitKind.values, 0)
        for kind in OrgUnit.objects.values_list("kind", flat=True):
            kinds[kind] += 1
        units = "，".join(f"{UnitKind(k).label}{n}" for k, n in kinds.items())
        return (f"示范数据：{units}；部门{Department.objects.count()}；企业{Enterprise.objects.count()}；"
                f"场所{Site.objects.count()}；用户{User.objects.count()}")


def _assignment(username: str) -> RoleAssignment:
    return RoleAssignment.objects.select_related("unit", "enterprise", "department").filter(user__username=username).first()


def lookup() -> Demo:
    city = OrgUnit.objects.get(kind=UnitKind.CITY, name=CITY)
    district = OrgUnit.objects.get(parent=city, name=DISTRICT)
    grant = Grant.objects.filter(assignment__user__username="zhuanjia", model_key="enterprise").first()
    return Demo(
        province=city.parent,
        city=city,
        district=district,
        linqu=OrgUnit.objects.get(parent=city, name=NEIGHBOUR),
        street_a=_assignment("jiedao_a").unit,
        street_b=_assignment("jiedao_b").unit,
        grid_a=_assignment("wangge_a").unit,
        enterprise_a=_assignment("qiye_a").enterprise,
        enterprise_b=_assignment("qiye_b").enterprise,
        expert_enterprise=Enterprise.objects.get(pk=grant.object_id),
        departments={d.kind: d for d in Department.objects.filter(unit=district)},
        users={u.username: u for u in User.objects.filter(assignments__isnull=False).select_related("person").distinct()},
    )
