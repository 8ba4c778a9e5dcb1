"""Small, explicit factories for tests: a hand-made territory tree, users holding one role,
enterprises and sites. Fast (a few dozen rows), deterministic, no demo generator needed.

API (everything keyword-friendly; all return saved model instances)::

    tree = make_tree()
        # A Tree with: province, city, district (示范区), other_district (邻区);
        # street_a, street_b (示范区); community_a (in street_a), community_b (in street_b);
        # grid_a, grid_a2 (in community_a), grid_b (in community_b);
        # other_street, other_community, other_grid (邻区);
        # departments of 示范区: anweiban (安委办), yingji (应急管理局: hazchem, industry_trade …),
        #   zhujian (住房和城乡建设局: construction, gas); other_zhujian (邻区住建局);
        # industries: dict code → Industry (the seeded catalogue: "construction", "hazchem", …).
        # tree.grids(street) lists the grids under a unit.

    make_unit(name, kind, parent=None, code="") -> OrgUnit        # path/depth/district filled in
    make_department(name, kind, unit, industries=())  -> Department  # industries: codes or Industry objects
    make_user(role, *, unit=None, department=None, enterprise=None, username=None, name=None,
              password=None) -> User
        # one active RoleAssignment of ``role`` (a RoleCode value, e.g. "street_staff") anchored
        # at unit / department / enterprise as the role requires; the user has a Person whose
        # name is ``name`` (default: the username). ``password`` None → unusable password.
    add_role(user, role, *, unit=None, department=None, enterprise=None, valid_from=None,
             valid_to=None) -> RoleAssignment                   # a further (or past) assignment
    make_enterprise(unit, *, name=None, credit_code=None, industries=("industry_trade",),
                    **fields) -> Enterprise
        # registered in grid ``unit``; default regulators (行业主管 from industries, 属地 street)
        # are generated as the services do; any model field may be given in ``fields``.
    make_site(grid, *, enterprise=None, name=None, industry_code=None, **fields) -> Site
    new_credit_code() -> str       # a valid 统一社会信用代码 never used before in this process
    bad_check_char(code) -> str    # the same code with a wrong 18th (check) character

Typical use::

    tree = make_tree()
    user = make_user("street_staff", unit=tree.street_a)
    firm = make_enterprise(tree.grid_a, name="甲街道建材厂")
"""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import ROLES
from anquan.enterprises import credit_code as cc
from anquan.enterprises.models import Enterprise, Site
from anquan.orgs.models import Department, DepartmentKind, Industry, OrgUnit, UnitKind

_counter = itertools.count(1)


def new_credit_code() -> str:
    """A valid code (registration authority 'T', unused by the demo generator), unique per call."""
    return cc.make(f"T1110000{next(_counter):09d}")


def bad_check_char(code: str) -> str:
    """``code`` with a wrong check character (still 18 allowed characters)."""
    wrong = next(c for c in cc.ALPHABET if c != code[17])
    return code[:17] + wrong


def make_unit(name: str, kind: str, parent: OrgUnit | None = None, code: str = "") -> OrgUnit:
    unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, code=code, path=f"/tmp-{next(_counter)}/")
    unit.assign_path()
    unit.save(update_fields=["path", "depth", "district"])
    return unit


def industry(code_or_obj) -> Industry:
    if isinstance(code_or_obj, Industry):
        return code_or_obj
    obj = Industry.objects.filter(code=code_or_obj).first()
    if obj is None:  # the catalogue migration normally seeds these
        obj = Industry.objects.create(code=code_or_obj, name=code_or_obj)
    return obj


def make_department(name: str, kind: str, unit: OrgUnit, industries=()) -> Department:
    dept = Department.objects.create(name=name, kind=kind, unit=unit)
    dept.industries.set([industry(i) for i in industries])
    return dept


@dataclass
class Tree:
    province: OrgUnit
    city: OrgUnit
    district: OrgUnit
    other_district: OrgUnit
    street_a: OrgUnit
    street_b: OrgUnit
    community_a: OrgUnit
    community_b: OrgUnit
    grid_a: OrgUnit
    grid_a2: OrgUnit
    grid_b: OrgUnit
    other_street: OrgUnit
    other_community: OrgUnit
    other_grid: OrgUnit
    anweiban: Department
    yingji: Department
    zhujian: Department
    other_zhujian: Department
    industries: dict[str, Industry] = field(default_factory=dict)

    def grids(self, unit: OrgUnit) -> list[OrgUnit]:
        return list(OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=unit.path).order_by("path"))


def make_tree() -> Tree:
    """示范省 › 示范市 › 示范区 (two streets) and 邻区 (one street), with departments."""
    province = make_unit("示范省", UnitKind.PROVINCE)
    city = make_unit("示范市", UnitKind.CITY, province)
    district = make_unit("示范区", UnitKind.DISTRICT, city, "990101")
    other = make_unit("邻区", UnitKind.DISTRICT, city, "990102")
    street_a = make_unit("甲街道", UnitKind.STREET, district)
    street_b = make_unit("乙街道", UnitKind.STREET, district)
    community_a = make_unit("甲一社区", UnitKind.COMMUNITY, street_a)
    community_b = make_unit("乙一社区", UnitKind.COMMUNITY, street_b)
    grid_a = make_unit("甲一社区第一网格", UnitKind.GRID, community_a)
    grid_a2 = make_unit("甲一社区第二网格", UnitKind.GRID, community_a)
    grid_b = make_unit("乙一社区第一网格", UnitKind.GRID, community_b)
    other_street = make_unit("邻区丙街道", UnitKind.STREET, other)
    other_community = make_unit("丙一社区", UnitKind.COMMUNITY, other_street)
    other_grid = make_unit("丙一社区第一网格", UnitKind.GRID, other_community)
    return Tree(
        province=province, city=city, district=district, other_district=other,
        street_a=street_a, street_b=street_b, community_a=community_a, community_b=community_b,
        grid_a=grid_a, grid_a2=grid_a2, grid_b=grid_b,
        other_street=other_street, other_community=other_community, other_grid=other_grid,
        anweiban=make_department("示范区安委办", DepartmentKind.SAFETY_COMMITTEE, district),
        yingji=make_department("示范区应急管理局", DepartmentKind.EMERGENCY, district,
                               ["hazchem", "industry_trade", "fireworks", "non_coal_mine"]),
        zhujian=make_department("示范区住房和城乡建设局", DepartmentKind.CONSTRUCTION, district, ["construction", "gas"]),
        other_zhujian=make_department("邻区住房和城乡建设局", DepartmentKind.CONSTRUCTION, other, ["construction", "gas"]),
        industries={i.code: i for i in Industry.objects.all()},
    )


def add_role(user: User, role: str, *, unit=None, department=None, enterprise=None,
             valid_from: datetime.datetime | None = None, valid_to: datetime.datetime | None = None) -> RoleAssignment:
    spec = ROLES[str(role)]
    anchors = {"unit": unit, "department": department, "enterprise": enterprise}
    if spec.anchor and anchors[spec.anchor] is None:
        raise ValueError(f"role {role} needs {spec.anchor}=")
    assignment = RoleAssignment.objects.create(
        user=user, role=str(role), unit=unit, department=department, enterprise=enterprise,
        valid_from=valid_from or timezone.now() - datetime.timedelta(days=1), valid_to=valid_to,
    )
    if hasattr(user, "_anquan_assignments"):
        del user._anquan_assignments
    return assignment


def make_user(role: str, *, unit=None, department=None, enterprise=None, username: str | None = None,
              name: str | None = None, password: str | None = None) -> User:
    username = username or f"{role}_{next(_counter)}"
    person = Person.objects.create(name=name or username, unit=unit, department=department, enterprise=enterprise)
    user = User(username=username, person=person)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    add_role(user, role, unit=unit, department=department, enterprise=enterprise)
    return user


def make_enterprise(unit: OrgUnit, *, name: str | None = None, credit_code: str | None = None,
                    industries=("industry_trade",), **fields) -> Enterprise:
    from anquan.enterprises.services import _sync_default_regulators

    n = next(_counter)
    values = {
        "name": name or f"测试企业{n}有限公司",
        "credit_code": credit_code or new_credit_code(),
        "legal_representative": "张三",
        "principal_name": "李四",
        "address": f"{unit.name}测试路{n}号",
        "unit": unit,
    }
    values.update(fields)
    enterprise = Enterprise.objects.create(**values)
    enterprise.industries.set([industry(i) for i in industries])
    _sync_default_regulators(enterprise)
    return enterprise


def make_site(grid: OrgUnit, *, enterprise: Enterprise | None = None, name: str | None = None, industry_code=None,
              **fields) -> Site:
    n = next(_counter)
    values = {
        "name": name or f"测试场所{n}",
        "grid": grid,
        "enterprise": enterprise,
        "industry": industry(industry_code) if industry_code else None,
        "address": f"{grid.name}场所路{n}号",
    }
    values.update(fields)
    return Site.objects.create(**values)
