"""Every read of enterprises and sites: scoped with visible_to, filtered the same way for
pages, the API and exports (one filter function per model)."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from anquan.orgs.models import OrgUnit

from .models import Enterprise, EnterpriseRegulator, Site

ENTERPRISE_FILTERS = ("q", "unit", "industry", "status", "risk_colour", "standard_grade", "regulator", "include_voided")


def _int(value) -> int:
    """An id from a query string; anything that cannot be an id matches nothing (-1)."""
    from anquan.core.services import safe_id

    return safe_id(value) or -1


def _subtree_path(user, unit_id) -> str | None:
    """The path of a unit the user can see (an unknown or out-of-scope unit filters to nothing)."""
    unit = OrgUnit.objects.visible_to(user).filter(pk=_int(unit_id)).values_list("path", flat=True).first()
    return unit or "/none/"


def enterprise_list(user, params: dict | None = None, action: str = "view") -> QuerySet[Enterprise]:
    """Enterprises ``user`` may see (or act on), filtered by ``params`` (query-string names)."""
    params = params or {}
    qs = Enterprise.objects.visible_to(user, action)
    if not params.get("include_voided"):
        qs = qs.filter(voided_at__isnull=True)
    text = (params.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(credit_code__icontains=text.upper()) | Q(address__icontains=text))
    if params.get("unit"):
        path = _subtree_path(user, params["unit"])
        sites = Site.objects.filter(enterprise=OuterRef("pk"), grid__path__startswith=path, voided_at__isnull=True)
        qs = qs.filter(Q(unit__path__startswith=path) | Q(Exists(sites)))
    if params.get("industry"):
        qs = qs.filter(industries=_int(params["industry"]))
    for name in ("status", "risk_colour"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    if params.get("standard_grade"):
        grade = params["standard_grade"]
        qs = qs.filter(standard_grade="" if grade == "none" else grade)
    if params.get("regulator"):
        regs = EnterpriseRegulator.objects.active().filter(enterprise=OuterRef("pk"), department_id=_int(params["regulator"]))
        qs = qs.filter(Exists(regs))
    return qs.select_related("unit").order_by("name", "id")


def enterprise_detail(user, pk) -> Enterprise:
    from anquan.core.services import get_visible

    return get_visible(
        Enterprise.objects.select_related("unit").prefetch_related("industries", "licences", "sites__grid"), user, pk
    )


def site_list(user, params: dict | None = None, action: str = "view") -> QuerySet[Site]:
    params = params or {}
    qs = Site.objects.visible_to(user, action)
    if not params.get("include_voided"):
        qs = qs.filter(voided_at__isnull=True)
    text = (params.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if params.get("unit"):
        qs = qs.filter(grid__path__startswith=_subtree_path(user, params["unit"]))
    if params.get("enterprise"):
        qs = qs.filter(enterprise_id=_int(params["enterprise"]))
    if params.get("industry"):
        qs = qs.filter(industry_id=_int(params["industry"]))
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    return qs.select_related("grid", "enterprise", "industry").order_by("name", "id")
