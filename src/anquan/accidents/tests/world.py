"""The accident objects the tests and the matrix are checked against, on top of core's matrix world.

- ``ACC_A``: reported by qiye_a at S_A (E_A, 建筑施工, street A, wangge_a's grid): 1 death, 高处坠落 → 一般;
  legs: unit (reported by the enterprise itself), county (示范区), city (示范市, top for 一般).
- ``ACC_B``: reported by jiedao_b at S_B (E_B, 危险化学品, street B): 2 serious injuries, 中毒和窒息 → 一般.
- ``ACC_L``: reported by linqu_anweiban at S_L (邻区): 1 death, 坍塌 → 一般.

Built at the test's frozen moment: each accident occurred an hour before and was learned of at once.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from anquan.accounts.models import RoleAssignment, User
from anquan.core.tests.matrix_world import _enterprise, _site, assignment_of, grid_in
from anquan.orgs.models import OrgUnit, UnitKind

from .. import services


def report_data(site, **extra) -> dict:
    moment = timezone.now() - datetime.timedelta(hours=1)
    data = {"site": site.pk, "occurred_at": moment, "learned_at": moment, "place": f"{site.name}现场",
            "account": "作业人员在作业过程中发生事故。", "kind": "fall", "deaths": 0, "missing": 0,
            "serious_injuries": 0, "injuries": 0, "direct_loss_yuan": 0, "measures": "已组织抢救并保护现场"}
    data.update(extra)
    return data


def build_places() -> dict:
    """core.matrix_world's named places (same names, same rules), without its hazards and inspections, so the
    accident tests do not depend on the hazard loop's state of the day."""
    from anquan.demo.generator import build_demo

    build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=40, hazards_per_enterprise=0)
    street_a, street_b = assignment_of("jiedao_a").unit, assignment_of("jiedao_b").unit
    g_a = assignment_of("wangge_a").unit
    firm_b = assignment_of("qiye_b").enterprise
    g_b = grid_in(street_b, avoid=[firm_b.unit_id])
    district = OrgUnit.objects.get(pk=street_a.district_id)
    street_c = (OrgUnit.objects.filter(kind=UnitKind.STREET, path__startswith=district.path)
                .exclude(pk__in=[street_a.pk, street_b.pk]).order_by("path").first())
    g_l = grid_in(assignment_of("linqu_anweiban").unit)
    w = {"G_A": g_a, "G_B": g_b, "G_L": g_l, "DISTRICT": district}
    w["E_A"] = _enterprise("事故甲建筑工程有限公司", g_a, "construction")
    w["E_B"] = _enterprise("事故乙化工有限公司", g_b, "hazchem")
    w["E_C"] = _enterprise("事故丙机械制造有限公司", grid_in(street_c), "industry_trade")
    w["E_L"] = _enterprise("事故丁建设集团有限公司", g_l, "construction")
    w["S_A"] = _site("事故甲项目部", g_a, w["E_A"], "construction")
    w["S_B"] = _site("事故乙厂区", g_b, w["E_B"], "hazchem")
    w["S_L"] = _site("事故丁工地", g_l, w["E_L"], "construction")
    qiye = assignment_of("qiye_a")  # qiye_a manages E_A and nothing else (as in the matrix world)
    RoleAssignment.objects.filter(pk=qiye.pk).update(valid_to=timezone.now() - datetime.timedelta(seconds=1), end_reason="测试")
    RoleAssignment.objects.create(user=qiye.user, role=qiye.role, enterprise=w["E_A"],
                                  valid_from=timezone.now() - datetime.timedelta(days=1))
    w["users"] = {u.username: u for u in User.objects.filter(assignments__isnull=False).distinct()}
    return w


def build_accident_world() -> dict:
    w = build_places()
    users = w["users"]
    w["ACC_A"] = services.accident_report(actor=users["qiye_a"], data=report_data(w["S_A"], deaths=1))
    w["ACC_B"] = services.accident_report(actor=users["jiedao_b"], data=report_data(w["S_B"], serious_injuries=2, kind="poisoning"))
    w["ACC_L"] = services.accident_report(actor=users["linqu_anweiban"], data=report_data(w["S_L"], deaths=1, kind="collapse"))
    return w
