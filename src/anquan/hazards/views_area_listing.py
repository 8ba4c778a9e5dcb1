"""Pages of 区域/行业挂牌督办 (``AreaListing``): the list (also shown on the 挂牌督办台账), listing a territory or an
industry within it, the detail with its notice, the listed party's report and the listing level's review (摘牌).
Every write calls ``services.area_listing``; reads go through ``AreaListing.objects.visible_to``."""
from __future__ import annotations

import datetime
import uuid

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import get_visible
from anquan.core.text import TextRuleMixin
from anquan.core.views import apply_errors, bootstrapify, login_required, paginate
from anquan.orgs.models import Industry, OrgUnit, UnitKind
from anquan.rules.calendar import today

from .choices import AreaListingStatus
from .models.supervision import AreaListing
from .services import area_listing as service
from .services.supervision import may_list_for_level


def area_register(user, params=None):
    """Area listings in the user's scope; ``status`` (a status or ``active``), ``mine`` (waiting on me)."""
    params = params or {}
    qs = AreaListing.objects.visible_to(user).filter(voided_at__isnull=True)
    status = params.get("status") or ""
    if status == "active":
        qs = qs.filter(delisted_at__isnull=True)
    elif status:
        qs = qs.filter(status=status) if status in AreaListingStatus.values else qs.none()
    if params.get("mine") == "1":
        qs = qs.filter(pk__in=[li.pk for li in waiting_on(user, qs)])
    return qs.select_related("listing_unit", "target_unit", "target_industry").order_by("deadline", "id")


def area_rows(rows, day) -> list[AreaListing]:
    """Each listing with ``days_left`` on its 督办期限 (None once 摘牌)."""
    rows = list(rows)
    for li in rows:
        li.days_left = (li.deadline - day).days if li.delisted_at is None else None
    return rows


def waiting_on(user, qs=None) -> list[AreaListing]:
    """Listings waiting on ``user``: a listed party's report (挂牌督办中), the listing level's review (已报告)."""
    qs = AreaListing.objects.visible_to(user).filter(voided_at__isnull=True, delisted_at__isnull=True) if qs is None else qs
    assignments = list(active_assignments(user))
    out = []
    for li in qs.filter(delisted_at__isnull=True).select_related("target_unit", "target_industry"):
        if li.status == AreaListingStatus.LISTED and any(
                a.permits("arealisting.report") and service.may_report(a, li) for a in assignments):
            out.append(li)
        elif li.status == AreaListingStatus.REPORTED and any(
                a.permits("arealisting.delist") and may_list_for_level(a) and a.unit_id == li.listing_unit_id
                for a in assignments):
            out.append(li)
    return out


def may_list(user) -> bool:
    return any(a.permits("arealisting.list") and may_list_for_level(a) for a in active_assignments(user))


class AreaListingForm(TextRuleMixin, forms.Form):
    target_unit = forms.ModelChoiceField(label="挂牌区域", queryset=OrgUnit.objects.none(),
                                         help_text="本辖区内的下级区域；按行业挂牌时可选本级辖区")
    target_industry = forms.ModelChoiceField(label="挂牌行业（可选）", queryset=Industry.objects.all(), required=False,
                                             empty_label="不限行业（区域挂牌督办）")
    problems = forms.CharField(label="存在的突出问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label="督办要求（可选）", max_length=5000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="督办期限", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = [a.unit.path for a in active_assignments(user) if a.permits("arealisting.list") and may_list_for_level(a)]
        qs = OrgUnit.objects.none()
        for path in units:
            qs = qs | OrgUnit.objects.filter(path__startswith=path)
        self.fields["target_unit"].queryset = qs.filter(
            voided_at__isnull=True, kind__in=[UnitKind.CITY, UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY]
        ).order_by("path")
        self.fields["target_unit"].label_from_instance = lambda u: "\u3000" * u.depth + f"{u.name}（{u.get_kind_display()}）"


@login_required
def area_list_page(request):
    page = paginate(request, area_register(request.user, request.GET), 50)
    page.object_list = area_rows(page.object_list, today())
    mine = {li.pk for li in waiting_on(request.user)}
    return render(request, "hazards/area_listings.html", {
        "page": page, "today": today(), "statuses": AreaListingStatus.choices, "params": request.GET,
        "can_list": may_list(request.user), "mine": mine, "nav_active": "listings",
    })


@require_http_methods(["GET", "POST"])
@login_required
def area_list_new(request):
    if not may_list(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("区域/行业挂牌督办由街道（乡镇）或区县级以上安委办办理")
    if request.method == "GET":
        form = bootstrapify(AreaListingForm(user=request.user, initial={
            "client_key": uuid.uuid4().hex, "deadline": today() + datetime.timedelta(days=90)}))
        return render(request, "hazards/area_listing_form.html", {"form": form, "nav_active": "listings"})
    form = AreaListingForm(request.POST, user=request.user)
    data = request.POST
    try:
        deadline = forms.DateField().clean(data.get("deadline"))
    except forms.ValidationError:
        deadline = None
    try:
        listing = service.area_list(
            actor=request.user, target_unit_id=data.get("target_unit"), target_industry_id=data.get("target_industry") or None,
            problems=data.get("problems", ""), requirements=data.get("requirements", ""),
            deadline=deadline, client_key=data.get("client_key", ""))
    except Invalid as exc:
        return render(request, "hazards/area_listing_form.html", {"form": apply_errors(form, exc.errors),
                                                                  "nav_active": "listings"}, status=422)
    except Conflict as exc:
        form = apply_errors(form, {"__all__": [exc.message]})
        return render(request, "hazards/area_listing_form.html", {"form": form, "nav_active": "listings"}, status=409)
    messages.success(request, f"已挂牌督办，督办文号{listing.document_no}")
    return redirect("hazards:area_listing", pk=listing.pk)


def _documents(user, listing):
    from anquan.documents.models import OfficialDocument

    ct = ContentType.objects.get_for_model(AreaListing)
    return list(OfficialDocument.objects.visible_to(user).filter(about_type=ct, about_id=listing.pk))


def render_detail(request, listing, *, errors=None, conflict="", status=200):
    user = request.user
    assignments = active_assignments(user)
    can_report = listing.status == AreaListingStatus.LISTED and any(
        a.permits("arealisting.report") and service.may_report(a, listing) for a in assignments)
    can_review = listing.status == AreaListingStatus.REPORTED and any(
        a.permits("arealisting.delist") and may_list_for_level(a) and a.unit_id == listing.listing_unit_id for a in assignments)
    return render(request, "hazards/area_listing_detail.html", {
        "li": listing, "documents": _documents(user, listing), "can_report": can_report, "can_review": can_review,
        "errors": errors or {}, "conflict": conflict, "values": request.POST if request.method == "POST" else {},
        "days_left": (listing.deadline - today()).days if listing.delisted_at is None else None, "nav_active": "listings",
    }, status=status)


@login_required
def area_listing_detail(request, pk):
    return render_detail(request, get_visible(AreaListing.objects.all(), request.user, pk))


def _act(request, pk, call, done: str):
    listing = get_visible(AreaListing.objects.all(), request.user, pk)
    try:
        call(listing)
    except Invalid as exc:
        return render_detail(request, listing, errors=exc.errors, status=422)
    except Conflict as exc:
        return render_detail(request, get_visible(AreaListing.objects.all(), request.user, pk), conflict=exc.message, status=409)
    messages.success(request, done)
    return redirect("hazards:area_listing", pk=pk)


@require_POST
@login_required
def area_listing_report(request, pk):
    return _act(request, pk, lambda li: service.area_report(
        actor=request.user, listing=li, version=request.POST.get("version"), report=request.POST.get("report", "")),
        "整改情况已报告，待挂牌单位审查")


@require_POST
@login_required
def area_listing_review(request, pk):
    passed = request.POST.get("passed") == "1"
    return _act(request, pk, lambda li: service.area_review(
        actor=request.user, listing=li, version=request.POST.get("version"), passed=passed,
        opinion=request.POST.get("opinion", "")), "审查通过，已摘牌" if passed else "审查未通过，继续挂牌督办")
