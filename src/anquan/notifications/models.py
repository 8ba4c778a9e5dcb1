"""In-app notifications, each about one target of any app, and each person's digest preference.

Each notification has a ``key`` that names the fact it reports plus its recipient (e.g.
"overdue:h12:d2026-11-22:u5"); the unique constraint makes every sweep and every event idempotent —
run it twice, replay the request, or race two processes, and each fact reaches each person once.

What a notification is about is a generic target (``target_type`` + ``target_id``: a hazard, a
supervision finding …) and what kind of fact it is, a code from the registry the apps declare
(``notifications.kinds``; e.g. ``hazards/notice_kinds.py``), so a new module adds its kinds
without a migration here.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds

#: The digest hour of a person who chose none (Shanghai time).
DEFAULT_DIGEST_HOUR = 8


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("接收人"))
    #: A code of ``notifications.kinds`` (no choices here: the apps' registry lists them).
    kind = models.CharField(_("类型"), max_length=40)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    target_type = models.ForeignKey(ContentType, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("对象类型"))
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    #: When the daily digest carrying it went out (e-mail and any other digest channel).
    emailed_at = models.DateTimeField(_("摘要发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self):
        return self.title

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)

    @property
    def tone(self) -> str:
        return kinds.tone(self.kind)


class Preference(models.Model):
    """How a person wants to hear: the hour of the daily digest (Shanghai time), or none.

    Kept here, not on the account: it is the inbox's own setting, changed by the person on the inbox
    page (audited), and a person without a row gets the default hour.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference",
                                verbose_name=_("用户"))
    digest_hour = models.PositiveSmallIntegerField(_("每日摘要时间（时）"), null=True, blank=True, default=DEFAULT_DIGEST_HOUR,
                                                   validators=[MinValueValidator(0), MaxValueValidator(23)],
                                                   help_text=_("空表示不接收每日摘要"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("消息偏好")
        verbose_name_plural = _("消息偏好")

    def __str__(self):
        return f"{self.user} · {self.digest_hour}"
