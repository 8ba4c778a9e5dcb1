"""The accident (生产安全事故) as reported, its level history, 补报, the reporting legs and late findings.

At reporting the accident copies its place's territory unit (and path), district, industry and
responsible department — scope follows where it happened and stays what it was. The level is derived
from the figures (``accidents.rules.classify``) and stored so lists and statistics filter on it; it
changes only through the services, each change kept as a ``LevelChange``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet

from ..choices import AccidentKind, AccidentLevel, AccidentStatus, GovLevel, LateKind

ACCIDENT_KEY = "accident"


def _industry_ids(assignment) -> list[int]:
    from anquan.hazards.models.hazard import department_industry_ids

    return department_industry_ids(assignment)


class AccidentQuerySet(ScopedQuerySet):
    """Territory: the place's chain up (a street its own, the district all its streets', the city above);
    department: the 应急管理部门 every accident of its territory (第九条), another department those it is the
    regulator of (its industry within its territory, enterprises it regulates, or reported by it);
    enterprise: its own. Never sideways: a street never sees another's."""

    scope_model_key = ACCIDENT_KEY

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            return Q(unit_path__startswith=assignment.unit.path)
        if kind == ScopeKind.DEPARTMENT:
            from anquan.enterprises.models import EnterpriseRegulator
            from anquan.orgs.models import DepartmentKind

            dept = assignment.department
            if dept.kind == DepartmentKind.EMERGENCY:
                # 应急管理部门 receives every accident report of its territory (第九条), whatever the industry.
                return Q(unit_path__startswith=dept.unit.path)
            regulated = EnterpriseRegulator.objects.active().filter(enterprise=OuterRef("enterprise_id"), department_id=dept.pk)
            return (Q(department_id=dept.pk) | Q(reporter_department_id=dept.pk)
                    | Q(industry_id__in=_industry_ids(assignment), unit_path__startswith=dept.unit.path)
                    | Q(Exists(regulated)))
        if kind == ScopeKind.ENTERPRISE:
            return Q(enterprise_id=assignment.enterprise_id)
        return NOTHING

    def live(self):
        return self.filter(voided_at__isnull=True)


class Accident(BusinessRecord):
    """One 生产安全事故 with the six contents of its report (493号令 第十二条) and its derived level."""

    number = models.CharField(_("事故编号"), max_length=40, unique=True)
    # --- 事故发生单位概况 ---
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="accidents",
                                   verbose_name=_("事故发生单位"))
    site = models.ForeignKey("enterprises.Site", models.PROTECT, null=True, blank=True, related_name="accidents",
                             verbose_name=_("场所/项目"))
    unit_name = models.CharField(_("事故发生单位名称"), max_length=200)
    unit_profile = models.TextField(_("事故发生单位概况"), blank=True)
    # --- the place, copied at reporting (scope follows it) ---
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="accidents", verbose_name=_("事故发生地（区划）"))
    unit_path = models.CharField(max_length=255, editable=False)
    district = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, related_name="+", editable=False)
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行业领域"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="accidents",
                                   verbose_name=_("行业主管部门"))
    # --- 时间、地点、现场情况; 简要经过 ---
    occurred_at = models.DateTimeField(_("事故发生时间"))
    occurred_on = models.DateField(_("事故发生日期"), editable=False)
    learned_at = models.DateTimeField(_("单位负责人接到报告时间"))
    place = models.CharField(_("事故发生地点"), max_length=200)
    scene = models.TextField(_("现场情况"), blank=True)
    account = models.TextField(_("事故简要经过"))
    kind = models.CharField(_("事故类别"), max_length=20, choices=AccidentKind.choices)
    is_road_traffic = models.BooleanField(_("道路交通事故"), default=False)
    is_fire = models.BooleanField(_("火灾事故"), default=False)
    # --- 伤亡人数（包括下落不明）和初步估计的直接经济损失: the current figures (after 补报) ---
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    missing = models.PositiveIntegerField(_("下落不明人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"), default=0)
    injuries = models.PositiveIntegerField(_("轻伤人数"), default=0)
    direct_loss_yuan = models.DecimalField(_("直接经济损失（元）"), max_digits=16, decimal_places=2, default=0)
    # --- 已经采取的措施; 其他应当报告的情况 ---
    measures = models.TextField(_("已经采取的措施"), blank=True)
    other = models.TextField(_("其他应当报告的情况"), blank=True)
    # --- derived and state ---
    level = models.CharField(_("事故等级"), max_length=20, choices=AccidentLevel.choices, default=AccidentLevel.GENERAL)
    status = models.CharField(_("状态"), max_length=20, choices=AccidentStatus.choices, default=AccidentStatus.REPORTED)
    # --- who reported it ---
    reported_at = models.DateTimeField(_("报告时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("报告人"))
    reported_role = models.CharField(_("报告人角色"), max_length=30)
    reporter_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("报告单位（属地）"))
    reporter_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                            verbose_name=_("报告部门"))
    reporter_enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+",
                                            verbose_name=_("报告企业"))
    client_key = models.CharField(_("客户端标识"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("结案人"))

    objects = AccidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        indexes = [
            models.Index(fields=["unit_path"], name="accident_unit_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["district", "occurred_on"], name="accident_district_day"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reported_by", "client_key"], condition=~Q(client_key=""),
                                    name="accident_client_key_once"),
        ]

    def __str__(self):
        return f"{self.number} {self.unit_name}{self.get_kind_display()}事故"

    def audit_district_id(self):
        return self.district_id

    @property
    def level_name(self) -> str:
        return str(AccidentLevel(self.level).label)

    @property
    def late_addition_until(self):
        from ..rules import addition_window_end

        return addition_window_end(self.occurred_at, self.is_road_traffic, self.is_fire)

    @property
    def casualty_free(self) -> bool:
        return not (self.deaths or self.missing or self.serious_injuries or self.injuries)


class AccidentChildQuerySet(ScopedQuerySet):
    """Records of one accident are seen exactly by those who see the accident."""

    def scope_q(self, assignment) -> Q:
        accidents = Accident.objects.filter(Accident.objects.scope_q(assignment), pk=OuterRef("accident_id"))
        return Q(Exists(accidents))


class LevelChangeQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_level_change"


class LevelChange(models.Model):
    """One grading of the accident: at reporting and each time the figures change (history kept, never rewritten)."""

    accident = models.ForeignKey(Accident, models.PROTECT, related_name="level_changes", verbose_name=_("事故"))
    from_level = models.CharField(_("原等级"), max_length=20, choices=AccidentLevel.choices, blank=True)
    to_level = models.CharField(_("新等级"), max_length=20, choices=AccidentLevel.choices)
    figures = models.JSONField(_("据以定级的数字"), default=dict)
    changed_at = models.DateTimeField(_("定级时间"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    reason = models.CharField(_("原因"), max_length=200)

    objects = LevelChangeQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "changed_at", "id"]
        verbose_name = _("事故等级变化")
        verbose_name_plural = _("事故等级变化")

    def __str__(self):
        return f"{self.get_from_level_display() or '—'} → {self.get_to_level_display()}"

    def audit_district_id(self):
        return self.accident.district_id


class AdditionQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_addition"


class CasualtyAddition(models.Model):
    """A 补报 (第十三条): the new figures after a change in casualties or loss, when it happened and who reported it."""

    accident = models.ForeignKey(Accident, models.PROTECT, related_name="additions", verbose_name=_("事故"))
    changed_at = models.DateTimeField(_("伤亡变化时间"))
    reported_at = models.DateTimeField(_("补报时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("补报人"))
    reported_role = models.CharField(_("补报人角色"), max_length=30)
    deaths = models.PositiveIntegerField(_("死亡人数"))
    missing = models.PositiveIntegerField(_("下落不明人数"))
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"))
    injuries = models.PositiveIntegerField(_("轻伤人数"))
    direct_loss_yuan = models.DecimalField(_("直接经济损失（元）"), max_digits=16, decimal_places=2)
    note = models.TextField(_("补报说明"), blank=True)
    level_before = models.CharField(_("补报前等级"), max_length=20, choices=AccidentLevel.choices)
    level_after = models.CharField(_("补报后等级"), max_length=20, choices=AccidentLevel.choices)

    objects = AdditionQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "changed_at", "id"]
        verbose_name = _("伤亡补报")
        verbose_name_plural = _("伤亡补报")

    def __str__(self):
        return f"补报 {self.changed_at:%Y-%m-%d %H:%M}"

    def audit_district_id(self):
        return self.accident.district_id


class LegQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_leg"


class ReportLeg(models.Model):
    """One level on the reporting chain (第九条至第十一条): when it received the report, when it must pass it on
    and when it did. The unit's leg starts when its head learned of the accident (1 hour); each government
    level's when it received it (2 hours). The top level the grade requires passes nothing on (no due).
    ``unit`` is the OrgUnit of that level on the accident's territory chain; None means the level is
    outside the system's tree and its times are entered as reported by the level below/above."""

    accident = models.ForeignKey(Accident, models.PROTECT, related_name="legs", verbose_name=_("事故"))
    level = models.CharField(_("层级"), max_length=10, choices=GovLevel.choices)
    seq = models.PositiveSmallIntegerField(_("顺序"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("本级区划"))
    required = models.BooleanField(_("按当前等级须报至此级"), default=True)
    is_top = models.BooleanField(_("按当前等级为最高报告层级"), default=False)
    clock_start = models.DateTimeField(_("计时起点"), null=True, blank=True)
    due_at = models.DateTimeField(_("上报时限"), null=True, blank=True)
    received_at = models.DateTimeField(_("接报时间"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("接报登记人"))
    forwarded_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("上报登记人"))
    informed = models.JSONField(_("已通知的单位"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = LegQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "seq"]
        verbose_name = _("事故报告环节")
        verbose_name_plural = _("事故报告环节")
        constraints = [models.UniqueConstraint(fields=["accident", "level"], name="accident_leg_level_once")]

    def __str__(self):
        return f"{self.accident.number} · {self.get_level_display()}"

    def audit_district_id(self):
        return self.accident.district_id

    @property
    def outside_territory(self) -> bool:
        return self.unit_id is None

    def is_late(self, now) -> bool:
        from ..rules import leg_late

        return self.required and not self.is_top and leg_late(self.due_at, self.forwarded_at, now)


class LateFindingQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_late_finding"


class LateFinding(models.Model):
    """迟报/漏报/谎报/瞒报 found against a unit, department or enterprise (exactly one), possibly about one leg."""

    accident = models.ForeignKey(Accident, models.PROTECT, related_name="late_findings", verbose_name=_("事故"))
    kind = models.CharField(_("类型"), max_length=10, choices=LateKind.choices)
    leg = models.ForeignKey(ReportLeg, models.PROTECT, null=True, blank=True, related_name="findings", verbose_name=_("报告环节"))
    against_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("对象（区划单位）"))
    against_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                           verbose_name=_("对象（部门）"))
    against_enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+",
                                           verbose_name=_("对象（企业）"))
    description = models.TextField(_("认定情况"))
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_role = models.CharField(_("记录人角色"), max_length=30)

    objects = LateFindingQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "recorded_at", "id"]
        verbose_name = _("迟报漏报谎报瞒报认定")
        verbose_name_plural = _("迟报漏报谎报瞒报认定")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.against}"

    def audit_district_id(self):
        return self.accident.district_id

    @property
    def against(self):
        return self.against_enterprise or self.against_department or self.against_unit


class PhotoQuerySet(AccidentChildQuerySet):
    scope_model_key = "accident_photo"


class AccidentPhoto(models.Model):
    """A photo of the scene, checked by content on upload (core.uploads)."""

    accident = models.ForeignKey(Accident, models.PROTECT, related_name="photos", verbose_name=_("事故"))
    file = models.FileField(_("文件"), upload_to="accidents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["accident", "id"]
        verbose_name = _("事故现场照片")
        verbose_name_plural = _("事故现场照片")

    def __str__(self):
        return f"照片 #{self.pk}"
