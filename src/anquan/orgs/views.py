"""The territory tree (行政区划) as the user may see it, with enterprise counts, and the departments."""
from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.services import get_visible
from anquan.core.views import login_required

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
