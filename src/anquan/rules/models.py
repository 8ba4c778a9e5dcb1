"""Overrides of statutory numbers per locality, and the holiday schedules administrators enter.

Nothing here is deleted: an override is *ended* (a later one replaces it, or it is withdrawn),
and a holiday day dropped from a reloaded schedule is voided, so look-back (倒查) can ask what
rule and calendar were in force when a deadline was computed.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.scoping import EVERYTHING, ScopedQuerySet

from .catalog import RULES


class RuleOverrideQuerySet(ScopedQuerySet):
    scope_model_key = "ruleoverride"

    def in_force(self, at=None):
        """Overrides in force at ``at`` (now by default)."""
        at = at or timezone.now()
        return self.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at), set_at__lte=at)

    def scope_q(self, assignment):
        """System-wide overrides for everyone; a locality's overrides for those whose territory lies on its path."""
        from anquan.accounts.roles import ScopeKind
        from anquan.accounts.scope import enterprise_unit_paths

        system_wide = Q(unit__isnull=True)
        kind = assignment.scope_kind
        if kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
            territory = assignment.territory
            return system_wide | Q(unit__path__startswith=territory.path) | Q(unit_id__in=territory.ancestor_ids())
        if kind == ScopeKind.ENTERPRISE:
            paths = enterprise_unit_paths(assignment.enterprise_id)
            return system_wide | Q(unit_id__in={int(s) for p in paths for s in p.strip("/").split("/") if s})
        if kind == ScopeKind.SYSTEM:
            return EVERYTHING
        return system_wide


class RuleOverride(models.Model):
    """An administrator's value for one rule in one locality (its whole subtree), or system-wide when unit is empty."""

    key = models.CharField(_("规则"), max_length=80)
    value = models.JSONField(_("取值"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("适用区划"))
    reason = models.CharField(_("调整理由"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("设置人"))
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("终止人"))
    end_reason = models.CharField(_("终止原因"), max_length=500, blank=True)

    objects = RuleOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-set_at", "-id"]
        verbose_name = _("规则地方取值")
        verbose_name_plural = _("规则地方取值")
        indexes = [models.Index(fields=["key", "ended_at"])]
        constraints = [
            # One override in force per rule and locality (and one system-wide): NULL units are
            # not equal to each other in a unique index, hence the two conditions.
            models.UniqueConstraint(fields=["key", "unit"], condition=Q(ended_at__isnull=True, unit__isnull=False),
                                    name="rules_override_one_per_unit"),
            models.UniqueConstraint(fields=["key"], condition=Q(ended_at__isnull=True, unit__isnull=True),
                                    name="rules_override_one_system_wide"),
        ]

    def __str__(self):
        rule = RULES.get(self.key)
        where = self.unit.name if self.unit_id else "全系统"
        return f"{rule.label_zh if rule else self.key}（{where}）"


class HolidayYear(models.Model):
    """A year whose official schedule (国务院办公厅 notice) an administrator entered; the year is then "known"."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source_document = models.CharField(_("依据文件"), max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排年份")
        verbose_name_plural = _("节假日安排年份")

    def __str__(self):
        return f"{self.year}年节假日安排"


class HolidayDay(models.Model):
    """One day of an entered schedule: a public holiday (is_workday False) or a 调休 working day (True).

    Takes precedence over the holiday package for its date; days not listed follow the package,
    or Monday–Friday in a year the package does not cover.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    name = models.CharField(_("名称"), max_length=50)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日（录入）")
        verbose_name_plural = _("节假日（录入）")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_workday else '放假'}）"
