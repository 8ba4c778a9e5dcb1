"""The territory tree and the departments of one district, built in memory and bulk-inserted."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from anquan.orgs.models import Department, DepartmentKind, OrgUnit, UnitKind

from . import names
from .bulk import Ids, insert

#: District departments: kind, name after the district's name, industry codes regulated (管行业必须管安全).
DISTRICT_DEPARTMENTS = [
    (DepartmentKind.SAFETY_COMMITTEE, "安委办", []),
    (DepartmentKind.EMERGENCY, "应急管理局", ["hazchem", "non_coal_mine", "coal_mine", "fireworks", "industry_trade"]),
    (DepartmentKind.CONSTRUCTION, "住房和城乡建设局", ["construction", "gas"]),
    (DepartmentKind.TRANSPORT, "交通运输局", ["road_transport", "water_transport"]),
    (DepartmentKind.FIRE, "消防救援大队", ["fire_key", "crowded"]),
    (DepartmentKind.MARKET, "市场监督管理局", ["special_equipment"]),
    (DepartmentKind.EDUCATION, "教育局", ["school"]),
    (DepartmentKind.POLICE, "公安分局", ["rental", "civil_explosives"]),
]
#: City departments (not default regulators: default_regulators skips city level; they supervise directly).
CITY_DEPARTMENTS = [
    (DepartmentKind.SAFETY_COMMITTEE, "安委办", []),
    (DepartmentKind.EMERGENCY, "应急管理局", ["hazchem", "non_coal_mine", "coal_mine", "fireworks", "industry_trade"]),
]


@dataclass
class Shape:
    """How big one district is."""

    streets: int
    enterprises: int
    communities: tuple[int, int] = (3, 6)
    grids: tuple[int, int] = (1, 4)
    unowned_sites: int | None = None  # None: one per 20 enterprises


@dataclass
class DistrictTree:
    district: OrgUnit
    streets: list[OrgUnit] = field(default_factory=list)
    communities: list[OrgUnit] = field(default_factory=list)
    #: grids[i] are the grids of streets[i], in creation order.
    grids: list[list[OrgUnit]] = field(default_factory=list)
    #: roads[i] are the roads of streets[i] (for addresses).
    roads: list[list[str]] = field(default_factory=list)
    departments: dict[str, Department] = field(default_factory=dict)
    street_offices: list[Department] = field(default_factory=list)
    #: department id → industry codes it regulates (district level, for default regulators).
    department_industries: dict[int, list[str]] = field(default_factory=dict)

    @property
    def all_grids(self) -> list[OrgUnit]:
        return [g for gs in self.grids for g in gs]


def new_unit(ids: Ids, name: str, kind: str, parent: OrgUnit | None, code: str = "") -> OrgUnit:
    unit = OrgUnit(id=ids.take(), name=name, kind=kind, parent=parent, code=code)
    unit.assign_path()
    return unit


def _street_names(rng: random.Random, count: int, in_order: bool) -> list[str]:
    pool = list(names.STREETS) if in_order else rng.sample(names.STREETS, len(names.STREETS))
    seen = set(pool)
    while len(pool) < count:
        name = rng.choice(names.STREET_PARTS) + rng.choice(names.STREET_PARTS) + rng.choice(["街道", "镇"])
        if name not in seen and name[0] != name[1]:
            seen.add(name)
            pool.append(name)
    return pool[:count]


class _Pool:
    """Draws names without repeats inside a district; falls back to numbered variants when exhausted."""

    def __init__(self, rng: random.Random, words: list[str]):
        self.rng, self.words, self.left, self.round = rng, words, [], 0

    def draw(self) -> str:
        if not self.left:
            self.round += 1
            self.left = self.rng.sample(self.words, len(self.words))
        word = self.left.pop()
        return word if self.round == 1 else f"{word}{'二三四五六七八九十'[min(self.round - 2, 8)]}"


def build_units(rng: random.Random, ids: Ids, district: OrgUnit, shape: Shape, in_order: bool) -> DistrictTree:
    """Streets (街道/镇) → communities (社区/村) → grids (网格) of one district; inserted depth by depth."""
    tree = DistrictTree(district=district)
    communities, villages = _Pool(rng, names.COMMUNITIES), _Pool(rng, names.VILLAGES)
    grids: list[OrgUnit] = []
    for i, street_name in enumerate(_street_names(rng, shape.streets, in_order)):
        street = new_unit(ids, street_name, UnitKind.STREET, district, f"{district.code}{i + 1:03d}")
        tree.streets.append(street)
        tree.roads.append(rng.sample(names.ROADS, 6))
        street_grids: list[OrgUnit] = []
        town = street_name.endswith("镇")
        for j in range(rng.randint(*shape.communities)):
            if town and j == 0:
                cname = f"{names.short(street_name)}社区"
            elif town:
                cname = f"{villages.draw()}村"
            else:
                cname = f"{communities.draw()}社区"
            community = new_unit(ids, cname, UnitKind.COMMUNITY, street, f"{street.code}{j + 1:03d}")
            tree.communities.append(community)
            for k in range(rng.randint(*shape.grids)):
                gname = f"{street_name}{cname}第{k + 1}网格"
                street_grids.append(new_unit(ids, gname, UnitKind.GRID, community, f"{community.code}{k + 1:02d}"))
        tree.grids.append(street_grids)
        grids.extend(street_grids)
    insert(OrgUnit, tree.streets)
    insert(OrgUnit, tree.communities)
    insert(OrgUnit, grids)
    return tree


def build_departments(ids: Ids, unit: OrgUnit, specs, industries: dict, streets=()) -> tuple[dict, list, dict]:
    """Departments of ``unit`` (named after it), optionally a street office (街道办事处/镇政府) per street.

    Returns (kind → department, street offices, department id → industry codes).
    """
    depts, links, codes_of = {}, [], {}
    through = Department.industries.through
    for kind, label, codes in specs:
        dept = Department(id=ids.take(), name=f"{unit.name}{label}", kind=kind, unit=unit)
        depts[kind.value] = dept
        codes_of[dept.pk] = list(codes)
        links += [through(department_id=dept.pk, industry_id=industries[c].pk) for c in codes]
    offices = [
        Department(
            id=ids.take(),
            name=f"{s.name}{'人民政府' if s.name.endswith('镇') else '办事处'}",
            kind=DepartmentKind.STREET_OFFICE,
            unit=s,
        )
        for s in streets
    ]
    insert(Department, [*depts.values(), *offices])
    insert(through, links)
    return depts, offices, codes_of
