"""The enforcement test world on top of core's matrix world (``core/tests/matrix_world.py``).

Adds: ``juzhang`` (执法部门负责人 of the 示范区应急管理局), ``fazhi`` (法制审核人员 there), ``linqu_juzhang``
(负责人 of 邻区's 应急管理局 — another district), the discretion catalogue (``V99``: 安全生产法第九十九条第（一）项 as seeded, units
≤ 5万元; ``V102``: 第一百零二条 with local bands 1万/3万), and a helper that walks a case through the services to any status.
The enforcement users are not (yet) demo users: the demo's people module and every matrix table would
need their rows (later session).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.core.tests.matrix_world import _enterprise, _site, assignment_of, grid_in, png
from anquan.inspections.models import Inspection
from anquan.orgs.models import Department, DepartmentKind, OrgUnit, UnitKind

from .. import services
from ..models import Case, CaseStatus, Violation

COURT = "示范区人民法院"
REVIEW_ORGAN = "示范区人民政府"


def _user(username, role, department, cert=""):
    person = Person.objects.create(name=f"{username}姓名", post="测试", department=department, unit=department.unit,
                                   enforcement_cert_no=cert)
    user = User.objects.create(username=username, person=person)
    RoleAssignment.objects.create(user=user, role=role, department=department,
                                  valid_from=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    return user


def _base_world() -> dict:
    """The part of core's matrix world enforcement needs (its hazards apart: H_B is recorded here, 一般)."""
    import datetime as dt

    from anquan.demo.generator import build_demo
    from anquan.hazards import services as hazard_services
    from anquan.hazards.models import HazardCategory

    build_demo(seed=11, as_of=dt.date(2026, 11, 22), streets=3, enterprises=40, hazards_per_enterprise=0)
    street_a, street_b = assignment_of("jiedao_a").unit, assignment_of("jiedao_b").unit
    g_a, linqu = assignment_of("wangge_a").unit, assignment_of("linqu_anweiban").unit
    w = {"G_A": g_a, "G_B": grid_in(street_b), "G_L": grid_in(linqu)}
    w["E_A"] = _enterprise("执法甲建筑工程有限公司", g_a, "construction")
    w["E_B"] = _enterprise("执法乙化工有限公司", w["G_B"], "hazchem")
    w["E_L"] = _enterprise("执法丁化工有限公司", w["G_L"], "hazchem")
    w["S_A"] = _site("执法甲项目部", g_a, w["E_A"], "construction")
    w["S_B"] = _site("执法乙厂区", w["G_B"], w["E_B"], "hazchem")
    w["S_L"] = _site("执法丁厂区", w["G_L"], w["E_L"], "hazchem")
    yingji = assignment_of("zhifa_a").department
    w["I_DONE"] = Inspection.objects.create(site=w["S_B"], kind="industry", department=yingji,
                                            planned_on=timezone.localdate(), performed_at=timezone.now())
    w["users"] = {u.username: u for u in User.objects.all()}
    category = HazardCategory.objects.filter(active=True, parent__isnull=False).order_by("path").first()
    w["H_B"] = hazard_services.hazard_record(actor=w["users"]["jiedao_b"], photos=[png()], data={
        "site": w["S_B"].pk, "source": "territorial", "description": "执法乙：储罐区可燃气体报警器失效",
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "category": category.pk})
    assert street_a and OrgUnit.objects.filter(kind=UnitKind.STREET).exists()
    return w


def build_enforcement_world() -> dict:
    from anquan.enforcement.discretion_data import seed_catalogue

    # the migration's discretion catalogue is gone after a transactional (browser) test's flush: put it back
    seed_catalogue()
    w = _base_world()
    yingji = assignment_of("zhifa_a").department
    linqu = assignment_of("linqu_anweiban").unit
    linqu_yingji = Department.objects.filter(unit=linqu, kind=DepartmentKind.EMERGENCY).first()
    if linqu_yingji is None:
        linqu_yingji = Department.objects.create(name="邻区应急管理局", kind=DepartmentKind.EMERGENCY, unit=linqu)
    w["yingji"] = yingji
    w["juzhang"] = _user("juzhang", RoleCode.DEPT_HEAD, yingji)
    w["fazhi"] = _user("fazhi", RoleCode.LEGAL_REVIEWER, yingji)
    w["linqu_juzhang"] = _user("linqu_juzhang", RoleCode.DEPT_HEAD, linqu_yingji)
    party = User.objects.create(username="qiye_e", person=Person.objects.create(name="企业安全员", enterprise=w["E_B"]))
    RoleAssignment.objects.create(user=party, role=RoleCode.ENT_MANAGER, enterprise=w["E_B"],
                                  valid_from=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    w["users"] = {u.username: u for u in User.objects.all()}
    w["V99"] = Violation.objects.get(code="AQ-99-1")  # seeded by the migration: units ≤ 5万元
    w["V102"] = Violation.objects.create(code="TEST-102", article="第一百零二条", title="未采取措施消除事故隐患（本地裁量档次）",
                                         unit_min=Decimal(0), unit_max=Decimal(50000),
                                         lighter_max=Decimal(10000), heavier_min=Decimal(30000))
    return w


def open_case(w, *, site="S_B", by="zhifa_a", **extra) -> Case:
    data = {"source_kind": "report", "site": w[site].pk, "cause": "未设置安全警示标志", "facts": "储罐区未设置安全警示标志"}
    data.update(extra)
    return services.case_open(actor=w["users"][by], data=data)


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def advance(w, case: Case, target: str, *, amount="20000", legal=False, circumstance="general") -> Case:
    """Walk ``case`` through the services until it reaches ``target`` (a CaseStatus)."""
    u = w["users"]
    order = [CaseStatus.PENDING_APPROVAL, CaseStatus.INVESTIGATING, CaseStatus.REVIEWING, CaseStatus.TO_NOTIFY,
             CaseStatus.NOTIFIED, CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED]
    if legal:
        order.insert(3, CaseStatus.LEGAL_REVIEW)
    while case.status != target:
        s = case.status
        if s == CaseStatus.PENDING_APPROVAL:
            case = services.case_approve(actor=u["juzhang"], case=case, version=case.version)
        elif s == CaseStatus.INVESTIGATING:
            if case.inspectors.count() < 2:
                other = "zhifa_b" if case.inspectors.filter(person=u["zhifa_a"].person).exists() else "zhifa_a"
                case = services.case_add_inspector(actor=u["zhifa_a"], case=case, version=case.version,
                                                   person_id=u[other].person_id)
            services.case_add_evidence(actor=u["zhifa_a"], case=case, version=case.version,
                                       data={"kind": "photo", "description": "现场照片3张"})
            case = services.case_submit_review(actor=u["zhifa_a"], case=fresh(case), version=fresh(case).version)
        elif s == CaseStatus.REVIEWING:
            case = services.case_review(actor=u["juzhang"], case=case, version=case.version,
                                        data={"opinion": "事实清楚", "needs_legal_review": legal})
        elif s == CaseStatus.LEGAL_REVIEW:
            case = services.case_legal_review(actor=u["fazhi"], case=case, version=case.version,
                                              data={"opinion": "符合法定程序", "passed": True})
        elif s == CaseStatus.TO_NOTIFY:
            case = services.case_notify(actor=u["zhifa_a"], case=case, version=case.version, data={
                "proposed_kind": "fine", "proposed_amount": amount, "violation": w["V99"].pk, "circumstance": circumstance,
                "proposed_basis": "《安全生产法》第九十九条第（一）项"})
        elif s == CaseStatus.NOTIFIED:
            case = services.case_decide(actor=u["juzhang"], case=case, version=case.version, data={
                "decision_kind": "fine", "fine_amount": amount, "decision_basis": "《安全生产法》第九十九条第（一）项",
                "review_organ": REVIEW_ORGAN, "court": COURT})
        elif s == CaseStatus.DECIDED:
            case = services.case_serve(actor=u["zhifa_a"], case=case, version=case.version,
                                       data={"service_method": "in_person"})
        elif s == CaseStatus.SERVED:
            services.case_record_payment(actor=u["zhifa_a"], case=case, version=case.version, data={"amount": amount})
            case = fresh(case)
            case = services.case_close(actor=u["juzhang"], case=case, version=case.version, data={})
        else:
            raise AssertionError(f"cannot advance from {s}")
        case = fresh(case)
    return case
