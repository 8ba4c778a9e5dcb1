"""安全生产法 第一百一十三条: an enterprise with a major hazard, penalised under this law 3 times within 180 days
or 4 times within one (calendar) year, is proposed for closure — by a human: the platform finds the facts
and records a proposal listing the cases; the decision to 提请 the government is a person's.

Counted: decided cases of any organ (the law counts penalties, not who imposed them) whose decision is a
penalty (罚款 or 警告) under 安全生产法, not withdrawn. The major hazard is read from the hazard loop:
a 重大事故隐患 of the enterprise not yet 销号.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import safe_id
from anquan.enterprises.models import Enterprise
from anquan.rules.calendar import today

from .. import clocks
from ..models import Case, ClosureProposal, DecisionKind
from ..models.discretion import WORK_SAFETY_LAW_SHORT


@dataclass
class RepeatStatus:
    enterprise: Enterprise
    on: object
    cases: list = field(default_factory=list)
    major_hazards: list = field(default_factory=list)
    ground: str = ""

    @property
    def met(self) -> bool:
        return bool(self.ground) and bool(self.major_hazards)


def penalties_q() -> Q:
    return (Q(decision_kind__in=(DecisionKind.FINE, DecisionKind.WARNING))
            & (Q(violation__isnull=True) | Q(violation__law=WORK_SAFETY_LAW_SHORT)))


def repeat_status(enterprise: Enterprise, on=None) -> RepeatStatus:
    from anquan.hazards.choices import HazardLevel, HazardStatus
    from anquan.hazards.models import Hazard

    on = on or today()
    status = RepeatStatus(enterprise, on)
    cases = list(Case.objects.decided().filter(penalties_q(), enterprise=enterprise, decision_on__lte=on).order_by("decision_on", "id"))
    found = clocks.repeat_offence([c.decision_on for c in cases], on, unit=enterprise.unit)
    if found:
        status.ground, dates = found
        status.cases = [c for c in cases if c.decision_on >= min(dates)]
    status.major_hazards = list(Hazard.objects.filter(enterprise=enterprise, level=HazardLevel.MAJOR, voided_at__isnull=True)
                                .exclude(status=HazardStatus.CLOSED).values_list("pk", flat=True))
    return status


@transaction.atomic
def closure_propose(*, actor, enterprise_id, on=None) -> ClosureProposal:
    """Record a §113 proposal for the 负责人's decision (never sent anywhere by itself)."""
    enterprise = Enterprise.objects.visible_to(actor).filter(pk=safe_id(enterprise_id)).first()
    if enterprise is None:  # an id in a body out of scope: 422, as for every form's choice
        raise Invalid({"enterprise": ["请选择本部门监管范围内的企业"]})
    assignment = next((a for a in active_assignments(actor) if a.permits("case.propose_closure")
                       and Enterprise.objects.filter(Enterprise.objects.assignment_q(a), pk=enterprise.pk).exists()), None)
    if assignment is None or assignment.department is None:
        raise Forbidden()
    status = repeat_status(enterprise, on)
    if not status.ground:
        raise Invalid("该企业不满足一百八十日内三次或者一年内四次受到行政处罚的情形（安全生产法第一百一十三条）")
    if not status.major_hazards:
        raise Invalid("该企业目前不存在未销号的重大事故隐患（安全生产法第一百一十三条第（一）项）")
    proposal = ClosureProposal.objects.create(organ=assignment.department, enterprise=enterprise, as_of=status.on,
                                              ground=status.ground, major_hazards=status.major_hazards,
                                              created_by=actor, created_at=timezone.now())
    proposal.cases.set(status.cases)
    record(actor=actor, assignment=assignment, obj=proposal, action="case.propose_closure",
           after={"ground": status.ground, "cases": [c.pk for c in status.cases], "major_hazards": status.major_hazards})
    return proposal


@transaction.atomic
def closure_decide(*, actor, proposal_id, decision: str) -> ClosureProposal:
    """The 负责人's decision on a proposal (提请 the government, or not, with why); recorded once."""
    from anquan.core.services import authorize
    from anquan.core.text import clean_text

    proposal = ClosureProposal.objects.visible_to(actor).filter(pk=safe_id(proposal_id)).first()
    if proposal is None:
        raise NotFound()
    assignment = authorize(actor, proposal, "case.propose_closure")
    decision = clean_text(decision, field="decision", label="决定", max_length=200, required=True)
    proposal = ClosureProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.decided_at is not None:
        raise Conflict("该建议已作出决定")
    proposal.decision, proposal.decided_by, proposal.decided_at = decision, actor, timezone.now()
    proposal.save()
    record(actor=actor, assignment=assignment, obj=proposal, action="case.decide_closure", after={"decision": decision})
    return proposal
