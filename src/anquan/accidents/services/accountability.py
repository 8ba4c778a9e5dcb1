"""三责同追 from an accident: its investigators open 问责 records (``supervision.AccountabilityRecord``, the one
accountability model) against the enterprise (主体责任), the regulators (监管责任) and the territorial units
(属地责任) of the accident's chain (安全生产法第八十七条: 还应当查明……负有审查批准和监督职责的行政部门的责任)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version, safe_id
from anquan.core.text import clean_text
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, OrgUnit
from anquan.supervision.models import AccountabilityRecord, AccountabilityStatus, Responsibility

from ..models import Accident
from .common import may_investigate, snap


def _authorize(actor, accident: Accident):
    """One assignment that may record accountability (``accountability.record``), sees the accident and is of
    its investigating level or above (``may_investigate``)."""
    authorize(actor, accident, "view")
    reasons = []
    for assignment in active_assignments(actor):
        if not (assignment.permits("accountability.record") and assignment.permits("accident.investigate")):
            continue
        if not Accident.objects.filter(Accident.objects.assignment_q(assignment), pk=accident.pk).exists():
            continue
        reason = may_investigate(assignment, accident)
        if reason is None:
            return assignment
        reasons.append(reason)
    raise Forbidden(reasons[0] if reasons else "只有负责事故调查的单位可以提出问责")


def _target(accident: Accident, data: dict) -> tuple[dict, str]:
    chain = accident.unit.ancestor_ids()
    given = [k for k in ("target_enterprise", "target_department", "target_unit") if data.get(k) not in (None, "")]
    if len(given) != 1:
        raise Invalid({"target_enterprise": ["请选择一个问责对象：事故发生单位、监管部门或属地单位"]})
    key = given[0]
    pk = safe_id(data[key]) or 0
    if key == "target_enterprise":
        obj = Enterprise.objects.filter(pk=pk).filter(pk=accident.enterprise_id).first()
        return {key: obj}, Responsibility.PRIMARY if obj else ""
    if key == "target_department":
        obj = Department.objects.filter(pk=pk, unit_id__in=chain).first()
        return {key: obj}, Responsibility.REGULATORY if obj else ""
    obj = OrgUnit.objects.filter(pk=pk, pk__in=chain).first()
    return {key: obj}, Responsibility.TERRITORIAL if obj else ""


@transaction.atomic
def accountability_open(*, actor, accident: Accident, data: dict) -> AccountabilityRecord:
    """Open a 问责 record from ``accident``: ``data`` = exactly one of target_enterprise (the accident's unit),
    target_department (a department of a unit on the accident's chain), target_unit (a unit on the chain);
    ``content`` (责任认定), ``proposed_handling``. The kind of responsibility follows from the target."""
    assignment = _authorize(actor, accident)
    accident = Accident.objects.select_related("unit").get(pk=accident.pk)
    target, responsibility = _target(accident, data)
    if not responsibility:
        raise Invalid({next(iter(target)): ["问责对象须是事故发生单位，或事故发生地报告链上的部门、属地单位"]})
    own_unit = assignment.unit if assignment.scope_kind == ScopeKind.TERRITORY else assignment.department.unit
    rec = AccountabilityRecord.objects.create(
        **target, responsibility=responsibility, accident=accident, recorder_unit=own_unit,
        recorder_department=assignment.department if assignment.department_id else None,
        recorded_by=actor, recorded_role=assignment.role,
        content=clean_text(data.get("content"), field="content", label="责任认定", max_length=20_000, required=True),
        proposed_handling=clean_text(data.get("proposed_handling"), field="proposed_handling", label="处理建议",
                                     max_length=20_000, required=True))
    record(actor=actor, assignment=assignment, obj=rec, action="accountability.open", after=snap(rec))
    return rec


def _decided_on(value, rec: AccountabilityRecord) -> datetime.date:
    """The decision's date: today when not given; not after today, not before the record was opened."""
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise Invalid({"decided_on": ["决定日期格式不正确，应为年-月-日"]}) from None
    if value > today:
        raise Invalid({"decided_on": ["决定日期不能晚于今天"]})
    opened = timezone.localtime(rec.created_at).date()
    if value < opened:
        raise Invalid({"decided_on": [f"决定日期不能早于提出问责的日期（{opened:%Y年%m月%d日}）"]})
    return value


@transaction.atomic
def accountability_decide(*, actor, record_obj: AccountabilityRecord, version, decided_handling: str, decided_on=None) -> AccountabilityRecord:
    """Record the decision taken on a 问责 record opened from an accident (by its investigating level or above,
    like opening it); once only, against the record's current version."""
    if record_obj.accident_id is None:
        raise Conflict("该问责记录不是由事故调查提出的")
    assignment = _authorize(actor, record_obj.accident)
    rec = AccountabilityRecord.objects.get(pk=record_obj.pk)
    if rec.status == AccountabilityStatus.DECIDED:
        raise Conflict("该问责记录已作出处理决定")
    bump_version(rec, version)
    before = snap(rec)
    rec.decided_handling = clean_text(decided_handling, field="decided_handling", label="处理决定", max_length=20_000, required=True)
    rec.decided_on = _decided_on(decided_on, rec)
    rec.status = AccountabilityStatus.DECIDED
    rec.save()
    record(actor=actor, assignment=assignment, obj=rec, action="accountability.decide", before=before, after=snap(rec))
    return rec
