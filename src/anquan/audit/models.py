"""The tamper-evident audit trail: one hash chain per district, anchored daily.

Each event stores the hash of the previous event of its chain and its own hash over
a canonical form of its content, so altering a byte, deleting, inserting or swapping
rows breaks the chain; the chain head and the daily anchors catch a cut tail.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditChain(models.Model):
    """The head of one chain; locked (SELECT … FOR UPDATE) while an event is appended, so chain order is commit order."""

    key = models.CharField(max_length=40, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

    def __str__(self):
        return self.key


class AuditEvent(models.Model):
    """One attributable change: who (in which role and unit), when, what, before → after."""

    chain = models.ForeignKey(AuditChain, models.PROTECT, related_name="events")
    seq = models.BigIntegerField()
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=100)
    acting_role = models.CharField(_("履职角色"), max_length=30, blank=True)
    acting_unit = models.CharField(_("履职单位"), max_length=200, blank=True)
    model_key = models.CharField(_("对象类型"), max_length=40)
    object_id = models.BigIntegerField(_("对象ID"), null=True)
    object_repr = models.CharField(_("对象"), max_length=255)
    action = models.CharField(_("操作"), max_length=40)
    before = models.JSONField(_("变更前"), null=True)
    after = models.JSONField(_("变更后"), null=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain_id", "seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [models.Index(fields=["model_key", "object_id", "at"])]

    def __str__(self):
        return f"{self.chain_id}#{self.seq} {self.action} {self.object_repr}"


class AuditAnchor(models.Model):
    """The chain's last hash at the end of a day, written by ``anchor_audit`` (to be copied off-system)."""

    chain = models.ForeignKey(AuditChain, models.PROTECT, related_name="anchors")
    day = models.DateField()
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "day"], name="audit_anchor_day")]

    def __str__(self):
        return f"{self.chain_id} {self.day} #{self.seq}"
