"""The case page's documents (``enforcement.documents``): issue one at the case's step, list those the user may see,
download a .docx or PDF.

Scoped like the case: a case out of scope → 404; a document not about this case, or one the user may not see
(the party never sees the internal records, ``documents.models.PARTY_HIDDEN_KINDS``) → 404; issuing without the
organ's ``document.issue`` → 403 (core.middleware). The download itself is the documents app's (scope checked again).
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from anquan.core.errors import Conflict, Invalid
from anquan.core.services import safe_id
from anquan.core.views import login_required
from anquan.documents import pdf
from anquan.documents import views as document_pages
from anquan.documents.models import OfficialDocument
from anquan.documents.organs import appeal_bodies

from .documents import _pending_inquiries, case_documents, issuable, issue_case_document
from .services.cases import get_case


def case_documents_context(user, case) -> dict:
    """What the case page's 执法文书 card needs."""
    can_issue = issuable(user, case)
    return {
        "case_docs": case_documents(case).filter(pk__in=OfficialDocument.objects.visible_to(user).values("pk"))
        .order_by("issued_at", "id"),
        "doc_issuable": can_issue, "doc_inquiries": _pending_inquiries(case) if any(s == "inquiry" for s, _ in can_issue) else [],
        "doc_key": uuid.uuid4().hex, "pdf_available": pdf.available(),
        # The decision form offers the organ's configured 复议机关 and court: the ones its 决定书 names.
        "appeal_bodies": appeal_bodies(department=case.organ),
    }


@login_required
@require_POST
def case_document_issue(request, pk, kind):
    case = get_case(request.user, pk)
    try:
        document = issue_case_document(request.user, case, kind, evidence_id=request.POST.get("evidence"),
                                       client_key=(request.POST.get("client_key") or "")[:64])
    except (Invalid, Conflict) as err:
        texts = [t for ts in (getattr(err, "errors", None) or {}).values() for t in ts] or [err.message]
        for text in texts:
            messages.error(request, text)
        return redirect("enforcement:case", pk=case.pk)
    messages.success(request, f"已生成{document.get_kind_display()}：{document.number}")
    return redirect("enforcement:case", pk=case.pk)


@login_required
@require_GET
def case_document_download(request, pk, doc, fmt):
    case = get_case(request.user, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404()
    visible = OfficialDocument.objects.visible_to(request.user).values("pk")
    document = case_documents(case).filter(pk=safe_id(doc) or 0, pk__in=visible).first()
    if document is None:
        raise Http404()
    view = document_pages.document_docx if fmt == "docx" else document_pages.document_pdf
    return view(request, document.pk)
