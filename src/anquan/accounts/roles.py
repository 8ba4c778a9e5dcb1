"""The role × action table of the domain, kept once, as data.

Every permission decision in the code reads this table (through
``RoleAssignment.permits``); the permission-matrix tests keep their *expectations*
in a separate hand-written table, so a change here that breaks the domain rules
fails them. Where the domain table is silent, the narrower reading holds.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    TERRITORY = "territory", _("辖区")
    DEPARTMENT = "department", _("行业×辖区")
    ENTERPRISE = "enterprise", _("本企业")
    GRANTS = "grants", _("仅限授权对象")
    SYSTEM = "system", _("系统配置")


class RoleCode(models.TextChoices):
    ANWEIBAN = "anweiban", _("安委办工作人员")
    STREET_STAFF = "street_staff", _("属地工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPT_STAFF = "dept_staff", _("行业部门工作人员")
    INSPECTOR = "inspector", _("执法人员")
    EXPERT = "expert", _("专家")
    SUPERVISOR = "supervisor", _("督查组成员")
    LEADER = "leader", _("单位领导")
    DEPT_HEAD = "dept_head", _("执法部门负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    ENT_MANAGER = "ent_manager", _("企业安全管理员")
    ENT_PRINCIPAL = "ent_principal", _("企业主要负责人")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")


VIEW = "view"

ENTERPRISE_EDIT = {
    "enterprise.create",
    "enterprise.update",
    "enterprise.import",
    "site.create",
    "site.update",
    "site.void",
}
EXPORT = {"enterprise.export", "site.export"}

# The hazard loop (隐患排查治理). Who-found-it rules (e.g. a street verifies what its unit found)
# are checked in hazards.services on top of these.
HAZARD_FIND = {"hazard.record", "hazard.update"}
HAZARD_RECTIFY = {"hazard.rectify", "hazard.request_extension", "hazard.explain_overdue"}
HAZARD_OVERSEE = {
    "hazard.verify", "hazard.decide_extension", "hazard.escalate", "hazard.control", "hazard.recheck",
    "hazard.judge_major", "hazard.export", "hazard.import",
}

# Inspections and supervision (检查与督查). Being a named inspector of the task is checked in
# inspections.services on top of "inspection.perform".
CHECKLIST_MANAGE = "checklist.manage"
PLAN = {"inspection.plan"}
DRAW = "inspection.draw"
PERFORM = "inspection.perform"
DOCUMENT_ISSUE = "document.issue"
# 拟稿 → 核稿 → 签发 (documents.services.signoff): staff of the issuing organ draft and review; the
# organ's leader signs. Who may act on which sign-off (own organ, never one's own draft) is checked there.
SIGNOFF_DRAFT = "signoff.draft"
SIGNOFF_REVIEW = "signoff.review"
SIGNOFF_SIGN = "signoff.sign"
SUPERVISION_MANAGE = "supervision.manage"
SUPERVISION_CHECK = "supervision.check"
SUPERVISION_RESPOND = "supervision.respond"
ACCOUNTABILITY = "accountability.record"
# Accidents (生产安全事故, issue 13). Being at or above the investigating body's level is checked in
# accidents.services.common (may_investigate) on top of "accident.investigate".
ACCIDENT_REPORT = {"accident.report", "accident.add"}
ACCIDENT_FORWARD = "accident.forward"
ACCIDENT_INVESTIGATE = "accident.investigate"
ACCIDENT_CLOSE = "accident.close"

# Administrative enforcement (行政执法, anquan.enforcement). Who may act on which case (the organ's own
# staff; the enterprise only from 告知 on; a street only where authorised) is checked there.
CASE_WORK = {"case.open", "case.investigate", "case.submit_review", "case.notify", "case.serve",
             "case.record_statement", "case.record_payment", "case.decide_on_spot"}
CASE_HEAD = {"case.approve", "case.review", "case.discuss", "case.decide", "case.withdraw", "case.close",
             "case.publish", "case.propose_closure", "case.export"}
CASE_LEGAL = {"case.legal_review"}
CASE_PARTY = {"case.record_statement"}
# 挂牌督办 at the unit's own level (street or 安委办 of 区县以上; the level rule is hazards.services.supervision
# .may_list_for_level) and the listing of a whole region or industry (区域/行业挂牌督办, hazards.AreaListing):
# the listing level lists and 摘牌 after its review; the listed territory's unit or department reports the fix.
LISTING = {"hazard.list", "hazard.delist", "hazard.review_listing"}
AREA_LISTING = {"arealisting.list", "arealisting.delist"}
AREA_LISTING_REPORT = "arealisting.report"


@dataclass(frozen=True)
class Role:
    code: str
    scope_kind: str
    actions: frozenset[str]
    #: Which of the unit/department/enterprise fields an assignment of this role must name.
    anchor: str

    @property
    def label(self) -> str:
        return RoleCode(self.code).label


def _role(code, scope_kind, anchor, *actions) -> Role:
    flat: set[str] = set()
    for a in actions:
        flat |= {a} if isinstance(a, str) else set(a)
    return Role(code, scope_kind, frozenset(flat), anchor)


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        _role(RoleCode.ANWEIBAN, ScopeKind.TERRITORY, "unit", VIEW, ENTERPRISE_EDIT, EXPORT,
              "enterprise.void", "enterprise.change_regulators", "audit.view_object",
              HAZARD_FIND, HAZARD_OVERSEE, LISTING, AREA_LISTING, AREA_LISTING_REPORT, "hazard.transfer",
              CHECKLIST_MANAGE, PLAN, DRAW, PERFORM, DOCUMENT_ISSUE, SUPERVISION_MANAGE, SUPERVISION_CHECK,
              ACCOUNTABILITY, SIGNOFF_DRAFT, SIGNOFF_REVIEW, ACCIDENT_REPORT, ACCIDENT_FORWARD, ACCIDENT_INVESTIGATE, ACCIDENT_CLOSE),
        _role(RoleCode.STREET_STAFF, ScopeKind.TERRITORY, "unit", VIEW, ENTERPRISE_EDIT, EXPORT, "audit.view_object",
              HAZARD_FIND, HAZARD_RECTIFY, HAZARD_OVERSEE, PLAN, PERFORM, DOCUMENT_ISSUE, SUPERVISION_RESPOND,
              SIGNOFF_DRAFT, SIGNOFF_REVIEW, LISTING, AREA_LISTING, AREA_LISTING_REPORT, ACCIDENT_REPORT, ACCIDENT_FORWARD),
        _role(RoleCode.GRID_WORKER, ScopeKind.TERRITORY, "unit", VIEW, HAZARD_FIND, PERFORM),
        _role(RoleCode.DEPT_STAFF, ScopeKind.DEPARTMENT, "department", VIEW, EXPORT, "audit.view_object",
              HAZARD_FIND, HAZARD_OVERSEE, "hazard.downgrade", CHECKLIST_MANAGE, PLAN, DRAW, PERFORM, DOCUMENT_ISSUE,
              SUPERVISION_RESPOND, ACCOUNTABILITY, SIGNOFF_DRAFT, SIGNOFF_REVIEW, AREA_LISTING_REPORT, ACCIDENT_REPORT, ACCIDENT_FORWARD, ACCIDENT_INVESTIGATE,
              CASE_WORK),
        _role(RoleCode.INSPECTOR, ScopeKind.DEPARTMENT, "department", VIEW, "hazard.record", "hazard.control",
              "hazard.judge_major", PERFORM, DOCUMENT_ISSUE, CASE_WORK),
        _role(RoleCode.DEPT_HEAD, ScopeKind.DEPARTMENT, "department", VIEW, "audit.view_object", CASE_HEAD,
              SIGNOFF_REVIEW, SIGNOFF_SIGN),
        _role(RoleCode.LEGAL_REVIEWER, ScopeKind.DEPARTMENT, "department", VIEW, CASE_LEGAL),
        _role(RoleCode.EXPERT, ScopeKind.GRANTS, "", VIEW, "hazard.record", "hazard.judge_major", PERFORM),
        _role(RoleCode.SUPERVISOR, ScopeKind.GRANTS, "", VIEW, "hazard.record", PERFORM, SUPERVISION_CHECK),
        _role(RoleCode.LEADER, ScopeKind.TERRITORY, "unit", VIEW, EXPORT, "audit.view_object", "hazard.export",
              SIGNOFF_REVIEW, SIGNOFF_SIGN),
        _role(RoleCode.ENT_MANAGER, ScopeKind.ENTERPRISE, "enterprise", VIEW, HAZARD_FIND, HAZARD_RECTIFY,
              "hazard.verify", "hazard.apply_resume", PLAN, PERFORM, CASE_PARTY, ACCIDENT_REPORT),
        _role(RoleCode.ENT_PRINCIPAL, ScopeKind.ENTERPRISE, "enterprise", VIEW, HAZARD_FIND, HAZARD_RECTIFY,
              "hazard.verify", "hazard.apply_resume", PLAN, PERFORM, CASE_PARTY, ACCIDENT_REPORT),
        _role(RoleCode.SYSADMIN, ScopeKind.SYSTEM, "", VIEW, "orgunit.create", "orgunit.update",
              "department.create", "department.update", "accounts.manage", "rules.manage", CHECKLIST_MANAGE),
        _role(RoleCode.SECADMIN, ScopeKind.SYSTEM, "", VIEW, "accounts.security"),
        _role(RoleCode.AUDITOR, ScopeKind.SYSTEM, "", VIEW, "audit.view", "audit.verify"),
    ]
}
