"""API: official documents (公文) — list, detail, .docx/PDF download, issue per kind, void.

Reads through ``selectors.document_list`` / ``get_visible`` (scoped with visible_to): a document
out of scope answers 404. The object a document is to be generated for is named by id in the
body; an id out of the caller's scope answers 422 (as every id in a body), a visible object the
caller may not issue for 403, an object not ready (inspection not performed …) 409. A POST that
issues carries an ``Idempotency-Key`` header (any string ≤ 64): the same caller sending the same key
again gets the document already issued (same 文号), never a second one.

Do not add ``from __future__ import annotations`` here: it breaks ninja's Query schemas.
"""

import datetime
from typing import Annotated, Literal

from django.http import FileResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.errors import Invalid, NotFound
from anquan.core.services import get_visible
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.inspections.models import Inspection

from . import pdf
from .generators import (
    issue_circular,
    issue_inspection_record,
    issue_listing_notice,
    issue_recheck_opinion,
    issue_rectification_order,
)
from .models import DocumentDraft, DocumentKind, OfficialDocument, SignOff
from .selectors import document_list
from .services import document_void, drafts
from .services import signoff as signoffs

router = Router(tags=["公文"], auth=AUTH)


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str = Field(description="文号，如 示应急责改〔2026〕12号")
    year: int
    seq: int
    title: str
    recipients: str
    paragraphs: list[str]
    issuer_name: str
    issuer_unit: int | None
    issuer_department: int | None
    dated: datetime.date
    sha256: str
    inspection: int | None
    hazard: int | None
    listing: int | None
    about_type: str | None = Field(description="其他对象的类型（app_label.model），如督查发现")
    about_id: int | None
    issued_by: str
    issued_at: datetime.datetime
    voided_at: datetime.datetime | None
    void_reason: str
    version: int
    file_url: str
    pdf_url: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_issuer_unit(obj):
        return obj.issuer_unit_id

    @staticmethod
    def resolve_issuer_department(obj):
        return obj.issuer_department_id

    @staticmethod
    def resolve_inspection(obj):
        return obj.inspection_id

    @staticmethod
    def resolve_hazard(obj):
        return obj.hazard_id

    @staticmethod
    def resolve_listing(obj):
        return obj.listing_id

    @staticmethod
    def resolve_about_type(obj):
        return f"{obj.about_type.app_label}.{obj.about_type.model}" if obj.about_type_id else None

    @staticmethod
    def resolve_issued_by(obj):
        return obj.issued_by.display_name

    @staticmethod
    def resolve_file_url(obj):
        return reverse("api:document_file", args=[obj.pk])

    @staticmethod
    def resolve_pdf_url(obj):
        return reverse("api:document_pdf", args=[obj.pk])


class DocumentFilter(Schema):
    kind: str | None = Field(None, description="文书类型：" + "、".join(f"{v}={label}" for v, label in DocumentKind.choices))
    year: int | None = Field(None, ge=2000, le=2100)
    q: str | None = Field(None, max_length=100, description="文号、标题、发文机关或主送")
    inspection: Id | None = None
    hazard: Id | None = None
    listing: Id | None = None


class InspectionIn(Schema):
    inspection: Id


class OrderIn(Schema):
    inspection: Id | None = Field(None, description="该检查的全部未销号隐患")
    hazard: Id | None = Field(None, description="或单个隐患")


class HazardIn(Schema):
    hazard: Id


class ListingIn(Schema):
    listing: Id


class CircularDocumentIn(Schema):
    kind: Literal["circular", "interview"] = "circular"
    title: str = Field(..., max_length=200)
    recipients: str = Field("", max_length=300)
    paragraphs: list[str] = Field(..., max_length=200)
    inspection: Id | None = None
    hazard: Id | None = None
    listing: Id | None = None


class DocumentVoidIn(Schema):
    version: Version
    reason: str = Field(..., max_length=500)


def _in_body(model, user, pk, field: str, label: str):
    """An object named in a request body: out of scope → 422 (never revealing whether it exists)."""
    try:
        return get_visible(model.objects.all(), user, pk)
    except NotFound:
        raise Invalid({field: [f"{label}不存在或不在您的管辖范围内"]}) from None


def _key(request) -> str:
    """The client's ``Idempotency-Key`` header: the same key again returns the document already issued."""
    return (request.headers.get("Idempotency-Key") or "").strip()[:64]


def _detail(user, pk) -> OfficialDocument:
    qs = OfficialDocument.objects.select_related("issued_by__person", "about_type")
    return get_visible(qs, user, pk)


@router.get("/documents", response=list[DocumentOut], summary="公文列表（按类型、年度、所涉对象筛选，分页）")
@paginate(Pages)
def list_documents(request, filters: Query[DocumentFilter]):
    params = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    return document_list(request.auth, params).select_related("issued_by__person", "about_type")


@router.post("/documents/inspection-record", response={201: DocumentOut}, summary="生成现场检查记录（检查完成后）")
def post_inspection_record(request, payload: InspectionIn):
    inspection = _in_body(Inspection, request.auth, payload.inspection, "inspection", "检查")
    return Status(201, issue_inspection_record(request.auth, inspection, client_key=_key(request)))


@router.post("/documents/rectification-order", response={201: DocumentOut},
             summary="生成责令限期整改指令书（一次检查的未销号隐患，或单个隐患）")
def post_rectification_order(request, payload: OrderIn):
    if (payload.inspection is None) == (payload.hazard is None):
        raise Invalid({"inspection": ["请指定检查或隐患（二选一）"]})
    if payload.inspection is not None:
        target = _in_body(Inspection, request.auth, payload.inspection, "inspection", "检查")
    else:
        target = _in_body(Hazard, request.auth, payload.hazard, "hazard", "隐患")
    return Status(201, issue_rectification_order(request.auth, target, client_key=_key(request)))


@router.post("/documents/recheck-opinion", response={201: DocumentOut}, summary="生成整改复查意见书（有验收/复查结论后）")
def post_recheck_opinion(request, payload: HazardIn):
    hazard = _in_body(Hazard, request.auth, payload.hazard, "hazard", "隐患")
    return Status(201, issue_recheck_opinion(request.auth, hazard, client_key=_key(request)))


@router.post("/documents/listing-notice", response={201: DocumentOut}, summary="生成挂牌督办通知书")
def post_listing_notice(request, payload: ListingIn):
    listing = _in_body(ListedSupervision, request.auth, payload.listing, "listing", "挂牌督办")
    return Status(201, issue_listing_notice(request.auth, listing, client_key=_key(request)))


@router.post("/documents/circular", response={201: DocumentOut}, summary="签发通报或警示约谈通知书（可关联检查、隐患或挂牌督办）")
def post_circular(request, payload: CircularDocumentIn):
    named = [(f, m, label) for f, m, label in (("inspection", Inspection, "检查"), ("hazard", Hazard, "隐患"),
                                               ("listing", ListedSupervision, "挂牌督办")) if getattr(payload, f) is not None]
    if len(named) > 1:
        raise Invalid({"__all__": ["所涉对象只能指定一个"]})
    about = _in_body(named[0][1], request.auth, getattr(payload, named[0][0]), named[0][0], named[0][2]) if named else None
    document = issue_circular(request.auth, kind=payload.kind, title=payload.title, recipients=payload.recipients,
                              paragraphs=payload.paragraphs, about=about)
    return Status(201, document)


# --- 拟稿 → 核稿 → 签发 (services.drafts, services.signoff) ---------------------------------------------

class StepOut(Schema):
    kind: str
    kind_label: str
    actor: str
    role: str
    at: datetime.datetime
    opinion: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.display_name


class SignOffOut(Schema):
    id: int
    title: str
    state: str
    state_label: str
    issuer_name: str
    drafted_by: str
    submitted_at: datetime.datetime
    version: int
    steps: list[StepOut]
    draft: dict | None = Field(None, description="公文稿：kind、title、recipients、paragraphs、table")
    document: int | None = Field(None, description="签发后的公文id")
    allowed: list[str] = Field(description="当前用户可办理的动作：review、sign、return、resubmit、withdraw")

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_drafted_by(obj):
        return obj.drafted_by.display_name

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.select_related("actor__person"))

    @staticmethod
    def resolve_draft(obj):
        subject = obj.subject
        if not isinstance(subject, DocumentDraft):
            return None
        return {"kind": subject.kind, "title": subject.title, "recipients": subject.recipients,
                "paragraphs": subject.paragraphs, "table": subject.table}

    @staticmethod
    def resolve_document(obj):
        subject = obj.subject
        return subject.document_id if isinstance(subject, DocumentDraft) else None

    @staticmethod
    def resolve_allowed(obj, context):
        return signoffs.allowed_verbs(context["request"].auth, obj)


class TableIn(Schema):
    header: list[Annotated[str, Field(max_length=100)]] = Field(..., min_length=1, max_length=20)
    rows: list[list[Annotated[str, Field(max_length=1000)]]] = Field(..., max_length=200)


class DraftIn(Schema):
    kind: Literal["circular", "interview"] = "circular"
    title: str = Field(..., max_length=200)
    recipients: str = Field("", max_length=300)
    paragraphs: list[Annotated[str, Field(max_length=50000)]] = Field(..., max_length=200)
    table: TableIn | None = None


class SignOffActIn(Schema):
    version: Version
    opinion: str = Field("", max_length=1000)


class SignOffFilter(Schema):
    waiting: bool = Field(False, description="只列待我办理的（待我核稿、待我签发、退回我修改）")
    state: Literal["reviewing", "signing", "returned", "signed", "withdrawn"] | None = None


def _signoff(user, pk) -> SignOff:
    return get_visible(SignOff.objects.select_related("drafted_by__person", "subject_type"), user, pk)


@router.post("/documents/drafts", response={201: SignOffOut},
             summary="拟稿：通报或警示约谈通知书，提交核稿（经核稿、发文机关领导签发后编号成文）")
def post_draft(request, payload: DraftIn):
    draft = drafts.draft_create(actor=request.auth, kind=payload.kind, title=payload.title, recipients=payload.recipients,
                                paragraphs=payload.paragraphs, table=payload.table.dict() if payload.table else None,
                                client_key=_key(request))
    return Status(201, _signoff(request.auth, drafts.signoffs_id(draft)))


@router.get("/documents/signoffs", response=list[SignOffOut], summary="公文签发：待我办理或范围内全部稿件（分页）")
@paginate(Pages)
def list_signoffs(request, filters: Query[SignOffFilter]):
    if filters.waiting:
        qs = signoffs.waiting_for(request.auth)
    else:
        qs = SignOff.objects.visible_to(request.auth).order_by("-submitted_at", "-id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.select_related("drafted_by__person", "subject_type")


@router.get("/documents/signoffs/{signoff_id}", response=SignOffOut, summary="稿件及其办理过程")
def get_signoff(request, signoff_id: Id):
    return _signoff(request.auth, signoff_id)


@router.post("/documents/signoffs/{signoff_id}/{verb}", response=SignOffOut,
             summary="办理稿件：review 核稿通过、sign 签发、return 退回（须填意见）、resubmit 重新提交、withdraw 撤回")
def act_signoff(request, signoff_id: Id, verb: Literal["review", "sign", "return", "resubmit", "withdraw"],
                payload: SignOffActIn):
    signoff = _signoff(request.auth, signoff_id)
    signoffs.VERB_SERVICES[verb](actor=request.auth, signoff=signoff, version=payload.version, opinion=payload.opinion)
    return _signoff(request.auth, signoff_id)


# Routes with a {document_id} come last: /documents/inspection-record … must resolve to the POSTs above.
@router.get("/documents/{document_id}", response=DocumentOut, summary="公文详情")
def get_document(request, document_id: Id):
    return _detail(request.auth, document_id)


@router.get("/documents/{document_id}/file", response={200: None}, url_name="document_file", summary="下载公文（Word .docx）")
def document_file(request, document_id: Id):
    document = _detail(request.auth, document_id)
    try:
        handle = document.file.open("rb")
    except OSError:
        raise NotFound("公文文件已丢失，请联系系统管理员") from None
    response = FileResponse(handle, as_attachment=True, filename=document.download_name,
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/documents/{document_id}/pdf", response={200: None, 503: dict}, url_name="document_pdf",
            summary="下载公文PDF（LibreOffice转换，每个文件版本只转换一次；转换繁忙或未安装时返回503）")
def document_pdf(request, document_id: Id):
    """Converted once per .docx content and a few at a time (``pdf.cached_pdf``); 503 when busy or failed."""
    document = _detail(request.auth, document_id)
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        raise NotFound("公文文件已丢失，请联系系统管理员") from None
    try:
        path = pdf.cached_pdf(data)
    except pdf.ConversionFailed as exc:  # ConversionBusy included: 公文正在转换，请稍后再试
        return Status(503, {"detail": str(exc)})
    response = FileResponse(path.open("rb"), as_attachment=True, filename=document.download_name[:-5] + ".pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/documents/{document_id}/void", response=DocumentOut, summary="作废公文（发文机关，须填写原因；文号不再使用）")
def void_document(request, document_id: Id, payload: DocumentVoidIn):
    document = _detail(request.auth, document_id)
    document_void(actor=request.auth, document=document, version=payload.version, reason=payload.reason)
    return _detail(request.auth, document_id)
