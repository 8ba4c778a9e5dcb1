"""A small hand-made world for the plan, draw, joint and checklist tests (factories, no demo generator)."""
from __future__ import annotations

import datetime

from anquan.accounts.models import Person
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.models import HazardCategory
from anquan.inspections.services import checklists as cl

PERIOD = {"period_start": "2026-12-01", "period_end": "2026-12-31"}


def category():
    return HazardCategory.objects.get_or_create(code="T-2102", defaults={"name": "测试：防护缺陷", "path": "/T-2102/"})[0]


def items(n=3, prefix="检查"):
    return [{"number": str(i + 1), "text": f"{prefix}第{i + 1}项", "basis": "《中华人民共和国消防法》",
             "how_to_check": "现场查看", "category": category().pk} for i in range(n)]


def published(actor, name="测试检查表", n=3):
    checklist = cl.checklist_create(actor=actor, data={"name": name, "items": items(n, name)})
    return cl.checklist_publish(actor=actor, checklist=checklist)


def certify(user, cert="执法证0001"):
    Person.objects.filter(pk=user.person_id).update(enforcement_cert_no=cert)
    user.person.refresh_from_db()


def build() -> dict:
    tree = make_tree()
    w = {"tree": tree}
    w["admin"] = make_user("sysadmin", username="t_admin")
    w["anweiban"] = make_user("anweiban", unit=tree.district, department=tree.anweiban, username="t_anweiban")
    w["street"] = make_user("street_staff", unit=tree.street_a, username="t_street")
    w["grid"] = make_user("grid_worker", unit=tree.grid_a, username="t_grid")
    w["yingji"] = make_user("dept_staff", department=tree.yingji, username="t_yingji")
    w["zhujian"] = make_user("dept_staff", department=tree.zhujian, username="t_zhujian")
    w["zf1"] = make_user("inspector", department=tree.yingji, username="t_zf1")
    w["zf2"] = make_user("inspector", department=tree.yingji, username="t_zf2")
    w["zf3"] = make_user("inspector", department=tree.yingji, username="t_zf3")
    for n, key in enumerate(("zf1", "zf2", "zf3"), start=1):
        certify(w[key], f"9901012025{n:04d}")
    w["expert"] = make_user("expert", username="t_expert")
    w["other_zj"] = make_user("dept_staff", department=tree.other_zhujian, username="t_other_zj")
    # Firms: 工贸 and 危化 (应急管理局), 建筑施工 (住建局), with sites in both streets, one closed.
    w["firm_a"] = make_enterprise(tree.grid_a, name="甲工贸厂", industries=("industry_trade",), risk_colour="red")
    w["firm_b"] = make_enterprise(tree.grid_b, name="乙化工厂", industries=("hazchem",), risk_colour="yellow")
    w["firm_c"] = make_enterprise(tree.grid_a2, name="丙建筑公司", industries=("construction",), risk_colour="orange")
    w["firm_x"] = make_enterprise(tree.grid_a, name="已关闭厂", industries=("industry_trade",), status="closed")
    w["site_a"] = make_site(tree.grid_a, enterprise=w["firm_a"], industry_code="industry_trade")
    w["site_a2"] = make_site(tree.grid_a2, enterprise=w["firm_a"], industry_code="industry_trade")
    w["site_b"] = make_site(tree.grid_b, enterprise=w["firm_b"], industry_code="hazchem")
    w["site_c"] = make_site(tree.grid_a2, enterprise=w["firm_c"], industry_code="construction")
    w["site_x"] = make_site(tree.grid_a, enterprise=w["firm_x"], industry_code="industry_trade")
    w["shop"] = make_site(tree.grid_a, name="无主商铺", industry_code="crowded")
    w["firm_user"] = make_user("ent_manager", enterprise=w["firm_a"], username="t_firm")
    w["today"] = datetime.date(2026, 11, 22)
    return w
