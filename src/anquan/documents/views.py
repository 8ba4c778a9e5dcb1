"""Pages of official documents: the scoped list (filters kind/year), the detail with .docx download and
on-demand PDF, generating a document from an inspection/hazard/listing page, a 通报 form, voiding.

Reads go through ``selectors`` (visible_to); writes through ``services``/``generators``. An object or
document out of scope answers 404; a visible one the user may not act on 403 (core.middleware).
"""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import get_visible
from anquan.core.views import login_required, paginate, query_without

from . import actions, pdf
from .generators import issue_circular
from .models import DocumentKind, OfficialDocument
from .selectors import document_list
from .services import document_void, issuing_assignment


def _document(user, pk) -> OfficialDocument:
    qs = OfficialDocument.objects.select_related("issuer_unit", "issuer_department__unit", "issued_by__person",
                                                 "inspection__site", "hazard", "listing__hazard")
    return get_visible(qs, user, pk)


def _can_issue_any(user) -> bool:
    try:
        issuing_assignment(user)
    except Forbidden:  # no organ to issue in
        return False
    return True


@require_GET
@login_required
def document_list_view(request):
    params = request.GET
    page = paginate(request, document_list(request.user, params), 50)
    years = sorted(set(OfficialDocument.objects.visible_to(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "documents/list.html", {
        "page": page, "params": params, "kinds": DocumentKind.choices, "years": years,
        "query": query_without(request), "can_circular": _can_issue_any(request.user),
    })


def _about_link(document) -> tuple[str, str] | None:
    if document.inspection_id:
        return reverse("inspections:detail", args=[document.inspection_id]), f"检查：{document.inspection}"
    if document.hazard_id:
        return reverse("hazards:detail", args=[document.hazard_id]), f"隐患：{document.hazard}"
    if document.listing_id:
        return reverse("hazards:detail", args=[document.listing.hazard_id]), f"挂牌督办：{document.listing}"
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
    document = _document(request.user, pk)
    with _open(document) as fh:
        data = fh.read()
    try:
        converted = pdf.docx_to_pdf(data)
    except pdf.ConversionFailed as exc:
        messages.error(request, str(exc))
        return redirect("documents:detail", pk=document.pk)
    response = HttpResponse(converted, content_type="application/pdf")
    name = document.download_name.rsplit(".", 1)[0] + ".pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
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


@require_http_methods(["GET", "POST"])
@login_required
def circular_new(request):
    """A 通报 about nothing in particular, in the name of the user's own unit or department."""
    if not _can_issue_any(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您没有签发公文的权限")
    values = {"title": "", "recipients": "", "body": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            document = issue_circular(request.user, title=values["title"], recipients=values["recipients"],
                                      paragraphs=_paragraphs(values["body"]))
        except Invalid as exc:
            errors = exc.errors
            if "paragraphs" in errors:
                errors["body"] = errors.pop("paragraphs")
        else:
            messages.success(request, f"已签发通报，文号：{document.number}")
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/circular.html", {"values": values, "errors": errors},
                  status=422 if errors else 200)


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
