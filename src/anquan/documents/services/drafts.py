"""公文稿: documents an organ issues by decision of its leadership pass through sign-off.

Which kinds (decision in docs/decisions.md): ``SIGNOFF_KINDS`` — the organ's own 通报 and
警示约谈通知书 written by its staff — are drafted here, reviewed (核稿) and signed (签发) by a
leader of the issuing organ; only then are they numbered and laid out, with the signer as 签发人.
The instruments an inspector issues on the spot (现场检查记录, 责令限期整改指令书, 整改复查意见书)
and the 挂牌督办通知书 issued with the listing keep ``issue_document``.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import bump_version

from ..models import DocumentDraft, DocumentKind, SignOff, SignOffState
from . import signoff as signoffs
from .issue import IssuedBy, _clean, _client_key, write_document

SIGNOFF_KINDS = (DocumentKind.CIRCULAR, DocumentKind.INTERVIEW)
MAX_TABLE_ROWS = 200


def _table(table):
    if table in (None, "", {}):
        return None
    header, rows = (table.get("header"), table.get("rows")) if isinstance(table, dict) else (None, None)
    if (not isinstance(header, list) or not header or not isinstance(rows, list) or len(rows) > MAX_TABLE_ROWS
            or any(not isinstance(r, list) or len(r) != len(header) for r in rows)):
        raise Invalid({"table": ["表格须有表头，且每行的列数与表头相同（最多200行）"]})
    return {"header": [str(h)[:100] for h in header], "rows": [[str(c)[:1000] for c in r] for r in rows]}


def _check_kind(kind) -> None:
    if kind not in SIGNOFF_KINDS:
        raise Invalid({"kind": ["拟稿签发的文书类型须为通报或警示约谈通知书"]})


def draft_create(*, actor, kind=DocumentKind.CIRCULAR, title, recipients, paragraphs, table=None, issuer_unit=None,
                 issuer_department=None, client_key: str = "") -> DocumentDraft:
    """拟稿: save the draft and open its sign-off (→ 待核稿). The same ``client_key`` again returns the same draft."""
    _check_kind(kind)
    title, recipients, paragraphs = _clean(kind, title, recipients, paragraphs)
    table = _table(table)
    client_key = _client_key(client_key)
    if client_key:
        done = DocumentDraft.objects.filter(drafted_by=actor, client_key=client_key).first()
        if done is not None:
            return done
    try:
        with transaction.atomic():
            draft = DocumentDraft.objects.create(
                kind=kind, title=title, recipients=recipients, paragraphs=paragraphs, table=table, drafted_by=actor,
                issuer_unit=issuer_unit, issuer_department=issuer_department, client_key=client_key,
            )
            signoff = signoffs.signoff_start(actor=actor, subject=draft, title=f"{DocumentKind(kind).label}：{title}",
                                             issuer_unit=issuer_unit, issuer_department=issuer_department)
            draft.issuer_unit, draft.issuer_department = signoff.issuer_unit, signoff.issuer_department
            draft.save(update_fields=["issuer_unit", "issuer_department"])
    except IntegrityError:
        done = DocumentDraft.objects.filter(drafted_by=actor, client_key=client_key).first() if client_key else None
        if done is None:
            raise
        return done
    return draft


def signoff_of(draft: DocumentDraft) -> SignOff:
    return SignOff.objects.get(subject_type__app_label="documents", subject_type__model="documentdraft", subject_id=draft.pk)


def draft_revise(*, actor, draft: DocumentDraft, version, title, recipients, paragraphs, opinion: str = "") -> DocumentDraft:
    """The drafter revises a returned draft and sends it back for 核稿 (the sign-off's resubmit)."""
    signoff = signoff_of(draft)
    if draft.drafted_by_id != actor.pk:
        raise Forbidden("只有拟稿人可以修改稿件")
    if signoff.state != SignOffState.RETURNED:
        raise Conflict(f"稿件当前为“{signoff.get_state_display()}”，只有退回修改的稿件可以修改")
    title, recipients, paragraphs = _clean(draft.kind, title, recipients, paragraphs)
    with transaction.atomic():
        before = snapshot(draft, ["title", "recipients", "paragraphs"])
        bump_version(draft, version)
        draft.title, draft.recipients, draft.paragraphs = title, recipients, paragraphs
        draft.save(update_fields=["title", "recipients", "paragraphs", "updated_at"])
        signoff.title = f"{draft.get_kind_display()}：{title}"
        SignOff.objects.filter(pk=signoff.pk).update(title=signoff.title)
        assignment = signoffs.organ_assignment(actor, "signoff.draft", unit=signoff.issuer_unit,
                                               department=signoff.issuer_department)
        if assignment is None:
            raise Forbidden("您已不是发文机关的工作人员，不能修改该稿件")
        record(actor=actor, assignment=assignment, obj=draft, action="document_draft_revise", before=before,
               after=snapshot(draft, ["title", "recipients", "paragraphs"]), reason=opinion)
        signoffs.signoff_resubmit(actor=actor, signoff=signoff, version=signoff.version, opinion=opinion)
    return draft


def _on_signed(*, signoff, subject: DocumentDraft, signer, assignment):
    """签发: number, lay out and store the document exactly as drafted; the signer is its 签发人."""
    table = subject.table

    def build(layout):
        if table:
            layout.table(list(table["header"]), [list(r) for r in table["rows"]])

    issued = IssuedBy(assignment, None if subject.issuer_department_id else subject.issuer_unit, subject.issuer_department)
    document = write_document(signer, issued, kind=subject.kind, about=None, title=subject.title,
                              recipients=subject.recipients, paragraphs=list(subject.paragraphs), build=build,
                              audit_after={"draft": subject.pk, "signoff": signoff.pk})
    DocumentDraft.objects.filter(pk=subject.pk).update(document=document)
    subject.document = document
    return document


def _url(subject: DocumentDraft) -> str:
    return reverse("documents:signoff", args=[signoffs_id(subject)])


def signoffs_id(draft: DocumentDraft) -> int:
    return signoff_of(draft).pk


signoffs.register(DocumentDraft, label="公文稿", on_signed=_on_signed, url=_url)
