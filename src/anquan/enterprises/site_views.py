"""Site pages (场所/项目): list, detail, create, edit, void. Reads via selectors, writes via services."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from anquan.audit.display import action_label, describe_changes
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import authorize, get_visible
from anquan.core.views import (
    apply_errors,
    bootstrapify,
    login_required,
    paginate,
    post_data,
    query_without,
    wants_fragment,
)
from anquan.orgs.display import label_unit_field, long_names
from anquan.orgs.models import Industry, OrgUnit, UnitKind

from . import selectors, services
from .forms import SiteForm
from .models import Enterprise, Site, SiteKind
from .views import filter_options

PER_PAGE = 50


def can_create_site(user) -> bool:
    return OrgUnit.objects.visible_to(user, "site.create").filter(kind=UnitKind.GRID).exists()


def _site(user, pk) -> Site:
    return get_visible(Site.objects.select_related("grid", "enterprise", "industry"), user, pk)


def _site_form(user, action: str, **kwargs) -> SiteForm:
    form = SiteForm(user=user, action=action, **kwargs)
    label_unit_field(form.fields["grid"])
    form.fields["grid"].empty_label = "请选择所在网格"
    form.fields["enterprise"].empty_label = "（无所属企业，如出租房、市场、公共场所）"
    form.fields["industry"].empty_label = "请选择行业领域"
    return bootstrapify(form)


@require_GET
@login_required
def site_list(request):
    user = request.user
    page = paginate(request, selectors.site_list(user, request.GET), PER_PAGE)
    context = {"page": page, "query": query_without(request), "params": request.GET,
               "filtered": bool(query_without(request, "page"))}
    if wants_fragment(request):
        return render(request, "enterprises/sites/_results.html", context)
    options = filter_options(user)
    enterprise = None
    if request.GET.get("enterprise"):
        enterprise = Enterprise.objects.visible_to(user).filter(pk=_int(request.GET["enterprise"])).first()
    context.update({
        "nav_active": "sites",
        "unit_options": options["unit_options"],
        "industries": Industry.objects.all(),
        "kinds": SiteKind.choices,
        "enterprise": enterprise,
        "can_create": can_create_site(user),
    })
    return render(request, "enterprises/sites/list.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
@login_required
def site_detail(request, pk):
    user = request.user
    site = _site(user, pk)
    allowed = {
        name: Site.objects.authorizing_assignment(user, action, site.pk) is not None
        for name, action in (("update", "update"), ("void", "void"), ("view_history", "audit.view_object"))
    }
    enterprise_visible = bool(site.enterprise_id) and Enterprise.objects.visible_to(user).filter(pk=site.enterprise_id).exists()
    history = None
    if allowed["view_history"]:
        events = AuditEvent.objects.filter(model_key="site", object_id=site.pk).order_by("-at", "-id")[:200]
        history = [{"event": e, "action": action_label(e.action), "changes": describe_changes(e)} for e in events]
    return render(request, "enterprises/sites/detail.html", {
        "nav_active": "sites", "site": site, "allowed": allowed, "voided": site.voided_at is not None,
        "grid_name": long_names([site.grid]).get(site.grid_id, site.grid.name),
        "enterprise_visible": enterprise_visible, "history": history,
    })


@require_http_methods(["GET", "POST"])
@login_required
def site_create(request):
    user = request.user
    if not can_create_site(user):
        raise PermissionDenied("您没有新增场所的权限")
    if request.method == "POST":
        data = post_data(request)
        try:
            site = services.site_create(actor=user, data=data)
        except Invalid as exc:
            form = apply_errors(_site_form(user, "site.create", data=data), exc.errors)
        else:
            messages.success(request, f"已新增场所“{site.name}”。")
            return redirect("sites:detail", pk=site.pk)
    else:
        initial = {}
        enterprise = Enterprise.objects.visible_to(user).live().filter(pk=_int(request.GET.get("enterprise"))).first()
        if enterprise:
            initial = {"enterprise": enterprise.pk, "address": enterprise.address, "grid": enterprise.unit_id,
                       "industry": enterprise.industries.values_list("pk", flat=True).first()}
        form = _site_form(user, "site.create", initial=initial)
    return render(request, "enterprises/sites/form.html", {"nav_active": "sites", "form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@login_required
def site_edit(request, pk):
    user = request.user
    site = _site(user, pk)
    authorize(user, site, "update")
    conflict, status, version = None, 200, site.version
    if request.method == "POST":
        data = post_data(request)
        data.pop("version", None)
        version = request.POST.get("version", "")
        try:
            site = services.site_update(actor=user, site=site, version=version, data=data)
        except Invalid as exc:
            site = _site(user, pk)
            form = apply_errors(_site_form(user, "site.update", data=data, instance=site), exc.errors)
        except Conflict as exc:
            site = _site(user, pk)
            form = _site_form(user, "site.update", data=data, instance=site)
            form.is_valid()
            bootstrapify(form)
            conflict, status = exc.message, 409
        else:
            messages.success(request, f"已保存对场所“{site.name}”的修改。")
            return redirect("sites:detail", pk=site.pk)
    else:
        form = _site_form(user, "site.update", instance=site)
    return render(request, "enterprises/sites/form.html", {
        "nav_active": "sites", "form": form, "creating": False, "site": site, "version": version, "conflict": conflict,
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def site_void(request, pk):
    user = request.user
    site = _site(user, pk)
    authorize(user, site, "void")
    errors, reason, status, version = [], "", 200, site.version
    if request.method == "POST":
        reason, version = request.POST.get("reason", ""), request.POST.get("version", "")
        try:
            services.site_void(actor=user, site=site, version=version, reason=reason)
        except Invalid as exc:
            errors = [m for msgs in exc.errors.values() for m in msgs]
        except Conflict as exc:
            errors, status = [exc.message], 409
        else:
            messages.success(request, f"场所“{site.name}”已作废。")
            return redirect("sites:detail", pk=site.pk)
        site = _site(user, pk)
    return render(request, "enterprises/sites/void.html", {
        "nav_active": "sites", "site": site, "errors": errors, "reason": reason, "version": version,
    }, status=status)
