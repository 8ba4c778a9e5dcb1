"""The hazard (事故隐患): found at a site, recorded with the 五落实, rectified in rounds, verified by someone else.

At recording the hazard copies its site's grid (and the grid's path), district,
industry and responsible department, so scope follows the place where the danger was
and stays what it was even if the site later moves. Responsibility fields (deadline,
level, site, responsible unit) change only through their own services.
"""
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet

from ..choices import HazardLevel, HazardSource, HazardStatus

#: The six elements of a 治理方案 (安全生产事故隐患排查治理暂行规定 第十五条).
PLAN_FIELDS = ("plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety")
#: The three parts of a 重大事故隐患 report.
REPORT_FIELDS = ("report_situation", "report_harm", *PLAN_FIELDS)


def department_industry_ids(assignment) -> list[int]:
    cached = getattr(assignment, "_industry_ids", None)
    if cached is None:
        cached = list(assignment.department.industries.values_list("pk", flat=True))
        assignment._industry_ids = cached
    return cached


class HazardQuerySet(ScopedQuerySet):
    scope_model_key = "hazard"

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            return Q(grid_path__startswith=assignment.unit.path)
        if kind == ScopeKind.DEPARTMENT:
            from anquan.enterprises.models import EnterpriseRegulator

            dept = assignment.department
            regulated = EnterpriseRegulator.objects.active().filter(enterprise=OuterRef("enterprise_id"), department_id=dept.pk)
            return (
                Q(department_id=dept.pk)
                | Q(finder_department_id=dept.pk)
                | Q(industry_id__in=department_industry_ids(assignment), grid_path__startswith=dept.unit.path)
                | Q(Exists(regulated))
            )
        if kind == ScopeKind.ENTERPRISE:
            return Q(enterprise_id=assignment.enterprise_id)
        return NOTHING

    def live(self):
        return self.filter(voided_at__isnull=True)


class Hazard(BusinessRecord):
    """One 事故隐患 with its 五落实 (责任、措施、资金、时限、预案)."""

    number = models.CharField(_("隐患编号"), max_length=40, unique=True)
    site = models.ForeignKey("enterprises.Site", models.PROTECT, related_name="hazards", verbose_name=_("场所"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("企业"))
    # --- the place, copied at recording (scope follows it) ---
    grid = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="hazards", verbose_name=_("所在网格"))
    grid_path = models.CharField(max_length=255, editable=False)
    district = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, related_name="+", editable=False)
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行业领域"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("行业主管部门"))
    # --- what and how found ---
    category = models.ForeignKey("hazards.HazardCategory", models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("隐患类别"))
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    source = models.CharField(_("隐患来源"), max_length=20, choices=HazardSource.choices)
    found_at = models.DateTimeField(_("发现时间"))
    found_on = models.DateField(_("发现日期"), editable=False)
    found_by = models.ManyToManyField("accounts.Person", related_name="hazards_found", blank=True, verbose_name=_("发现人"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_role = models.CharField(_("登记角色"), max_length=30)
    finder_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发现单位（属地）"))
    finder_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发现部门"))
    finder_enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("自查企业"))
    inspection = models.ForeignKey("inspections.Inspection", models.PROTECT, null=True, blank=True, related_name="hazards", verbose_name=_("所属检查"))
    # --- level ---
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    criterion = models.ForeignKey("hazards.ChecklistItem", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("判定依据条款"))
    #: How it was judged 重大 (hazards.services.judgement): library code/version, the item numbers that held,
    #: the "并且" conditions affirmed per item, the combined rule that fired and the elements counted.
    judgement = models.JSONField(_("判定记录"), default=dict, blank=True)
    immediate = models.BooleanField(_("立查立改"), default=False)
    # --- 五落实 ---
    responsible_person = models.ForeignKey("accounts.Person", models.PROTECT, null=True, blank=True, related_name="hazards_responsible", verbose_name=_("整改责任人"))
    measures = models.TextField(_("整改措施"), blank=True)
    funds = models.DecimalField(_("整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("原定整改期限"))
    deadline_in_force = models.DateField(_("现行整改期限"))
    contingency_plan = models.TextField(_("应急预案/防范措施"), blank=True)
    # --- 重大事故隐患 report (3 parts; the third is the 6-element 治理方案) ---
    report_situation = models.TextField(_("现状及产生原因"), blank=True)
    report_harm = models.TextField(_("危害程度和整改难易程度分析"), blank=True)
    plan_goal = models.TextField(_("治理的目标和任务"), blank=True)
    plan_methods = models.TextField(_("采取的方法和措施"), blank=True)
    plan_funds = models.TextField(_("经费和物资的落实"), blank=True)
    plan_org = models.TextField(_("负责治理的机构和人员"), blank=True)
    plan_timeline = models.TextField(_("治理的时限和要求"), blank=True)
    plan_safety = models.TextField(_("安全措施和应急预案"), blank=True)
    reported_to_regulators_at = models.DateTimeField(_("报告监管部门时间"), null=True, blank=True)
    # --- state ---
    status = models.CharField(_("状态"), max_length=30, choices=HazardStatus.choices, default=HazardStatus.PENDING)
    submitted_at = models.DateTimeField(_("最近提交验收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("销号人"))
    closed_on_time = models.BooleanField(_("按期整改"), null=True, blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        indexes = [
            models.Index(fields=["grid_path"], name="hazard_grid_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["district", "status", "deadline_in_force"], name="hazard_district_open"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
            models.Index(fields=["site", "found_on"], name="hazard_site_found"),
            models.Index(fields=["district", "found_on"], name="hazard_district_found"),
            # The open hazards (~6%) by territory: every "open, overdue first" list of any scope reads
            # this small index instead of the whole table (docs/performance.md, finding 1).
            models.Index(fields=["grid_path", "deadline_in_force"], name="hazard_open_path",
                         opclasses=["varchar_pattern_ops", "date_ops"],
                         condition=Q(voided_at__isnull=True) & ~Q(status="closed")),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def audit_district_id(self):
        return self.district_id

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    def plan_missing(self) -> list[str]:
        """Labels of the report/plan parts still empty (a 重大 hazard cannot move on without them)."""
        return [str(self._meta.get_field(f).verbose_name) for f in REPORT_FIELDS if not getattr(self, f).strip()]
