"""Versioned checklists: the 重大事故隐患判定标准 of each industry now, inspection checklists later.

A published version never changes; editing makes a new version, so a hazard (or an
inspection) records exactly which item of which version it matched.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import HazardLevel


class ChecklistKind(models.TextChoices):
    MAJOR_CRITERIA = "major_criteria", _("重大事故隐患判定标准")
    INSPECTION = "inspection", _("检查表")


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已废止")


class Checklist(models.Model):
    """One version of a checklist; (code, version) is unique and published versions are immutable."""

    code = models.CharField(_("代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=ChecklistKind.choices)
    industry = models.ForeignKey("orgs.Industry", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("行业领域"))
    basis = models.CharField(_("依据文件"), max_length=300, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    #: The last day it applies (a hazard found after it is judged by the next version or instrument).
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    #: The industries it applies to (empty = every industry); ``industry`` above is the first of them, kept readable.
    industries = models.ManyToManyField("orgs.Industry", blank=True, related_name="+", verbose_name=_("适用行业领域"))
    #: Situations in which the library must not be applied (GB 35181-2025 §4.2), one text per entry.
    exclusions = models.JSONField(_("不适用情形"), default=list, blank=True)
    #: Items of the instrument whose text is not held: [[number, why], …] (never filled by guess).
    missing = models.JSONField(_("缺失条款"), default=list, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    expected_count = models.PositiveIntegerField(_("条款总数（按原文）"), null=True, blank=True)
    owner_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发布层级"))
    #: A department's own template (usable within its territory); null for a unit's or the system's.
    owner_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发布部门"))
    status = models.CharField(_("状态"), max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("检查表/判定标准")
        verbose_name_plural = _("检查表/判定标准")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="checklist_code_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    """One item: what to check, its legal basis, and what a 'no' means (category, level; a major criterion)."""

    checklist = models.ForeignKey(Checklist, models.PROTECT, related_name="items", verbose_name=_("检查表"))
    number = models.CharField(_("序号"), max_length=20)
    text = models.TextField(_("内容"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    how_to_check = models.TextField(_("检查方法"), blank=True)
    #: What a 不符合 answer says, as a statement ("动火作业未办理审批…"): the title of the hazard raised from
    #: it. Inspection items are asked as questions ("…是否办理审批"), which make poor hazard titles.
    finding = models.CharField(_("不符合时的隐患表述"), max_length=200, blank=True)
    category = models.ForeignKey("hazards.HazardCategory", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("隐患类别"))
    suggested_level = models.CharField(_("不符合时的隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    #: Where a 不符合 answer to this inspection item is a 重大事故隐患: the criterion of the industry's 判定标准.
    major_criterion = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("对应重大隐患判定条款"))
    sort = models.PositiveIntegerField(_("排序"), default=0)
    #: "并且": every condition must be affirmed for the item to hold — [{"key": "a", "text": "…"}, …].
    conditions = models.JSONField(_("须同时具备的情形"), default=list, blank=True)
    #: Industry codes narrower than the checklist's (工贸 §4 冶金 items: ["gm_metallurgy"]); empty = the checklist's.
    industries = models.JSONField(_("适用行业（代码）"), default=list, blank=True)
    #: A combined-judgement element (GB 35181 ch. 6): counts toward a ``CombinedRule``, not 重大 alone.
    combined = models.BooleanField(_("综合判定要素"), default=False)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["checklist", "sort", "id"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self):
        return f"{self.number} {self.text[:40]}"


class CombinedRule(models.Model):
    """A combined-judgement rule (GB 35181 ch. 6): at least ``min_elements`` of its ``elements`` present in a
    place of its kinds make the hazard 重大; the hazard records the rule that fired."""

    checklist = models.ForeignKey(Checklist, models.PROTECT, related_name="combined_rules", verbose_name=_("判定标准"))
    number = models.CharField(_("条款号"), max_length=20)
    text = models.TextField(_("内容"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    min_elements = models.PositiveIntegerField(_("最少要素数"))
    elements = models.ManyToManyField(ChecklistItem, related_name="combined_rules", verbose_name=_("综合判定要素"))
    #: Industry codes / place kinds the rule is about; empty = any place.
    place_kinds = models.JSONField(_("适用场所"), default=list, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["checklist", "sort", "id"]
        verbose_name = _("综合判定规则")
        verbose_name_plural = _("综合判定规则")
        constraints = [models.UniqueConstraint(fields=["checklist", "number"], name="combined_rule_number")]

    def __str__(self):
        return f"{self.number} {self.text[:40]}"
