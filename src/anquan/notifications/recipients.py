"""Who may act on an object: the one way notifications find their people, from the permission rules themselves.

Why not a list per event ("the street staff of the finder's street …"): that would be a second
copy of the scoping rules, and it drifts. ``who_may(obj, action, rule=...)`` asks exactly the
question the service will ask when the person acts: an *active* assignment of an *active* user
whose role permits ``action`` (``accounts/roles.py``), whose scope covers ``obj``
(``Model.objects.assignment_q``: territory, department, enterprise and explicit grants, with the
concealment rule) and which passes the service's own extra rule (``hazards.services.common.may_oversee``,
``supervision.services.may_respond`` …). So whoever is notified can act, and whoever can act is notified.

Cost: candidates are first narrowed to the assignments anchored near the object (``near``: units
on its path, its departments and enterprises, plus grants of the object), then one query decides
the scope of all candidates at once (one CASE column per assignment), so an event costs a bounded
number of queries however many people hold posts elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import BooleanField, Case, Q, Value, When

from anquan.accounts.models import Grant, RoleAssignment
from anquan.accounts.roles import ROLES

#: Scope columns per query (SQLite and PostgreSQL take many more; this keeps each statement small).
CHUNK = 100


def near(*, units: Iterable[int] = (), departments: Iterable[int] = (), enterprises: Iterable[int] = (),
         grants: Iterable[tuple[str, int]] = ()) -> Q:
    """Assignments anchored at one of ``units`` (an object's path: its unit and every ancestor), at a
    department of those units or one of ``departments``, at one of ``enterprises``, or holding an
    active grant of one of ``grants`` (``(model_key, id)``: e.g. a supervision group's members).

    A superset of who may act (the exact test is ``who_may``'s); it only keeps far-away posts out of the query.
    """
    units, departments, enterprises = list(units), [d for d in departments if d], [e for e in enterprises if e]
    q = (Q(unit_id__in=units) | Q(department__unit_id__in=units) | Q(department_id__in=departments)
         | Q(enterprise_id__in=enterprises))
    for model_key, object_id in grants:
        q |= Q(pk__in=Grant.objects.active().filter(model_key=model_key, object_id=object_id).values("assignment_id"))
    return q


def who_may(obj, action: str, *, rule: Callable | None = None, where: Q | None = None,
            roles: Iterable[str] | None = None) -> list[RoleAssignment]:
    """The active assignments (of active users) that may do ``action`` on ``obj``, each on its own.

    ``rule(assignment, obj)`` is the service's extra check, answering None when the assignment may
    (the same functions the services call). ``where`` narrows the candidates (``near(...)``);
    ``roles`` keeps only some roles (e.g. the 安委办 for what is addressed to it).
    """
    manager = type(obj).objects.all()  # the ScopedQuerySet (the manager does not carry its class attributes)
    full = manager.full_action(action)
    codes = [code for code, role in ROLES.items() if full in role.actions and (roles is None or code in set(roles))]
    if not codes:
        return []
    candidates = RoleAssignment.objects.active().filter(user__is_active=True, role__in=codes)
    model_key = manager.scope_model_key
    granted = Grant.objects.active().filter(model_key=model_key, object_id=obj.pk)
    if where is not None:
        candidates = candidates.filter(where | Q(pk__in=granted.values("assignment_id")))
    candidates = list(candidates.select_related("user", "unit", "department__unit", "enterprise").order_by("id"))
    if not candidates:
        return []
    # One read of the grants for every candidate (core.scoping caches them on the assignment).
    grants: dict[int, list[int]] = {}
    for assignment_id, object_id in (Grant.objects.active().filter(model_key=model_key, assignment__in=candidates)
                                     .values_list("assignment_id", "object_id")):
        grants.setdefault(assignment_id, []).append(object_id)
    for a in candidates:
        a.__dict__.setdefault("_granted", {})[model_key] = grants.get(a.pk, [])
    covering = []
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        columns = {f"a{i}": Case(When(manager.assignment_q(a), then=Value(True)), default=Value(False), output_field=BooleanField())
                   for i, a in enumerate(chunk)}
        row = manager.filter(pk=obj.pk).annotate(**columns).values(*columns).first() or {}
        covering += [a for i, a in enumerate(chunk) if row.get(f"a{i}")]
    return [a for a in covering if rule is None or rule(a, obj) is None]


def users_of(assignments: Iterable[RoleAssignment]) -> list:
    """The distinct users holding ``assignments``, in a stable order."""
    seen: dict[int, object] = {}
    for a in assignments:
        seen.setdefault(a.user_id, a.user)
    return [seen[k] for k in sorted(seen)]


def closest(assignments: list[RoleAssignment], *, oversight_role: str = "anweiban") -> list[RoleAssignment]:
    """Those who may, without the 安委办 when a closer unit may too.

    The 安委办 may verify or decide anything in its territory (``may_oversee``), but it is asked only
    where nobody closer may (e.g. what it found itself); otherwise every submission in a district would
    land in its inbox. Among several 安委办 levels, the lowest (the district before the city) is asked.
    """
    close = [a for a in assignments if a.role != oversight_role]
    if close:
        return close
    return lowest_level(assignments)


def lowest_level(assignments: list[RoleAssignment]) -> list[RoleAssignment]:
    """The assignments anchored at the deepest unit among them (the district 安委办 before the city's)."""
    if not assignments:
        return []
    depth = max(a.unit.depth if a.unit_id else -1 for a in assignments)
    return [a for a in assignments if (a.unit.depth if a.unit_id else -1) == depth]
