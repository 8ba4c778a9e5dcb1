"""In-app notifications (and the daily e-mail digest built from them).

Each notification has a ``key`` that names the fact it reports (e.g. "overdue:hazard 12:user 5:2026-11-22");
the unique constraint makes every sweep idempotent — run it twice, or from two processes
at once, and each fact is notified exactly once.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", _("整改期限将至")
    OVERDUE = "overdue", _("隐患逾期")
    OVERDUE_ESCALATED = "overdue_escalated", _("逾期超时限（报安委办）")
    SENT_BACK = "sent_back", _("整改被退回")
    EXTENSION_DECIDED = "extension_decided", _("延期申请已审批")
    LISTING_DEADLINE = "listing_deadline", _("督办期限将至")
    VERIFICATION_WAITING = "verification_waiting", _("待验收")
    MAJOR_REPORTED = "major_reported", _("重大事故隐患报告")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    hazard = models.ForeignKey("hazards.Hazard", models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件摘要发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title
