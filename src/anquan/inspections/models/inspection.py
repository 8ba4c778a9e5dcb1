"""The inspection visit (检查任务): one site, one visit, one or more departments' parts (联合检查).

A visit is planned (from a plan or by hand), performed on a phone item by item, and
completed with signatures; from then on its record (time, place, content, problems,
handling, signatures — 安全生产法 第六十八条) never changes. An unannounced visit
(暗访 / 四不两直) stays hidden from the enterprise and its territory chain until performed.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import ScopedQuerySet
from anquan.orgs.models import UnitKind


class InspectionKind(models.TextChoices):
    SELF = "self", _("企业自查")
    INDUSTRY = "industry", _("行业检查")
    TERRITORIAL = "territorial", _("属地检查")
    EXPERT = "expert", _("专家检查")
    SUPERVISION = "supervision", _("督查检查")
    UNANNOUNCED = "unannounced", _("暗访（四不两直）")
    JOINT = "joint", _("联合检查")


#: 执法检查: at least two inspectors holding a 执法证 (行政处罚法 第四十二条) — one number for plans, draws and completion.
ENFORCEMENT_MIN_INSPECTORS = 2

#: Territory levels that form a site's "territory chain", from which an unannounced visit is hidden.
CHAIN_KINDS = (UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID)


class InspectionQuerySet(ScopedQuerySet):
    scope_model_key = "inspection"

    def scope_q(self, assignment) -> Q:
        from anquan.enterprises.models import Site

        sites = Site.objects.filter(Site.objects.scope_q(assignment), pk=OuterRef("site_id"))
        q = Q(Exists(sites))
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            # Its own visits, and a 联合检查 in which it owns a part (even of a site it does not regulate).
            parts = InspectionPart.objects.filter(inspection=OuterRef("pk"), department_id=assignment.department_id)
            q |= Q(department_id=assignment.department_id) | Q(Exists(parts))
        return q

    def concealed_q(self, assignment) -> Q | None:
        """四不两直: an unannounced visit stays hidden from the enterprise and its street/community/grid until performed."""
        hidden_from = assignment.scope_kind == ScopeKind.ENTERPRISE or (
            assignment.scope_kind == ScopeKind.TERRITORY and assignment.unit.kind in CHAIN_KINDS
        )
        if not hidden_from:
            return None
        hidden = Q(unannounced=True, performed_at__isnull=True)
        # A person of that chain named for the visit (granted it by the plan) still sees their own task.
        from anquan.core.scoping import _granted_ids

        granted = _granted_ids(assignment, self.scope_model_key)
        return hidden & ~Q(pk__in=granted) if granted else hidden


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    PERFORMED = "performed", _("已完成")


class Inspection(BusinessRecord):
    """A planned or performed inspection visit of one site."""

    plan = models.ForeignKey("inspections.InspectionPlan", models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("所属计划"))
    status = models.CharField(_("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED)
    #: 执法检查: at least two inspectors holding a 执法证 (行政处罚法 第四十二条).
    enforcement = models.BooleanField(_("执法检查"), default=False)
    organiser_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("组织单位"))
    due_on = models.DateField(_("应完成日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始检查时间"), null=True, blank=True)
    place = models.CharField(_("检查地点"), max_length=255, blank=True)
    handling = models.TextField(_("处理情况"), blank=True)
    representative_name = models.CharField(_("企业（场所）代表"), max_length=50, blank=True)
    representative_post = models.CharField(_("代表职务"), max_length=50, blank=True)
    representative_refused = models.BooleanField(_("代表拒绝签字"), default=False)
    refusal_note = models.CharField(_("拒签情况说明"), max_length=500, blank=True)
    completed_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("完成人"))
    site = models.ForeignKey("enterprises.Site", models.PROTECT, related_name="inspections", verbose_name=_("场所"))
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("组织部门"))
    unannounced = models.BooleanField(_("不发通知（暗访）"), default=False)
    planned_on = models.DateField(_("计划日期"))
    performed_at = models.DateTimeField(_("实施时间"), null=True, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    # Look-back (倒查) needs who went, in which role, and what they looked at.
    inspectors = models.ManyToManyField("accounts.Person", blank=True, related_name="inspections", verbose_name=_("检查人员"))
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人"))
    recorded_role = models.CharField(_("记录人角色"), max_length=30, blank=True)
    categories_checked = models.ManyToManyField(
        "hazards.HazardCategory", blank=True, related_name="inspections", verbose_name=_("检查的隐患类别")
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "id"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        indexes = [models.Index(fields=["site", "performed_at"]), models.Index(fields=["plan", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.site} · {self.planned_on}"

    def audit_district_id(self):
        return self.site.grid.district_id


class InspectionPart(models.Model):
    """One department's (or unit's) checklist within a visit: in a 联合检查 each department owns its part
    and the hazards its 不符合 answers raise."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="parts", verbose_name=_("检查"))
    checklist = models.ForeignKey("hazards.Checklist", models.PROTECT, related_name="+", verbose_name=_("检查表"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("负责部门"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("负责单位"))
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["inspection", "sort", "id"]
        verbose_name = _("检查分项")
        verbose_name_plural = _("检查分项")
        constraints = [models.UniqueConstraint(fields=["inspection", "checklist"], name="inspection_part_checklist")]

    def __str__(self):
        return f"{self.inspection_id} · {self.checklist}"
