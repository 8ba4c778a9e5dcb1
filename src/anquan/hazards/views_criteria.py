"""Pages of the 重大事故隐患判定标准 libraries for the 系统管理员 and the 安委办 (``checklist.manage`` at system or
territory scope): the list (version, dates, industries, item counts, missing items, notes), one library with its
items and "并且" conditions, and publishing a locality's own criteria as a new version — by copying a library's
items to edit and adding items. A published version is never edited: every submission goes through
``services.criteria.criteria_publish`` (a new version, audited). Reads are scoped here: the system administrator
sees every library; an 安委办 the national ones and those published within or above its territory (404 otherwise)."""
from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from anquan.accounts.roles import CHECKLIST_MANAGE, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Invalid, NotFound
from anquan.core.services import safe_id
from anquan.core.text import TextRuleMixin
from anquan.core.views import apply_errors, bootstrapify, login_required
from anquan.orgs.models import Industry
from anquan.rules.calendar import today

from .models import Checklist, ChecklistItem, ChecklistKind, HazardCategory
from .services.criteria import MAX_ITEMS, criteria_publish

#: Blank item rows offered under the copied ones (``?more=`` adds more, up to MAX_ITEMS).
BLANK_ROWS = 3
_KEYED = re.compile(r"^\s*([A-Za-z0-9]{1,10})\s*[.．、：:)）]\s*(.+?)\s*$")


def _managing(user):
    """The user's assignments that may publish criteria (system administrator, 安委办); 403 when none."""
    rows = [a for a in active_assignments(user)
            if a.permits(CHECKLIST_MANAGE) and a.scope_kind in (ScopeKind.SYSTEM, ScopeKind.TERRITORY)]
    if not rows:
        raise PermissionDenied("只有系统管理员或安委办可以管理重大事故隐患判定标准")
    return rows


def visible_libraries(user):
    """The criteria libraries the user manages or relies on: all for the system administrator; for an 安委办 the
    national ones and those owned by a unit within or above its territory."""
    assignments = _managing(user)
    qs = Checklist.objects.filter(kind=ChecklistKind.MAJOR_CRITERIA)
    if any(a.scope_kind == ScopeKind.SYSTEM for a in assignments):
        return qs
    q = Q(owner_unit__isnull=True)
    for a in assignments:
        q |= Q(owner_unit__path__startswith=a.unit.path) | Q(owner_unit_id__in=a.unit.ancestor_ids())
    return qs.filter(q)


def _library(user, pk) -> Checklist:
    pk = safe_id(pk)
    row = visible_libraries(user).filter(pk=pk).select_related("owner_unit").first() if pk is not None else None
    if row is None:
        raise NotFound()
    return row


def _versions_here(user, library: Checklist) -> bool:
    """Whether the user publishes a new version of ``library`` itself (its owner level), not a new library."""
    for a in _managing(user):
        owner = a.unit_id if a.scope_kind == ScopeKind.TERRITORY else None
        return library.owner_unit_id == owner
    return False


@login_required
def criteria_list(request):
    rows = list(visible_libraries(request.user).select_related("owner_unit", "industry").prefetch_related("industries")
                .annotate(item_count=Count("items")).order_by("code", "-version"))
    day = today()
    for c in rows:
        c.in_force = (c.status == "published" and (c.effective_from is None or c.effective_from <= day)
                      and (c.effective_to is None or c.effective_to >= day))
        c.industry_names = [i.name for i in c.industries.all()] or ([c.industry.name] if c.industry_id else [])
    return render(request, "hazards/criteria_list.html", {"rows": rows, "today": day, "nav_active": "criteria"})


@login_required
def criteria_detail(request, pk):
    library = _library(request.user, pk)
    items = list(library.items.select_related("category").order_by("sort", "id"))
    return render(request, "hazards/criteria_detail.html", {
        "library": library, "items": items, "industries": list(library.industries.all()),
        "versions_here": _versions_here(request.user, library), "nav_active": "criteria"})


class LibraryForm(TextRuleMixin, forms.Form):
    name = forms.CharField(label="判定标准名称", max_length=200)
    basis = forms.CharField(label="依据文件（名称、文号）", max_length=300)
    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    effective_to = forms.DateField(label="废止日期（可选）", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    industries = forms.ModelMultipleChoiceField(label="适用行业（不选为所有行业）", queryset=Industry.objects.all(),
                                                required=False, to_field_name="code",
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    notes = forms.CharField(label="说明（可选）", max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="如：过渡期使用、缺失的条款及原因")


class ItemForm(TextRuleMixin, forms.Form):
    number = forms.CharField(label="条款号", max_length=20, required=False)
    text = forms.CharField(label="内容", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="依据（出处）", max_length=300, required=False)
    category = forms.ChoiceField(label="隐患类别（可选）", required=False)
    conditions = forms.CharField(label="“并且”情形（可选，每行一项，如“a. 未设置……”）", max_length=4000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    industries = forms.CharField(label="仅适用的子行业代码（可选，逗号分隔）", max_length=400, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "——"), *categories]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any((data.get(k) or "").strip() for k in ("number", "text", "basis", "conditions"))


def _conditions(text: str) -> list[dict]:
    out = []
    for n, line in enumerate([x for x in (text or "").splitlines() if x.strip()], start=1):
        m = _KEYED.match(line)
        key, body = (m.group(1), m.group(2)) if m else (chr(ord("a") + n - 1) if n <= 26 else str(n), line.strip())
        out.append({"key": key, "text": body})
    return out


def _item_initial(item: ChecklistItem) -> dict:
    return {"number": item.number, "text": item.text, "basis": item.basis,
            "category": item.category.code if item.category_id else "",
            "conditions": "\n".join(f"{c.get('key', '')}. {c.get('text', '')}" for c in item.conditions or []),
            "industries": ", ".join(item.industries or [])}


def _categories():
    return [(c.code, f"{c.code} {c.name}") for c in HazardCategory.objects.filter(active=True).order_by("path")]


def _item_forms(data=None, initial=(), rows=0):
    categories = _categories()
    if data is not None:
        try:
            count = min(max(int(data.get("item_count", 0)), 0), MAX_ITEMS + BLANK_ROWS)
        except (TypeError, ValueError):
            count = 0
        return [ItemForm(data, prefix=f"i{n}", categories=categories) for n in range(count)]
    initial = list(initial)
    return [ItemForm(initial=initial[n] if n < len(initial) else None, prefix=f"i{n}", categories=categories)
            for n in range(len(initial) + rows)]


def _render_form(request, form, items, source, versions_here, status=200, errors=()):
    for f in items:
        bootstrapify(f)
    return render(request, "hazards/criteria_form.html", {
        "form": form, "items": items, "item_count": len(items), "source": source, "versions_here": versions_here,
        "item_errors": list(errors), "nav_active": "criteria"}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def criteria_new(request):
    """Publish a new library, or (``?from=<id>``) copy a library's items to edit into a new version."""
    _managing(request.user)
    source = _library(request.user, request.GET.get("from")) if request.GET.get("from") else None
    versions_here = bool(source) and _versions_here(request.user, source)
    if request.method == "GET":
        try:
            more = min(max(int(request.GET.get("more", 0)), 0), 50)
        except ValueError:
            more = 0
        initial, copied = {}, []
        if source is not None:
            initial = {"name": source.name, "basis": source.basis, "notes": source.notes,
                       "effective_from": today(),
                       "industries": [i.code for i in source.industries.all()]
                       or ([source.industry.code] if source.industry_id else [])}
            copied = [_item_initial(i) for i in source.items.select_related("category").order_by("sort", "id")]
        form = bootstrapify(LibraryForm(initial=initial))
        return _render_form(request, form, _item_forms(initial=copied, rows=BLANK_ROWS + more), source, versions_here)

    form = LibraryForm(request.POST)
    items = _item_forms(request.POST)
    if request.POST.get("action") == "more":  # more blank rows, keeping what was typed
        categories = _categories()
        items += [ItemForm(prefix=f"i{n}", categories=categories)
                  for n in range(len(items), min(len(items) + 5, MAX_ITEMS + BLANK_ROWS))]
        return _render_form(request, bootstrapify(form), items, source, versions_here)
    form_ok = form.is_valid()
    rows, errors = [], []
    for f in items:
        if not f.is_valid():
            errors += [f"{f.prefix}：{e}" for msgs in f.errors.values() for e in msgs]
            continue
        if f.is_blank():
            continue
        d = f.cleaned_data
        rows.append({"number": d["number"], "text": d["text"], "basis": d["basis"], "category": d["category"] or None,
                     "conditions": _conditions(d["conditions"]),
                     "industries": [x.strip() for x in re.split(r"[,，、\s]+", d["industries"] or "") if x.strip()]})
    data = {
        "code": source.code if versions_here else None,
        "name": request.POST.get("name", ""), "basis": request.POST.get("basis", ""),
        "effective_from": form.cleaned_data.get("effective_from") if form_ok else request.POST.get("effective_from"),
        "effective_to": form.cleaned_data.get("effective_to") if form_ok else request.POST.get("effective_to"),
        "industries": [i.code for i in form.cleaned_data.get("industries") or []] if form_ok
        else request.POST.getlist("industries"),
        "notes": request.POST.get("notes", ""), "items": rows,
    }
    if not form_ok or errors:
        return _render_form(request, apply_errors(form, {}), items, source, versions_here, status=422, errors=errors)
    try:
        checklist = criteria_publish(actor=request.user, data=data)
    except Invalid as exc:
        item_errors = [e for k, v in exc.errors.items() if k.startswith("items") for e in v]
        others = {k: v for k, v in exc.errors.items() if not k.startswith("items")}
        return _render_form(request, apply_errors(form, others), items, source, versions_here, status=422,
                            errors=item_errors)
    except Conflict as exc:
        return _render_form(request, apply_errors(form, {"__all__": [exc.message]}), items, source, versions_here,
                            status=409)
    messages.success(request, f"已发布《{checklist.name}》第{checklist.version}版（{len(rows)}项）")
    return redirect("hazards:criteria", pk=checklist.pk)
