"""Enterprises of one district with their sites, licences and default regulators (一企一档), in bulk.

``default_regulators`` in ``enterprises.services`` is replicated here set-wise: 行业主管 are the
district's departments whose industries meet the enterprise's, 属地 is its street.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from anquan.enterprises import credit_code
from anquan.enterprises.models import (
    Enterprise,
    EnterpriseRegulator,
    EnterpriseStatus,
    Licence,
    RegulatorKind,
    RiskColour,
    Scale,
    Site,
    SiteKind,
    StandardGrade,
)
from anquan.orgs.models import OrgUnit

from . import names
from .bulk import Ids, insert
from .licences import licences_for
from .tree import DistrictTree

#: Primary industry → (weight, possible further industries, main-site kinds and their name labels).
PROFILES = {
    "industry_trade": (30, ["special_equipment", "fire_key"], [(SiteKind.PLANT, "厂区"), (SiteKind.WAREHOUSE, "仓库")]),
    "crowded": (12, ["fire_key", "gas"], [(SiteKind.SHOP, "经营场所")]),
    "construction": (10, ["special_equipment"], [(SiteKind.OFFICE, "办公场所")]),
    "fire_key": (8, ["crowded", "special_equipment"], [(SiteKind.SHOP, "经营场所"), (SiteKind.PUBLIC, "营业场所")]),
    "road_transport": (8, ["fire_key"], [(SiteKind.STATION, "停车场站")]),
    "hazchem": (6, ["special_equipment", "fire_key"], [(SiteKind.PLANT, "厂区"), (SiteKind.WAREHOUSE, "仓库")]),
    "special_equipment": (6, ["industry_trade"], [(SiteKind.PLANT, "厂区")]),
    "school": (4, ["fire_key", "crowded"], [(SiteKind.SCHOOL, "校区")]),
    "gas": (3, ["special_equipment", "hazchem"], [(SiteKind.STATION, "供气站")]),
    "rental": (2.5, ["fire_key"], [(SiteKind.RENTAL, "公寓")]),
    "non_coal_mine": (1.5, ["special_equipment", "civil_explosives"], [(SiteKind.PLANT, "矿区")]),
    "fireworks": (1.5, ["fire_key"], [(SiteKind.WAREHOUSE, "仓库"), (SiteKind.SHOP, "零售点")]),
    "water_transport": (1, ["fire_key"], [(SiteKind.STATION, "码头")]),
}
HIGH_RISK = {"hazchem", "fireworks", "non_coal_mine", "gas"}
#: Overall ≈ 5% red, 15% orange, 40% yellow, 40% blue, with high-risk sectors redder.
RISK_WEIGHTS = {True: [20, 35, 35, 10], False: [3.2, 12.5, 40.6, 43.7]}
RISKS = [RiskColour.RED, RiskColour.ORANGE, RiskColour.YELLOW, RiskColour.BLUE]
SCALES = [(Scale.MICRO, 40, 2, 9), (Scale.SMALL, 40, 10, 99), (Scale.MEDIUM, 15, 100, 999), (Scale.LARGE, 5, 1000, 5000)]
GRADES = [(StandardGrade.GRADE1, 3), (StandardGrade.GRADE2, 27), (StandardGrade.GRADE3, 70)]
GRADE_ROMAN = {"1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ"}
GRADE_SECTOR = {"hazchem": "WH", "industry_trade": "JX", "fireworks": "YH", "non_coal_mine": "FM", "road_transport": "JT",
                "construction": "JZ"}
UNOWNED = [(SiteKind.RENTAL, "rental", 50), (SiteKind.MARKET, "crowded", 20), (SiteKind.PUBLIC, "crowded", 30)]


@dataclass
class Context:
    """What every enterprise of a district draws on."""

    rng: random.Random
    tree: DistrictTree
    city: OrgUnit
    industries: dict  # code → Industry
    as_of: datetime.date
    start: datetime.datetime
    codes: set = field(default_factory=set)  # credit codes taken in this run
    taken: set = field(default_factory=set)  # enterprise and project names taken in this district


def org_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 (GB 11714) whose last character is its check character."""
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(credit_code.ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def new_credit_code(ctx: Context) -> str:
    while True:
        code = credit_code.make("91" + ctx.tree.district.code + org_code(ctx.rng))
        if code not in ctx.codes:
            ctx.codes.add(code)
            return code


def _suffix(rng: random.Random, primary: str) -> str:
    if primary in ("industry_trade", "non_coal_mine"):
        return names.weighted(rng, [("有限公司", 70), ("有限责任公司", 10), ("厂", 20)])
    if primary in ("crowded", "fire_key", "fireworks"):
        return names.weighted(rng, [("有限公司", 70), ("有限责任公司", 8), ("经营部", 12), ("店", 10)])
    return names.weighted(rng, [("有限公司", 80), ("有限责任公司", 12), ("股份有限公司", 8)])


def enterprise_name(ctx: Context, primary: str, street: OrgUnit, community: OrgUnit) -> str:
    rng, district = ctx.rng, ctx.tree.district
    for attempt in range(100):
        word = rng.choice(names.BUSINESS_WORDS[primary])
        if primary == "school":
            place = names.short(community.name) if rng.random() < 0.5 else names.short(street.name)
            name = f"{district.name}{place}{word}"
        else:
            region = names.weighted(rng, [(ctx.city.name, 25), (district.name, 35), ("", 40)])
            if region and rng.random() < 0.2:
                zihao = names.short(street.name)
            elif not region and rng.random() < 0.15:
                zihao = names.short(community.name) + "里"
            else:
                zihao = names.zihao(rng)
            name = f"{region}{zihao}{word}{_suffix(rng, primary)}"
        if attempt > 70:  # only at benchmark size (20,000 firms a district): number the branch
            name = f"{name}（{names.short(street.name)}第{attempt - 70}分部）"
        elif attempt > 50:
            name = f"{name}（{names.short(street.name)}）"
        if name not in ctx.taken:
            ctx.taken.add(name)
            return name
    raise RuntimeError("企业名称用尽")


def address(ctx: Context, street_index: int, grid: OrgUnit) -> str:
    rng, street = ctx.rng, ctx.tree.streets[street_index]
    community = grid.parent
    prefix = f"{ctx.tree.district.name}{street.name}"
    if community.name.endswith("村"):
        return f"{prefix}{community.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    return f"{prefix}{rng.choice(ctx.tree.roads[street_index])}{rng.randint(1, 399)}号"


def _industries(rng: random.Random, primary: str) -> list[str]:
    codes = [primary]
    for extra in PROFILES[primary][1]:
        if len(codes) < 3 and rng.random() < 0.3:
            codes.append(extra)
    return codes


def _standard(ctx: Context, primary: str) -> tuple[str, str, datetime.date | None]:
    rng = ctx.rng
    if rng.random() >= 0.10:
        return "", "", None
    grade = names.weighted(rng, GRADES)
    expiry = ctx.as_of + datetime.timedelta(days=rng.randint(-730, 1095))
    number = f"示AQB{GRADE_SECTOR.get(primary, 'QT')}{GRADE_ROMAN[grade.value]}{expiry.year - 3}{rng.randint(1, 99999):05d}"
    return grade.value, number, expiry


class FirmBuilder:
    """Plans the enterprises of one district in memory, then inserts them with everything hanging off them."""

    def __init__(self, ctx: Context, ent_ids: Ids):
        self.ctx, self.ids = ctx, ent_ids
        self.enterprises: list[Enterprise] = []
        self.street_of: dict[int, int] = {}  # enterprise id → street index
        self.industry_codes: dict[int, list[str]] = {}
        self.links, self.sites, self.licences, self.regulators = [], [], [], []

    def plan(self, count: int, pinned: dict[int, tuple[int, list[str]]]) -> None:
        """``count`` enterprises in random grids; ``pinned[n] = (street index, industries)`` puts the n-th,
        in normal status, in the first grid of that street (so demo users always find theirs)."""
        grids = [(i, g) for i, gs in enumerate(self.ctx.tree.grids) for g in gs]
        primaries = [(code, p[0]) for code, p in PROFILES.items()]
        for n in range(count):
            if n in pinned:
                street_index, codes = pinned[n]
                self._plan_one(street_index, self.ctx.tree.grids[street_index][0], codes[0], codes, closed_ok=False)
                continue
            street_index, grid = self.ctx.rng.choice(grids)
            primary = names.weighted(self.ctx.rng, primaries)
            self._plan_one(street_index, grid, primary, _industries(self.ctx.rng, primary), closed_ok=True)

    def _plan_one(self, street_index: int, grid: OrgUnit, primary: str, codes: list[str], closed_ok: bool) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        street = ctx.tree.streets[street_index]
        scale, _, low, high = names.weighted(rng, [(s, s[1]) for s in SCALES])
        legal = names.person_name(rng)
        principal = legal if rng.random() < 0.6 else names.person_name(rng)
        grade, cert_no, cert_expiry = _standard(ctx, primary)
        ent = Enterprise(
            id=self.ids.take(),
            name=enterprise_name(ctx, primary, street, grid.parent),
            credit_code=new_credit_code(ctx),
            legal_representative=legal,
            principal_name=principal,
            principal_phone=names.phone(rng),
            safety_manager_name=names.person_name(rng),
            safety_manager_phone=names.phone(rng),
            address=address(ctx, street_index, grid),
            unit=grid,
            scale=scale,
            employees=rng.randint(low, high),
            status=EnterpriseStatus.CLOSED if closed_ok and rng.random() < 0.015 else EnterpriseStatus.NORMAL,
            risk_colour=rng.choices(RISKS, weights=RISK_WEIGHTS[primary in HIGH_RISK])[0],
            standard_grade=grade,
            standard_cert_no=cert_no,
            standard_cert_expiry=cert_expiry,
        )
        self.enterprises.append(ent)
        self.street_of[ent.pk] = street_index
        self.industry_codes[ent.pk] = codes
        through = Enterprise.industries.through
        self.links += [through(enterprise_id=ent.pk, industry_id=ctx.industries[c].pk) for c in codes]
        kind, label = rng.choice(PROFILES[primary][2])
        self.sites.append(Site(name=f"{ent.name}{label}" if primary != "school" else ent.name, kind=kind, enterprise=ent,
                               grid=grid, industry=ctx.industries[primary], address=ent.address,
                               contact_name=ent.safety_manager_name, contact_phone=ent.safety_manager_phone))
        if primary == "construction":
            self._construction_sites(ent, street_index)
        self.licences += [Licence(enterprise=ent, **lic) for lic in licences_for(ctx, ent, primary, codes)]

    def _construction_sites(self, ent: Enterprise, street_index: int) -> None:
        """工地 in grids of *other* streets: a firm registered in one street builds in others."""
        ctx, rng = self.ctx, self.ctx.rng
        others = [i for i in range(len(ctx.tree.streets)) if i != street_index]
        for _ in range(rng.randint(2, 4) if others else 0):
            i = rng.choice(others)
            grid = rng.choice(ctx.tree.grids[i])
            road_a, road_b = rng.sample(ctx.tree.roads[i], 2)
            project = self._project_name(grid)
            self.sites.append(Site(name=project, kind=SiteKind.CONSTRUCTION, enterprise=ent, grid=grid,
                                   industry=ctx.industries["construction"],
                                   address=f"{ctx.tree.district.name}{ctx.tree.streets[i].name}{road_a}与{road_b}交叉口",
                                   contact_name=names.person_name(rng), contact_phone=names.phone(rng)))

    def _project_name(self, grid: OrgUnit) -> str:
        rng = self.ctx.rng
        for _ in range(20):
            name = f"{names.short(grid.parent.name)}{rng.choice(names.PROJECTS)}{rng.choice(names.PHASES)}工程"
            if name not in self.ctx.taken:
                break
        self.ctx.taken.add(name)
        return name

    def plan_unowned(self, count: int) -> None:
        """Places without an enterprise: rented houses, markets, public places."""
        ctx, rng = self.ctx, self.ctx.rng
        for _ in range(count):
            kind, code, _w = names.weighted(rng, [(u, u[2]) for u in UNOWNED])
            street_index = rng.randrange(len(ctx.tree.streets))
            grid = rng.choice(ctx.tree.grids[street_index])
            addr = address(ctx, street_index, grid)
            place = names.short(grid.parent.name)
            if kind == SiteKind.RENTAL:
                name = f"{addr.removeprefix(ctx.tree.district.name + ctx.tree.streets[street_index].name)}出租房"
            elif kind == SiteKind.MARKET:
                name = f"{place}{rng.choice(names.MARKETS)}"
            else:
                name = f"{place}{rng.choice(names.PUBLIC_PLACES)}"
            self.sites.append(Site(name=name, kind=kind, enterprise=None, grid=grid, industry=ctx.industries[code],
                                   address=addr, contact_name=names.person_name(rng), contact_phone=names.phone(rng)))

    def plan_regulators(self, city_emergency, direct: int) -> None:
        """Default 行业主管 + 属地 rows, and ``direct`` 直接监管 rows by the city 应急管理局."""
        start, ctx = self.ctx.start, self.ctx
        by_industry: dict[str, list[int]] = {}
        for dept_id, codes in ctx.tree.department_industries.items():
            for code in codes:
                by_industry.setdefault(code, []).append(dept_id)
        for ent in self.enterprises:
            dept_ids = sorted({d for c in self.industry_codes[ent.pk] for d in by_industry.get(c, [])})
            self.regulators += [EnterpriseRegulator(enterprise=ent, kind=RegulatorKind.INDUSTRY, department_id=d,
                                                    started_at=start) for d in dept_ids]
            self.regulators.append(EnterpriseRegulator(enterprise=ent, kind=RegulatorKind.TERRITORIAL,
                                                       unit=ctx.tree.streets[self.street_of[ent.pk]], started_at=start))
        risky = [e for e in self.enterprises if e.risk_colour == RiskColour.RED
                 and HIGH_RISK & set(self.industry_codes[e.pk]) and e.status == EnterpriseStatus.NORMAL]
        for ent in risky[:direct]:
            self.regulators.append(EnterpriseRegulator(enterprise=ent, kind=RegulatorKind.DIRECT, department=city_emergency,
                                                       is_default=False, reason="市级直接监管", started_at=start))

    def save(self) -> dict:
        return {
            "enterprises": insert(Enterprise, self.enterprises),
            "industry_links": insert(Enterprise.industries.through, self.links),
            "sites": insert(Site, self.sites),
            "licences": insert(Licence, self.licences),
            "regulators": insert(EnterpriseRegulator, self.regulators),
        }

