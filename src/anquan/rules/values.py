"""The value of a rule in force for a locality: the override of the nearest unit on its path, else the default.

Why nearest ancestor: a province may set a value for all its cities and one district may
differ; a unit inherits from the closest unit above it that set one. The path (``/1/2/15/``)
gives the chain without walking the tree, so resolving is one query.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .catalog import RULES, Rule, get_rule
from .models import RuleOverride


@dataclass(frozen=True)
class Resolved:
    """A rule's value for a locality and the override it came from (None: the default)."""

    rule: Rule
    value: int | str
    override: RuleOverride | None

    @property
    def is_default(self) -> bool:
        return self.override is None


def _chain(unit) -> list[int]:
    return unit.ancestor_ids() if unit is not None else []


def _nearest(overrides, chain: list[int]) -> RuleOverride | None:
    """The override whose unit is deepest on ``chain`` (system-wide ranks above the root)."""
    rank = {unit_id: i for i, unit_id in enumerate(chain)}
    best, best_rank = None, -2
    for o in overrides:
        r = -1 if o.unit_id is None else rank.get(o.unit_id, -2)
        if r > best_rank:
            best, best_rank = o, r
    return best


def _candidates(chain: list[int], at=None):
    return RuleOverride.objects.in_force(at).filter(Q(unit__isnull=True) | Q(unit_id__in=chain)).select_related("unit")


def resolve(key: str, unit=None, *, at=None) -> Resolved:
    """The value of ``key`` for ``unit`` (None: system-wide) at ``at`` (now), with its origin."""
    rule = get_rule(key)
    chain = _chain(unit)
    override = _nearest(_candidates(chain, at).filter(key=key), chain)
    return Resolved(rule, override.value if override else rule.default, override)


def get(key: str, unit=None, *, at=None):
    """The value of ``key`` in force for ``unit`` (an OrgUnit, or None for the whole system)."""
    return resolve(key, unit, at=at).value


def effective(unit=None, *, at=None) -> dict[str, Resolved]:
    """Every rule's value for ``unit`` in one query (pages and loops over many rules)."""
    chain = _chain(unit)
    by_key: dict[str, list[RuleOverride]] = {}
    for o in _candidates(chain, at):
        by_key.setdefault(o.key, []).append(o)
    result = {}
    for key, rule in RULES.items():
        override = _nearest(by_key.get(key, []), chain)
        result[key] = Resolved(rule, override.value if override else rule.default, override)
    return result
