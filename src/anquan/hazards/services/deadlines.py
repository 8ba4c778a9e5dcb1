"""Deadline services: extension requests and decisions, written explanations of overdue hazards,
escalation to the government. Overdue itself is derived (anquan.rules.deadlines), never stored."""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from anquan.audit.services import snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import bump_version
from anquan.notifications.services import notify_event

from ..choices import OPEN_FOR_RECTIFIER, ExtensionStatus
from ..models import DeadlineExtension, Hazard, OverdueExplanation
from .common import audit, authorize_oversight, authorize_rectifier, require_live, require_reason, require_within_max


def _today():
    from anquan.rules.calendar import today

    return today()


@transaction.atomic
def extension_request(*, actor, hazard: Hazard, new_deadline: datetime.date, reason: str) -> DeadlineExtension:
    """延期申请: only before the deadline in force has passed, to a later date, one pending at a time."""
    assignment = authorize_rectifier(actor, hazard, "hazard.request_extension")
    require_live(hazard)
    reason = require_reason(reason, what="延期理由")
    if hazard.status not in OPEN_FOR_RECTIFIER:
        raise Conflict(f"隐患当前状态为“{hazard.get_status_display()}”，不能申请延期")
    if _today() > hazard.deadline_in_force:
        raise Conflict("整改期限已过，不能再申请延期；请向安委办提交逾期书面说明")
    if not isinstance(new_deadline, datetime.date) or new_deadline <= hazard.deadline_in_force:
        raise Invalid({"new_deadline": ["申请延至的日期须晚于现行整改期限"]})
    require_within_max(new_deadline, _today(), hazard.grid, "new_deadline", "申请延至的日期")
    try:
        with transaction.atomic():
            extension = DeadlineExtension.objects.create(
                hazard=hazard, previous_deadline=hazard.deadline_in_force, requested_deadline=new_deadline,
                reason=reason, requested_by=actor, requested_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict("已有待审批的延期申请") from None
    audit(actor, assignment, hazard, "request_extension", after={"requested_deadline": new_deadline.isoformat()}, reason=reason)
    notify_event("extension_requested", hazard, key=f"extension_requested:e{extension.pk}", actor=actor,
                 requested=f"{new_deadline:%Y-%m-%d}")
    return extension


@transaction.atomic
def extension_decide(*, actor, extension: DeadlineExtension, version, approve: bool, reason: str = "") -> DeadlineExtension:
    """Decided by someone other than the requester; an approval makes the new date the deadline in force."""
    hazard = Hazard.objects.select_for_update().get(pk=extension.hazard_id)
    assignment = authorize_oversight(actor, hazard, "hazard.decide_extension")
    extension.refresh_from_db()
    if extension.status != ExtensionStatus.PENDING:
        raise Conflict("该延期申请已经审批")
    if extension.requested_by_id == actor.pk:
        raise Forbidden("申请人不能审批自己的延期申请")
    if not approve:
        reason = require_reason(reason, what="不予批准的理由")
    before = snapshot(hazard)
    bump_version(hazard, version)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by, extension.decided_at, extension.decision_reason = actor, timezone.now(), reason
    extension.save()
    if approve:
        hazard.deadline_in_force = extension.requested_deadline
    hazard.save()
    audit(actor, assignment, hazard, "approve_extension" if approve else "reject_extension", before, reason=reason)
    notify_event("extension_decided", hazard, key=f"extension:e{extension.pk}", actor=actor,
                 verdict="已批准" if approve else "未批准", requested_by=extension.requested_by_id)
    return extension


@transaction.atomic
def overdue_explain(*, actor, hazard: Hazard, text: str) -> OverdueExplanation:
    """逾期书面说明 to the 安委办: only for a hazard that is overdue today."""
    from anquan.rules.deadlines import is_overdue

    assignment = authorize_rectifier(actor, hazard, "hazard.explain_overdue")
    require_live(hazard)
    text = require_reason(text, "text", "说明内容")
    if not is_overdue(hazard.deadline_in_force, hazard.status, _today()):
        raise Conflict("该隐患未逾期，无需提交逾期说明")
    explanation = OverdueExplanation.objects.create(
        hazard=hazard, kind=OverdueExplanation.Kind.EXPLANATION, text=text[:10000], submitted_by=actor,
        submitted_role=assignment.role, submitted_at=timezone.now(),
    )
    audit(actor, assignment, hazard, "explain_overdue", after={"explanation": explanation.pk}, reason=text[:500])
    # Once a day per hazard: a replayed request (a second explanation the same day) tells the 安委办 nothing new.
    notify_event("overdue_explained", hazard, key=f"explained:h{hazard.pk}:d{_today():%Y%m%d}", actor=actor)
    return explanation


@transaction.atomic
def hazard_escalate(*, actor, hazard: Hazard, text: str) -> OverdueExplanation:
    """提请政府研究: a hazard that cannot be fixed for institutional reasons goes to the government."""
    assignment = authorize_oversight(actor, hazard, "hazard.escalate")
    require_live(hazard)
    text = require_reason(text, "text", "提请研究的事由")
    if hazard.status not in OPEN_FOR_RECTIFIER:
        raise Conflict(f"隐患当前状态为“{hazard.get_status_display()}”，无需提请研究")
    escalation = OverdueExplanation.objects.create(
        hazard=hazard, kind=OverdueExplanation.Kind.ESCALATION, text=text[:10000], submitted_by=actor,
        submitted_role=assignment.role, submitted_at=timezone.now(),
    )
    audit(actor, assignment, hazard, "escalate", after={"escalation": escalation.pk}, reason=text[:500])
    notify_event("hazard_escalated", hazard, key=f"escalated:h{hazard.pk}:d{_today():%Y%m%d}", actor=actor)
    return escalation
