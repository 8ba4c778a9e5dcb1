"""Publication of penalty decisions (安全生产法 第七十八条: within 7 working days of the decision) and its withdrawal.

What is published is copied from the case at that moment: the unit's name and credit code, the facts, the basis,
the penalty, the organ and the date. A case against a person (公民) is published under the unit's name only
when the case names one; otherwise it is not published here (no personal data beyond what publication requires).
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from anquan.audit.services import record
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import authorize
from anquan.core.text import clean_text
from anquan.rules.calendar import today

from .. import clocks
from ..models import Case, CaseStatus, DecisionKind, PartyKind, PenaltyPublication

PUBLISHABLE = (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED)


def penalty_text(case: Case) -> str:
    if case.decision_kind == DecisionKind.FINE:
        return f"罚款人民币{case.fine_amount:,.2f}元"
    return case.get_decision_kind_display()


@transaction.atomic
def publication_create(*, actor, case: Case) -> PenaltyPublication:
    assignment = authorize(actor, case, "case.publish")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in PUBLISHABLE or not case.is_penalty:
        raise Conflict("只有已作出行政处罚决定的案件可以公开")
    if case.publications.filter(withdrawn_at__isnull=True).exists():
        raise Conflict("该处罚决定已公开")
    if case.party_kind == PartyKind.PERSON and case.enterprise is None:
        raise Invalid("对公民的处罚不在本平台公示系统公开")
    pub = PenaltyPublication.objects.create(
        case=case, published_at=timezone.now(), published_by=actor,
        party_name=case.enterprise.name if case.enterprise else case.party_name,
        credit_code=case.enterprise.credit_code if case.enterprise else "",
        facts=case.facts, basis=case.decision_basis, penalty=penalty_text(case), organ_name=case.organ.name,
        decision_on=case.decision_on, on_time=today() <= clocks.publish_due(case.decision_on, unit=case.unit),
    )
    record(actor=actor, assignment=assignment, obj=case, action="case.publish",
           after={"publication": pub.pk, "on_time": pub.on_time})
    return pub


@transaction.atomic
def publication_withdraw(*, actor, publication: PenaltyPublication, reason: str) -> PenaltyPublication:
    """Withdraw a publication (e.g. the decision was revoked on review); the row stays with who and why."""
    assignment = authorize(actor, publication.case, "case.publish")
    reason = clean_text(reason, field="reason", label="撤回理由", max_length=500, required=True)
    pub = PenaltyPublication.objects.select_for_update().get(pk=publication.pk)
    if pub.withdrawn_at is not None:
        raise Conflict("该公开信息已撤回")
    pub.withdrawn_at, pub.withdrawn_by, pub.withdraw_reason = timezone.now(), actor, reason
    pub.save()
    record(actor=actor, assignment=assignment, obj=pub.case, action="case.withdraw_publication",
           after={"publication": pub.pk}, reason=reason)
    return pub
