"""Interim controls (停工停产 …), listed supervision (挂牌督办) of major hazards, and the listing of a whole region or industry."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet

from ..choices import AreaListingStatus, ControlKind, ListingLevel, ListingStatus
from .rounds import HazardChildQuerySet


class ControlQuerySet(HazardChildQuerySet):
    scope_model_key = "interimcontrol"

    def active(self):
        return self.filter(ended_at__isnull=True)


class InterimControl(models.Model):
    """A control while a hazard cannot be fixed at once; a site's 停产整顿 is derived from its active controls."""

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="controls", verbose_name=_("隐患"))
    site = models.ForeignKey("enterprises.Site", models.PROTECT, related_name="controls", verbose_name=_("场所"))
    kind = models.CharField(_("措施"), max_length=20, choices=ControlKind.choices)
    reason = models.TextField(_("依据和理由"))
    started_at = models.DateTimeField(_("开始时间"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("决定人"))
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("解除人"))
    end_reason = models.TextField(_("解除理由"), blank=True)

    objects = ControlQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("临时管控措施")
        verbose_name_plural = _("临时管控措施")

    def __str__(self):
        return self.get_kind_display()


class ListingQuerySet(HazardChildQuerySet):
    scope_model_key = "listing"


class ListedSupervision(models.Model):
    """挂牌督办 of a major hazard by a government level, closed (摘牌) only with that level's sign-off."""

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="listings", verbose_name=_("隐患"))
    level = models.CharField(_("督办层级"), max_length=10, choices=ListingLevel.choices)
    listing_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("挂牌单位"))
    document_no = models.CharField(_("督办文号"), max_length=60)
    deadline = models.DateField(_("督办期限"))
    status = models.CharField(_("状态"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.LISTED)
    listed_at = models.DateTimeField(_("挂牌时间"))
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("挂牌人"))
    resume_applied_at = models.DateTimeField(_("复工复产申请时间"), null=True, blank=True)
    resume_application = models.TextField(_("复工复产申请"), blank=True)
    reviewed_at = models.DateTimeField(_("现场审查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审查人"))
    review_opinion = models.TextField(_("审查意见"), blank=True)
    delisted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    delisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("摘牌人"))

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_at"]
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")

    def __str__(self):
        return f"{self.get_level_display()}挂牌 {self.document_no}"


class AreaListingQuerySet(ScopedQuerySet):
    """Seen by the listing level and above (the listing unit's territory), by the listed territory and the units
    above it within the listing, and — for an industry listing — by the departments regulating that industry there."""

    scope_model_key = "arealisting"

    def scope_q(self, assignment):
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            path = assignment.unit.path
            return Q(target_unit__path__startswith=path) | Q(listing_unit__path__startswith=path)
        if kind == ScopeKind.DEPARTMENT:
            dept = assignment.department
            territory = Q(target_unit__path__startswith=dept.unit.path) | Q(target_unit_id__in=dept.unit.ancestor_ids())
            industries = dept.industries.values("pk")
            return Q(target_industry__in=industries) & territory
        return NOTHING


class AreaListing(BusinessRecord):
    """区域/行业挂牌督办: a government level lists a whole territory (a street, a district …) or one industry within
    a territory for supervision, with its own 督办期限, its 挂牌督办通知 (one 文号, documents app) and its own
    closure: the listed territory reports the fix, the listing level reviews it and 摘牌 (seed 002: 区域/行业挂牌督办)."""

    level = models.CharField(_("督办层级"), max_length=10, choices=ListingLevel.choices)
    listing_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("挂牌单位"))
    target_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="+", verbose_name=_("挂牌区域"))
    target_industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name=_("挂牌行业"))
    problems = models.TextField(_("存在的突出问题"))
    requirements = models.TextField(_("督办要求"), blank=True)
    document_no = models.CharField(_("督办文号"), max_length=60, blank=True)
    deadline = models.DateField(_("督办期限"))
    status = models.CharField(_("状态"), max_length=20, choices=AreaListingStatus.choices, default=AreaListingStatus.LISTED)
    listed_at = models.DateTimeField(_("挂牌时间"))
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("挂牌人"))
    reported_at = models.DateTimeField(_("整改报告时间"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("报告人"))
    report = models.TextField(_("整改情况报告"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审查人"))
    review_opinion = models.TextField(_("审查意见"), blank=True)
    delisted_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    delisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("摘牌人"))

    objects = AreaListingQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("区域/行业挂牌督办")
        verbose_name_plural = _("区域/行业挂牌督办")

    def __str__(self):
        return f"{self.get_level_display()}挂牌督办 {self.object_name} {self.document_no}".strip()

    @property
    def object_name(self) -> str:
        """What is listed: ``示范区黄河街道`` or ``示范区黄河街道 燃气行业``."""
        name = self.target_unit.name
        return f"{name}{self.target_industry.name}行业" if self.target_industry_id else name

    def audit_district_id(self):
        return self.listing_unit.district_id or self.target_unit.district_id
