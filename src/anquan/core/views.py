"""Pages every user sees (home) and the small helpers all page views share.

Page views are plain functions decorated with ``login_required``; they read through
selectors and write through services, and turn the services' domain errors into
form errors (Invalid) or a clear message (Conflict). NotFound/Forbidden raised anywhere
are answered 404/403 by ``core.middleware``.
"""
from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

__all__ = [
    "apply_errors",
    "bootstrapify",
    "home",
    "login_required",
    "paginate",
    "post_data",
    "query_without",
    "wants_fragment",
]

#: A certificate or licence expiring within this many days is shown as "即将到期".
EXPIRY_WARNING_DAYS = 90

RISK_CHART_COLOURS = {"red": "#d62828", "orange": "#f77f00", "yellow": "#f2c500", "blue": "#1e6fd9"}


# ---------------------------------------------------------------- helpers for page views


def bootstrapify(form):
    """Give every widget of ``form`` the Bootstrap class it needs (forms stay presentation-free)."""
    for name, field in form.fields.items():
        widget = field.widget
        kind = widget.__class__.__name__
        if kind in ("CheckboxSelectMultiple", "RadioSelect"):
            widget.attrs["class"] = "form-check-input"
        elif kind == "CheckboxInput":
            widget.attrs["class"] = "form-check-input"
        elif kind in ("Select", "SelectMultiple", "NullBooleanSelect"):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"
        if kind == "DateInput":
            # <input type="date"> only understands ISO dates, whatever the locale's display format.
            widget.format = "%Y-%m-%d"
            widget.attrs.setdefault("type", "date")
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
    return form


def apply_errors(form, errors: dict[str, list[str]]):
    """Show a service's Invalid errors on ``form`` (bound to what the user typed), without duplicates."""
    form.is_valid()  # runs the form's own validation so cleaned_data exists
    for field, messages in (errors or {}).items():
        target = field if field in form.fields else None
        present = [str(e) for e in form.errors.get(target or "__all__", [])]
        for message in messages:
            if message not in present:
                if target is None and field not in ("__all__", None):
                    message = f"{field}：{message}"
                form.add_error(target, message)
    return bootstrapify(form)


def post_data(request, multi: tuple[str, ...] = ()) -> dict:
    """The POST body as a plain dict (lists for many-valued fields), safe to merge in services."""
    data = {k: request.POST.get(k) for k in request.POST if k not in multi and k != "csrfmiddlewaretoken"}
    for name in multi:
        data[name] = request.POST.getlist(name)
    return data


def wants_fragment(request) -> bool:
    """An htmx request that swaps part of the page (not a boosted link, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def paginate(request, queryset, per_page: int = 50):
    """The requested page (bad or too high numbers fall back to the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without(request, *names: str) -> str:
    """The current query string minus ``names`` (default: ``page``), for page and export links."""
    names = names or ("page",)
    pairs = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k not in names and v != ""]
    return urlencode(pairs)


# ---------------------------------------------------------------- pages


def _business_summary(user) -> dict:
    from anquan.enterprises import selectors
    from anquan.enterprises.models import EnterpriseStatus, Licence, RiskColour

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    enterprises = selectors.enterprise_list(user).order_by()
    by_risk = {r["risk_colour"]: r["n"] for r in enterprises.values("risk_colour").annotate(n=Count("id"))}
    by_status = {r["status"]: r["n"] for r in enterprises.values("status").annotate(n=Count("id"))}
    risk_rows = [
        {"key": c.value, "name": c.label, "value": by_risk.get(c.value, 0), "color": RISK_CHART_COLOURS[c.value]}
        for c in RiskColour
    ]
    status_rows = [{"key": s.value, "name": s.label, "value": by_status.get(s.value, 0)} for s in EnterpriseStatus]
    licences = Licence.objects.filter(enterprise__in=enterprises.values("pk"), voided_at__isnull=True)
    expiry = {
        "cert_expired": enterprises.filter(standard_cert_expiry__lt=today).count(),
        "cert_expiring": enterprises.filter(standard_cert_expiry__gte=today, standard_cert_expiry__lte=soon).count(),
        "licence_expired": licences.filter(expires_on__lt=today).values("enterprise_id").distinct().count(),
        "licence_expiring": licences.filter(expires_on__gte=today, expires_on__lte=soon)
        .values("enterprise_id").distinct().count(),
    }
    return {
        "total": sum(r["value"] for r in risk_rows),
        "risk_rows": risk_rows,
        "risk_chart": [{k: r[k] for k in ("name", "value", "color")} for r in risk_rows],
        "status_rows": status_rows,
        "certified": enterprises.exclude(standard_grade="").count(),
        "sites": selectors.site_list(user).count(),
        "expiry": expiry,
        "today": today,
        "warning_days": EXPIRY_WARNING_DAYS,
    }


@never_cache
@login_required
def home(request):
    """辖区概况 (/overview/, linked from the workbench): the enterprise register in the user's scope at a
    glance, or a plain page for administrator roles (the workbench at / shows it to them)."""
    from anquan.accounts.roles import ScopeKind
    from anquan.accounts.scope import active_assignments
    from anquan.orgs.models import OrgUnit

    assignments = active_assignments(request.user)
    business = any(a.scope_kind != ScopeKind.SYSTEM for a in assignments)
    context = {
        "nav_active": "home",
        "assignments": assignments,
        "business": business,
        "can_audit": any(a.permits("audit.view") for a in assignments),
        "can_create": business and OrgUnit.objects.visible_to(request.user, "enterprise.create").exists(),
        "can_import": any(a.permits("enterprise.import") for a in assignments),
    }
    if business:
        context.update(_business_summary(request.user))
    return render(request, "core/home.html", context)
