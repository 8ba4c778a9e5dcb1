"""Everything that happens to a hazard after recording, each kept as its own record:
rectification rounds and photos, extensions, written explanations, escalations."""
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.core.scoping import ScopedQuerySet

from ..choices import ExtensionStatus, PhotoKind, Verdict


class HazardChildQuerySet(ScopedQuerySet):
    """Records that belong to one hazard are seen exactly by those who see the hazard."""

    def scope_q(self, assignment) -> Q:
        from .hazard import Hazard

        hazards = Hazard.objects.filter(Hazard.objects.scope_q(assignment), pk=OuterRef("hazard_id"))
        return Q(Exists(hazards))


class RoundQuerySet(HazardChildQuerySet):
    scope_model_key = "round"


class RectificationRound(models.Model):
    """One submission of a rectification and its verdict; a resubmission is a new round, never an overwrite."""

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="rounds", verbose_name=_("隐患"))
    number = models.PositiveSmallIntegerField(_("轮次"))
    measures_taken = models.TextField(_("已采取的整改措施"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提交人"))
    submitted_role = models.CharField(_("提交角色"), max_length=30)
    submitted_at = models.DateTimeField(_("提交时间"))
    deadline_at_submission = models.DateField(_("提交时的现行期限"))
    on_time = models.BooleanField(_("按期提交"))
    verdict = models.CharField(_("验收结论"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("验收人"))
    verified_role = models.CharField(_("验收角色"), max_length=30, blank=True)
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    verdict_reason = models.TextField(_("验收意见"), blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["hazard", "number"]
        verbose_name = _("整改轮次")
        verbose_name_plural = _("整改轮次")
        constraints = [models.UniqueConstraint(fields=["hazard", "number"], name="round_hazard_number")]

    def __str__(self):
        return f"第{self.number}轮整改"


class PhotoQuerySet(HazardChildQuerySet):
    scope_model_key = "hazardphoto"


class HazardPhoto(models.Model):
    """A photo of the finding, of the fix (per round) or of a re-check; files are checked by content on upload."""

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="photos", verbose_name=_("隐患"))
    round = models.ForeignKey(RectificationRound, models.PROTECT, null=True, blank=True, related_name="photos", verbose_name=_("整改轮次"))
    kind = models.CharField(_("类型"), max_length=10, choices=PhotoKind.choices)
    file = models.FileField(_("文件"), upload_to="hazards/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["hazard", "id"]
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class ExtensionQuerySet(HazardChildQuerySet):
    scope_model_key = "extension"


class DeadlineExtension(models.Model):
    """A request to extend the deadline (延期申请), made before the deadline and decided by someone else."""

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="extensions", verbose_name=_("隐患"))
    previous_deadline = models.DateField(_("原期限"))
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(_("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["hazard", "requested_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(fields=["hazard"], condition=Q(status="pending"), name="one_pending_extension"),
        ]

    def __str__(self):
        return f"延期至{self.requested_deadline}"


class ExplanationQuerySet(HazardChildQuerySet):
    scope_model_key = "explanation"


class OverdueExplanation(models.Model):
    """The written explanation (书面说明) to the 安委办 of a missed deadline; or an escalation (提请政府研究)."""

    class Kind(models.TextChoices):
        EXPLANATION = "explanation", _("逾期书面说明")
        ESCALATION = "escalation", _("提请政府研究")

    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, related_name="explanations", verbose_name=_("隐患"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("内容"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提交人"))
    submitted_role = models.CharField(_("提交角色"), max_length=30)
    submitted_at = models.DateTimeField(_("提交时间"))

    objects = ExplanationQuerySet.as_manager()

    class Meta:
        ordering = ["hazard", "submitted_at"]
        verbose_name = _("逾期说明/提请研究")
        verbose_name_plural = _("逾期说明/提请研究")

    def __str__(self):
        return self.get_kind_display()
