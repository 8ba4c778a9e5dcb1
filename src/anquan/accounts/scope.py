"""Scope of one role assignment for the organisation models, and the active-assignment cache.

Business apps write their own ``scope_q`` next to their models; the territory tree
and departments are here because every app depends on them.
"""
from __future__ import annotations

from django.db.models import Q

from anquan.core.scoping import EVERYTHING, NOTHING

from .roles import ScopeKind


def active_assignments(user) -> list:
    """The user's assignments in force now, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_anquan_assignments", None)
    if cached is None:
        from .models import RoleAssignment

        cached = list(
            RoleAssignment.objects.active()
            .filter(user=user)
            .select_related("unit", "department__unit", "enterprise")
            .order_by("id")
        )
        user._anquan_assignments = cached
    return cached


def forget_assignments(user) -> None:
    if hasattr(user, "_anquan_assignments"):
        del user._anquan_assignments


def enterprise_unit_paths(enterprise_id: int) -> list[str]:
    """The registered unit and site grids of an enterprise, as paths."""
    from anquan.enterprises.models import Enterprise, Site

    paths = list(Enterprise.objects.filter(pk=enterprise_id).values_list("unit__path", flat=True))
    paths += Site.objects.filter(enterprise_id=enterprise_id, voided_at__isnull=True).values_list("grid__path", flat=True)
    return [p for p in paths if p]


def _ids_on_paths(paths: list[str]) -> set[int]:
    return {int(seg) for p in paths for seg in p.strip("/").split("/") if seg}


def orgunit_scope_q(assignment) -> Q:
    kind = assignment.scope_kind
    if kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
        territory = assignment.territory
        # The subtree, plus the chain above it so a unit's own place in the tree can be shown.
        return Q(path__startswith=territory.path) | Q(id__in=territory.ancestor_ids())
    if kind == ScopeKind.ENTERPRISE:
        return Q(id__in=_ids_on_paths(enterprise_unit_paths(assignment.enterprise_id)))
    if kind == ScopeKind.SYSTEM:
        return EVERYTHING
    return NOTHING


def department_scope_q(assignment) -> Q:
    kind = assignment.scope_kind
    if kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
        territory = assignment.territory
        return Q(unit__path__startswith=territory.path) | Q(unit_id__in=territory.ancestor_ids())
    if kind == ScopeKind.ENTERPRISE:
        from anquan.enterprises.models import EnterpriseRegulator

        regs = EnterpriseRegulator.objects.active().filter(enterprise_id=assignment.enterprise_id)
        return Q(id__in=regs.values("department_id"))
    if kind == ScopeKind.SYSTEM:
        return EVERYTHING
    return NOTHING
