"""Interim controls (停工停产 …) and listed supervision (挂牌督办) of major hazards."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ControlKind, ListingLevel, ListingStatus
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
