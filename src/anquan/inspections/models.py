"""Inspections (检查). The foundation holds only the planned visit and its concealment rule;
checklists, answers and signatures come with the inspections issue.
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


#: Territory levels that form a site's "territory chain", from which an unannounced visit is hidden.
CHAIN_KINDS = (UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID)


class InspectionQuerySet(ScopedQuerySet):
    scope_model_key = "inspection"

    def scope_q(self, assignment) -> Q:
        from anquan.enterprises.models import Site

        sites = Site.objects.filter(Site.objects.scope_q(assignment), pk=OuterRef("site_id"))
        q = Q(Exists(sites))
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            q |= Q(department_id=assignment.department_id)
        return q

    def concealed_q(self, assignment) -> Q | None:
        """四不两直: an unannounced visit stays hidden from the enterprise and its street/community/grid until performed."""
        hidden_from = assignment.scope_kind == ScopeKind.ENTERPRISE or (
            assignment.scope_kind == ScopeKind.TERRITORY and assignment.unit.kind in CHAIN_KINDS
        )
        if not hidden_from:
            return None
        return Q(unannounced=True, performed_at__isnull=True)


class Inspection(BusinessRecord):
    """A planned or performed inspection visit of one site."""

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

    def __str__(self):
        return f"{self.get_kind_display()} · {self.site} · {self.planned_on}"

    def audit_district_id(self):
        return self.site.grid.district_id
