"""Changes to the territory tree and the departments: the 系统管理员's configuration, never business records.

Why services: the tree is what every scope hangs from, so a change is authorised by one
assignment (``orgunit.create``/``orgunit.update``/``department.create``/``department.update``,
held only by the system administrator), checked by the form the pages use, applied against the
version the administrator read, and audited in the chain of the unit's district. Nothing is
deleted: a unit or department that is no longer used is left in place (look-back needs it).
Moving a unit under another parent is not offered: every path below it, and every record's
snapshot of its place, would change.
"""
from __future__ import annotations

import uuid

from django.db import transaction

from anquan.audit.services import record as audit_record
from anquan.audit.services import snapshot
from anquan.core.errors import Forbidden, Invalid
from anquan.core.services import authorize, bump_version
from anquan.core.text import clean_text

from .forms import DepartmentForm, OrgUnitForm
from .models import KIND_ORDER, Department, OrgUnit


def record(*, reason: str = "", **kwargs):
    """``audit.services.record`` with the optional reason checked (control characters, length); a refusal rolls back."""
    return audit_record(reason=clean_text(reason, field="reason", label="依据或事由", max_length=500), **kwargs)


def _manager(actor, action: str):
    """The assignment permitting a configuration action (system scope: every unit), or 403."""
    from anquan.accounts.scope import active_assignments

    assignment = next((a for a in active_assignments(actor) if a.permits(action)), None)
    if assignment is None:
        raise Forbidden("只有系统管理员可以维护行政区划和部门")
    return assignment


def _valid(form_class, data, **kwargs):
    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise Invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data


def _check_kind(kind: str, parent: OrgUnit | None) -> None:
    if parent is None:
        if kind != "province":
            raise Invalid({"parent": ["只有省级区划可以没有上级，请选择上级区划"]})
        return
    if KIND_ORDER.index(kind) <= KIND_ORDER.index(parent.kind):
        raise Invalid({"kind": [f"下级区划的层级必须低于上级“{parent.name}”（{parent.get_kind_display()}）"]})


@transaction.atomic
def unit_create(*, actor, data: dict, reason: str = "") -> OrgUnit:
    """A new unit under ``data["parent"]`` (a new street, community or grid after a 区划调整)."""
    assignment = _manager(actor, "orgunit.create")
    clean = _valid(OrgUnitForm, data)
    parent = clean["parent"]
    _check_kind(clean["kind"], parent)
    unit = OrgUnit(name=clean["name"], kind=clean["kind"], parent=parent, code=clean["code"], path=f"/new-{uuid.uuid4().hex}/")
    unit.save()
    unit.assign_path()
    unit.save(update_fields=["path", "depth", "district"])
    record(actor=actor, assignment=assignment, obj=unit, action="orgs.unit_create", after=snapshot(unit), reason=reason)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, data: dict, version, reason: str = "") -> OrgUnit:
    """Rename a unit or correct its 区划代码; its kind and place in the tree stay (see the module docstring)."""
    assignment = authorize(actor, unit, "orgunit.update")
    clean = _valid(OrgUnitForm, {**data, "parent": unit.parent_id, "kind": unit.kind}, instance=unit)
    before = snapshot(unit)
    bump_version(unit, version)
    unit.name, unit.code = clean["name"], clean["code"]
    unit.save(update_fields=["name", "code", "updated_at"])
    record(actor=actor, assignment=assignment, obj=unit, action="orgs.unit_update", before=before, after=snapshot(unit),
           reason=reason)
    return unit


@transaction.atomic
def department_create(*, actor, data: dict, reason: str = "") -> Department:
    """A department at a territory level, with the industries it regulates (管行业必须管安全)."""
    assignment = _manager(actor, "department.create")
    clean = _valid(DepartmentForm, data)
    department = Department.objects.create(name=clean["name"], kind=clean["kind"], unit=clean["unit"])
    department.industries.set(clean["industries"])
    record(actor=actor, assignment=assignment, obj=department, action="orgs.department_create",
           after=snapshot(department), reason=reason)
    return department


@transaction.atomic
def department_update(*, actor, department: Department, data: dict, version, reason: str = "") -> Department:
    """Rename a department or change the industries it regulates; it stays at its level (scopes hang from it)."""
    assignment = authorize(actor, department, "department.update")
    clean = _valid(DepartmentForm, {**data, "unit": department.unit_id}, instance=department)
    before = snapshot(department)
    bump_version(department, version)
    department.name, department.kind = clean["name"], clean["kind"]
    department.save(update_fields=["name", "kind", "updated_at"])
    department.industries.set(clean["industries"])
    record(actor=actor, assignment=assignment, obj=department, action="orgs.department_update", before=before,
           after=snapshot(department), reason=reason)
    return department
