"""Pages of official documents: the scoped list (filters kind/year), the detail with .docx download and
on-demand PDF, generating a document from an inspection/hazard/listing page, a 通报 form, voiding.

Reads go through ``selectors`` (visible_to); writes through ``services``/``generators``. An object or
document out of scope answers 404; a visible one the user may not act on 403 (core.middleware).
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anquan.accounts.scope import active_assignments
from anquan.core import error_pages
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import get_visible
from anquan.core.views import login_required, paginate, query_without

from . import actions, pdf
from .models import DocumentDraft, DocumentKind, OfficialDocument, SignOff, SignOffState
from .selectors import document_list
from .services import document_void, drafts, issuing_assignment
from .services import signoff as signoffs


def _document(user, pk) -> OfficialDocument:
    qs = OfficialDocument.objects.select_related("issuer_unit", "issuer_department__unit", "issued_by__person",
                                                 "inspection__site", "hazard", "listing__hazard")
    return get_visible(qs, user, pk)


@require_GET
@login_required
def document_list_view(request):
    params = request.GET
    page = paginate(request, document_list(request.user, params), 50)
    years = sorted(set(OfficialDocument.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "documents/list.html", {
        "page": page, "params": params, "kinds": DocumentKind.choices, "years": years,
        "query": query_without(request), "can_circular": _can_draft(request.user),
    })


def _about_link(document) -> tuple[str, str] | None:
    if document.inspection_id:
        return reverse("inspections:detail", args=[document.inspection_id]), f"检查：{document.inspection}"
    if document.hazard_id:
        return reverse("hazards:detail", args=[document.hazard_id]), f"隐患：{document.hazard}"
    if document.listing_id:
        return reverse("hazards:detail", args=[document.listing.hazard_id]), f"挂牌督办：{document.listing}"
    if document.about_type_id and (document.about_type.app_label, document.about_type.model) == ("enforcement", "case"):
        return reverse("enforcement:case", args=[document.about_id]), f"行政处罚案件：{document.about}"
    return None


@require_GET
@login_required
def document_detail(request, pk):
    document = _document(request.user, pk)
    try:
        issuing_assignment(request.user, issuer_unit=document.issuer_unit, issuer_department=document.issuer_department)
        can_void = document.voided_at is None
    except Forbidden:  # not the issuing organ
        can_void = False
    return render(request, "documents/detail.html", {
        "document": document, "about": _about_link(document), "pdf_available": pdf.available(), "can_void": can_void,
    })


def _open(document):
    try:
        return document.file.open("rb")
    except OSError:
        raise NotFound("公文文件已丢失，请联系系统管理员") from None


@require_GET
@login_required
def document_docx(request, pk):
    document = _document(request.user, pk)
    response = FileResponse(_open(document), as_attachment=True, filename=document.download_name,
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def document_pdf(request, pk):
    """The PDF, converted once per .docx content and a few at a time (``pdf.cached_pdf``)."""
    document = _document(request.user, pk)
    with _open(document) as fh:
        data = fh.read()
    try:
        path = pdf.cached_pdf(data)
    except pdf.ConversionBusy as exc:
        return error_pages.unavailable(request, "公文正在转换", str(exc))
    except pdf.ConversionFailed as exc:
        messages.error(request, str(exc))
        return redirect("documents:detail", pk=document.pk)
    name = document.download_name.rsplit(".", 1)[0] + ".pdf"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _back(obj) -> str:
    name = actions.about_name(obj)
    if name == "inspection":
        return reverse("inspections:detail", args=[obj.pk])
    hazard_id = obj.pk if name == "hazard" else obj.hazard_id
    return reverse("hazards:detail", args=[hazard_id])


@require_POST
@login_required
def document_issue(request, kind, about, pk):
    model = actions.ABOUT_MODELS.get(about)
    if model is None or kind not in DocumentKind.values:
        raise NotFound()
    obj = get_visible(model.objects.all(), request.user, pk)
    try:
        document = actions.generate(request.user, kind, obj, client_key=request.POST.get("client_key", ""))
    except (Conflict, Invalid) as exc:
        detail = "；".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs)
        messages.error(request, detail or exc.message)
        return redirect(_back(obj))
    messages.success(request, f"已生成{document.get_kind_display()}，文号：{document.number}")
    return redirect("documents:detail", pk=document.pk)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _can_draft(user) -> bool:
    return any(a.permits("signoff.draft") and a.scope_kind in ("territory", "department") for a in active_assignments(user))


@require_http_methods(["GET", "POST"])
@login_required
def circular_new(request):
    """拟稿: a 通报 (or 警示约谈通知书) in the name of the user's own unit or department, sent for 核稿 and 签发."""
    if not _can_draft(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您没有拟稿的权限")
    values = {"kind": DocumentKind.CIRCULAR, "title": "", "recipients": "", "body": "", "client_key": uuid.uuid4().hex}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            draft = drafts.draft_create(actor=request.user, kind=values["kind"] or DocumentKind.CIRCULAR,
                                        title=values["title"], recipients=values["recipients"],
                                        paragraphs=_paragraphs(values["body"]), client_key=values["client_key"])
        except Invalid as exc:
            errors = exc.errors
            if "paragraphs" in errors:
                errors["body"] = errors.pop("paragraphs")
        else:
            messages.success(request, "稿件已提交核稿，签发后自动编号")
            return redirect("documents:signoff", pk=drafts.signoffs_id(draft))
    return render(request, "documents/circular.html", {
        "values": values, "errors": errors, "kinds": [(k.value, k.label) for k in drafts.SIGNOFF_KINDS],
    }, status=422 if errors else 200)


# --- 拟稿 → 核稿 → 签发 ------------------------------------------------------------------------------

@require_GET
@login_required
def signoff_list(request):
    """待我办理 (what I may review or sign now, and my drafts sent back) first; then every sign-off in scope."""
    show = request.GET.get("show", "")
    if show == "all":
        qs = SignOff.objects.visible_to(request.user).select_related("drafted_by__person")
    else:
        qs = signoffs.waiting_for(request.user).select_related("drafted_by__person")
    state = request.GET.get("state", "")
    if show == "all" and state in SignOffState.values:
        qs = qs.filter(state=state)
    page = paginate(request, qs, 30)
    return render(request, "documents/signoff_list.html", {
        "page": page, "show": show, "state": state, "states": SignOffState.choices,
        "can_draft": _can_draft(request.user),
    })


def _signoff(user, pk) -> SignOff:
    qs = SignOff.objects.select_related("drafted_by__person", "reviewed_by__person", "signed_by__person",
                                        "issuer_unit", "issuer_department__unit", "subject_type")
    return get_visible(qs, user, pk)


@require_GET
@login_required
def signoff_detail(request, pk):
    signoff = _signoff(request.user, pk)
    subject = signoff.subject
    draft = subject if isinstance(subject, DocumentDraft) else None
    return render(request, "documents/signoff_detail.html", {
        "signoff": signoff, "draft": draft, "steps": signoff.steps.select_related("actor__person"),
        "draft_body": "\n".join(draft.paragraphs) if draft else "",
        "verbs": signoffs.allowed_verbs(request.user, signoff), "subject_url": None if draft else
        signoffs.signable_of(signoff).url(subject),
    })


@require_POST
@login_required
def signoff_act(request, pk, verb):
    if verb not in signoffs.VERB_SERVICES and verb != "revise":
        raise NotFound()
    signoff = _signoff(request.user, pk)
    opinion = request.POST.get("opinion", "")
    try:
        if verb == "revise":
            draft = signoff.subject
            if not isinstance(draft, DocumentDraft):
                raise NotFound()
            drafts.draft_revise(actor=request.user, draft=draft, version=request.POST.get("draft_version"),
                                title=request.POST.get("title", ""), recipients=request.POST.get("recipients", ""),
                                paragraphs=_paragraphs(request.POST.get("body", "")), opinion=opinion)
        else:
            signoffs.VERB_SERVICES[verb](actor=request.user, signoff=signoff, version=request.POST.get("version"),
                                         opinion=opinion)
    except Invalid as exc:
        messages.error(request, "；".join(m for msgs in exc.errors.values() for m in msgs))
        return redirect("documents:signoff", pk=signoff.pk)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("documents:signoff", pk=signoff.pk)
    signoff.refresh_from_db()
    if verb == "sign" and isinstance(signoff.subject, DocumentDraft) and signoff.subject.document_id:
        document = signoff.subject.document
        messages.success(request, f"已签发，文号：{document.number}")
        return redirect("documents:signoffs")
    done = {"review": "核稿通过，已送领导签发", "return": "已退回拟稿人修改", "resubmit": "已重新提交核稿",
            "withdraw": "稿件已撤回", "revise": "稿件已修改并重新提交核稿", "sign": "已签发"}[verb]
    messages.success(request, done)
    return redirect("documents:signoffs" if verb in ("review", "return") else "documents:signoff", **(
        {} if verb in ("review", "return") else {"pk": signoff.pk}))


@require_POST
@login_required
def document_void_view(request, pk):
    document = _document(request.user, pk)
    try:
        document_void(actor=request.user, document=document, version=request.POST.get("version"),
                      reason=request.POST.get("reason", ""))
    except Invalid as exc:
        messages.error(request, "；".join(m for msgs in exc.errors.values() for m in msgs))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"公文{document.number}已作废，文号不再使用")
    return redirect("documents:detail", pk=document.pk)
