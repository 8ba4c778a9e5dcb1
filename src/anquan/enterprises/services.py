"""Every change to enterprises, sites and regulators: one function per verb, atomic, audited.

Pages, the API and the Excel importer all call these, so the rules (scope, versions,
validation, default regulators, audit) hold whichever way a change arrives.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from anquan.audit.services import record, snapshot
from anquan.core.errors import Forbidden, Invalid
from anquan.core.services import authorize, authorize_in, bump_version
from anquan.core.text import clean_text
from anquan.orgs.models import Department, OrgUnit, UnitKind

from .forms import EnterpriseForm, SiteForm
from .models import Enterprise, EnterpriseRegulator, RegulatorKind, Site


def _require_any(actor, action: str) -> None:
    """403 for a user none of whose assignments permits ``action`` anywhere (before looking at the input)."""
    if not OrgUnit.objects.visible_to(actor, action).exists():
        raise Forbidden()


def _valid_form(form):
    if not form.is_valid():
        raise Invalid({field: [str(e) for e in errs] for field, errs in form.errors.items()})
    return form


def _form_data(data: dict, instance=None, form_class=EnterpriseForm) -> dict:
    """Merge a partial update onto the instance's current values (API PATCH-like input)."""
    if instance is None:
        return data
    current = {}
    for name in form_class._meta.fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            current[name] = [o.pk for o in getattr(instance, name).all()]
        else:
            current[name] = getattr(instance, field.attname)
            if current[name] is None:
                current[name] = ""
    current.update({k: v for k, v in data.items() if k in form_class._meta.fields})
    return current


# ---------------------------------------------------------------- regulators


def default_regulators(enterprise: Enterprise) -> list[tuple[str, int | None, int | None]]:
    """(kind, department id, unit id) the enterprise gets by default: 行业主管 from its industries, 属地 from its street."""
    unit = enterprise.unit
    industry_ids = list(enterprise.industries.values_list("pk", flat=True))
    depts = (
        Department.objects.filter(unit_id__in=unit.ancestor_ids(), industries__in=industry_ids, voided_at__isnull=True)
        .exclude(unit__kind__in=[UnitKind.PROVINCE, UnitKind.CITY])
        .distinct()
    )
    wanted = [(RegulatorKind.INDUSTRY.value, d.pk, None) for d in depts]
    street = OrgUnit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.STREET).first()
    if street:
        wanted.append((RegulatorKind.TERRITORIAL.value, None, street.pk))
    return wanted


def _sync_default_regulators(enterprise: Enterprise) -> None:
    """End default rows that no longer apply and add missing ones; rows set by hand are left alone."""
    wanted = set(default_regulators(enterprise))
    now = timezone.now()
    for reg in enterprise.regulators.active().filter(is_default=True):
        key = (reg.kind, reg.department_id, reg.unit_id)
        if key in wanted:
            wanted.discard(key)
        else:
            reg.ended_at, reg.end_reason = now, "行业或属地变更，自动调整"
            reg.save(update_fields=["ended_at", "end_reason"])
    EnterpriseRegulator.objects.bulk_create(
        EnterpriseRegulator(enterprise=enterprise, kind=k, department_id=d, unit_id=u, is_default=True) for k, d, u in wanted
    )


def _regulator_snapshot(enterprise) -> list[str]:
    return sorted(f"{r.kind}:{r.department_id or ''}:{r.unit_id or ''}" for r in enterprise.regulators.active())


@transaction.atomic
def enterprise_change_regulators(*, actor, enterprise: Enterprise, add: list[dict], end: list[int], reason: str) -> Enterprise:
    """Add regulators (e.g. a city department supervising directly) or end existing ones, with a reason."""
    assignment = authorize(actor, enterprise, "change_regulators")
    reason = clean_text(reason, field="reason", label="变更理由", required=True, required_message="调整监管关系必须填写理由",
                        max_length=EnterpriseRegulator._meta.get_field("reason").max_length)
    before = _regulator_snapshot(enterprise)
    now = timezone.now()
    for reg_id in end:
        reg = enterprise.regulators.active().filter(pk=reg_id).first()
        if reg is None:
            raise Invalid({"end": [f"监管关系{reg_id}不存在或已结束"]})
        reg.ended_at, reg.end_reason = now, reason
        reg.save(update_fields=["ended_at", "end_reason"])
    for item in add:
        dept = Department.objects.visible_to(actor).filter(pk=item.get("department")).first()
        if dept is None:
            raise Invalid({"add": ["所选监管部门不存在或不在您的管辖范围内"]})
        kind = item.get("kind", RegulatorKind.DIRECT)
        if kind not in (RegulatorKind.INDUSTRY, RegulatorKind.DIRECT):
            raise Invalid({"add": ["部门监管类型只能是行业主管或直接监管"]})
        EnterpriseRegulator.objects.create(enterprise=enterprise, kind=kind, department=dept, is_default=False, reason=reason)
    bump_version(enterprise, enterprise.version)
    record(actor=actor, assignment=assignment, obj=enterprise, action="change_regulators",
           before={"regulators": before}, after={"regulators": _regulator_snapshot(enterprise)}, reason=reason)
    return enterprise


# ---------------------------------------------------------------- enterprises


@transaction.atomic
def enterprise_create(*, actor, data: dict) -> Enterprise:
    _require_any(actor, "enterprise.create")
    form = _valid_form(EnterpriseForm(data=data, user=actor, action="enterprise.create"))
    assignment = authorize_in(actor, OrgUnit.objects, "enterprise.create", form.cleaned_data["unit"].pk)
    enterprise = form.save()
    _sync_default_regulators(enterprise)
    record(actor=actor, assignment=assignment, obj=enterprise, action="create", after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, version, data: dict) -> Enterprise:
    assignment = authorize(actor, enterprise, "update")
    before = snapshot(enterprise)
    form = _valid_form(EnterpriseForm(data=_form_data(data, enterprise), instance=enterprise, user=actor, action="enterprise.update"))
    bump_version(enterprise, version)
    enterprise = form.save()
    if before.get("unit_id") != enterprise.unit_id or before.get("industries") != sorted(
        enterprise.industries.values_list("pk", flat=True)
    ):
        _sync_default_regulators(enterprise)
    record(actor=actor, assignment=assignment, obj=enterprise, action="update", before=before, after=snapshot(enterprise))
    return enterprise


def _void_reason(reason) -> str:
    """The reason of a void, checked at the edge to its column (a 600-character reason was a DataError on
    PostgreSQL) and by the input rule for text."""
    return clean_text(reason, field="reason", label="作废理由", max_length=Enterprise._meta.get_field("void_reason").max_length,
                      required=True, required_message="作废必须填写理由")


@transaction.atomic
def enterprise_void(*, actor, enterprise: Enterprise, version, reason: str) -> Enterprise:
    """Void (作废) an enterprise record entered by mistake; it is never deleted."""
    assignment = authorize(actor, enterprise, "void")
    reason = _void_reason(reason)
    if enterprise.voided_at:
        raise Invalid({"__all__": ["该企业已作废"]})
    bump_version(enterprise, version)
    enterprise.voided_at, enterprise.void_reason = timezone.now(), reason
    enterprise.save(update_fields=["voided_at", "void_reason", "updated_at"])
    record(actor=actor, assignment=assignment, obj=enterprise, action="void", after={"voided": True}, reason=reason)
    return enterprise


# ---------------------------------------------------------------- sites


@transaction.atomic
def site_create(*, actor, data: dict) -> Site:
    _require_any(actor, "site.create")
    form = _valid_form(SiteForm(data=data, user=actor, action="site.create"))
    assignment = authorize_in(actor, OrgUnit.objects, "site.create", form.cleaned_data["grid"].pk)
    site = form.save()
    record(actor=actor, assignment=assignment, obj=site, action="create", after=snapshot(site))
    return site


@transaction.atomic
def site_update(*, actor, site: Site, version, data: dict) -> Site:
    assignment = authorize(actor, site, "update")
    before = snapshot(site)
    form = _valid_form(SiteForm(data=_form_data(data, site, SiteForm), instance=site, user=actor, action="site.update"))
    bump_version(site, version)
    site = form.save()
    record(actor=actor, assignment=assignment, obj=site, action="update", before=before, after=snapshot(site))
    return site


@transaction.atomic
def site_void(*, actor, site: Site, version, reason: str) -> Site:
    assignment = authorize(actor, site, "void")
    reason = _void_reason(reason)
    bump_version(site, version)
    site.voided_at, site.void_reason = timezone.now(), reason
    site.save(update_fields=["voided_at", "void_reason", "updated_at"])
    record(actor=actor, assignment=assignment, obj=site, action="void", after={"voided": True}, reason=reason)
    return site
