"""API: enforcement cases (行政处罚案件) and their steps, 当场处罚, publication, the §113 proposal, statistics,
and the decided fine other modules read.

Thin: reads through ``selectors`` / ``get_case`` (an out-of-scope case answers 404 on every endpoint), writes
through ``services`` (422 with Chinese field messages, 403 when visible but not permitted, 409 for a stale
``version`` or a step the case's status refuses). A step's body is ``{"version": n, "data": {...}}`` with the
fields of that step (see the page's forms; amounts in 元 as text, dates as ``YYYY-MM-DD``).

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version

from . import selectors, services
from .services.cases import amounts_owed, get_case

router = Router(tags=["行政执法"], auth=AUTH)

Short = Annotated[str, Field(max_length=300)]
Value = Annotated[str, Field(max_length=20000)] | int | bool | None
StepName = Literal["approve", "add_inspector", "add_evidence", "submit_review", "review", "legal_review", "discuss",
                   "notify", "record_statement", "decide", "record_correction", "serve", "record_payment", "close",
                   "withdraw"]


class CaseRef(Schema):
    id: int
    name: str


class EnforcementCaseOut(Schema):
    id: int
    version: int
    organ: CaseRef
    enterprise: CaseRef | None
    party_name: str
    party_kind: str
    procedure: str
    status: str
    status_label: str
    cause: str
    source_kind: str
    filed_on: datetime.date | None
    decision_due: datetime.date | None
    notified_at: datetime.datetime | None
    decision_kind: str
    decision_on: datetime.date | None
    fine_amount: Decimal | None
    served_on: datetime.date | None

    @staticmethod
    def resolve_organ(obj):
        return {"id": obj.organ_id, "name": obj.organ.name}

    @staticmethod
    def resolve_enterprise(obj):
        return {"id": obj.enterprise_id, "name": obj.enterprise.name} if obj.enterprise_id else None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_decision_due(obj):
        from . import clocks

        return clocks.decision_due(obj.filed_on, unit=obj.unit) if obj.filed_on else None


class EnforcementOwedOut(Schema):
    fine: Decimal
    payment_due: datetime.date | None
    late_fee: Decimal
    paid: Decimal
    balance: Decimal


class EnforcementCaseDetailOut(EnforcementCaseOut):
    facts: str
    violation: str | None
    proposed_amount: Decimal | None
    hearing_right: bool
    decision_basis: str
    no_penalty_reason: str
    review_organ: str
    court: str
    withdraw_reason: str
    inspectors: list[str]
    steps: list[str]
    owed: EnforcementOwedOut | None
    daily_fine_days: int | None
    daily_fine_total: Decimal | None

    @staticmethod
    def resolve_violation(obj):
        return str(obj.violation) if obj.violation_id else None

    @staticmethod
    def resolve_inspectors(obj):
        return [f"{i.person.name}（{i.cert_no}）" for i in obj.inspectors.select_related("person")]

    @staticmethod
    def resolve_steps(obj, context):
        from .views import _steps_for

        return _steps_for(context["request"].auth, obj)

    @staticmethod
    def resolve_owed(obj):
        return amounts_owed(obj) if obj.is_fine else None

    @staticmethod
    def resolve_daily_fine_days(obj):
        daily = selectors.daily_fine_of(obj)
        return daily[0] if daily else None

    @staticmethod
    def resolve_daily_fine_total(obj):
        daily = selectors.daily_fine_of(obj)
        return daily[1] if daily else None


class EnforcementFilters(Schema):
    status: Annotated[str, Field(max_length=30)] = ""
    q: Annotated[str, Field(max_length=100)] = ""


class CaseOpenIn(Schema):
    source_kind: Literal["inspection", "hazard", "report", "accident", "transfer"]
    inspection: Id | None = None
    finding: Id | None = None
    hazard: Id | None = None
    site: Id | None = None
    enterprise: Id | None = None
    source_ref: Annotated[str, Field(max_length=200)] = ""
    party_kind: Literal["unit", "person"] = "unit"
    party_name: Annotated[str, Field(max_length=200)] = ""
    cause: Short
    facts: Annotated[str, Field(max_length=20000)] = ""
    violation: Id | None = None


class OnTheSpotIn(CaseOpenIn):
    source_kind: Literal["inspection", "hazard", "report", "accident", "transfer"] = "report"
    decision_kind: Literal["fine", "warning"]
    fine_amount: Annotated[str, Field(max_length=20)] = ""
    decision_basis: Annotated[str, Field(max_length=20000)]
    review_organ: Annotated[str, Field(max_length=200)]
    court: Annotated[str, Field(max_length=200)]


class CaseStepIn(Schema):
    version: Version
    data: Annotated[dict[Annotated[str, Field(max_length=40)], Value], Field(max_length=30)] = {}


class ClosureProposalIn(Schema):
    enterprise: Id
    on: datetime.date | None = None


class ClosureProposalOut(Schema):
    id: int
    enterprise: CaseRef
    as_of: datetime.date
    ground: str
    cases: list[int]
    major_hazards: list[int]
    decision: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_enterprise(obj):
        return {"id": obj.enterprise_id, "name": obj.enterprise.name}

    @staticmethod
    def resolve_cases(obj):
        return list(obj.cases.values_list("pk", flat=True))


class ClosureDecisionIn(Schema):
    decision: Annotated[str, Field(max_length=200)]


class PublicationWithdrawIn(Schema):
    reason: Annotated[str, Field(max_length=500)]


class DecidedFineOut(Schema):
    case: int
    fine_amount: Decimal | None


class EnforcementStatsOut(Schema):
    cases: int
    by_status: dict[str, int]
    decided: int
    fines_decided: Decimal
    fines_paid: Decimal


def _detail(request, case):
    return case


@router.get("/enforcement/cases", response=list[EnforcementCaseOut], summary="行政处罚案件列表")
@paginate(Pages)
def list_cases(request, filters: Query[EnforcementFilters]):
    return selectors.case_list(request.auth, filters.dict())


@router.post("/enforcement/cases", response={201: EnforcementCaseDetailOut}, summary="立案申请（待负责人审批）")
def open_case(request, payload: CaseOpenIn):
    case = services.case_open(actor=request.auth, data=payload.dict())
    return Status(201, _detail(request, get_case(request.auth, case.pk)))


@router.post("/enforcement/cases/on-the-spot", response={201: EnforcementCaseDetailOut}, summary="当场处罚（简易程序）")
def on_the_spot(request, payload: OnTheSpotIn):
    case = services.case_decide_on_spot(actor=request.auth, data=payload.dict())
    return Status(201, _detail(request, get_case(request.auth, case.pk)))


@router.get("/enforcement/cases/{case_id}", response=EnforcementCaseDetailOut, summary="案件详情（含法定时限、可办理的步骤）")
def get_one(request, case_id: Id):
    return _detail(request, get_case(request.auth, case_id))


@router.post("/enforcement/cases/{case_id}/steps/{step}", response=EnforcementCaseDetailOut, summary="办理案件的一个步骤")
def take_step(request, case_id: Id, step: StepName, payload: CaseStepIn):
    from .views import STEPS

    case = get_case(request.auth, case_id)
    service = STEPS[step][0]
    kwargs = {"actor": request.auth, "case": case, "version": payload.version}
    if step == "add_inspector":
        kwargs["person_id"] = payload.data.get("person")
    elif step != "approve":
        kwargs["data"] = payload.data
    service(**kwargs)
    return _detail(request, get_case(request.auth, case_id))


@router.post("/enforcement/cases/{case_id}/publish", response={201: EnforcementCaseDetailOut},
             summary="在公示系统公开处罚决定（安全生产法第七十八条）")
def publish(request, case_id: Id):
    case = get_case(request.auth, case_id)
    services.publication_create(actor=request.auth, case=case)
    return Status(201, _detail(request, get_case(request.auth, case_id)))


@router.get("/enforcement/cases/{case_id}/fine", response=DecidedFineOut, summary="已决定的罚款金额（供举报奖励、失信名单等模块读取）")
def decided_fine(request, case_id: Id):
    case = get_case(request.auth, case_id)
    return {"case": case.pk, "fine_amount": selectors.decided_fine(case)}


@router.post("/enforcement/closure-proposals", response={201: ClosureProposalOut},
             summary="生成提请关闭建议（安全生产法第一百一十三条，供负责人决定）")
def propose_closure(request, payload: ClosureProposalIn):
    proposal = services.closure_propose(actor=request.auth, enterprise_id=payload.enterprise, on=payload.on)
    return Status(201, proposal)


@router.post("/enforcement/closure-proposals/{proposal_id}/decide", response=ClosureProposalOut,
             summary="对提请关闭建议作出决定（负责人）")
def decide_closure(request, proposal_id: Id, payload: ClosureDecisionIn):
    return services.closure_decide(actor=request.auth, proposal_id=proposal_id, decision=payload.decision)


@router.post("/enforcement/cases/{case_id}/publications/{publication_id}/withdraw", response=EnforcementCaseDetailOut,
             summary="撤回已公开的处罚信息（如决定被撤销）")
def withdraw_publication(request, case_id: Id, publication_id: Id, payload: PublicationWithdrawIn):
    from django.shortcuts import get_object_or_404

    case = get_case(request.auth, case_id)
    publication = get_object_or_404(case.publications, pk=publication_id)
    services.publication_withdraw(actor=request.auth, publication=publication, reason=payload.reason)
    return get_case(request.auth, case_id)


@router.get("/enforcement/statistics", response=EnforcementStatsOut, summary="行政执法统计（可见范围内）")
def statistics(request):
    return selectors.statistics(request.auth)
