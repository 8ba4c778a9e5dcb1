"""Names of territorial units as people read them: "某街道 / 某社区 / 第一网格" (one query for many units)."""
from __future__ import annotations

from .models import OrgUnit, UnitKind

#: Levels left out of a unit's long name (everyone in a district knows which city they are in).
ABOVE_STREET = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT}


def long_names(units, sep: str = " / ") -> dict[int, str]:
    """``{unit id: "街道 / 社区 / 网格"}`` for ``units`` (OrgUnit objects), in one extra query."""
    units = list(units)
    ids = {i for u in units for i in u.ancestor_ids()}
    names = {pk: (name, kind) for pk, name, kind in OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name", "kind")}
    labels = {}
    for unit in units:
        parts = [names[i][0] for i in unit.ancestor_ids() if i in names and names[i][1] not in ABOVE_STREET]
        labels[unit.pk] = sep.join(parts) or unit.name
    return labels


def label_unit_field(field, sep: str = " / ") -> None:
    """Make a ModelChoiceField of units show long names (street / community / grid), sorted by the tree."""
    queryset = field.queryset.order_by("path")
    labels = long_names(queryset, sep)
    field.queryset = queryset
    field.label_from_instance = lambda unit: labels.get(unit.pk, unit.name)
