"""Abstract bases every business record shares: versioned, voidable, timestamped."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessRecord(models.Model):
    """A record users edit: never hard-deleted, updated only against its current version."""

    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
