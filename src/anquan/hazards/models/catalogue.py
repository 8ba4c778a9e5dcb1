"""The hazard category tree (GB/T 13861-2022 人的因素/物的因素/环境因素/管理因素 + industry sub-categories)
and the standard-description library (隐患描述标准库), so the same problem is worded the same way."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import HazardLevel


class HazardCategory(models.Model):
    """A node of the configurable category tree; ``path`` of codes makes subtree counts one prefix query."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级"))
    path = models.CharField(_("路径"), max_length=255, db_index=True)
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行业领域"))
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("隐患类别")
        verbose_name_plural = _("隐患类别")

    def __str__(self):
        return self.name


class StandardDescription(models.Model):
    """A standard wording of a common hazard, picked when recording (隐患描述标准库)."""

    category = models.ForeignKey(HazardCategory, models.PROTECT, related_name="descriptions", verbose_name=_("隐患类别"))
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行业领域"))
    text = models.CharField(_("标准描述"), max_length=300)
    suggested_level = models.CharField(_("建议等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["category__path", "id"]
        verbose_name = _("标准隐患描述")
        verbose_name_plural = _("标准隐患描述")

    def __str__(self):
        return self.text
