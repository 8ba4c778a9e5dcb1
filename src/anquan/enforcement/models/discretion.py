"""The discretion catalogue (自由裁量基准): each violation by its article, with the fine range the article allows.

Why: a decision must stay within the range of the article it applies, and within the part of the range
the case's circumstances call for (从轻 / 一般 / 从重); a decision outside is refused naming the article
(``services.cases.check_range``). The bands split the range at ``lighter_max`` and ``heavier_min`` (when
left empty: at a third and two thirds of the range). A locality maintains the catalogue; nothing is deleted
(``active`` off retires a row).
"""
from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.models import BusinessRecord

WORK_SAFETY_LAW_SHORT = "安全生产法"


class Violation(BusinessRecord):
    """One violation type of the catalogue: article, wording and the fine ranges for the unit and for persons."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    law = models.CharField(_("法律法规"), max_length=100, default=WORK_SAFETY_LAW_SHORT)
    article = models.CharField(_("条款"), max_length=60, help_text=_("如：第九十九条第（一）项"))
    title = models.CharField(_("违法行为"), max_length=300)
    unit_min = models.DecimalField(_("单位罚款下限（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    unit_max = models.DecimalField(_("单位罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    person_min = models.DecimalField(_("个人罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    person_max = models.DecimalField(_("个人罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    lighter_max = models.DecimalField(_("从轻处罚上限（元，单位）"), max_digits=14, decimal_places=2, null=True, blank=True)
    heavier_min = models.DecimalField(_("从重处罚下限（元，单位）"), max_digits=14, decimal_places=2, null=True, blank=True)
    lighter_circumstances = models.TextField(_("从轻情节"), blank=True)
    heavier_circumstances = models.TextField(_("从重情节"), blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("违法行为裁量基准")
        verbose_name_plural = _("违法行为裁量基准")

    def __str__(self):
        return f"《{self.law}》{self.article} {self.title}"

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"

    def range_for(self, party_kind: str) -> tuple[Decimal, Decimal] | None:
        """(min, max) for a unit (``"unit"``) or a person; None when the article sets no fine for that party."""
        if party_kind == "person":
            if self.person_max is None:
                return None
            return (self.person_min or Decimal(0), self.person_max)
        if self.unit_max is None:
            return None
        return (self.unit_min, self.unit_max)

    def band(self, party_kind: str, circumstance: str) -> tuple[Decimal, Decimal] | None:
        """The part of the range for ``circumstance`` (lighter / general / heavier)."""
        rng = self.range_for(party_kind)
        if rng is None:
            return None
        low, high = rng
        third = (high - low) / 3
        lighter_max = self.lighter_max if (party_kind == "unit" and self.lighter_max is not None) else low + third
        heavier_min = self.heavier_min if (party_kind == "unit" and self.heavier_min is not None) else high - third
        q = Decimal("0.01")
        lighter_max, heavier_min = lighter_max.quantize(q), heavier_min.quantize(q)
        if circumstance == "lighter":
            return (low, lighter_max)
        if circumstance == "heavier":
            return (heavier_min, high)
        return (lighter_max, heavier_min)
