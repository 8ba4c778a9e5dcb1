"""Writing audit events: called by every service inside its transaction."""
from __future__ import annotations

import datetime
import decimal

from django.db import models, transaction
from django.utils import timezone

from .hashing import event_hash
from .models import AuditAnchor, AuditChain, AuditEvent

SYSTEM_CHAIN = "system"


def chain_key_for(obj) -> str:
    """One chain per district: the district the object lies in, else the system chain."""
    district_id = getattr(obj, "audit_district_id", None)
    if callable(district_id):
        district_id = district_id()
    if district_id is None:
        for attr in ("unit", "grid"):
            unit = getattr(obj, attr, None)
            if unit is not None and hasattr(unit, "district_id"):
                district_id = unit.district_id
                break
    if district_id is None and obj.__class__.__name__ == "OrgUnit":
        district_id = obj.district_id
    return f"district:{district_id}" if district_id else SYSTEM_CHAIN


def _json_value(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return sorted(_json_value(v) for v in value)
    return value


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """The object's concrete fields (and many-to-many ids) as JSON-safe values."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields and field.name not in fields:
            continue
        if field.name in ("created_at", "updated_at"):
            continue
        data[field.attname] = _json_value(getattr(obj, field.attname))
    if obj.pk:
        for field in obj._meta.many_to_many:
            if fields and field.name not in fields:
                continue
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only changed keys, so history pages show what changed."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(*, actor, assignment, obj, action: str, before=None, after=None, reason: str = "", chain_key: str | None = None) -> AuditEvent:
    """Append one event to the object's district chain, under a lock held to the end of the transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("审计事件必须在业务事务内写入")
    key = chain_key or chain_key_for(obj)
    AuditChain.objects.get_or_create(key=key)
    chain = AuditChain.objects.select_for_update().get(key=key)
    before, after = diff(before, after)
    event = AuditEvent(
        chain=chain,
        seq=chain.last_seq + 1,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.display_name if getattr(actor, "pk", None) else "系统"),
        acting_role=assignment.role if assignment else "",
        acting_unit=str(assignment.department or assignment.enterprise or assignment.unit or "") if assignment else "",
        model_key=obj._meta.model_name,
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        action=action,
        before=before,
        after=after,
        reason=reason,
        prev_hash=chain.last_hash,
    )
    event.hash = event_hash(event, key)
    event.save()
    AuditChain.objects.filter(pk=chain.pk).update(last_seq=event.seq, last_hash=event.hash)
    return event


def anchor_day(day: datetime.date | None = None) -> int:
    """Write each chain's current head as the anchor of ``day`` (idempotent per chain and day)."""
    day = day or timezone.localdate()
    count = 0
    for chain in AuditChain.objects.all():
        if chain.last_seq == 0:
            continue
        _, created = AuditAnchor.objects.get_or_create(chain=chain, day=day, defaults={"seq": chain.last_seq, "hash": chain.last_hash})
        count += created
    return count
