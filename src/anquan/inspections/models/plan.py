"""Inspection plans (检查计划) and their random draws (双随机抽查).

A draw is reproducible: the frame of candidate sites and the inspector pool are stored,
ordered, with the seed, so anyone can re-run ``inspections.draw.draw`` and get the same
targets and inspectors; the draw itself is an audit event.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet

from .inspection import InspectionKind


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下达")
    CLOSED = "closed", _("已结束")


class PlanQuerySet(ScopedQuerySet):
    scope_model_key = "inspection_plan"

    def scope_q(self, assignment) -> Q:
        """Plans organised at or below the user's unit; a department's own plans; an enterprise's self-inspection plans."""
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            return Q(organiser_unit__path__startswith=assignment.unit.path, department__isnull=True)
        if kind == ScopeKind.DEPARTMENT:
            return Q(department_id=assignment.department_id)
        if kind == ScopeKind.ENTERPRISE:
            return Q(enterprise_id=assignment.enterprise_id)
        return NOTHING


class InspectionPlan(BusinessRecord):
    """What to inspect in a period: targets by territory, industry and risk colour, named sites, or by random draw."""

    name = models.CharField(_("计划名称"), max_length=200)
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    organiser_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("组织单位"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("组织部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("自查企业"))
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    territory = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("检查范围（辖区）"))
    industries = models.ManyToManyField("orgs.Industry", blank=True, related_name="+", verbose_name=_("行业领域"))
    risk_colours = models.JSONField(_("风险等级"), default=list, blank=True)
    #: 指定场所: explicit targets (a 暗访 after a public tip, an expert visit); when set, they are the targets
    #: and the industry / risk-colour filters are not used (a draw then draws among them).
    target_sites = models.ManyToManyField("enterprises.Site", blank=True, related_name="+", verbose_name=_("指定场所"))
    checklists = models.ManyToManyField("hazards.Checklist", blank=True, related_name="+", verbose_name=_("检查表"))
    joint_departments = models.ManyToManyField("orgs.Department", blank=True, related_name="+", verbose_name=_("联合检查部门"))
    #: 联合检查: which department owns the part of each checklist ({"<checklist id>": department id});
    #: the task's parts are made from it, so each department sees and owns its own part.
    part_departments = models.JSONField(_("检查表负责部门"), default=dict, blank=True)
    enforcement = models.BooleanField(_("执法检查"), default=False)
    unannounced = models.BooleanField(_("不发通知（暗访）"), default=False)
    inspectors_per_task = models.PositiveSmallIntegerField(_("每个任务检查人数"), default=2)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("制定人"))
    notes = models.TextField(_("说明"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")

    def __str__(self):
        return self.name

    def audit_district_id(self):
        return self.organiser_unit.district_id


class Draw(models.Model):
    """One random draw of a plan: seed, frame (candidate site ids, ordered), pool (person ids), result."""

    plan = models.ForeignKey(InspectionPlan, models.PROTECT, related_name="draws", verbose_name=_("检查计划"))
    seed = models.BigIntegerField(_("随机种子"))
    target_count = models.PositiveIntegerField(_("抽取对象数"))
    inspectors_per_target = models.PositiveSmallIntegerField(_("每个对象检查人数"))
    frame = models.JSONField(_("候选对象（场所ID，有序）"))
    pool = models.JSONField(_("检查人员库（人员ID，有序）"))
    result = models.JSONField(_("抽取结果"))
    #: Persons to avoid per site ({"<site id>": [person ids]}), as used by the draw (needed to recompute it).
    conflicts = models.JSONField(_("回避关系"), default=dict, blank=True)
    drawn_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name=_("抽取人"))
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("随机抽取")
        verbose_name_plural = _("随机抽取")

    def __str__(self):
        return f"{self.plan} · 种子{self.seed}"

    def audit_district_id(self):
        return self.plan.audit_district_id()
