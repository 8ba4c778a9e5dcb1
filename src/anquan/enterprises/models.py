"""Enterprises (生产经营单位), their sites (场所/项目), regulators and licences: 一企一档."""
from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet


class EnterpriseStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    CLOSED = "closed", _("关闭取缔")


#: Derived, never stored: from active interim controls (hazards.InterimControl of kind 停工停产).
SUSPENDED_LABEL = "停产整顿"


class RiskColour(models.TextChoices):
    RED = "red", _("红（重大风险）")
    ORANGE = "orange", _("橙（较大风险）")
    YELLOW = "yellow", _("黄（一般风险）")
    BLUE = "blue", _("蓝（低风险）")


class StandardGrade(models.TextChoices):
    NONE = "", _("未达标")
    GRADE1 = "1", _("一级")
    GRADE2 = "2", _("二级")
    GRADE3 = "3", _("三级")


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class RegulatorKind(models.TextChoices):
    INDUSTRY = "industry", _("行业主管")
    DIRECT = "direct", _("直接监管")
    TERRITORIAL = "territorial", _("属地")


class SiteKind(models.TextChoices):
    PLANT = "plant", _("厂区")
    CONSTRUCTION = "construction", _("工地")
    SHOP = "shop", _("门店")
    WAREHOUSE = "warehouse", _("仓库")
    STATION = "station", _("站点")
    RENTAL = "rental", _("出租房")
    MARKET = "market", _("市场")
    PUBLIC = "public", _("公共场所")
    SCHOOL = "school", _("校园")
    OFFICE = "office", _("办公场所")


class RegulatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class EnterpriseQuerySet(ScopedQuerySet):
    scope_model_key = "enterprise"

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            path = assignment.unit.path
            sites = Site.objects.filter(enterprise=OuterRef("pk"), grid__path__startswith=path, voided_at__isnull=True)
            return Q(unit__path__startswith=path) | Q(Exists(sites))
        if kind == ScopeKind.DEPARTMENT:
            regs = EnterpriseRegulator.objects.active().filter(enterprise=OuterRef("pk"), department_id=assignment.department_id)
            return Q(Exists(regs))
        if kind == ScopeKind.ENTERPRISE:
            return Q(pk=assignment.enterprise_id)
        return NOTHING

    def live(self):
        return self.filter(voided_at__isnull=True)


class Enterprise(BusinessRecord):
    """A 生产经营单位 with its 一企一档 ledger; it may operate several sites in other grids."""

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    principal_name = models.CharField(_("主要负责人"), max_length=50)
    principal_phone = models.CharField(_("主要负责人电话"), max_length=30, blank=True)
    safety_manager_name = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("安全管理人员电话"), max_length=30, blank=True)
    address = models.CharField(_("注册地址"), max_length=255)
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="enterprises", verbose_name=_("所属网格"))
    industries = models.ManyToManyField("orgs.Industry", related_name="enterprises", verbose_name=_("行业领域"))
    scale = models.CharField(_("规模"), max_length=10, choices=Scale.choices, default=Scale.SMALL)
    employees = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    status = models.CharField(_("经营状态"), max_length=10, choices=EnterpriseStatus.choices, default=EnterpriseStatus.NORMAL)
    risk_colour = models.CharField(_("风险等级"), max_length=10, choices=RiskColour.choices, default=RiskColour.BLUE)
    standard_grade = models.CharField(_("安全生产标准化等级"), max_length=2, choices=StandardGrade.choices, blank=True, default="")
    standard_cert_no = models.CharField(_("标准化证书编号"), max_length=60, blank=True)
    standard_cert_expiry = models.DateField(_("标准化证书有效期至"), null=True, blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["risk_colour"]),
        ]

    def __str__(self):
        return self.name

    @property
    def operating_status(self) -> str:
        """关闭取缔 as set by hand; else 停产整顿 while any 停工停产 control at any of its sites is active."""
        if self.status == EnterpriseStatus.CLOSED:
            return self.get_status_display()
        from anquan.hazards.models import InterimControl

        if InterimControl.objects.active().filter(site__enterprise=self, kind="suspend").exists():
            return SUSPENDED_LABEL
        return self.get_status_display()


class SiteQuerySet(ScopedQuerySet):
    scope_model_key = "site"

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            return Q(grid__path__startswith=assignment.unit.path)
        if kind == ScopeKind.DEPARTMENT:
            dept = assignment.department
            regs = EnterpriseRegulator.objects.active().filter(
                enterprise=OuterRef("enterprise_id"), department_id=dept.pk
            )
            unowned = Q(
                enterprise__isnull=True,
                grid__path__startswith=dept.unit.path,
                industry__in=dept.industries.all(),
            )
            return Q(Exists(regs)) | unowned
        if kind == ScopeKind.ENTERPRISE:
            return Q(enterprise_id=assignment.enterprise_id)
        return NOTHING


class Site(BusinessRecord):
    """A place where work happens and hazards are found (厂区、工地、门店…), in its own grid."""

    name = models.CharField(_("场所名称"), max_length=200)
    kind = models.CharField(_("场所类型"), max_length=20, choices=SiteKind.choices, default=SiteKind.PLANT)
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("所属企业"))
    grid = models.ForeignKey("orgs.OrgUnit", models.PROTECT, related_name="sites", verbose_name=_("所在网格"))
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="sites", verbose_name=_("行业领域"))
    address = models.CharField(_("地址"), max_length=255)
    contact_name = models.CharField(_("现场负责人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    objects = SiteQuerySet.as_manager()

    @property
    def operating_status(self) -> str:
        """停产整顿 while a 停工停产 control on this site is active; lifting one of two keeps it suspended."""
        from anquan.hazards.models import InterimControl

        return SUSPENDED_LABEL if InterimControl.objects.active().filter(site=self, kind="suspend").exists() else "正常"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("场所")
        verbose_name_plural = _("场所")

    def __str__(self):
        return self.name


class EnterpriseRegulator(models.Model):
    """One regulator of an enterprise: a department (行业主管/直接监管) or a territorial unit (属地).

    Filled by default from the enterprise's industries and territory; changes end a row
    and start another, each with a reason, so who regulated whom *at the time* stays known.
    """

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="regulators", verbose_name=_("企业"))
    kind = models.CharField(_("监管类型"), max_length=20, choices=RegulatorKind.choices)
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="regulated", verbose_name=_("监管部门"))
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("属地单位"))
    is_default = models.BooleanField(_("默认生成"), default=True)
    reason = models.CharField(_("变更理由"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束理由"), max_length=200, blank=True)

    objects = RegulatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("监管关系")
        verbose_name_plural = _("监管关系")
        indexes = [models.Index(fields=["department", "enterprise"], condition=Q(ended_at__isnull=True), name="active_regulator")]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | Q(unit__isnull=False), name="regulator_has_department_or_unit"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.department or self.unit}"


class Licence(models.Model):
    """A licence or permit of an enterprise (安全生产许可证、危化品经营许可证…) with its expiry."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="licences", verbose_name=_("企业"))
    name = models.CharField(_("证照名称"), max_length=100)
    number = models.CharField(_("证照编号"), max_length=60)
    issued_by = models.CharField(_("发证机关"), max_length=100, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")

    def __str__(self):
        return f"{self.name} {self.number}"
