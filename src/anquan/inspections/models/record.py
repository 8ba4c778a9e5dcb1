"""What is recorded on site: one answer per checklist item, its photos, and the signatures.

Every row sent from a phone carries the device's ``client_id`` (a UUID made when the
inspector tapped), so a request replayed after a dropped connection or a fresh sign-in
finds the row it already made instead of making a second one.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.hazards.choices import HazardLevel


class AnswerResult(models.TextChoices):
    CONFORM = "conform", _("符合")
    NONCONFORM = "nonconform", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class Answer(models.Model):
    """The answer to one checklist item in one part of a visit; a 不符合 answer carries the pre-filled hazard."""

    part = models.ForeignKey("inspections.InspectionPart", models.PROTECT, related_name="answers", verbose_name=_("检查分项"))
    item = models.ForeignKey("hazards.ChecklistItem", models.PROTECT, related_name="+", verbose_name=_("检查项"))
    result = models.CharField(_("检查结果"), max_length=12, choices=AnswerResult.choices)
    note = models.TextField(_("情况记录"), blank=True)
    # Pre-filled hazard (used only when the result is 不符合; the hazard is made when the visit is completed,
    # so an unannounced visit is not revealed by its hazards before it is performed).
    hazard_description = models.TextField(_("隐患描述"), blank=True)
    hazard_level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, blank=True)
    hazard_location = models.CharField(_("具体位置"), max_length=200, blank=True)
    rectify_days = models.PositiveSmallIntegerField(_("整改期限（天）"), null=True, blank=True)
    hazard = models.OneToOneField("hazards.Hazard", models.PROTECT, null=True, blank=True, related_name="inspection_answer", verbose_name=_("形成的隐患"))
    client_id = models.UUIDField(_("设备记录号"), null=True, blank=True, unique=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人"))
    answered_at = models.DateTimeField(_("记录时间"))

    class Meta:
        ordering = ["part", "item__sort", "item_id"]
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        constraints = [models.UniqueConstraint(fields=["part", "item"], name="answer_part_item")]

    def __str__(self):
        return f"{self.item} → {self.get_result_display()}"


class AnswerPhoto(models.Model):
    """A photo taken for an answer; checked by content on upload, deduplicated by the device's client_id."""

    answer = models.ForeignKey(Answer, models.PROTECT, related_name="photos", verbose_name=_("检查项结果"))
    file = models.FileField(_("文件"), upload_to="inspections/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    client_id = models.UUIDField(_("设备记录号"), unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "id"]
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self):
        return f"照片 #{self.pk}"


class SignerKind(models.TextChoices):
    INSPECTOR = "inspector", _("检查人员")
    REPRESENTATIVE = "representative", _("被检查单位代表")


class Signature(models.Model):
    """A signature drawn on screen (PNG), or the recorded refusal of the representative to sign (第六十八条)."""

    inspection = models.ForeignKey("inspections.Inspection", models.PROTECT, related_name="signatures", verbose_name=_("检查"))
    signer_kind = models.CharField(_("签字人类别"), max_length=20, choices=SignerKind.choices)
    person = models.ForeignKey("accounts.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("检查人员"))
    name = models.CharField(_("签字人姓名"), max_length=50)
    image = models.FileField(_("签名图像"), upload_to="signatures/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    refused = models.BooleanField(_("拒绝签字"), default=False)
    client_id = models.UUIDField(_("设备记录号"), unique=True)
    signed_at = models.DateTimeField(_("签字时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["inspection", "signer_kind", "id"]
        verbose_name = _("签字")
        verbose_name_plural = _("签字")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "person"], condition=models.Q(person__isnull=False),
                                    name="signature_once_per_inspector"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_signer_kind_display()}）"
