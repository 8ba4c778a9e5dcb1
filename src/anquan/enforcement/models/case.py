"""A case (行政处罚案件) from 立案 to 结案 on the 行政处罚法 clocks, and the records around it.

Why one row per case with its steps as columns: every step happens once (立案审批, 审查, 法制审核,
集体讨论, 告知, 决定, 送达, 结案 or 撤案), is made by one person at one moment, and must be shown
to an administrative review or a court as it was; the repeated things (inspectors, evidence, statements,
payments) are rows of their own. Moves between steps follow ``services.common.TRANSITIONS``; each step
writes one audit event; nothing is deleted.

Who sees a case (scope): the organ's own department (every step); the territory (安委办, streets, leaders,
grids: by the place of the case) and the enterprise itself only from 告知 on (``notified_at``), so an
investigation is not revealed before the party is told; another district never. A street opens no case
(安全生产法 第九条第二款: only as authorised; the authorisation is later work).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLE = "simple", _("简易程序（当场处罚）")


class SourceKind(models.TextChoices):
    INSPECTION = "inspection", _("监督检查发现")
    HAZARD = "hazard", _("事故隐患")
    REPORT = "report", _("群众举报")
    ACCIDENT = "accident", _("生产安全事故")
    TRANSFER = "transfer", _("移送")


class PartyKind(models.TextChoices):
    UNIT = "unit", _("法人或者其他组织")
    PERSON = "person", _("公民（直接负责的主管人员或其他直接责任人员）")


class CaseStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("立案待审批")
    INVESTIGATING = "investigating", _("调查取证")
    REVIEWING = "reviewing", _("案件审查")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    DISCUSSION = "discussion", _("集体讨论")
    TO_NOTIFY = "to_notify", _("待告知")
    NOTIFIED = "notified", _("已告知（陈述申辩/听证）")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达（执行中）")
    CLOSED = "closed", _("已结案")
    WITHDRAWN = "withdrawn", _("已撤案")


class Circumstance(models.TextChoices):
    LIGHTER = "lighter", _("从轻")
    GENERAL = "general", _("一般")
    HEAVIER = "heavier", _("从重")


class DecisionKind(models.TextChoices):
    FINE = "fine", _("罚款")
    WARNING = "warning", _("警告")
    NO_PENALTY = "no_penalty", _("不予行政处罚（行政处罚法第三十三条第一款前段）")
    FIRST_OFFENCE = "first_offence", _("首违不罚（行政处罚法第三十三条第一款后段）")
    NO_FAULT = "no_fault", _("无主观过错不予处罚（行政处罚法第三十三条第二款）")


NOT_PUNISHED = (DecisionKind.NO_PENALTY, DecisionKind.FIRST_OFFENCE, DecisionKind.NO_FAULT)


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("直接送达（宣告后当场交付）")
    LEFT = "left", _("留置送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达（当事人签订确认书）")
    PUBLIC = "public", _("公告送达")


class CaseQuerySet(ScopedQuerySet):
    scope_model_key = "case"

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.DEPARTMENT:
            return Q(organ_id=assignment.department_id)
        if kind == ScopeKind.TERRITORY:
            return Q(unit__path__startswith=assignment.unit.path)
        if kind == ScopeKind.ENTERPRISE:
            return Q(enterprise_id=assignment.enterprise_id)
        return NOTHING

    def concealed_q(self, assignment) -> Q | None:
        """Before 告知 a case is the organ's alone: the enterprise and the territory do not see it."""
        if assignment.scope_kind in (ScopeKind.TERRITORY, ScopeKind.ENTERPRISE):
            return Q(notified_at__isnull=True)
        return None

    def decided(self):
        """Cases with a decision in force (决定 made, not withdrawn)."""
        return self.filter(decided_at__isnull=False, voided_at__isnull=True).exclude(status=CaseStatus.WITHDRAWN)


class Case(BusinessRecord):
    """One 行政处罚案件 of an enforcement department against a unit (or a person of it)."""

    organ = models.ForeignKey("orgs.Department", models.PROTECT, related_name="+", verbose_name=_("执法机关（部门）"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("案发地（区划）"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="cases",
                                   verbose_name=_("当事单位"))
    site = models.ForeignKey("enterprises.Site", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("场所"))
    party_kind = models.CharField(_("当事人类型"), max_length=10, choices=PartyKind.choices, default=PartyKind.UNIT)
    party_name = models.CharField(_("当事人"), max_length=200)
    procedure = models.CharField(_("程序"), max_length=10, choices=Procedure.choices, default=Procedure.GENERAL)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.PENDING_APPROVAL)
    cause = models.CharField(_("案由"), max_length=300)
    facts = models.TextField(_("违法事实"), blank=True)
    violation = models.ForeignKey("enforcement.Violation", models.PROTECT, null=True, blank=True, related_name="cases",
                                  verbose_name=_("违法行为（裁量基准）"))
    # source (案件来源)
    source_kind = models.CharField(_("案件来源"), max_length=12, choices=SourceKind.choices)
    inspection = models.ForeignKey("inspections.Inspection", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("来源检查"))
    finding = models.ForeignKey("inspections.Answer", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("来源检查项（不符合）"))
    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("来源隐患"))
    source_ref = models.CharField(_("来源编号或说明（举报、事故、移送）"), max_length=200, blank=True)
    # 立案
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("立案申请人"))
    opened_at = models.DateTimeField(_("立案申请时间"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("立案批准人"))
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    # 审查 (§57), 法制审核 (§58), 集体讨论
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审查人"))
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_opinion = models.TextField(_("审查意见"), blank=True)
    needs_legal_review = models.BooleanField(_("需法制审核"), default=False)
    needs_discussion = models.BooleanField(_("需集体讨论"), default=False)
    legal_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("法制审核人"))
    legal_reviewed_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    legal_opinion = models.TextField(_("法制审核意见"), blank=True)
    discussed_at = models.DateTimeField(_("集体讨论时间"), null=True, blank=True)
    discussion_record = models.TextField(_("集体讨论记录（参加人员、结论）"), blank=True)
    # 告知
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("告知人"))
    circumstance = models.CharField(_("裁量情节"), max_length=10, choices=Circumstance.choices, default=Circumstance.GENERAL)
    proposed_kind = models.CharField(_("拟处罚种类"), max_length=20, choices=DecisionKind.choices, blank=True)
    proposed_amount = models.DecimalField(_("拟罚款金额（元）"), null=True, blank=True, **MONEY)
    proposed_basis = models.TextField(_("拟处罚依据"), blank=True)
    hearing_right = models.BooleanField(_("告知听证权利"), default=False)
    # 决定 (§59)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("决定人（负责人）"))
    decision_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_kind = models.CharField(_("处理结果"), max_length=20, choices=DecisionKind.choices, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), null=True, blank=True, **MONEY)
    decision_basis = models.TextField(_("处罚依据"), blank=True)
    no_penalty_reason = models.TextField(_("不予处罚理由"), blank=True)
    review_organ = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    court = models.CharField(_("管辖法院"), max_length=200, blank=True)
    correction_ordered_on = models.DateField(_("责令改正日期"), null=True, blank=True)
    correction_refused = models.BooleanField(_("拒不改正（第一百一十二条）"), default=False)
    corrected_on = models.DateField(_("改正日期"), null=True, blank=True)
    # 送达
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=12, choices=ServiceMethod.choices, blank=True)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("送达人"))
    # 结案 / 撤案
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("结案批准人"))
    closure_note = models.TextField(_("结案说明"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤案时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("撤案批准人"))
    withdraw_reason = models.TextField(_("撤案理由"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        indexes = [models.Index(fields=["enterprise", "decision_on"], name="case_enterprise_decision"),
                   models.Index(fields=["organ", "status"], name="case_organ_status")]

    def __str__(self):
        return f"{self.party_name}：{self.cause}"

    def audit_district_id(self):
        return self.unit.district_id

    @property
    def is_fine(self) -> bool:
        return self.decision_kind == DecisionKind.FINE and self.fine_amount is not None

    @property
    def is_penalty(self) -> bool:
        return self.decision_kind in (DecisionKind.FINE, DecisionKind.WARNING)


class CaseInspector(models.Model):
    """An inspector handling the case (行政处罚法 第四十二条: at least two, with 执法证; the number as it was)."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="inspectors", verbose_name=_("案件"))
    person = models.ForeignKey("accounts.Person", models.PROTECT, related_name="+", verbose_name=_("执法人员"))
    cert_no = models.CharField(_("执法证号"), max_length=40)
    added_at = models.DateTimeField(_("加入时间"))

    class Meta:
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_inspector_once")]
        verbose_name = _("承办执法人员")
        verbose_name_plural = _("承办执法人员")

    def __str__(self):
        return f"{self.person.name}（{self.cert_no}）"


class EvidenceKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    PHOTO = "photo", _("照片、视听资料")
    INQUIRY = "inquiry", _("询问笔录")
    SURVEY = "survey", _("勘验笔录")
    DOCUMENT = "document", _("书证")
    OTHER = "other", _("其他证据")


class Evidence(models.Model):
    """One piece of evidence (调查取证); a wrong one is voided with a reason, never deleted."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="evidence", verbose_name=_("案件"))
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    description = models.TextField(_("证据内容"))
    collected_on = models.DateField(_("取证日期"))
    inspection = models.ForeignKey("inspections.Inspection", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("关联检查"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"))
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("证据")
        verbose_name_plural = _("证据")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description[:30]}"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", _("陈述申辩")
    HEARING_REQUEST = "hearing_request", _("听证申请")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    WAIVER = "waiver", _("放弃陈述申辩")


class Statement(models.Model):
    """The party's statement, defence, hearing request, or the record of a hearing, after 告知."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="statements", verbose_name=_("案件"))
    kind = models.CharField(_("类别"), max_length=20, choices=StatementKind.choices)
    text = models.TextField(_("内容"))
    by_party = models.BooleanField(_("当事人提交"), default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提交或记录人"))
    filed_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["case", "filed_at", "id"]
        verbose_name = _("陈述申辩与听证")
        verbose_name_plural = _("陈述申辩与听证")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filed_at:%Y-%m-%d}"


class Payment(models.Model):
    """A payment of the fine (and of the §72 late fee) as shown by the bank's receipt."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="payments", verbose_name=_("案件"))
    amount = models.DecimalField(_("缴纳金额（元）"), **MONEY)
    paid_on = models.DateField(_("缴纳日期"))
    receipt_no = models.CharField(_("票据号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        ordering = ["case", "paid_on", "id"]
        verbose_name = _("罚款缴纳")
        verbose_name_plural = _("罚款缴纳")

    def __str__(self):
        return f"{self.amount}元 {self.paid_on:%Y-%m-%d}"


class ProposalQuerySet(ScopedQuerySet):
    scope_model_key = "closureproposal"

    def scope_q(self, assignment) -> Q:
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            return Q(organ_id=assignment.department_id)
        if assignment.scope_kind == ScopeKind.TERRITORY:
            return Q(enterprise__unit__path__startswith=assignment.unit.path)
        return NOTHING


class ClosureProposal(models.Model):
    """安全生产法 第一百一十三条: a repeat offender with a major hazard — the facts found by the platform, for a
    human decision to propose closure to the government (and the principal's 5-year ban). Never decided here."""

    organ = models.ForeignKey("orgs.Department", models.PROTECT, related_name="+", verbose_name=_("提请部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, related_name="+", verbose_name=_("生产经营单位"))
    as_of = models.DateField(_("认定日期"))
    ground = models.CharField(_("情形"), max_length=200)
    cases = models.ManyToManyField(Case, related_name="+", verbose_name=_("计入的行政处罚案件"))
    major_hazards = models.JSONField(_("存在的重大事故隐患（编号）"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("生成人"))
    created_at = models.DateTimeField(_("生成时间"))
    decision = models.CharField(_("人工决定"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提请关闭建议（第一百一十三条）")
        verbose_name_plural = _("提请关闭建议（第一百一十三条）")

    def __str__(self):
        return f"{self.enterprise}：{self.ground}"

    def audit_district_id(self):
        return self.organ.unit.district_id


class PublicationQuerySet(models.QuerySet):
    def public(self):
        """What the public page lists: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class PenaltyPublication(models.Model):
    """A penalty decision made public (安全生产法 第七十八条, within 7 working days of the decision).

    The public fields are copied at publication (what was published stays what it was, even if the case
    record is corrected later): the unit's name and credit code, the facts in short, the basis, the penalty,
    the organ and the decision date and number. No personal data beyond the party unit's name. A withdrawal
    keeps the row with who and why.
    """

    case = models.ForeignKey(Case, models.PROTECT, related_name="publications", verbose_name=_("案件"))
    published_at = models.DateTimeField(_("公开时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("公开人"))
    party_name = models.CharField(_("当事单位"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    facts = models.TextField(_("主要违法事实"))
    basis = models.TextField(_("处罚依据"))
    penalty = models.CharField(_("处罚内容"), max_length=300)
    organ_name = models.CharField(_("处罚机关"), max_length=200)
    decision_on = models.DateField(_("处罚决定日期"))
    on_time = models.BooleanField(_("按期公开"), default=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("撤回人"))
    withdraw_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_on", "-id"]
        verbose_name = _("行政处罚信息公开")
        verbose_name_plural = _("行政处罚信息公开")

    def __str__(self):
        return f"{self.party_name} {self.decision_on:%Y-%m-%d}"

    def audit_district_id(self):
        return self.case.unit.district_id
