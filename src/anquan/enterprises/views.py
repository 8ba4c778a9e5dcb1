"""Enterprise registry pages (一企一档): list, detail, create, edit, void, regulators, Excel export.

Thin: reads through ``selectors`` (scoped with visible_to), writes through ``services``.
Out-of-scope objects answer 404 (NotFound from the selectors), actions the user's
assignments do not permit answer 403.
"""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from anquan.accounts.scope import active_assignments
from anquan.audit.display import action_label, describe_changes
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import authorize
from anquan.core.views import (
    EXPIRY_WARNING_DAYS,
    apply_errors,
    bootstrapify,
    login_required,
    paginate,
    post_data,
    query_without,
    wants_fragment,
)
from anquan.orgs.display import label_unit_field, long_names
from anquan.orgs.models import Department, Industry, OrgUnit, UnitKind

from . import exporter, selectors, services
from .forms import EnterpriseForm
from .models import Enterprise, EnterpriseStatus, Licence, RegulatorKind, RiskColour, StandardGrade

PER_PAGE = 50
#: Above this many units in scope, the territory filter lists streets and communities only.
MAX_FILTER_UNITS = 1500


# ---------------------------------------------------------------- shared


def permits_any(user, action: str) -> bool:
    """Whether some active assignment of ``user`` permits ``action`` (regardless of objects)."""
    return any(a.permits(action) for a in active_assignments(user))


def can_create(user) -> bool:
    return OrgUnit.objects.visible_to(user, "enterprise.create").filter(kind=UnitKind.GRID).exists()


def enterprise_queryset(user, params, action: str = "view"):
    """``selectors.enterprise_list`` plus the expiry filters of the home page's reminders
    (``cert`` / ``licence`` = ``expired`` | ``expiring``), shared by the list and the export."""
    qs = selectors.enterprise_list(user, params, action)
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    cert = params.get("cert")
    if cert == "expired":
        qs = qs.filter(standard_cert_expiry__lt=today)
    elif cert == "expiring":
        qs = qs.filter(standard_cert_expiry__gte=today, standard_cert_expiry__lte=soon)
    licence = params.get("licence")
    if licence in ("expired", "expiring"):
        licences = Licence.objects.filter(enterprise=OuterRef("pk"), voided_at__isnull=True)
        if licence == "expired":
            licences = licences.filter(expires_on__lt=today)
        else:
            licences = licences.filter(expires_on__gte=today, expires_on__lte=soon)
        qs = qs.filter(Exists(licences))
    return qs


def filter_options(user) -> dict:
    """Choices for the list filters, all limited to what the user may see."""
    kinds = [UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID]
    units = OrgUnit.objects.visible_to(user).filter(kind__in=kinds, voided_at__isnull=True).order_by("path")
    if units.count() > MAX_FILTER_UNITS:
        units = units.exclude(kind=UnitKind.GRID)
    units = list(units.only("id", "name", "kind", "path", "depth"))
    top = min((u.depth for u in units), default=0)
    unit_options = [(u.pk, "\u3000" * (u.depth - top) + u.name, u.get_kind_display()) for u in units]
    departments = Department.objects.visible_to(user).filter(voided_at__isnull=True).select_related("unit")
    return {
        "unit_options": unit_options,
        "industries": Industry.objects.all(),
        "departments": departments,
        "statuses": EnterpriseStatus.choices,
        "risk_colours": RiskColour.choices,
        "grades": [("none" if v == "" else v, label) for v, label in StandardGrade.choices],
        "expiry_options": [("expired", "已过期"), ("expiring", f"{EXPIRY_WARNING_DAYS}天内到期")],
    }


def _enterprise_form(user, action: str, **kwargs) -> EnterpriseForm:
    form = EnterpriseForm(user=user, action=action, **kwargs)
    label_unit_field(form.fields["unit"])
    form.fields["unit"].empty_label = "请选择所属网格"
    return bootstrapify(form)


FORM_SECTIONS = [
    ("基本信息", ["name", "credit_code", "legal_representative", "address", "unit", "scale", "employees", "status"]),
    ("负责人与联系人", ["principal_name", "principal_phone", "safety_manager_name", "safety_manager_phone"]),
    ("行业与风险", ["industries", "risk_colour"]),
    ("安全生产标准化", ["standard_grade", "standard_cert_no", "standard_cert_expiry"]),
]


def _sections(form):
    return [(title, [form[name] for name in names if name in form.fields]) for title, names in FORM_SECTIONS]


# ---------------------------------------------------------------- list


@require_GET
@login_required
def enterprise_list(request):
    """企业档案 list: search, filters, 50 per page; htmx requests get only the results."""
    user = request.user
    queryset = enterprise_queryset(user, request.GET).prefetch_related("industries")
    page = paginate(request, queryset, PER_PAGE)
    context = {
        "page": page,
        "query": query_without(request),
        "export_query": query_without(request, "page"),
        "params": request.GET,
        "filtered": bool(query_without(request, "page")),
        "can_export": permits_any(user, "enterprise.export"),
    }
    if wants_fragment(request):
        return render(request, "enterprises/_results.html", context)
    context.update(filter_options(user))
    context.update({
        "nav_active": "enterprises",
        "can_create": can_create(user),
        "can_import": permits_any(user, "enterprise.import"),
    })
    return render(request, "enterprises/list.html", context)


# ---------------------------------------------------------------- detail


def _history(enterprise) -> list[dict]:
    events = AuditEvent.objects.filter(model_key="enterprise", object_id=enterprise.pk).order_by("-at", "-id")[:200]
    return [
        {"event": e, "action": action_label(e.action), "changes": describe_changes(e)}
        for e in events
    ]


@require_GET
@login_required
def enterprise_detail(request, pk):
    user = request.user
    enterprise = selectors.enterprise_detail(user, pk)
    allowed = {
        name: Enterprise.objects.authorizing_assignment(user, action, enterprise.pk) is not None
        for name, action in (
            ("update", "update"),
            ("void", "void"),
            ("change_regulators", "change_regulators"),
            ("view_history", "audit.view_object"),
        )
    }
    regulators = enterprise.regulators.select_related("department__unit", "unit").order_by(
        F("ended_at").desc(nulls_first=True), "-started_at"
    )
    licences = sorted(
        (lic for lic in enterprise.licences.all() if lic.voided_at is None),
        key=lambda lic: (lic.expires_on is None, lic.expires_on or datetime.date.max),
    )
    sites = selectors.site_list(user, {"enterprise": enterprise.pk})
    context = {
        "nav_active": "enterprises",
        "enterprise": enterprise,
        "unit_name": long_names([enterprise.unit]).get(enterprise.unit_id, ""),
        "regulators": regulators,
        "licences": licences,
        "sites": sites,
        "allowed": allowed,
        "voided": enterprise.voided_at is not None,
        "can_add_site": OrgUnit.objects.visible_to(user, "site.create").exists() and enterprise.voided_at is None,
        "history": _history(enterprise) if allowed["view_history"] else None,
        "warning_days": EXPIRY_WARNING_DAYS,
    }
    return render(request, "enterprises/detail.html", context)


# ---------------------------------------------------------------- create / edit


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_create(request):
    user = request.user
    if not can_create(user):
        raise PermissionDenied("您没有新增企业的权限")
    if request.method == "POST":
        data = post_data(request, multi=("industries",))
        try:
            enterprise = services.enterprise_create(actor=user, data=data)
        except Invalid as exc:
            form = apply_errors(_enterprise_form(user, "enterprise.create", data=data), exc.errors)
        else:
            messages.success(request, f"已新增企业“{enterprise.name}”，并按行业和属地生成了默认监管部门。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    else:
        form = _enterprise_form(user, "enterprise.create")
    return render(request, "enterprises/form.html", {
        "nav_active": "enterprises", "form": form, "sections": _sections(form), "creating": True,
    })


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_edit(request, pk):
    user = request.user
    enterprise = selectors.enterprise_detail(user, pk)
    authorize(user, enterprise, "update")
    conflict, status = None, 200
    version = enterprise.version
    if request.method == "POST":
        data = post_data(request, multi=("industries",))
        data.pop("version", None)
        version = request.POST.get("version", "")
        try:
            enterprise = services.enterprise_update(actor=user, enterprise=enterprise, version=version, data=data)
        except Invalid as exc:
            enterprise = selectors.enterprise_detail(user, pk)
            form = apply_errors(_enterprise_form(user, "enterprise.update", data=data, instance=enterprise), exc.errors)
        except Conflict as exc:
            enterprise = selectors.enterprise_detail(user, pk)
            form = _enterprise_form(user, "enterprise.update", data=data, instance=enterprise)
            form.is_valid()
            bootstrapify(form)
            conflict, status = exc.message, 409
        else:
            messages.success(request, f"已保存对“{enterprise.name}”的修改。")
            return redirect("enterprises:detail", pk=enterprise.pk)
    else:
        form = _enterprise_form(user, "enterprise.update", instance=enterprise)
    return render(request, "enterprises/form.html", {
        "nav_active": "enterprises", "form": form, "sections": _sections(form), "creating": False,
        "enterprise": enterprise, "version": version, "conflict": conflict,
    }, status=status)


# ---------------------------------------------------------------- void


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_void(request, pk):
    user = request.user
    enterprise = selectors.enterprise_detail(user, pk)
    authorize(user, enterprise, "void")
    errors, reason, status = [], "", 200
    version = enterprise.version
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        version = request.POST.get("version", "")
        try:
            services.enterprise_void(actor=user, enterprise=enterprise, version=version, reason=reason)
        except Invalid as exc:
            errors = [m for msgs in exc.errors.values() for m in msgs]
        except Conflict as exc:
            errors, status = [exc.message], 409
        else:
            messages.success(request, f"企业“{enterprise.name}”已作废。记录不会被删除，可在列表中勾选“含已作废”查看。")
            return redirect("enterprises:detail", pk=enterprise.pk)
        enterprise = selectors.enterprise_detail(user, pk)
    return render(request, "enterprises/void.html", {
        "nav_active": "enterprises", "enterprise": enterprise, "errors": errors, "reason": reason, "version": version,
    }, status=status)


# ---------------------------------------------------------------- regulators


@require_http_methods(["GET", "POST"])
@login_required
def enterprise_regulators(request, pk):
    """调整监管部门: add a department as 直接监管/行业主管, or end a row, always with a reason."""
    user = request.user
    enterprise = selectors.enterprise_detail(user, pk)
    authorize(user, enterprise, "change_regulators")
    errors: dict[str, list[str]] = {}
    form_values = {"reason": "", "department": "", "kind": RegulatorKind.DIRECT.value, "end": []}
    if request.method == "POST":
        form_values = {
            "reason": request.POST.get("reason", ""),
            "department": request.POST.get("department", ""),
            "kind": request.POST.get("kind", RegulatorKind.DIRECT.value),
            "end": request.POST.getlist("end"),
        }
        end = [int(v) for v in form_values["end"] if str(v).isdigit()]
        add = [{"department": form_values["department"], "kind": form_values["kind"]}] if form_values["department"] else []
        if not end and not add:
            errors = {"__all__": ["请选择要新增的监管部门，或勾选要结束的监管关系"]}
        else:
            try:
                services.enterprise_change_regulators(actor=user, enterprise=enterprise, add=add, end=end,
                                                      reason=form_values["reason"])
            except Invalid as exc:
                errors = exc.errors
            else:
                messages.success(request, "监管关系已调整，调整理由已记入变更历史。")
                return redirect("enterprises:detail", pk=enterprise.pk)
        enterprise = selectors.enterprise_detail(user, pk)
    regulators = enterprise.regulators.select_related("department__unit", "unit")
    return render(request, "enterprises/regulators.html", {
        "nav_active": "enterprises",
        "enterprise": enterprise,
        "active": regulators.filter(ended_at__isnull=True).order_by("kind", "id"),
        "ended": regulators.filter(ended_at__isnull=False).order_by("-ended_at"),
        "departments": Department.objects.visible_to(user).filter(voided_at__isnull=True).select_related("unit"),
        "kinds": [(RegulatorKind.DIRECT.value, RegulatorKind.DIRECT.label), (RegulatorKind.INDUSTRY.value, RegulatorKind.INDUSTRY.label)],
        "errors": errors,
        "all_errors": [m for msgs in errors.values() for m in msgs],
        "values": form_values,
    })


# ---------------------------------------------------------------- export


@require_GET
@login_required
def enterprise_export(request):
    """The filtered, scoped list as .xlsx (write-only workbook), for users whose role permits export."""
    user = request.user
    if not permits_any(user, "enterprise.export"):
        raise PermissionDenied("您没有导出企业档案的权限")
    queryset = enterprise_queryset(user, request.GET, action="enterprise.export")
    total = queryset.count()
    if total > exporter.MAX_ROWS:
        messages.error(
            request,
            f"符合条件的企业共{total:,}家，超过Excel单表上限{exporter.MAX_ROWS:,}行，无法导出。请增加筛选条件（如按街道、行业）后分批导出。",
        )
        return redirect(f"{reverse('enterprises:list')}?{query_without(request)}")
    stream = exporter.export_enterprises(queryset)
    day = f"{timezone.localdate():%Y%m%d}"
    return exporter.xlsx_response(stream, f"企业档案_{day}.xlsx", f"enterprises_{day}.xlsx")

