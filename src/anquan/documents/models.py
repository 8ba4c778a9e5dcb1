"""Official documents (公文): what was issued, under which number, about what.

A document number (文号, e.g. ``示应急责改〔2026〕12号``) is issued per issuing organ, year
and series (代字 of the kind) from a ``DocumentCounter`` row locked with ``SELECT … FOR
UPDATE`` in the same transaction as the document row, so numbers have no gaps and no
repeats even when many people issue at once (a rolled-back issue rolls back its number).

A document is never deleted or re-numbered: a wrong one is voided with a reason and a new
one issued. It is readable by whoever can see the object it is about (the inspection,
hazard, listing, or any other scoped record) and by the issuing organ's scope.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from anquan.accounts.roles import ScopeKind
from anquan.core.models import BusinessRecord
from anquan.core.scoping import NOTHING, ScopedQuerySet


class DocumentKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    RECHECK_OPINION = "recheck_opinion", _("整改复查意见书")
    LISTING_NOTICE = "listing_notice", _("挂牌督办通知书")
    CIRCULAR = "circular", _("通报")
    INTERVIEW = "interview", _("警示约谈通知书")
    ACCIDENT_FLASH = "accident_flash", _("事故信息快报")  # accidents.documents
    ACCIDENT_TEAM = "accident_team", _("事故调查组成立通知")
    ACCIDENT_APPROVAL = "accident_approval", _("事故调查报告批复")
    CASE_FILING = "case_filing", _("立案审批表")  # enforcement.documents
    CASE_INQUIRY = "case_inquiry", _("询问笔录")
    PENALTY_NOTICE = "penalty_notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证告知书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    CASE_CLOSING = "case_closing", _("结案审批表")


#: The series (代字) of each kind in the 文号: 示应急 + 责改 + 〔2026〕 + 12号.
SERIES = {
    DocumentKind.INSPECTION_RECORD: "检记",
    DocumentKind.RECTIFICATION_ORDER: "责改",
    DocumentKind.RECHECK_OPINION: "复查",
    DocumentKind.LISTING_NOTICE: "督办",
    DocumentKind.CIRCULAR: "通报",
    DocumentKind.INTERVIEW: "约谈",
    DocumentKind.ACCIDENT_FLASH: "快报",
    DocumentKind.ACCIDENT_TEAM: "事调",
    DocumentKind.ACCIDENT_APPROVAL: "批复",
    DocumentKind.CASE_FILING: "立审",
    DocumentKind.CASE_INQUIRY: "询问",
    DocumentKind.PENALTY_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听告",
    DocumentKind.PENALTY_DECISION: "罚决",
    DocumentKind.SERVICE_RECEIPT: "送达",
    DocumentKind.CASE_CLOSING: "结审",
}

#: A case's internal records (enforcement.documents): the party never sees them through its case, only the organ
#: and the territory do; the party reads its 告知书, 听证告知书, 决定书 and 送达回证.
PARTY_HIDDEN_KINDS = (DocumentKind.CASE_FILING, DocumentKind.CASE_INQUIRY, DocumentKind.CASE_CLOSING)


class DocumentCounter(models.Model):
    """The last number issued by one organ in one year and series; locked while a number is taken."""

    issuer_key = models.CharField(_("发文机关键"), max_length=40)  # "unit:12" or "department:5"
    issuer_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文单位"))
    issuer_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文部门"))
    year = models.PositiveSmallIntegerField(_("年度"))
    series = models.CharField(_("代字"), max_length=10)
    abbreviation = models.CharField(_("机关代字"), max_length=20)
    last_seq = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("发文序号")
        verbose_name_plural = _("发文序号")
        constraints = [
            models.UniqueConstraint(fields=["issuer_key", "year", "series"], name="document_counter_once"),
            # Two organs never share a 机关代字 within a year and series, so two counters never make the same 文号.
            models.UniqueConstraint(fields=["abbreviation", "year", "series"], name="document_counter_abbreviation"),
        ]

    def __str__(self):
        return f"{self.abbreviation}{self.series}〔{self.year}〕 {self.last_seq}"


def about_models() -> list[type[models.Model]]:
    """Models a document may be about through its explicit links."""
    from anquan.hazards.models import Hazard, ListedSupervision
    from anquan.inspections.models import Inspection

    return [Inspection, Hazard, ListedSupervision]


class DocumentQuerySet(ScopedQuerySet):
    scope_model_key = "document"

    def _issuer_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            path = assignment.unit.path
            return Q(issuer_unit__path__startswith=path) | Q(issuer_department__unit__path__startswith=path)
        if kind == ScopeKind.DEPARTMENT:
            return Q(issuer_department_id=assignment.department_id)
        return NOTHING

    def scope_q(self, assignment) -> Q:
        """The issuer's scope, or the scope of the object the document is about (grants and 暗访 concealment included)."""
        from anquan.hazards.models import Hazard, ListedSupervision
        from anquan.inspections.models import Inspection

        q = self._issuer_q(assignment)
        for field, model in (("inspection", Inspection), ("hazard", Hazard), ("listing", ListedSupervision)):
            rows = model.objects.filter(model.objects.assignment_q(assignment), pk=OuterRef(f"{field}_id"))
            q |= Q(Exists(rows))
        for ct_id in _generic_types(assignment):
            model = ContentType.objects.get_for_id(ct_id).model_class()
            if model is None or not isinstance(getattr(model, "objects", None) and model.objects.all(), ScopedQuerySet):
                continue
            rows = model.objects.filter(model.objects.assignment_q(assignment), pk=OuterRef("about_id"))
            q |= Q(about_type_id=ct_id) & Q(Exists(rows))
        return q

    def concealed_q(self, assignment) -> Q | None:
        """An enterprise does not see a case's internal records (``PARTY_HIDDEN_KINDS``)."""
        if assignment.scope_kind == ScopeKind.ENTERPRISE:
            return Q(kind__in=PARTY_HIDDEN_KINDS)
        return None

    def live(self):
        return self.filter(voided_at__isnull=True)


def _generic_types(assignment) -> list[int]:
    """Content types used by generic links (few: e.g. the supervision app's findings); cached for the request."""
    cache = assignment.__dict__.setdefault("_document_types", [])
    if not cache:
        cache.append(list(
            OfficialDocument.objects.filter(about_type__isnull=False).order_by().values_list("about_type_id", flat=True).distinct()
        ))
    return cache[0]


def document_upload(instance, filename):
    return f"documents/{instance.year}/{filename}"


class OfficialDocument(BusinessRecord):
    """One issued official document (公文) with its generated .docx (GB/T 9704 layout)."""

    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=60, unique=True)
    counter = models.ForeignKey(DocumentCounter, models.PROTECT, related_name="documents", verbose_name=_("序号"))
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    issuer_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文单位"))
    issuer_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文部门"))
    issuer_name = models.CharField(_("发文机关"), max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送"), max_length=300, blank=True)
    paragraphs = models.JSONField(_("正文"), default=list, blank=True)
    dated = models.DateField(_("成文日期"))
    file = models.FileField(_("文件"), upload_to=document_upload)
    sha256 = models.CharField(max_length=64)
    # What it is about: one of the explicit links, or a generic one for other apps' records.
    inspection = models.ForeignKey("inspections.Inspection", models.PROTECT, null=True, blank=True, related_name="documents", verbose_name=_("检查"))
    hazard = models.ForeignKey("hazards.Hazard", models.PROTECT, null=True, blank=True, related_name="documents", verbose_name=_("隐患"))
    listing = models.ForeignKey("hazards.ListedSupervision", models.PROTECT, null=True, blank=True, related_name="documents", verbose_name=_("挂牌督办"))
    about_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("签发人"))
    issued_role = models.CharField(_("签发角色"), max_length=30)
    issued_at = models.DateTimeField(_("签发时间"))
    # The key of the form render or API call that issued it: a second identical request returns this document.
    client_key = models.CharField(_("提交键"), max_length=64, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        constraints = [
            models.UniqueConstraint(fields=["counter", "seq"], name="document_counter_seq"),
            models.UniqueConstraint(fields=["issued_by", "client_key"], condition=~Q(client_key=""),
                                    name="document_client_key_once"),
        ]
        indexes = [models.Index(fields=["about_type", "about_id"]), models.Index(fields=["kind", "year"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    def audit_district_id(self):
        unit = self.issuer_department.unit if self.issuer_department_id else self.issuer_unit
        return unit.district_id if unit else None

    @property
    def about(self):
        if self.inspection_id:
            return self.inspection
        if self.hazard_id:
            return self.hazard
        if self.listing_id:
            return self.listing
        if self.about_type_id:
            return self.about_type.get_object_for_this_type(pk=self.about_id)
        return None

    @property
    def download_name(self) -> str:
        return f"{self.number}{self.get_kind_display()}.docx"


# --- 拟稿 → 核稿 → 签发 ------------------------------------------------------------------------------

class SignOffState(models.TextChoices):
    REVIEWING = "reviewing", _("待核稿")
    SIGNING = "signing", _("待签发")
    RETURNED = "returned", _("退回修改")
    SIGNED = "signed", _("已签发")
    WITHDRAWN = "withdrawn", _("已撤回")


class SignOffStepKind(models.TextChoices):
    DRAFT = "draft", _("拟稿")
    RESUBMIT = "resubmit", _("修改后重新提交")
    REVIEW = "review", _("核稿")
    SIGN = "sign", _("签发")
    RETURN = "return", _("退回")
    WITHDRAW = "withdraw", _("撤回")


class SignOffQuerySet(ScopedQuerySet):
    """A sign-off is seen by the issuing organ's scope (never by the party it is addressed to before signing)."""

    scope_model_key = "signoff"

    def scope_q(self, assignment) -> Q:
        kind = assignment.scope_kind
        if kind == ScopeKind.TERRITORY:
            path = assignment.unit.path
            return Q(issuer_unit__path__startswith=path) | Q(issuer_department__unit__path__startswith=path)
        if kind == ScopeKind.DEPARTMENT:
            return Q(issuer_department_id=assignment.department_id)
        return NOTHING


class SignOff(BusinessRecord):
    """The 拟稿 → 核稿 → 签发 of one thing an organ issues in its own name.

    Generic on purpose: the subject is any model registered with ``documents.services.signoff.register``
    (a ``DocumentDraft`` here; a campaign report or a responsibility agreement later). The state is
    one field moved only through ``signoff.TRANSITIONS``; every step (who, in which role, when, with
    which opinion) is a ``SignOffStep`` row and an audit event, so the 签发单 can be printed from it.
    """

    subject_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("签发事项类型"))
    subject_id = models.PositiveBigIntegerField(_("签发事项"))
    title = models.CharField(_("标题"), max_length=200)
    issuer_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文单位"))
    issuer_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文部门"))
    issuer_name = models.CharField(_("发文机关"), max_length=120)
    state = models.CharField(_("状态"), max_length=12, choices=SignOffState.choices, default=SignOffState.REVIEWING)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("拟稿人"))
    drafted_at = models.DateTimeField(_("拟稿时间"))
    submitted_at = models.DateTimeField(_("提交时间"))  # last (re)submission: the waiting lists sort by it
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("核稿人"))
    reviewed_at = models.DateTimeField(_("核稿时间"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签发人"))
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("公文签发")
        verbose_name_plural = _("公文签发")
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="signoff_once_per_subject")]
        indexes = [models.Index(fields=["state", "issuer_unit"]), models.Index(fields=["state", "issuer_department"])]

    def __str__(self):
        return f"{self.title}（{self.get_state_display()}）"

    def audit_district_id(self):
        unit = self.issuer_department.unit if self.issuer_department_id else self.issuer_unit
        return unit.district_id if unit else None

    @property
    def subject(self):
        return self.subject_type.get_object_for_this_type(pk=self.subject_id)


class SignOffStep(models.Model):
    """One step of a sign-off: who did what, in which role, when, with which opinion (append-only)."""

    signoff = models.ForeignKey(SignOff, models.PROTECT, related_name="steps", verbose_name=_("公文签发"))
    kind = models.CharField(_("环节"), max_length=10, choices=SignOffStepKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("办理人"))
    role = models.CharField(_("办理角色"), max_length=30)
    at = models.DateTimeField(_("办理时间"))
    opinion = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("签发环节")
        verbose_name_plural = _("签发环节")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class DraftQuerySet(SignOffQuerySet):
    scope_model_key = "document_draft"


class DocumentDraft(BusinessRecord):
    """A 公文 drafted (拟稿) for sign-off: its text as data, numbered and laid out only when signed.

    The draft holds exactly what the signer reads (title, 主送, paragraphs, an optional table); the
    signed ``OfficialDocument`` is generated from it, so what was signed is what is issued.
    """

    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送"), max_length=300, blank=True)
    paragraphs = models.JSONField(_("正文"), default=list, blank=True)
    table = models.JSONField(_("表格"), null=True, blank=True)  # {"header": [...], "rows": [[...]]}
    issuer_unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文单位"))
    issuer_department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发文部门"))
    document = models.OneToOneField("documents.OfficialDocument", models.PROTECT, null=True, blank=True, related_name="draft",
                                    verbose_name=_("签发后的公文"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("拟稿人"))
    client_key = models.CharField(_("提交键"), max_length=64, blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公文稿")
        verbose_name_plural = _("公文稿")
        constraints = [models.UniqueConstraint(fields=["drafted_by", "client_key"], condition=~Q(client_key=""),
                                               name="document_draft_client_key")]

    def __str__(self):
        return self.title

    def audit_district_id(self):
        unit = self.issuer_department.unit if self.issuer_department_id else self.issuer_unit
        return unit.district_id if unit else None
