"""``issue_document``: authorise, number, lay out, store and audit one official document."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from anquan.accounts.roles import DOCUMENT_ISSUE, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.scoping import ScopedQuerySet
from anquan.core.services import bump_version
from anquan.core.text import xml_safe
from anquan.orgs.models import DepartmentKind, UnitKind
from anquan.rules import calendar

from ..layout import OfficialLayout
from ..models import SERIES, DocumentKind, OfficialDocument
from ..numbering import next_number, organ_name
from ..tasks import convert_pdf_after_issue

MAX_PARAGRAPHS = 200
MAX_CLIENT_KEY = 64

#: 行政执法文书: orders under 安全生产法 第六十五条 and their follow-up. Only an enforcement body issues them
#: in its own name (see ``is_enforcement_body``); a 安委办 coordinates and is not one.
ENFORCEMENT_KINDS = frozenset({DocumentKind.RECTIFICATION_ORDER, DocumentKind.RECHECK_OPINION, DocumentKind.CASE_FILING,
                               DocumentKind.CASE_INQUIRY, DocumentKind.PENALTY_NOTICE, DocumentKind.HEARING_NOTICE,
                               DocumentKind.PENALTY_DECISION, DocumentKind.SERVICE_RECEIPT, DocumentKind.CASE_CLOSING})
NOT_ENFORCEMENT_BODY = ("安委办不是行政执法主体，不能以本机关名义下达{kind}；请由负有安全生产监督管理职责的部门"
                        "（如应急管理局、住房和城乡建设局）或属地街道（乡镇）下达")


@dataclass
class IssuedBy:
    """The assignment a document is issued under and the organ it is issued in the name of."""

    assignment: object
    unit: object = None
    department: object = None


def _issuer_of(assignment) -> tuple[object, object]:
    if assignment.scope_kind == ScopeKind.TERRITORY:
        return assignment.unit, None
    if assignment.scope_kind == ScopeKind.DEPARTMENT:
        return None, assignment.department
    return None, None


def is_enforcement_body(unit=None, department=None) -> bool:
    """Whether an organ may issue enforcement orders (``ENFORCEMENT_KINDS``) in its own name.

    Yes: a department with supervisory duties (安全生产法 第十条: 应急管理 and the industry departments;
    any department kind but the 安委办) and a street or town (第九条第二款: 乡镇人民政府、街道办事处
    supervise the units in their territory). No: the 安委办 (a department of kind 安委办, or a
    区县/市/省 territory, whose documents go out as its 安委办), communities and grids.
    """
    if department is not None:
        return department.kind != DepartmentKind.SAFETY_COMMITTEE
    return unit is not None and unit.kind == UnitKind.STREET


def _covers(assignment, obj) -> bool:
    manager = type(obj).objects
    return manager.filter(manager.assignment_q(assignment), pk=obj.pk).exists()


def issuing_assignment(actor, *, about=None, issuer_unit=None, issuer_department=None, kind=None) -> IssuedBy:
    """The single assignment that permits ``document.issue``, covers ``about`` and whose unit or
    department is the issuer (the issuer defaults to that assignment's unit/department). For an
    enforcement ``kind`` the issuer must also be an enforcement body (``is_enforcement_body``).

    NotFound (404) when ``about`` is not visible to the actor; Forbidden (403) otherwise.
    """
    refused_body = False
    if about is not None:
        manager = getattr(type(about), "objects", None)
        if manager is None or not isinstance(manager.all(), ScopedQuerySet) or about.pk is None:
            raise Invalid({"about": ["公文所涉对象不支持权限范围判断"]})
        if not manager.visible_to(actor).filter(pk=about.pk).exists():
            raise NotFound()
    for assignment in active_assignments(actor):
        if not assignment.permits(DOCUMENT_ISSUE):
            continue
        unit, department = _issuer_of(assignment)
        if unit is None and department is None:
            continue
        if issuer_department is not None and (department is None or department.pk != issuer_department.pk):
            continue
        if issuer_unit is not None and (unit is None or unit.pk != issuer_unit.pk):
            continue
        if about is not None and not _covers(assignment, about):
            continue
        if kind in ENFORCEMENT_KINDS and not is_enforcement_body(unit, department):
            refused_body = True
            continue
        return IssuedBy(assignment, unit, department)
    if refused_body:
        raise Forbidden(NOT_ENFORCEMENT_BODY.format(kind=DocumentKind(kind).label))
    if issuer_unit is not None or issuer_department is not None:
        raise Forbidden("您不能以该机关名义签发公文：发文机关须是您本人任职的单位或部门，且所涉对象在其管辖范围内")
    raise Forbidden("您没有签发该公文的权限（需在所涉对象的管辖范围内具有发文职责）")


def _clean(kind, title, recipients, paragraphs) -> tuple[str, str, list[str]]:
    """The text of a document, checked. Characters XML cannot carry are dropped here rather than refused:
    generators quote stored records (a hazard description entered before the input rule), and a document
    must still issue; text typed for a document is refused earlier, at the API's or the form's input rule."""
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ["请选择有效的文书类型"]
    title = xml_safe(title or "").strip()
    if not title:
        errors["title"] = ["请填写公文标题"]
    elif len(title) > 200:
        errors["title"] = ["公文标题不能超过200个字"]
    recipients = xml_safe(recipients or "").strip()
    if len(recipients) > 300:
        errors["recipients"] = ["主送机关不能超过300个字"]
    if isinstance(paragraphs, str) or not isinstance(paragraphs, (list, tuple)):
        errors["paragraphs"] = ["正文须为段落列表"]
        paragraphs = []
    else:
        paragraphs = [text for text in (xml_safe(str(p)).strip() for p in paragraphs) if text]
        if not paragraphs:
            errors["paragraphs"] = ["请填写公文正文"]
        elif len(paragraphs) > MAX_PARAGRAPHS or sum(len(p) for p in paragraphs) > 50_000:
            errors["paragraphs"] = ["正文过长（最多200段、5万字）"]
    if errors:
        raise Invalid(errors)
    return title, recipients, paragraphs


def _link(document: OfficialDocument, about) -> None:
    from anquan.hazards.models import Hazard, ListedSupervision
    from anquan.inspections.models import Inspection

    if about is None:
        return
    if isinstance(about, Inspection):
        document.inspection = about
    elif isinstance(about, Hazard):
        document.hazard = about
    elif isinstance(about, ListedSupervision):
        document.listing = about
    else:
        document.about_type = ContentType.objects.get_for_model(type(about))
        document.about_id = about.pk


def issue_document(actor, *, kind, issuer_unit=None, issuer_department=None, about=None, title, recipients,
                   paragraphs: list[str], **extra) -> OfficialDocument:
    """Issue one official document (公文) and return it, numbered, laid out (.docx) and audited.

    - ``actor``: the signed-in user; must hold an assignment permitting ``document.issue`` whose
      scope covers ``about`` and whose unit/department is the issuer.
    - ``kind``: a ``DocumentKind`` value; its 代字 (``SERIES``) goes into the 文号 (通报 → ``通报``).
      An enforcement kind (``ENFORCEMENT_KINDS``) needs an enforcement body as issuer: a 安委办
      is refused (Forbidden, in Chinese).
    - ``issuer_unit`` / ``issuer_department``: the issuing organ (an ``orgs.OrgUnit`` or
      ``orgs.Department``); default: the authorising assignment's unit (territory roles) or
      department (department roles). Naming one the actor does not serve in → Forbidden.
    - ``about``: the record the document is about (an Inspection, Hazard, ListedSupervision, or any
      model with a ``ScopedQuerySet`` manager, e.g. a supervision finding); None for a document about
      nothing in particular (then only the issuer's scope can read it). Not visible → NotFound.
    - ``title`` (≤ 200 字), ``recipients`` (主送机关, ≤ 300 字), ``paragraphs`` (正文, list of str).
    - ``extra`` (optional): ``build`` — a callable ``build(layout)`` that adds tables, images or
      headings after the paragraphs (see ``layout.OfficialLayout``); ``closing`` (bool, default True)
      — add the 落款 and 成文日期; ``audit_after`` — extra facts for the audit event; ``client_key``
      — the key of the form render or API request (``Idempotency-Key``): the same actor sending the
      same key again gets the document already issued, never a second number; ``on_issued`` — a
      callable ``on_issued(document)`` run in the same transaction (e.g. the listing takes the number).

    Raises Invalid (422, Chinese field messages), NotFound, Forbidden. The number is taken from the
    issuer's counter under a row lock in this transaction: no gaps, no repeats.
    """
    title, recipients, paragraphs = _clean(kind, title, recipients, paragraphs)
    client_key = _client_key(extra.pop("client_key", ""))
    if client_key:
        done = _issued_with(actor, client_key)
        if done is not None:
            return done
    build: Callable | None = extra.pop("build", None)
    closing = extra.pop("closing", True)
    audit_after = extra.pop("audit_after", {})
    on_issued: Callable | None = extra.pop("on_issued", None)
    if extra:
        raise TypeError(f"issue_document: unknown arguments {sorted(extra)}")
    issued = issuing_assignment(actor, about=about, issuer_unit=issuer_unit, issuer_department=issuer_department,
                                kind=kind)
    try:
        return write_document(actor, issued, kind=kind, about=about, title=title, recipients=recipients,
                              paragraphs=paragraphs, build=build, closing=closing, audit_after=audit_after,
                              client_key=client_key, on_issued=on_issued)
    except IntegrityError:
        # The same key won a race (a double click sent twice at once): its number stands, ours rolled back.
        done = _issued_with(actor, client_key) if client_key else None
        if done is None:
            raise
        return done


def _client_key(value) -> str:
    value = str(value or "").strip()
    if len(value) > MAX_CLIENT_KEY:
        raise Invalid({"client_key": [f"提交键不能超过{MAX_CLIENT_KEY}个字符"]})
    return value


def _issued_with(actor, client_key: str) -> OfficialDocument | None:
    return OfficialDocument.objects.filter(issued_by=actor, client_key=client_key).first()


def write_document(actor, issued: IssuedBy, *, kind, about, title, recipients, paragraphs, build=None, closing=True,
                   audit_after=None, client_key="", on_issued=None) -> OfficialDocument:
    """Number, lay out, store and audit a document whose issuer is already decided (``issued``).

    Internal to ``documents``: ``issue_document`` calls it after ``issuing_assignment``; the sign-off
    calls it when the organ's leader signs a draft (the signer is the 签发人). Text already cleaned.
    """
    today = calendar.today()
    organ = organ_name(issued.unit, issued.department)
    with transaction.atomic():
        counter, seq, number = next_number(unit=issued.unit, department=issued.department, year=today.year,
                                           series=SERIES[DocumentKind(kind)])
        layout = OfficialLayout(organ=organ, number=number, title=title, dated=today)
        layout.recipients(recipients)
        for text in paragraphs:
            layout.paragraph(text)
        if build is not None:
            build(layout)
        if closing:
            layout.closing()
        data = layout.to_bytes()
        document = OfficialDocument(
            kind=kind, number=number, counter=counter, year=today.year, seq=seq,
            issuer_unit=issued.unit, issuer_department=issued.department, issuer_name=organ,
            title=title, recipients=recipients, paragraphs=paragraphs, dated=today,
            sha256=hashlib.sha256(data).hexdigest(), issued_by=actor, issued_role=issued.assignment.role,
            issued_at=timezone.now(), client_key=client_key,
        )
        _link(document, about)
        document.file.save(f"{kind}-{today.year}-{counter.pk}-{seq}.docx", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            document.file.delete(save=False)  # the file of a number that rolls back
            raise
        record(actor=actor, assignment=issued.assignment, obj=document, action="document_issue",
               after={**snapshot(document, ["kind", "number", "title", "recipients", "sha256", "inspection",
                                             "hazard", "listing", "about_type", "about_id"]), **(audit_after or {})})
        if on_issued is not None:
            on_issued(document)
        transaction.on_commit(lambda: convert_pdf_after_issue(document.pk))  # the PDF ready before it is asked for
    return document


def document_void(*, actor, document: OfficialDocument, version, reason: str) -> OfficialDocument:
    """Void a document (作废): only the issuing organ, with a reason; its number is never reused."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": ["请填写作废原因"]})
    if len(reason) > 500:
        raise Invalid({"reason": ["作废原因不能超过500个字"]})
    if not OfficialDocument.objects.visible_to(actor).filter(pk=document.pk).exists():
        raise NotFound()
    try:
        issued = issuing_assignment(actor, issuer_unit=document.issuer_unit, issuer_department=document.issuer_department)
    except Forbidden:
        raise Forbidden("只有发文机关可以作废本公文") from None
    if document.voided_at:
        raise Conflict("该公文已作废")
    with transaction.atomic():
        before = snapshot(document, ["voided_at", "void_reason"])
        bump_version(document, version)
        document.voided_at = timezone.now()
        document.void_reason = reason
        type(document).objects.filter(pk=document.pk).update(voided_at=document.voided_at, void_reason=reason)
        record(actor=actor, assignment=issued.assignment, obj=document, action="document_void", before=before,
               after=snapshot(document, ["voided_at", "void_reason"]), reason=reason)
    return document
