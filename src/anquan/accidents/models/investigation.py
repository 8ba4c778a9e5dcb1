"""The investigation (第十九条至第三十二条): the body by level, the team, the report's due date with technical
appraisal excluded and one extension, the six parts of the report, the 批复, the one-year evaluation, and
四不放过 (the case closes only with all four recorded with evidence)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.models import BusinessRecord

from ..choices import FourNotsItem, GovLevel
from .accident import AccidentChildQuerySet

#: The six parts of the investigation report (第三十条), in order.
REPORT_PARTS = ("report_unit_profile", "report_course", "report_casualties_loss", "report_cause_nature",
                "report_responsibility", "report_measures")


class InvestigationQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_investigation"


class Investigation(BusinessRecord):
    """One accident's investigation. The body follows the level (moved when a 补报 changes it, 第二十条);
    ``due_on`` is derived and stored: occurred + 60 + appraisal days + approved extension."""

    accident = models.OneToOneField("accidents.Accident", models.PROTECT, related_name="investigation", verbose_name=_("事故"))
    body_level = models.CharField(_("负责调查的层级"), max_length=10, choices=GovLevel.choices)
    body_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("负责调查的人民政府（区划）"))
    entrusted_to_unit = models.BooleanField(_("委托事故发生单位调查"), default=False)
    organized_by = models.CharField(_("组织调查的部门"), max_length=200, blank=True)
    team_formed_on = models.DateField(_("调查组成立日期"), null=True, blank=True)
    team_leader = models.CharField(_("调查组组长"), max_length=100, blank=True)
    team_members = models.JSONField(_("调查组成员"), default=list, blank=True)
    due_on = models.DateField(_("调查报告提交期限"))
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    extension_reason = models.CharField(_("延长理由"), max_length=500, blank=True)
    extension_approved_by = models.CharField(_("批准延长的人民政府"), max_length=200, blank=True)
    extension_approved_on = models.DateField(_("批准延长日期"), null=True, blank=True)
    # --- the report (第三十条) ---
    report_unit_profile = models.TextField(_("事故发生单位概况"), blank=True)
    report_course = models.TextField(_("事故发生经过和事故救援情况"), blank=True)
    report_casualties_loss = models.TextField(_("事故造成的人员伤亡和直接经济损失"), blank=True)
    report_cause_nature = models.TextField(_("事故发生的原因和事故性质"), blank=True)
    report_responsibility = models.TextField(_("事故责任的认定以及对事故责任者的处理建议"), blank=True)
    report_measures = models.TextField(_("事故防范和整改措施"), blank=True)
    report_submitted_on = models.DateField(_("调查报告提交日期"), null=True, blank=True)
    # --- 批复 (第三十二条) ---
    approval_due_on = models.DateField(_("批复期限"), null=True, blank=True)
    approval_extension_days = models.PositiveSmallIntegerField(_("批复延长天数"), default=0)
    approved_on = models.DateField(_("批复日期"), null=True, blank=True)
    approval_number = models.CharField(_("批复文号"), max_length=60, blank=True)
    approval_summary = models.TextField(_("批复要点"), blank=True)
    # --- evaluation (安全生产法第八十六条) ---
    evaluation_due_on = models.DateField(_("整改评估期限"), null=True, blank=True)
    evaluated_on = models.DateField(_("评估完成日期"), null=True, blank=True)
    evaluation_summary = models.TextField(_("评估结果"), blank=True)
    evaluation_published_on = models.DateField(_("评估结果公开日期"), null=True, blank=True)
    evaluation_published_where = models.CharField(_("公开方式/网址"), max_length=300, blank=True)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("事故调查")
        verbose_name_plural = _("事故调查")

    def __str__(self):
        return f"{self.accident.number} 调查"

    def audit_district_id(self):
        return self.accident.district_id

    def report_missing(self) -> list[str]:
        return [str(self._meta.get_field(f).verbose_name) for f in REPORT_PARTS if not getattr(self, f).strip()]

    def appraisal_days(self) -> int:
        return sum(p.days for p in self.appraisals.all() if p.ended_on)


class AppraisalQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_appraisal"


class AppraisalPeriod(models.Model):
    """A period of technical appraisal (技术鉴定), not counted in the investigation period (第二十七条).
    Days counted: ended_on − started_on (the day it started is still investigation time, 民法典第二百零一条)."""

    investigation = models.ForeignKey(Investigation, models.PROTECT, related_name="appraisals", verbose_name=_("事故调查"))
    accident = models.ForeignKey("accidents.Accident", models.PROTECT, related_name="+", verbose_name=_("事故"))
    started_on = models.DateField(_("鉴定开始日期"))
    ended_on = models.DateField(_("鉴定结束日期"), null=True, blank=True)
    subject = models.CharField(_("鉴定事项"), max_length=300)
    appraiser = models.CharField(_("鉴定单位"), max_length=200, blank=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["investigation", "started_on", "id"]
        verbose_name = _("技术鉴定期间")
        verbose_name_plural = _("技术鉴定期间")

    def __str__(self):
        return f"{self.subject} {self.started_on}—{self.ended_on or '进行中'}"

    def audit_district_id(self):
        return self.accident.district_id

    @property
    def days(self) -> int:
        return (self.ended_on - self.started_on).days if self.ended_on else 0


class FourNotsQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_four_nots"


class FourNots(models.Model):
    """One item of 四不放过 with its evidence (what was done and where it is documented)."""

    accident = models.ForeignKey("accidents.Accident", models.PROTECT, related_name="four_nots", verbose_name=_("事故"))
    item = models.CharField(_("事项"), max_length=20, choices=FourNotsItem.choices)
    evidence = models.TextField(_("落实情况及证明材料"))
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_role = models.CharField(_("记录人角色"), max_length=30)

    objects = FourNotsQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "item"]
        verbose_name = _("四不放过")
        verbose_name_plural = _("四不放过")
        constraints = [models.UniqueConstraint(fields=["accident", "item"], name="accident_four_nots_once")]

    def __str__(self):
        return self.get_item_display()

    def audit_district_id(self):
        return self.accident.district_id
