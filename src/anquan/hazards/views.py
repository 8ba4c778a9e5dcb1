"""Hazard pages (隐患排查治理): the three lists and their exports, and the scoped photo view.

Thin, like the enterprise pages: reads through ``selectors.hazard_list`` (scoped with
visible_to, filtered by query-string names, overdue first), writes through ``services``.
The record page is in ``views_record``, the detail page and its action forms in
``views_detail`` / ``views_actions``, the Excel import in ``views_import``.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from anquan.accounts.scope import active_assignments
from anquan.core.services import get_visible, safe_id
from anquan.core.views import login_required, query_without, wants_fragment
from anquan.enterprises.models import Enterprise, Site
from anquan.orgs.models import Industry
from anquan.rules.calendar import today

from . import exports
from .choices import OPEN_FOR_RECTIFIER, HazardLevel, HazardSource, HazardStatus
from .forms import category_choices
from .models import Hazard, HazardPhoto, RectificationRound
from .selectors import CappedPaginator

PER_PAGE = 50
#: The three lists (三个清单): tab key → title.
LISTS = {"hazards": "隐患清单", "rectification": "整改清单", "responsibility": "责任清单"}


# ---------------------------------------------------------------- shared by the hazard pages


def permits_any(user, action: str) -> bool:
    """Whether some active assignment of ``user`` permits ``action`` (regardless of objects)."""
    return any(a.permits(action) for a in active_assignments(user))


def can_record(user) -> bool:
    return permits_any(user, "hazard.record") and Site.objects.visible_to(user, "hazard.record").exists()


def get_hazard(user, pk) -> Hazard:
    """The hazard if ``user`` may see it; 404 otherwise (exactly as if it did not exist)."""
    related = ("site", "enterprise", "grid", "category", "department__unit", "industry", "responsible_person",
               "finder_unit", "finder_department", "finder_enterprise", "recorded_by__person", "criterion__checklist",
               "closed_by__person")
    return get_visible(Hazard.objects.select_related(*related), user, pk)


def hazard_queryset(user, params, action: str = "view", kind: str = "hazards"):
    """``selectors.hazard_list`` for one of the three lists, plus the free-text search (``q``)."""
    from .selectors import hazard_list

    qs = hazard_list(user, params, action)
    text = (params.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(description__icontains=text) | Q(site__name__icontains=text)
                       | Q(enterprise__name__icontains=text) | Q(location__icontains=text))
    if kind == "rectification":
        qs = qs.exclude(status=HazardStatus.CLOSED)
    qs = qs.select_related("site", "enterprise", "grid", "category", "responsible_person")
    if kind == "responsibility":
        qs = qs.select_related("finder_unit", "finder_department", "finder_enterprise", "department",
                               "recorded_by__person", "closed_by__person").prefetch_related("found_by")
    if kind in ("rectification", "responsibility"):
        rounds = RectificationRound.objects.select_related("verified_by__person", "submitted_by__person").order_by("number")
        qs = qs.prefetch_related(Prefetch("rounds", queryset=rounds))
    return qs


def annotate_rows(hazards, on: date) -> list[Hazard]:  # noqa: F821 - a date
    """Attach what each row shows that is derived, not stored: overdue days, the latest round."""
    rows = list(hazards)
    for h in rows:
        h.overdue_days = (on - h.deadline_in_force).days if h.status in OPEN_FOR_RECTIFIER and on > h.deadline_in_force else 0
        rounds = list(getattr(h, "_prefetched_objects_cache", {}).get("rounds", ()))
        h.latest_round = rounds[-1] if rounds else None
    return rows


def _filter_options(user) -> dict:
    from anquan.enterprises.views import filter_options

    return {
        "unit_options": filter_options(user)["unit_options"],
        "industries": Industry.objects.all(),
        "statuses": HazardStatus.choices,
        "levels": HazardLevel.choices,
        "sources": HazardSource.choices,
        "categories": category_choices(everything=True),
    }


def _chips(user, params) -> list[tuple[str, str]]:
    """Filters set by a link (enterprise, site) that have no control on the form: (label, query to drop it)."""
    chips = []
    if params.get("verifiable") == "1":
        chips.append(("verifiable", "待我验收"))
    if "," in (params.get("status") or ""):  # several states (a workbench link): the form's select shows one
        names = dict(HazardStatus.choices)
        chips.append(("status", "状态：" + "、".join(str(names.get(v.strip(), v)) for v in params["status"].split(","))))
    if params.get("enterprise"):
        name = Enterprise.objects.visible_to(user).filter(pk=safe_id(params["enterprise"]) or 0).values_list("name", flat=True).first()
        chips.append(("enterprise", f"企业：{name or '（不可见）'}"))
    if params.get("site"):
        name = Site.objects.visible_to(user).filter(pk=safe_id(params["site"]) or 0).values_list("name", flat=True).first()
        chips.append(("site", f"场所：{name or '（不可见）'}"))
    return chips


# ---------------------------------------------------------------- the three lists


@require_GET
@login_required
def hazard_list(request):
    """隐患清单 / 整改清单 / 责任清单: filters, search, 50 per page, overdue first; htmx gets the results only."""
    user = request.user
    kind = request.GET.get("list") if request.GET.get("list") in LISTS else "hazards"
    page = CappedPaginator(hazard_queryset(user, request.GET, kind=kind), PER_PAGE).get_page(request.GET.get("page"))
    now = today()
    page.object_list = annotate_rows(page.object_list, now)
    context = {
        "page": page,
        "kind": kind,
        "kind_title": LISTS[kind],
        "query": query_without(request),
        "export_query": query_without(request, "page", "list"),
        "params": request.GET,
        "filtered": bool(query_without(request, "page", "list")),
        "can_export": permits_any(user, "hazard.export"),
        "today": now,
    }
    if wants_fragment(request):
        return render(request, "hazards/_results.html", context)
    context.update(_filter_options(user))
    context.update({
        "nav_active": "hazards",
        "lists": LISTS,
        "tab_query": query_without(request, "page", "list"),
        "chips": [(label, query_without(request, "page", key)) for key, label in _chips(user, request.GET)],
        "can_record": can_record(user),
        "can_import": permits_any(user, "hazard.import"),
        "more_filters": any(request.GET.get(k) for k in ("unit", "industry", "source", "category", "found_from", "found_to")),
    })
    return render(request, "hazards/list.html", context)


@require_GET
@login_required
def hazard_export(request, kind):
    """One of the three lists as .xlsx, filtered and scoped, for users whose role permits export."""
    user = request.user
    if kind not in LISTS:
        raise Http404()
    if not permits_any(user, "hazard.export"):
        raise PermissionDenied("您没有导出隐患清单的权限")
    queryset = hazard_queryset(user, request.GET, action="hazard.export", kind=kind)
    total = queryset.count()
    if total > exports.MAX_ROWS:
        messages.error(request, f"符合条件的隐患共{total:,}条，超过Excel单表上限{exports.MAX_ROWS:,}行，无法导出。"
                                "请增加筛选条件（如按街道、发现日期）后分批导出。")
        return redirect(f"{reverse('hazards:list')}?{query_without(request, 'page', 'list')}&list={kind}")
    return exports.response(kind, LISTS[kind], queryset, today())


# ---------------------------------------------------------------- photos


@require_GET
@login_required
def hazard_photo(request, pk):
    """A photo file, only for those who see its hazard (never a public MEDIA_URL link)."""
    photo = HazardPhoto.objects.visible_to(request.user).filter(pk=safe_id(pk) or 0).first()
    if photo is None:
        raise Http404("照片不存在或无权查看")
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("照片文件已丢失") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="hazard-photo-{photo.pk}"'
    return response
