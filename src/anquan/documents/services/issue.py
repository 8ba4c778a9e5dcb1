"""``issue_document``: authorise, number, lay out, store and audit one official document."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from anquan.accounts.roles import DOCUMENT_ISSUE, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.scoping import ScopedQuerySet
from anquan.core.services import bump_version
from anquan.rules import calendar

from ..layout import OfficialLayout
from ..models import SERIES, DocumentKind, OfficialDocument
from ..numbering import next_number, organ_name

MAX_PARAGRAPHS = 200


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


def _covers(assignment, obj) -> bool:
    manager = type(obj).objects
    return manager.filter(manager.assignment_q(assignment), pk=obj.pk).exists()


def issuing_assignment(actor, *, about=None, issuer_unit=None, issuer_department=None) -> IssuedBy:
    """The single assignment that permits ``document.issue``, covers ``about`` and whose unit or
    department is the issuer (the issuer defaults to that assignment's unit/department).

    NotFound (404) when ``about`` is not visible to the actor; Forbidden (403) otherwise.
    """
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
        return IssuedBy(assignment, unit, department)
    if issuer_unit is not None or issuer_department is not None:
        raise Forbidden("您不能以该机关名义签发公文：发文机关须是您本人任职的单位或部门，且所涉对象在其管辖范围内")
    raise Forbidden("您没有签发该公文的权限（需在所涉对象的管辖范围内具有发文职责）")


def _clean(kind, title, recipients, paragraphs) -> tuple[str, str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ["请选择有效的文书类型"]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["请填写公文标题"]
    elif len(title) > 200:
        errors["title"] = ["公文标题不能超过200个字"]
    recipients = (recipients or "").strip()
    if len(recipients) > 300:
        errors["recipients"] = ["主送机关不能超过300个字"]
    if isinstance(paragraphs, str) or not isinstance(paragraphs, (list, tuple)):
        errors["paragraphs"] = ["正文须为段落列表"]
        paragraphs = []
    else:
        paragraphs = [str(p).strip() for p in paragraphs if str(p).strip()]
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
    - ``issuer_unit`` / ``issuer_department``: the issuing organ (an ``orgs.OrgUnit`` or
      ``orgs.Department``); default: the authorising assignment's unit (territory roles) or
      department (department roles). Naming one the actor does not serve in → Forbidden.
    - ``about``: the record the document is about (an Inspection, Hazard, ListedSupervision, or any
      model with a ``ScopedQuerySet`` manager, e.g. a supervision finding); None for a document about
      nothing in particular (then only the issuer's scope can read it). Not visible → NotFound.
    - ``title`` (≤ 200 字), ``recipients`` (主送机关, ≤ 300 字), ``paragraphs`` (正文, list of str).
    - ``extra`` (optional): ``build`` — a callable ``build(layout)`` that adds tables, images or
      headings after the paragraphs (see ``layout.OfficialLayout``); ``closing`` (bool, default True)
      — add the 落款 and 成文日期; ``audit_after`` — extra facts for the audit event.

    Raises Invalid (422, Chinese field messages), NotFound, Forbidden. The number is taken from the
    issuer's counter under a row lock in this transaction: no gaps, no repeats.
    """
    title, recipients, paragraphs = _clean(kind, title, recipients, paragraphs)
    build: Callable | None = extra.pop("build", None)
    closing = extra.pop("closing", True)
    audit_after = extra.pop("audit_after", {})
    if extra:
        raise TypeError(f"issue_document: unknown arguments {sorted(extra)}")
    issued = issuing_assignment(actor, about=about, issuer_unit=issuer_unit, issuer_department=issuer_department)
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
            issued_at=timezone.now(),
        )
        _link(document, about)
        document.file.save(f"{kind}-{today.year}-{counter.pk}-{seq}.docx", ContentFile(data), save=False)
        document.save()
        record(actor=actor, assignment=issued.assignment, obj=document, action="document_issue",
               after={**snapshot(document, ["kind", "number", "title", "recipients", "sha256", "inspection",
                                             "hazard", "listing", "about_type", "about_id"]), **audit_after})
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
