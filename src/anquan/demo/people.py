"""The demo users: one person and one role assignment each (valid from a year before the as-of date).

Passwords are the well-known ``anquan-demo`` only when ``settings.DEMO_MODE`` is on; otherwise
accounts get an unusable password. One Argon2 hash is computed per process and shared by
all demo accounts (they share the public demo password anyway), so loading stays fast.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from anquan.accounts.models import Grant, Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, OrgUnit

from . import names

DEMO_PASSWORD = "anquan-demo"
EXPERT_GRANT_REASON = "受邀参加专家隐患排查"
_hash_cache: dict[str, str] = {}


@dataclass
class Core:
    """The objects the demo users hang from."""

    city: OrgUnit
    city_depts: dict[str, Department]
    district: OrgUnit
    district_depts: dict[str, Department]
    linqu: OrgUnit
    linqu_depts: dict[str, Department]
    street_a: OrgUnit
    street_b: OrgUnit
    office_a: Department
    office_b: Department
    grid_a: OrgUnit
    enterprise_a: Enterprise
    enterprise_b: Enterprise
    expert_enterprise: Enterprise
    start: datetime.datetime
    as_of_start: datetime.datetime


def demo_password_hash() -> str:
    """The demo password's hash in demo mode, else an unusable password."""
    if not settings.DEMO_MODE:
        return make_password(None)
    if DEMO_PASSWORD not in _hash_cache:
        _hash_cache[DEMO_PASSWORD] = make_password(DEMO_PASSWORD)
    return _hash_cache[DEMO_PASSWORD]


def _spec(username: str, role: str, **fields) -> dict:
    return {"username": username, "role": role, **fields}


def _specs(c: Core, rng: random.Random) -> list[dict]:
    d = c.district_depts
    cert = f"{c.district.code}{c.as_of_start.year - 1}"
    return [
        _spec("shi_anweiban", RoleCode.ANWEIBAN, unit=c.city, department=c.city_depts["anweiban"],
              post="示范市安委办综合协调科科长"),
        _spec("anweiban", RoleCode.ANWEIBAN, unit=c.district, department=d["anweiban"], post="示范区安委办副主任"),
        _spec("linqu_anweiban", RoleCode.ANWEIBAN, unit=c.linqu, department=c.linqu_depts["anweiban"],
              post=f"{c.linqu.name}安委办工作人员"),
        _spec("jiedao_a", RoleCode.STREET_STAFF, unit=c.street_a, department=c.office_a,
              post=f"{c.street_a.name}应急管理办公室科员"),
        _spec("jiedao_b", RoleCode.STREET_STAFF, unit=c.street_b, department=c.office_b,
              post=f"{c.street_b.name}应急管理办公室科员"),
        _spec("lingdao", RoleCode.LEADER, unit=c.street_a, department=c.office_a,
              post=f"{c.street_a.name}{'镇长' if c.street_a.name.endswith('镇') else '办事处主任'}"),
        _spec("wangge_a", RoleCode.GRID_WORKER, unit=c.grid_a, person_unit=c.grid_a, post=f"{c.grid_a.name}专职网格员"),
        _spec("qiye_a", RoleCode.ENT_MANAGER, enterprise=c.enterprise_a, post="安全生产管理人员",
              name=c.enterprise_a.safety_manager_name, phone=c.enterprise_a.safety_manager_phone),
        _spec("qiye_a_fzr", RoleCode.ENT_PRINCIPAL, enterprise=c.enterprise_a, post="主要负责人",
              name=c.enterprise_a.principal_name, phone=c.enterprise_a.principal_phone),
        _spec("qiye_b", RoleCode.ENT_MANAGER, enterprise=c.enterprise_b, post="安全生产管理人员",
              name=c.enterprise_b.safety_manager_name, phone=c.enterprise_b.safety_manager_phone),
        _spec("zhujian", RoleCode.DEPT_STAFF, department=d["zhujian"], post="示范区住房和城乡建设局安全监督科科员"),
        _spec("yingji", RoleCode.DEPT_STAFF, department=d["yingji"], post="示范区应急管理局安全生产基础科科员"),
        _spec("xiaofang", RoleCode.DEPT_STAFF, department=d["xiaofang"], post="示范区消防救援大队防火监督员"),
        _spec("jiaotong", RoleCode.DEPT_STAFF, department=d["jiaotong"], post="示范区交通运输局安全监督科科员"),
        _spec("zhifa_a", RoleCode.INSPECTOR, department=d["yingji"], post="示范区应急管理局综合行政执法大队执法人员",
              cert=f"{cert}{rng.randint(1, 4999):04d}"),
        _spec("zhifa_b", RoleCode.INSPECTOR, department=d["yingji"], post="示范区应急管理局综合行政执法大队执法人员",
              cert=f"{cert}{rng.randint(5000, 9999):04d}"),
        _spec("zhuanjia", RoleCode.EXPERT, post="注册安全工程师（化工安全），示范市安全生产专家库专家"),
        _spec("ducha", RoleCode.SUPERVISOR, person_unit=c.district, post="示范区安委会第一督查组成员"),
        _spec("admin", RoleCode.SYSADMIN, post="系统管理员"),
        _spec("secadmin", RoleCode.SECADMIN, post="安全管理员（系统安全）"),
        _spec("shenji", RoleCode.AUDITOR, post="审计管理员"),
    ]


def create_users(rng: random.Random, core: Core) -> list[User]:
    password = demo_password_hash()
    users = []
    for spec in _specs(core, rng):
        unit, dept, ent = spec.get("unit"), spec.get("department"), spec.get("enterprise")
        person = Person.objects.create(
            name=spec.get("name") or names.person_name(rng),
            post=spec["post"],
            phone=spec.get("phone") or names.phone(rng),
            enforcement_cert_no=spec.get("cert", ""),
            unit=spec.get("person_unit") or unit or (dept.unit if dept else None),
            department=dept,
            enterprise=ent,
        )
        user = User.objects.create(username=spec["username"], password=password, person=person)
        assignment = RoleAssignment.objects.create(
            user=user, role=spec["role"], unit=unit, department=dept, enterprise=ent, valid_from=core.start,
        )
        if spec["username"] == "zhuanjia":
            Grant.objects.create(assignment=assignment, model_key="enterprise", object_id=core.expert_enterprise.pk,
                                 valid_from=core.as_of_start, valid_to=core.as_of_start + datetime.timedelta(days=30),
                                 reason=EXPERT_GRANT_REASON)
        users.append(user)
    return users
