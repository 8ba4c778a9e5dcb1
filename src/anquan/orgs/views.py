"""The territory tree (行政区划) as the user may see it, with enterprise counts, and the departments;
and the system administrator's pages to create and edit units and departments (never delete)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Invalid, NotFound
from anquan.core.services import get_visible, safe_id
from anquan.core.views import apply_errors, bootstrapify, login_required, paginate, post_data, query_without

from . import services
from .forms import DepartmentForm, OrgUnitForm
from .models import Department, OrgUnit, UnitKind


def _business(user) -> bool:
    return any(a.scope_kind != ScopeKind.SYSTEM for a in active_assignments(user))


def _visible_units(user):
    return OrgUnit.objects.visible_to(user).filter(voided_at__isnull=True)


def _nodes(user, units: list[OrgUnit]) -> list[dict]:
    """Units with their number of visible children and of visible (live) enterprises registered or operating a site in their subtree."""
    if not units:
        return []
    ids = [u.pk for u in units]
    children = dict(
        _visible_units(user).filter(parent_id__in=ids).values("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
    )
    counts: dict = {}
    if _business(user):
        from anquan.enterprises.models import Enterprise, Site

        def in_subtree(unit):
            # The same rule as the list's territory filter: registered there, or operating a site there.
            sites = Site.objects.filter(enterprise=OuterRef("pk"), grid__path__startswith=unit.path, voided_at__isnull=True)
            return Q(unit__path__startswith=unit.path) | Q(Exists(sites))

        counts = Enterprise.objects.visible_to(user).live().aggregate(
            **{f"u{u.pk}": Count("pk", filter=in_subtree(u)) for u in units}
        )
    return [
        {"unit": u, "children": children.get(u.pk, 0), "enterprises": counts.get(f"u{u.pk}") if counts else None}
        for u in units
    ]


def _expand(user, nodes: list[dict], open_ids: set[int]) -> list[dict]:
    """Load children in the page for the nodes on the way to the user's own units (the rest load on demand)."""
    for node in nodes:
        if node["unit"].pk in open_ids and node["children"]:
            kids = list(_visible_units(user).filter(parent=node["unit"]).order_by("path"))
            node["loaded"] = _expand(user, _nodes(user, kids), open_ids)
    return nodes


@require_GET
@login_required
def tree(request):
    user = request.user
    # Roots: visible units whose parent the user cannot see (or that have none).
    parent_visible = _visible_units(user).filter(pk=OuterRef("parent_id"))
    roots = list(_visible_units(user).filter(~Exists(parent_visible)).order_by("path"))
    # Open the chain down to each assignment's own territory, and that territory's first level.
    open_ids: set[int] = set()
    for a in active_assignments(user):
        territory = a.territory if a.scope_kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT) else None
        if territory is not None:
            open_ids.update(territory.ancestor_ids())
    if not open_ids:
        open_ids = {r.pk for r in roots}
    nodes = _expand(user, _nodes(user, roots), open_ids)
    departments = (
        Department.objects.visible_to(user).filter(voided_at__isnull=True)
        .select_related("unit").prefetch_related("industries").order_by("unit__path", "kind", "id")
    )
    groups: dict[int, dict] = {}
    for dept in departments:
        groups.setdefault(dept.unit_id, {"unit": dept.unit, "departments": []})["departments"].append(dept)
    return render(request, "orgs/tree.html", {
        "nav_active": "orgunits",
        "nodes": nodes,
        "department_groups": list(groups.values()),
        "business": _business(user),
        "kinds": UnitKind,
    })


@require_GET
@login_required
def children(request, pk):
    user = request.user
    unit = get_visible(OrgUnit.objects.filter(voided_at__isnull=True), user, pk)
    kids = list(_visible_units(user).filter(parent=unit).order_by("path"))
    return render(request, "orgs/_nodes.html", {"nodes": _nodes(user, kids), "business": _business(user)})


# ---------------------------------------------------------------- administration (系统管理员)


def _require(user, action: str) -> None:
    if not any(a.permits(action) for a in active_assignments(user)):
        raise PermissionDenied("行政区划和部门只能由系统管理员维护。")


@require_GET
@never_cache
@login_required
def manage(request):
    """Every unit as a table (name, level, code, place in the tree) with its edit link; filter by name and level."""
    _require(request.user, "orgunit.update")
    units = OrgUnit.objects.visible_to(request.user, "orgunit.update").filter(voided_at__isnull=True).order_by("path")
    q, kind = (request.GET.get("q") or "").strip(), request.GET.get("kind") or ""
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    page = paginate(request, units, 100)
    parents = dict(OrgUnit.objects.filter(pk__in={u.parent_id for u in page if u.parent_id}).values_list("pk", "name"))
    return render(request, "orgs/manage.html", {
        "nav_active": "console", "page": page, "parents": parents, "q": q, "kind": kind, "kinds": UnitKind.choices,
        "query": query_without(request), "can_create": any(a.permits("orgunit.create") for a in active_assignments(request.user)),
    })


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def unit_form(request, pk=None):
    user = request.user
    _require(user, "orgunit.update" if pk else "orgunit.create")
    unit = OrgUnit.objects.visible_to(user, "orgunit.update").filter(pk=safe_id(pk) or 0, voided_at__isnull=True).first() if pk else None
    if pk and unit is None:
        raise NotFound()
    initial = {"name": unit.name, "kind": unit.kind, "parent": unit.parent_id, "code": unit.code} if unit else {
        "parent": safe_id(request.GET.get("parent"))}
    form = OrgUnitForm(request.POST or None, initial=initial, instance=unit)
    conflict = ""
    if request.method == "POST":
        data = post_data(request)
        try:
            if unit is None:
                unit = services.unit_create(actor=user, data=data, reason=data.get("reason", ""))
            else:
                services.unit_update(actor=user, unit=unit, data=data, version=data.get("version"), reason=data.get("reason", ""))
        except Invalid as exc:
            form = apply_errors(OrgUnitForm(request.POST, initial=initial, instance=unit), exc.errors)
        except Conflict as exc:
            conflict, form = exc.message, bootstrapify(OrgUnitForm(request.POST, initial=initial, instance=unit))
            unit.refresh_from_db()
        else:
            messages.success(request, f"已保存“{unit.name}”")
            return redirect(f"{reverse('orgs:manage')}?q={unit.name}")
    if unit is not None:  # kind and place stay: shown, never posted
        form.fields["kind"].disabled = form.fields["parent"].disabled = True
    status = 409 if conflict else 422 if request.method == "POST" else 200
    return render(request, "orgs/unit_form.html", {
        "nav_active": "console", "form": bootstrapify(form), "unit": unit, "conflict": conflict,
    }, status=status)


@require_GET
@never_cache
@login_required
def department_list(request):
    _require(request.user, "department.update")
    departments = (Department.objects.visible_to(request.user, "department.update").filter(voided_at__isnull=True).select_related("unit")
                   .prefetch_related("industries").order_by("unit__path", "kind", "id"))
    q = (request.GET.get("q") or "").strip()
    if q:
        departments = departments.filter(Q(name__icontains=q) | Q(unit__name__icontains=q))
    return render(request, "orgs/departments.html", {
        "nav_active": "console", "page": paginate(request, departments, 100), "q": q, "query": query_without(request),
    })


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def department_form(request, pk=None):
    user = request.user
    _require(user, "department.update" if pk else "department.create")
    department = (Department.objects.visible_to(user, "department.update").filter(pk=safe_id(pk) or 0, voided_at__isnull=True)
                  .first() if pk else None)
    if pk and department is None:
        raise NotFound()
    initial = ({"name": department.name, "kind": department.kind, "unit": department.unit_id,
                "industries": list(department.industries.values_list("pk", flat=True))} if department else {})
    form = DepartmentForm(request.POST or None, initial=initial, instance=department)
    conflict = ""
    if request.method == "POST":
        data = post_data(request, multi=("industries",))
        try:
            if department is None:
                department = services.department_create(actor=user, data=data, reason=data.get("reason", ""))
            else:
                services.department_update(actor=user, department=department, data=data, version=data.get("version"),
                                           reason=data.get("reason", ""))
        except Invalid as exc:
            form = apply_errors(DepartmentForm(request.POST, initial=initial, instance=department), exc.errors)
        except Conflict as exc:
            conflict, form = exc.message, bootstrapify(DepartmentForm(request.POST, initial=initial, instance=department))
            department.refresh_from_db()
        else:
            messages.success(request, f"已保存“{department.name}”")
            return redirect("orgs:departments")
    if department is not None:
        form.fields["unit"].disabled = True
    status = 409 if conflict else 422 if request.method == "POST" else 200
    return render(request, "orgs/department_form.html", {
        "nav_active": "console", "form": bootstrapify(form), "department": department, "conflict": conflict,
    }, status=status)
