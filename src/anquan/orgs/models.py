"""The territory tree (省/市/区县/街道乡镇/村社区/网格), departments and the industry catalogue.

The tree is a materialised path: ``path`` is the chain of ids from the root, e.g.
``/1/2/15/``. A subtree is one indexed prefix query (``path LIKE '/1/2/%'``), so scope
filters never walk the tree in Python, however large the province.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.models import BusinessRecord
from anquan.core.scoping import ScopedQuerySet


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("村社区")
    GRID = "grid", _("网格")


#: Depth order of kinds; a child is always of a later kind than its parent.
KIND_ORDER = [k.value for k in UnitKind]


class Industry(models.Model):
    """An entry of the industry catalogue (行业领域) that regulators and enterprises refer to."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    #: The wider sector this one belongs to (工贸 for 冶金 … 商贸, 应急管理部令第10号第四条至第十条): a site of
    #: a sub-sector is also of its parent for the criteria libraries (``codes()``).
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级行业"))

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")

    def __str__(self):
        return self.name

    def codes(self) -> tuple[str, ...]:
        """This industry's code and its parent's (the codes a criteria library may name for it)."""
        return (self.code, self.parent.code) if self.parent_id else (self.code,)


class OrgUnitQuerySet(ScopedQuerySet):
    scope_model_key = "orgunit"

    def subtree(self, unit: "OrgUnit"):
        return self.filter(path__startswith=unit.path)

    def scope_q(self, assignment):
        from anquan.accounts.scope import orgunit_scope_q

        return orgunit_scope_q(assignment)


class OrgUnit(BusinessRecord):
    """A territorial unit (属地): 省, 市, 区县, 街道/乡镇, 村/社区 or 网格."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("层级"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级"))
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)
    #: The 区县 this unit belongs to (itself for a district; null above). One audit chain per district.
    district = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    code = models.CharField(_("区划代码"), max_length=20, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [
            models.Index(fields=["path"], name="orgunit_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "district"]),
        ]

    def __str__(self):
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, read off the path (no queries)."""
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def ancestors(self):
        return OrgUnit.objects.filter(id__in=self.ancestor_ids()).order_by("depth")

    def full_name(self) -> str:
        return "".join(u.name for u in self.ancestors() if u.kind != UnitKind.PROVINCE)

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    def assign_path(self) -> None:
        """Compute path, depth and district from the parent (requires a primary key)."""
        parent = self.parent
        self.path = f"{parent.path if parent else '/'}{self.pk}/"
        self.depth = parent.depth + 1 if parent else 0
        if self.kind == UnitKind.DISTRICT:
            self.district_id = self.pk
        else:
            self.district_id = parent.district_id if parent else None


class DepartmentKind(models.TextChoices):
    SAFETY_COMMITTEE = "anweiban", _("安委办")
    EMERGENCY = "yingji", _("应急管理局")
    CONSTRUCTION = "zhujian", _("住房和城乡建设局")
    TRANSPORT = "jiaotong", _("交通运输局")
    FIRE = "xiaofang", _("消防救援大队")
    MARKET = "shichang", _("市场监督管理局")
    EDUCATION = "jiaoyu", _("教育局")
    POLICE = "gongan", _("公安局")
    STREET_OFFICE = "jiedao", _("街道办事处")
    OTHER = "other", _("其他")


class DepartmentQuerySet(ScopedQuerySet):
    scope_model_key = "department"

    def scope_q(self, assignment):
        from anquan.accounts.scope import department_scope_q

        return department_scope_q(assignment)


class Department(BusinessRecord):
    """A government department attached to a territory level, regulating some industries (管行业必须管安全)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=DepartmentKind.choices)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="departments", verbose_name=_("所属区划"))
    industries = models.ManyToManyField(Industry, blank=True, related_name="departments", verbose_name=_("主管行业"))

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name
