"""Supervision (督查) and accountability (问责): groups, checks, findings, warning interviews, circulars.

Why: the 安委办 supervises how streets and departments do their duty (not the enterprises
directly): it forms groups (组长、成员、专家), assigns them to streets and departments, and runs
checks with the standard questions (``questions.py``). What a check finds becomes a
rectification demand (整改要求) on the supervised unit with a deadline; overdue is computed
from today in Asia/Shanghai, never stored (``finding_overdue_q``). 警示约谈 and 通报 are the
accountability records against a unit or an enterprise, linked to the inspections, hazards
and findings behind them.

Who sees what (scope): the 安委办 sees groups it formed at or below its unit and everything
they did; a street sees checks, findings and records against units in its territory; a
department those against itself (and records about enterprises it regulates); a group member
(督查组成员/专家: scope "grants") sees the groups it is a member of through time-bounded grants
(model key ``supervisiongroup``) and their checks and findings; an enterprise sees the
interviews and circulars against itself.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet, _granted_ids

from .questions import CURRENT_VERSION

GROUP_KEY = "supervisiongroup"


def _granted_groups(assignment) -> list[int]:
    return _granted_ids(assignment, GROUP_KEY)


# ---------------------------------------------------------------- groups


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("工作中")
    CLOSED = "closed", _("已结束")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("成员")
    EXPERT = "expert", _("专家")


class GroupQuerySet(ScopedQuerySet):
    scope_model_key = GROUP_KEY

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            path = assignment.unit.path
            streets = SupervisionGroup.streets.through.objects.filter(
                supervisiongroup_id=OuterRef("pk"), orgunit__path__startswith=path)
            return Q(formed_by_unit__path__startswith=path) | Q(Exists(streets))
        if kind == ScopeKind.DEPARTMENT:
            depts = SupervisionGroup.departments.through.objects.filter(
                supervisiongroup_id=OuterRef("pk"), department_id=assignment.department_id)
            return Q(Exists(depts))
        return NOTHING


class SupervisionGroup(BusinessRecord):
    """A 督查组 formed by a 安委办 for a period and assigned to streets and departments."""

    name = models.CharField(_("督查组名称"), max_length=100)
    formed_by_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("组建单位（安委办所在区划）"))
    formed_by_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                             verbose_name=_("组建部门"))
    period_start = models.DateField(_("督查开始日期"))
    period_end = models.DateField(_("督查结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    task = models.TextField(_("督查任务"), blank=True)
    streets = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="+", verbose_name=_("督查的街道（乡镇）"))
    departments = models.ManyToManyField("orgs.Department", blank=True, related_name="+", verbose_name=_("督查的部门"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("组建人"))

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("督查组")
        verbose_name_plural = _("督查组")

    def __str__(self):
        return self.name

    def audit_district_id(self):
        return self.formed_by_unit.district_id


class GroupMember(models.Model):
    """A person in a group (组长/成员/专家); linked to their supervisor/expert assignment when they have an account,
    which then receives the group's time-bounded grants."""

    group = models.ForeignKey(SupervisionGroup, models.PROTECT, related_name="members", verbose_name=_("督查组"))
    person = models.ForeignKey("accounts.Person", models.PROTECT, related_name="+", verbose_name=_("人员"))
    role = models.CharField(_("组内角色"), max_length=10, choices=MemberRole.choices)
    assignment = models.ForeignKey("accounts.RoleAssignment", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("关联任职"))
    added_at = models.DateTimeField(_("加入时间"))
    removed_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    remove_reason = models.CharField(_("退出原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "role", "id"]
        verbose_name = _("督查组成员")
        verbose_name_plural = _("督查组成员")

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"


# ---------------------------------------------------------------- checks and findings


def _supervised_q(assignment, prefix: str = "") -> Q:
    """Rows about a supervised unit/department within one assignment's scope (checks and findings alike)."""
    kind = assignment.scope_kind
    if kind == ScopeKind.TERRITORY:
        path = assignment.unit.path
        return (Q(**{f"{prefix}unit__path__startswith": path}) | Q(**{f"{prefix}department__unit__path__startswith": path})
                | Q(**{f"{prefix}group__formed_by_unit__path__startswith": path}))
    if kind == ScopeKind.DEPARTMENT:
        return Q(**{f"{prefix}department_id": assignment.department_id})
    if kind == ScopeKind.GRANTS:
        groups = _granted_groups(assignment)
        return Q(**{f"{prefix}group_id__in": groups}) if groups else NOTHING
    return NOTHING


class CheckStatus(models.TextChoices):
    DRAFT = "draft", _("督查中")
    COMPLETED = "completed", _("已完成")


class CheckQuerySet(ScopedQuerySet):
    scope_model_key = "supervisioncheck"

    def scope_q(self, assignment) -> Q:
        return _supervised_q(assignment)


class SupervisionCheck(BusinessRecord):
    """One group's check of one supervised street or department on a date, answering the standard questions."""

    group = models.ForeignKey(SupervisionGroup, models.PROTECT, related_name="checks", verbose_name=_("督查组"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("被督查街道（乡镇）"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("被督查部门"))
    checked_on = models.DateField(_("督查日期"))
    questions_version = models.CharField(_("问题清单版本"), max_length=20, default=CURRENT_VERSION)
    answers = models.JSONField(_("问题回答"), default=dict, blank=True)
    summary = models.TextField(_("督查情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.DRAFT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_role = models.CharField(_("记录人角色"), max_length=30)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("督查检查")
        verbose_name_plural = _("督查检查")

    def __str__(self):
        return f"{self.group} · {self.supervised} · {self.checked_on}"

    @property
    def supervised(self):
        return self.unit or self.department

    def audit_district_id(self):
        return self.group.formed_by_unit.district_id or (self.unit.district_id if self.unit_id else None)


class FindingStatus(models.TextChoices):
    PENDING = "pending", _("待整改")
    REPORTED = "reported", _("已报整改")
    CONFIRMED = "confirmed", _("已确认")


def finding_overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Overdue: still 待整改 (also after being sent back) and today (Asia/Shanghai) is after the deadline.
    Once reported, the group's confirmation clock runs instead, as for hazards."""
    return Q(**{f"{prefix}deadline__lt": today, f"{prefix}status": FindingStatus.PENDING})


def finding_is_overdue(finding, today: datetime.date) -> bool:
    return finding.status == FindingStatus.PENDING and today > finding.deadline


class FindingQuerySet(ScopedQuerySet):
    scope_model_key = "supervisionfinding"

    def scope_q(self, assignment) -> Q:
        return _supervised_q(assignment)

    def overdue(self, today: datetime.date):
        return self.filter(finding_overdue_q(today))


class Finding(BusinessRecord):
    """A problem a check found, turned into a rectification demand (整改要求) on the supervised unit with a deadline."""

    check_record = models.ForeignKey(SupervisionCheck, models.PROTECT, related_name="findings", verbose_name=_("督查检查"))
    # Copied from the check so lists and scope need no join through it.
    group = models.ForeignKey(SupervisionGroup, models.PROTECT, related_name="+", verbose_name=_("督查组"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("整改单位（街道）"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("整改单位（部门）"))
    number = models.PositiveSmallIntegerField(_("序号"))
    question = models.CharField(_("对应问题"), max_length=20, blank=True)
    description = models.TextField(_("发现的问题"))
    demand = models.TextField(_("整改要求"))
    deadline_days = models.PositiveSmallIntegerField(_("整改期限（天）"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.PENDING)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提出人"))
    issued_role = models.CharField(_("提出人角色"), max_length=30)
    issued_at = models.DateTimeField(_("提出时间"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("督查发现问题")
        verbose_name_plural = _("督查发现问题")
        constraints = [models.UniqueConstraint(fields=["check_record", "number"], name="finding_number_per_check")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.check_record.supervised} · 问题{self.number}"

    @property
    def supervised(self):
        return self.unit or self.department

    def audit_district_id(self):
        return self.group.formed_by_unit.district_id


class Verdict(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("确认整改到位")
    SENT_BACK = "sent_back", _("退回")


class FindingRound(models.Model):
    """One report of the fix by the supervised unit and the group's verdict on it; a re-report is a new round."""

    finding = models.ForeignKey(Finding, models.PROTECT, related_name="rounds", verbose_name=_("问题"))
    number = models.PositiveSmallIntegerField(_("轮次"))
    measures = models.TextField(_("整改情况"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("报告人"))
    reported_role = models.CharField(_("报告人角色"), max_length=30)
    reported_at = models.DateTimeField(_("报告时间"))
    on_time = models.BooleanField(_("按期报告"))
    verdict = models.CharField(_("确认结论"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("确认人"))
    verified_role = models.CharField(_("确认人角色"), max_length=30, blank=True)
    verified_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    verdict_reason = models.CharField(_("退回理由"), max_length=1000, blank=True)

    class Meta:
        ordering = ["finding", "number"]
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        constraints = [models.UniqueConstraint(fields=["finding", "number"], name="finding_round_number")]

    def __str__(self):
        return f"{self.finding} · 第{self.number}次报告"


# ---------------------------------------------------------------- accountability: interviews and circulars


class AccountabilityQuerySet(ScopedQuerySet):
    def scope_q(self, assignment) -> Q:
        from anquan.enterprises.models import Enterprise

        kind = assignment.scope_kind
        if kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
            firms = Enterprise.objects.filter(Enterprise.objects.scope_q(assignment), pk=OuterRef("target_enterprise_id"))
            if kind == ScopeKind.TERRITORY:
                path = assignment.unit.path
                return (Q(target_unit__path__startswith=path) | Q(target_department__unit__path__startswith=path)
                        | Q(recorder_unit__path__startswith=path) | Q(Exists(firms)))
            dept = assignment.department_id
            return Q(target_department_id=dept) | Q(recorder_department_id=dept) | Q(Exists(firms))
        if kind == ScopeKind.ENTERPRISE:
            return Q(target_enterprise_id=assignment.enterprise_id)
        return NOTHING


class InterviewQuerySet(AccountabilityQuerySet):
    scope_model_key = "interview"

    def scope_q(self, assignment) -> Q:
        """As every accountability record, and an industry interview is seen by the departments regulating that
        industry in (or above) the interviewed territory."""
        q = super().scope_q(assignment)
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            dept = assignment.department
            territory = Q(target_unit__path__startswith=dept.unit.path) | Q(target_unit_id__in=dept.unit.ancestor_ids())
            q |= Q(target_industry__in=dept.industries.values("pk")) & territory
        return q


class CircularQuerySet(AccountabilityQuerySet):
    scope_model_key = "circular"


class AccountabilityBase(BusinessRecord):
    """What every accountability record shares (警示约谈, 通报 and the 问责 record itself): exactly one target (a
    unit, a department or an enterprise), who recorded it, the inspections, hazards and findings behind it,
    and the accident it follows from (一案双查, 三责同追)."""

    target_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("对象（区划单位）"))
    target_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("对象（部门）"))
    target_enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("对象（企业）"))
    recorder_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("实施单位（区划）"))
    recorder_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                            verbose_name=_("实施部门"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_role = models.CharField(_("记录人角色"), max_length=30)
    content = models.TextField(_("主要内容"))
    inspections = models.ManyToManyField("inspections.Inspection", blank=True, related_name="+", verbose_name=_("相关检查"))
    hazards = models.ManyToManyField("hazards.Hazard", blank=True, related_name="+", verbose_name=_("相关隐患"))
    findings = models.ManyToManyField(Finding, blank=True, related_name="+", verbose_name=_("相关督查问题"))
    accident = models.ForeignKey("accidents.Accident", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("相关事故"))

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.target_enterprise or self.target_department or self.target_unit

    def audit_district_id(self):
        return self.recorder_unit.district_id


class Interview(AccountabilityBase):
    """A 警示约谈: who was called in, by whom, when, what was said and what they committed to."""

    # 行业约谈 (seed 002: 区域/行业约谈): with ``target_unit`` the industry within that territory is called in.
    target_industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name=_("对象（行业）"))
    held_on = models.DateField(_("约谈日期"))
    place = models.CharField(_("约谈地点"), max_length=200, blank=True)
    participants = models.TextField(_("参加人员"))
    commitments = models.TextField(_("整改承诺"), blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("警示约谈")
        verbose_name_plural = _("警示约谈")

    @property
    def target(self):
        if self.target_industry_id and self.target_unit_id:
            return f"{self.target_unit.name}{self.target_industry.name}行业"
        return super().target

    def __str__(self):
        return f"约谈{self.target} · {self.held_on}"


class CircularKind(models.TextChoices):
    CRITICISM = "criticism", _("通报批评")
    SITUATION = "situation", _("情况通报")
    COMMENDATION = "commendation", _("通报表扬")


class Circular(AccountabilityBase):
    """A 通报; its official document (公文) is generated by the documents app and linked by id and 文号."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("通报类别"), max_length=15, choices=CircularKind.choices, default=CircularKind.CRITICISM)
    issued_on = models.DateField(_("通报日期"))
    requirements = models.TextField(_("工作要求"), blank=True)
    recipients = models.CharField(_("主送"), max_length=500, blank=True)
    # The documents app's OfficialDocument (by id, so this app does not depend on its migrations).
    document_id = models.BigIntegerField(_("公文ID"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- accountability: the 问责 record (三责同追)


class Responsibility(models.TextChoices):
    """三责同追: the enterprise's 主体责任, a regulator's 监管责任, a territory's 属地责任 (安全生产法第八十七条)."""

    PRIMARY = "primary", _("企业主体责任")
    REGULATORY = "regulatory", _("部门监管责任")
    TERRITORIAL = "territorial", _("属地管理责任")


class AccountabilityStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出处理建议")
    DECIDED = "decided", _("已作出处理决定")


class AccountabilityRecordQuerySet(AccountabilityQuerySet):
    scope_model_key = "accountability"


class AccountabilityRecord(AccountabilityBase):
    """The 问责 record: one target held to account for one kind of responsibility, with the finding of
    responsibility (``content``), the proposed handling and the decision. Opened from an accident by its
    investigators (``accidents.services.accountability``) against the enterprise, the regulators and the
    territorial units (三责同追); the responsibility issue adds the persons held to account."""

    responsibility = models.CharField(_("责任类别"), max_length=12, choices=Responsibility.choices)
    proposed_handling = models.TextField(_("处理建议"))
    status = models.CharField(_("状态"), max_length=10, choices=AccountabilityStatus.choices, default=AccountabilityStatus.PROPOSED)
    decided_handling = models.TextField(_("处理决定"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    objects = AccountabilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")

    def __str__(self):
        return f"{self.get_responsibility_display()}：{self.target}"
