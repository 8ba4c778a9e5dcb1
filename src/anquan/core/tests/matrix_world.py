"""The named objects the permission matrix is checked against, built on top of a small demo city.

The demo generator is random (seeded); the matrix needs objects whose place in the
territory and regulators are known exactly, so they are created here by hand:

- ``E_A``: enterprise in wangge_a's grid (jiedao_a's street), 建筑施工 → regulated by 住建局;
  qiye_a is re-pointed to it. Site ``S_A`` in the same grid.
- ``E_B``: enterprise in a grid of jiedao_b's street, 危险化学品 → 应急管理局. Site ``S_B``.
- ``E_C``: enterprise in a third street, 工贸 → 应急管理局; zhuanjia holds a grant on it.
- ``E_L``: enterprise in 邻区, 建筑施工 → 邻区's 住建局. Site ``S_L``.
- ``S_R``: a site without enterprise in wangge_a's grid (人员密集场所).
- ``I_DONE``: a performed inspection of S_A by 应急管理局; ``I_HIDDEN``: an unannounced one not yet
  performed; ``I_L``: an inspection in 邻区.
- ``G_A``, ``G_B``, ``G_L``: wangge_a's grid, a grid of jiedao_b's street, a grid of 邻区.
- Hazards (deadline in 30 days): ``H_A`` found by wangge_a at S_A (网格巡查, 一般; sent back once:
  round ``R_A``, finding photo ``P_A``); ``H_B`` found by jiedao_b at S_B (``R_B``, ``P_B``);
  ``H_L`` found by linqu_anweiban at S_L (``R_L``, ``P_L``); ``H_SELF`` self-found 一般 by qiye_a
  at S_A; ``H_MAJ`` 重大 (judged by a published criterion, report and 治理方案 complete) found by
  zhujian at S_A. ``CRITERION``: a published 重大事故隐患判定标准 item.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from anquan.accounts.models import Grant, RoleAssignment, User
from anquan.enterprises.models import Enterprise, Site
from anquan.enterprises.services import _sync_default_regulators
from anquan.inspections.models import Inspection
from anquan.orgs.models import Department, Industry, OrgUnit, UnitKind

from .factories import new_credit_code


def assignment_of(username: str) -> RoleAssignment:
    return RoleAssignment.objects.active().select_related("unit", "department", "enterprise").get(user__username=username)


def grid_in(street: OrgUnit, avoid=()) -> OrgUnit:
    grids = OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=street.path).exclude(pk__in=list(avoid))
    return grids.order_by("path").first()


def _enterprise(name: str, grid: OrgUnit, industry_code: str) -> Enterprise:
    enterprise = Enterprise.objects.create(
        name=name,
        credit_code=new_credit_code(),
        legal_representative="张三",
        principal_name="李四",
        address=f"{grid.name}测试路1号",
        unit=grid,
    )
    enterprise.industries.set([Industry.objects.get(code=industry_code)])
    _sync_default_regulators(enterprise)
    return enterprise


def _site(name: str, grid: OrgUnit, enterprise=None, industry_code=None) -> Site:
    industry = Industry.objects.get(code=industry_code) if industry_code else None
    return Site.objects.create(name=name, grid=grid, enterprise=enterprise, industry=industry, address=f"{grid.name}测试路2号")


def build_world() -> dict:
    from anquan.demo.generator import build_demo

    # No generated year of hazards: the matrix's hazards are the named ones below, and the demo's
    # background accounts (hazard_cast) would be users without a row in the tables.
    build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=40, hazards_per_enterprise=0)
    street_a = assignment_of("jiedao_a").unit
    street_b = assignment_of("jiedao_b").unit
    g_a = assignment_of("wangge_a").unit
    # A grid of street B where qiye_b's firm has no site (so qiye_b's view of the tree is known).
    firm_b = assignment_of("qiye_b").enterprise
    qiye_b_grids = [firm_b.unit_id, *Site.objects.filter(enterprise=firm_b).values_list("grid_id", flat=True)]
    g_b = grid_in(street_b, avoid=qiye_b_grids)
    district = OrgUnit.objects.get(pk=street_a.district_id)
    street_c = (
        OrgUnit.objects.filter(kind=UnitKind.STREET, path__startswith=district.path)
        .exclude(pk__in=[street_a.pk, street_b.pk])
        .order_by("path")
        .first()
    )
    linqu = assignment_of("linqu_anweiban").unit
    g_l = grid_in(linqu)

    w = {"G_A": g_a, "G_B": g_b, "G_L": g_l}
    w["E_A"] = _enterprise("矩阵甲建筑工程有限公司", g_a, "construction")
    w["E_B"] = _enterprise("矩阵乙化工有限公司", g_b, "hazchem")
    w["E_C"] = _enterprise("矩阵丙机械制造有限公司", grid_in(street_c), "industry_trade")
    w["E_L"] = _enterprise("矩阵丁建设集团有限公司", g_l, "construction")
    w["S_A"] = _site("矩阵甲项目部", g_a, w["E_A"], "construction")
    w["S_B"] = _site("矩阵乙厂区", g_b, w["E_B"], "hazchem")
    w["S_R"] = _site("矩阵戊商场", g_a, None, "crowded")
    w["S_L"] = _site("矩阵丁工地", g_l, w["E_L"], "construction")

    # qiye_a manages E_A (and nothing else); zhuanjia's only grant is E_C.
    qiye = assignment_of("qiye_a")
    RoleAssignment.objects.filter(pk=qiye.pk).update(valid_to=timezone.now() - datetime.timedelta(seconds=1), end_reason="测试")
    RoleAssignment.objects.create(
        user=qiye.user, role=qiye.role, enterprise=w["E_A"], valid_from=timezone.now() - datetime.timedelta(days=1)
    )
    expert = assignment_of("zhuanjia")
    Grant.objects.filter(assignment=expert).update(revoked_at=timezone.now())
    Grant.objects.create(
        assignment=expert, model_key="enterprise", object_id=w["E_C"].pk, reason="受邀参加专家隐患排查",
        valid_from=timezone.now() - datetime.timedelta(days=1), valid_to=timezone.now() + datetime.timedelta(days=30),
    )

    yingji = assignment_of("zhifa_a").department
    today = timezone.localdate()
    w["I_DONE"] = Inspection.objects.create(site=w["S_A"], kind="industry", department=yingji, planned_on=today, performed_at=timezone.now())
    w["I_HIDDEN"] = Inspection.objects.create(site=w["S_A"], kind="unannounced", department=yingji, unannounced=True, planned_on=today)
    w["I_L"] = Inspection.objects.create(site=w["S_L"], kind="territorial", planned_on=today)
    w["users"] = {u.username: u for u in User.objects.all()}
    w.update(_hazards(w))
    w["departments"] = {
        "zhujian": assignment_of("zhujian").department,
        "yingji": yingji,
        "anweiban": Department.objects.filter(unit=district, kind="anweiban").first(),
    }
    return w


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _hazards(w: dict) -> dict:
    """The named hazards, recorded through the services (so place snapshots and audit are real)."""
    from anquan.hazards import services
    from anquan.hazards.catalogue_data import seed_catalogue
    from anquan.hazards.choices import HazardStatus, Verdict
    from anquan.hazards.models import ChecklistItem, ChecklistKind, ChecklistStatus, HazardCategory, RectificationRound

    if not ChecklistItem.objects.filter(checklist__kind=ChecklistKind.MAJOR_CRITERIA, checklist__status=ChecklistStatus.PUBLISHED).exists():
        seed_catalogue()
    from anquan.hazards.tests.test_api_supervision import criterion as applicable_criterion

    criterion = applicable_criterion("construction")  # S_A is a 建筑施工 site: criteria are checked by industry and date
    category = HazardCategory.objects.filter(active=True, parent__isnull=False).order_by("path").first()
    users = w["users"]
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    plan = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety"), "按方案落实")

    def record(user, site, source, text, **extra):
        data = {"site": w[site].pk, "source": source, "description": text, "deadline": deadline,
                "category": category.pk, **extra}
        return services.hazard_record(actor=users[user], data=data, photos=[png()])

    h = {
        "H_A": record("wangge_a", "S_A", "grid", "矩阵甲：脚手架连墙件缺失"),
        "H_B": record("jiedao_b", "S_B", "territorial", "矩阵乙：储罐区可燃气体报警器失效"),
        "H_L": record("linqu_anweiban", "S_L", "territorial", "矩阵丁：塔吊限位装置失灵"),
        "H_SELF": record("qiye_a", "S_A", "self", "矩阵甲自查：配电箱未上锁"),
        "H_MAJ": record("zhujian", "S_A", "industry", "矩阵甲：深基坑无支护", criterion=criterion.pk, **plan),
        "CRITERION": criterion,
    }
    now = timezone.now()
    for name, submitter, verifier in (("A", "qiye_a", "jiedao_a"), ("B", "jiedao_b", "anweiban"), ("L", "linqu_anweiban", "linqu_anweiban")):
        hazard = h[f"H_{name}"]
        h[f"R_{name}"] = RectificationRound.objects.create(
            hazard=hazard, number=1, measures_taken="已加固", submitted_by=users[submitter], submitted_role="ent_manager",
            submitted_at=now, deadline_at_submission=hazard.deadline_in_force, on_time=True, verdict=Verdict.SENT_BACK,
            verified_by=users[verifier], verified_role="street_staff", verified_at=now, verdict_reason="照片不清晰",
        )
        type(hazard).objects.filter(pk=hazard.pk).update(status=HazardStatus.RECTIFYING, submitted_at=now)
        h[f"P_{name}"] = hazard.photos.get()
    return h
