"""Pages of checklist templates (检查表): list, detail, new/edit a draft, publish, new version, retire.

Every read goes through ``services.checklists`` (out of reach → 404), every write through its
services; an Invalid answer re-renders the form with everything the user typed and a Chinese
message next to each bad field, a Conflict is shown as a message on the detail page.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import ChecklistStatus, HazardCategory
from anquan.orgs.models import Industry

from .services import checklists as cl

ITEM_FIELDS = ("number", "text", "finding", "basis", "how_to_check", "category", "suggested_level", "major_criterion")
BLANK_ROWS = 3


def _may_create(user) -> bool:
    try:
        cl.creating_assignment(user)
    except Forbidden:
        return False
    return True


@login_required
def checklist_list(request):
    qs = cl.visible_checklists(request.user)
    status = request.GET.get("status", "")
    if status in ChecklistStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs.order_by("name", "code", "-version"), 50).get_page(request.GET.get("page"))
    return render(request, "inspections/checklists/list.html", {
        "page": page, "statuses": ChecklistStatus.choices, "params": {"status": status, "q": q},
        "may_create": _may_create(request.user), "query": f"status={status}&q={q}",
    })


@login_required
def checklist_detail(request, pk):
    checklist = cl.get_checklist(request.user, pk)
    items = checklist.items.select_related("category", "major_criterion__checklist").order_by("sort", "id")
    versions = cl.visible_checklists(request.user).filter(code=checklist.code).order_by("-version")
    return render(request, "inspections/checklists/detail.html", {
        "checklist": checklist, "items": items, "versions": versions, "may_manage": cl.may_manage(request.user, checklist),
    })


def _rows_from_post(post) -> list[dict]:
    rows = []
    try:
        count = min(int(post.get("rows", "0")), cl.MAX_ITEMS + 20)
    except ValueError:
        count = 0
    for n in range(count):
        row = {f: post.get(f"item-{n}-{f}", "").strip() for f in ITEM_FIELDS}
        if any(row[f] for f in ("number", "text", "basis", "how_to_check")):
            rows.append(row)
    return rows


def _form_context(request, checklist, header: dict, rows: list[dict], errors: dict, extra_rows: int = BLANK_ROWS):
    shown = [dict(r) for r in rows] + [dict.fromkeys(ITEM_FIELDS, "") for _ in range(extra_rows)]
    for n, row in enumerate(shown):
        row["n"] = n
        row["errors"] = [m for key, msgs in errors.items() if key == f"items.{n}" or key.startswith(f"items.{n}.") for m in msgs]
    return {
        "checklist": checklist, "header": header, "rows": shown, "errors": errors,
        "item_errors": errors.get("__all__", []) + errors.get("items", []),
        "industries": Industry.objects.order_by("sort", "id"),
        "categories": HazardCategory.objects.filter(active=True).order_by("path"),
        "levels": HazardLevel.choices, "criteria": cl.major_criteria_items(),
    }


def _edit(request, checklist=None):
    if request.method == "POST":
        header = {k: request.POST.get(k, "").strip() for k in ("name", "industry", "basis")}
        rows = _rows_from_post(request.POST)
        if "add_rows" in request.POST:
            return render(request, "inspections/checklists/edit.html", _form_context(request, checklist, header, rows, {}, 5))
        data = {**header, "items": [{**r, "suggested_level": r["suggested_level"] or "general"} for r in rows]}
        try:
            if checklist is None:
                checklist = cl.checklist_create(actor=request.user, data=data)
                messages.success(request, "检查表草稿已保存，核对无误后请发布")
            else:
                cl.checklist_update(actor=request.user, checklist=checklist, data=data)
                messages.success(request, "检查表草稿已保存")
        except Invalid as exc:
            return render(request, "inspections/checklists/edit.html",
                          _form_context(request, checklist, header, rows, exc.errors, 1), status=422)
        except Conflict as exc:  # e.g. published meanwhile: keep what was typed, say why it was not saved
            return render(request, "inspections/checklists/edit.html",
                          _form_context(request, checklist, header, rows, {"__all__": [exc.message]}, 1), status=409)
        return redirect("checklists:detail", checklist.pk)
    if checklist is None:
        return render(request, "inspections/checklists/edit.html", _form_context(request, None, {}, [], {}, 5))
    header = {"name": checklist.name, "industry": checklist.industry.code if checklist.industry_id else "", "basis": checklist.basis}
    rows = [{"number": i.number, "text": i.text, "finding": i.finding, "basis": i.basis, "how_to_check": i.how_to_check,
             "category": str(i.category_id or ""), "suggested_level": i.suggested_level,
             "major_criterion": str(i.major_criterion_id or "")} for i in checklist.items.order_by("sort", "id")]
    return render(request, "inspections/checklists/edit.html", _form_context(request, checklist, header, rows, {}))


@login_required
def checklist_create(request):
    cl.creating_assignment(request.user)  # 403 for those who may not manage templates
    return _edit(request)


@login_required
def checklist_edit(request, pk):
    checklist = cl.get_checklist(request.user, pk)
    if not cl.may_manage(request.user, checklist):
        cl._manage_assignment(request.user, checklist)  # raises 403
    if checklist.status != ChecklistStatus.DRAFT and request.method != "POST":  # a POST keeps its rows (409 in _edit)
        messages.error(request, "已发布的检查表不能修改，请先“生成新版本”，在新版本草稿上修改")
        return redirect("checklists:detail", checklist.pk)
    return _edit(request, checklist)


def _action(request, pk, fn, done: str, **kwargs):
    checklist = cl.get_checklist(request.user, pk)
    try:
        result = fn(actor=request.user, checklist=checklist, **kwargs)
    except (Invalid, Conflict) as exc:
        text = "；".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.message
        messages.error(request, text)
        return redirect("checklists:detail", checklist.pk)
    messages.success(request, done)
    return redirect("checklists:detail", result.pk)


@login_required
@require_POST
def checklist_publish(request, pk):
    return _action(request, pk, cl.checklist_publish, "检查表已发布，此版本今后不再改变")


@login_required
@require_POST
def checklist_new_version(request, pk):
    return _action(request, pk, cl.checklist_new_version, "已生成新版本草稿，修改后请发布")


@login_required
@require_POST
def checklist_retire(request, pk):
    return _action(request, pk, cl.checklist_retire, "检查表已废止，不再用于新的检查计划", reason=request.POST.get("reason", ""))
