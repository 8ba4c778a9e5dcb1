"""The record page (登记隐患), phone first: pick the site, then one form with the category tree,
the standard-description picker, the 重大 criterion picker, 立查立改, the 五落实 and photos.

Nothing typed is lost on an error: the form is rendered again with the values and the
service's field errors (files cannot be put back into a file input, so the page says to
choose the photos again).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from anquan.core.errors import Invalid
from anquan.core.services import safe_id
from anquan.core.views import apply_errors, bootstrapify, login_required, post_data
from anquan.enterprises.models import Site

from . import services
from .forms import RecordForm
from .models import HazardCategory, StandardDescription
from .views import permits_any

#: Sites shown per search in the picker; more means "type more of the name".
SITE_RESULTS = 20
DESCRIPTION_RESULTS = 40
#: Which sites each picker mode lists (the action they must permit) and where a pick leads.
PICKER_ACTIONS = {"record": "hazard.record", "transfer": "hazard.transfer"}


def recordable_sites(user):
    return Site.objects.visible_to(user, "hazard.record").filter(voided_at__isnull=True)


def search_sites(user, text: str, action: str = "hazard.record"):
    """(first SITE_RESULTS sites matching ``text`` among those ``action`` may use, total count)."""
    qs = Site.objects.visible_to(user, action).filter(voided_at__isnull=True)
    text = (text or "").strip()[:100]
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(enterprise__name__icontains=text))
    total = qs.count()
    return list(qs.select_related("enterprise", "grid").order_by("name", "id")[:SITE_RESULTS]), total


def standard_descriptions(category_id=None, industry_id=None, text: str = ""):
    """The 隐患描述标准库 entries for a category (and its subtree) and the site's industry (plus general ones)."""
    qs = StandardDescription.objects.select_related("category")
    qs = qs.filter(Q(industry__isnull=True) | Q(industry_id=safe_id(industry_id) or 0))
    category = HazardCategory.objects.filter(pk=safe_id(category_id) or 0).first() if category_id else None
    if category is not None:
        qs = qs.filter(category__path__startswith=category.path)
    if text:
        qs = qs.filter(text__icontains=text.strip()[:100])
    return list(qs.order_by("category__path", "id")[:DESCRIPTION_RESULTS])


@require_http_methods(["GET", "POST"])
@login_required
def hazard_record(request):
    """登记隐患 at ``?site=<id>`` (from a site page or the picker); without a site, the picker first."""
    user = request.user
    if not permits_any(user, "hazard.record"):
        raise PermissionDenied("您没有登记隐患的权限")
    sites = recordable_sites(user)
    raw = request.POST.get("site") or request.GET.get("site")
    site = sites.filter(pk=safe_id(raw) or 0).select_related("grid", "enterprise", "industry").first() if raw else None
    if site is None and not raw:
        only = list(sites.select_related("grid", "enterprise", "industry")[:2])
        site = only[0] if len(only) == 1 else None  # one site in scope (an enterprise's only site): no picking
    if site is None:
        results, total = search_sites(user, request.GET.get("q", ""))
        return render(request, "hazards/record_site.html", {
            "nav_active": "hazards", "results": results, "total": total, "q": request.GET.get("q", ""),
            "mode": "record", "unknown_site": bool(raw), "limit": SITE_RESULTS,
        }, status=404 if raw else 200)
    status, photos_lost = 200, False
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, user=user, site=site)
        photos, after = request.FILES.getlist("photos"), request.FILES.getlist("after_photos")
        if form.is_valid():
            data = post_data(request, multi=("found_by", "criterion_conditions", "elements"))
            data["site"] = site.pk
            try:
                hazard = services.hazard_record(
                    actor=user, data=data, photos=[f.read() for f in photos], after_photos=[f.read() for f in after],
                    found_by=[p.pk for p in form.cleaned_data["found_by"]],
                )
            except Invalid as exc:
                apply_errors(form, exc.errors)
            else:
                note = {"closed": "（立查立改，已现场销号）", "awaiting_verification": "（立查立改，待本企业其他人员验收）"}.get(
                    hazard.status, "") if hazard.immediate else ""
                messages.success(request, f"已登记隐患 {hazard.number}{note}。")
                return redirect("hazards:detail", pk=hazard.pk)
        else:
            bootstrapify(form)
        status, photos_lost = 422, bool(photos or after)
    else:
        form = RecordForm(user=user, site=site)
    return render(request, "hazards/record.html", {
        "nav_active": "hazards",
        "form": form,
        "site": site,
        "descriptions": standard_descriptions(form["category"].value(), site.industry_id),
        "photos_lost": photos_lost,
        "several_sites": sites.exclude(pk=site.pk).exists(),
    }, status=status)


@require_GET
@login_required
def site_search(request):
    """htmx fragment of the site picker: sites the user may record at (or transfer to), by name/address/enterprise."""
    user = request.user
    mode = request.GET.get("mode") if request.GET.get("mode") in PICKER_ACTIONS else "record"
    if not permits_any(user, PICKER_ACTIONS[mode]):
        raise PermissionDenied()
    results, total = search_sites(user, request.GET.get("q", ""), PICKER_ACTIONS[mode])
    return render(request, "hazards/_site_results.html", {
        "results": results, "total": total, "mode": mode, "limit": SITE_RESULTS,
        "current": safe_id(request.GET.get("current")),
    })


@require_GET
@login_required
def description_search(request):
    """htmx fragment of the standard-description picker for a category and the site's industry."""
    if not permits_any(request.user, "hazard.record") and not permits_any(request.user, "hazard.update"):
        raise PermissionDenied()
    rows = standard_descriptions(request.GET.get("category"), request.GET.get("industry"), request.GET.get("dq", ""))
    return render(request, "hazards/_descriptions.html", {"descriptions": rows})
