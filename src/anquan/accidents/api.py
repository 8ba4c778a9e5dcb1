"""API /api/v1/accidents: classify, report, list, detail (level, legs with clocks, 补报 window, investigation due),
补报, legs, late findings, the investigation to 批复 and evaluation, 四不放过, close, statistics.

Thin: reads through ``selectors`` / ``get_visible`` (out of scope → 404 everywhere), writes through
``services`` (422 Chinese field messages, 403 visible but not permitted, 409 stale version or refused state).
Scope as hazards: the territory chain up, the regulators of its industry, the enterprise its own; never sideways.

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.services import get_visible

from . import rules, selectors, services
from .choices import INFORMED_PARTIES, AccidentKind, AccidentLevel, FourNotsItem, LateKind
from .models import Accident, AppraisalPeriod, ReportLeg

router = Router(tags=["生产安全事故"], auth=AUTH)

Text = Annotated[str, Field(max_length=20000)]
Short = Annotated[str, Field(max_length=200)]
Persons = Annotated[int, Field(ge=0, le=100_000)]
Yuan = Annotated[Decimal, Field(ge=0, le=10**13, allow_inf_nan=False, max_digits=16, decimal_places=2)]


# ---------------------------------------------------------------- schemas


class AccidentRef(Schema):
    id: int
    name: str


def _ref(obj):
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


class AccidentClassifyOut(Schema):
    level: str = Field(description="general | larger | major | especially_major")
    level_name: str = Field(description="一般 | 较大 | 重大 | 特别重大")


class AccidentLegOut(Schema):
    id: int
    level: str
    level_name: str
    unit: str
    outside_territory: bool
    is_top: bool
    clock_start: datetime.datetime | None
    due_at: datetime.datetime | None
    received_at: datetime.datetime | None
    forwarded_at: datetime.datetime | None
    late: bool
    informed: dict[str, str]
    note: str


class AccidentAdditionOut(Schema):
    id: int
    changed_at: datetime.datetime
    reported_at: datetime.datetime
    reported_by: str
    deaths: int
    missing: int
    serious_injuries: int
    injuries: int
    direct_loss_yuan: Decimal
    note: str
    level_before: str
    level_after: str

    @staticmethod
    def resolve_reported_by(obj):
        return obj.reported_by.display_name


class AccidentLevelChangeOut(Schema):
    from_level: str
    to_level: str
    changed_at: datetime.datetime
    reason: str
    figures: dict[str, Any]


class AccidentAppraisalOut(Schema):
    id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    subject: str
    appraiser: str
    days: int


class AccidentInvestigationOut(Schema):
    id: int
    version: int
    body_level: str
    body_name: str
    body_unit: AccidentRef | None
    entrusted_to_unit: bool
    organized_by: str
    team_formed_on: datetime.date | None
    team_leader: str
    team_members: list[dict[str, str]]
    due_on: datetime.date
    extension_days: int
    extension_reason: str
    appraisals: list[AccidentAppraisalOut]
    report_unit_profile: str
    report_course: str
    report_casualties_loss: str
    report_cause_nature: str
    report_responsibility: str
    report_measures: str
    report_submitted_on: datetime.date | None
    approval_due_on: datetime.date | None
    approval_extension_days: int
    approved_on: datetime.date | None
    approval_number: str
    approval_summary: str
    evaluation_due_on: datetime.date | None
    evaluated_on: datetime.date | None
    evaluation_summary: str
    evaluation_published_on: datetime.date | None
    evaluation_published_where: str

    @staticmethod
    def resolve_body_name(obj):
        return rules.BODY_NAMES[obj.body_level] if not obj.entrusted_to_unit else rules.BODY_NAMES["unit"]

    @staticmethod
    def resolve_body_unit(obj):
        return _ref(obj.body_unit)

    @staticmethod
    def resolve_appraisals(obj):
        return list(obj.appraisals.all())


class AccidentFourNotsOut(Schema):
    item: str
    item_name: str
    evidence: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_item_name(obj):
        return obj.get_item_display()


class AccidentLateFindingOut(Schema):
    id: int
    kind: str
    kind_name: str
    against: str
    leg: int | None
    description: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_against(obj):
        return str(obj.against)

    @staticmethod
    def resolve_leg(obj):
        return obj.leg_id


class AccidentOut(Schema):
    id: int
    number: str
    version: int
    level: str
    level_name: str
    status: str
    status_name: str
    kind: str
    kind_name: str
    is_road_traffic: bool
    is_fire: bool
    occurred_at: datetime.datetime
    learned_at: datetime.datetime
    reported_at: datetime.datetime
    unit_name: str
    enterprise: AccidentRef | None
    site: AccidentRef | None
    unit: AccidentRef
    industry: AccidentRef | None
    place: str
    deaths: int
    missing: int
    serious_injuries: int
    injuries: int
    direct_loss_yuan: Decimal
    late_addition_until: datetime.date
    investigation_due: datetime.date | None

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_enterprise(obj):
        return _ref(obj.enterprise)

    @staticmethod
    def resolve_site(obj):
        return _ref(obj.site)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_industry(obj):
        return _ref(obj.industry)

    @staticmethod
    def resolve_investigation_due(obj):
        inv = getattr(obj, "investigation", None)
        return inv.due_on if inv is not None else rules.investigation_due(obj.occurred_at)


class AccidentDetailOut(AccidentOut):
    unit_profile: str
    scene: str
    account: str
    measures: str
    other: str
    addition_window_days: int
    addition_window_note: str
    legs: list[AccidentLegOut]
    additions: list[AccidentAdditionOut]
    level_changes: list[AccidentLevelChangeOut]
    investigation: AccidentInvestigationOut | None
    four_nots: list[AccidentFourNotsOut]
    four_nots_missing: list[str]
    late_findings: list[AccidentLateFindingOut]

    @staticmethod
    def resolve_addition_window_days(obj):
        return rules.addition_days(obj.is_road_traffic, obj.is_fire)

    @staticmethod
    def resolve_addition_window_note(obj):
        return rules.WINDOW_NOTE

    @staticmethod
    def resolve_legs(obj):
        return services.legs_view(obj)

    @staticmethod
    def resolve_additions(obj):
        return list(obj.additions.select_related("reported_by"))

    @staticmethod
    def resolve_level_changes(obj):
        return list(obj.level_changes.all())

    @staticmethod
    def resolve_investigation(obj):
        return getattr(obj, "investigation", None)

    @staticmethod
    def resolve_four_nots(obj):
        return list(obj.four_nots.all())

    @staticmethod
    def resolve_four_nots_missing(obj):
        return services.four_nots_missing(obj)

    @staticmethod
    def resolve_late_findings(obj):
        return list(obj.late_findings.select_related("against_unit", "against_department", "against_enterprise"))


class AccidentClassifyQuery(Schema):
    deaths: Persons = 0
    serious_injuries: Persons = 0
    direct_loss_yuan: Yuan = Decimal(0)


class AccidentIn(Schema):
    site: Id | None = Field(None, description="事故发生的场所；企业账号可不填（默认本企业）")
    unit: Id | None = Field(None, description="没有登记场所时：事故发生地所在的街道、社区或网格")
    industry: Id | None = None
    unit_name: Short = ""
    unit_profile: Text = ""
    occurred_at: datetime.datetime | None = Field(None, description="事故发生时间，不填为当前时间")
    learned_at: datetime.datetime | None = Field(None, description="单位负责人接到报告时间，不填同事故发生时间")
    place: Short
    scene: Text = ""
    account: Text
    kind: AccidentKind
    is_road_traffic: bool = False
    is_fire: bool = False
    deaths: Persons = 0
    missing: Persons = 0
    serious_injuries: Persons = 0
    injuries: Persons = 0
    direct_loss_yuan: Yuan = Decimal(0)
    measures: Text = ""
    other: Text = ""
    client_key: Annotated[str, Field(max_length=64)] = ""


class AccidentPatch(Schema):
    version: Version
    place: Short | None = None
    scene: Text | None = None
    account: Text | None = None
    measures: Text | None = None
    other: Text | None = None
    unit_profile: Text | None = None
    kind: AccidentKind | None = None


class AccidentAdditionIn(Schema):
    version: Version
    deaths: Persons
    missing: Persons = 0
    serious_injuries: Persons = 0
    injuries: Persons = 0
    direct_loss_yuan: Yuan = Decimal(0)
    changed_at: datetime.datetime | None = None
    note: Text = ""


class AccidentLegTimeIn(Schema):
    at: datetime.datetime | None = Field(None, description="不填为当前时间")
    note: Annotated[str, Field(max_length=500)] = ""


class AccidentInformIn(Schema):
    party: str = Field(description="、".join(INFORMED_PARTIES))
    at: datetime.datetime | None = None


class AccidentLateFindingIn(Schema):
    kind: LateKind
    against_unit: Id | None = None
    against_department: Id | None = None
    against_enterprise: Id | None = None
    leg: Id | None = None
    description: Text


class InvestigationMember(Schema):
    name: Annotated[str, Field(max_length=100)]
    unit: Annotated[str, Field(max_length=100)] = ""
    role: Annotated[str, Field(max_length=100)] = ""


class InvestigationTeamIn(Schema):
    version: Version
    team_formed_on: datetime.date | None = None
    team_leader: Annotated[str, Field(max_length=100)]
    team_members: Annotated[list[InvestigationMember], Field(max_length=50)] = []
    organized_by: Short = ""
    entrust_to_unit: bool = False


class AccidentAppraisalIn(Schema):
    version: Version
    started_on: datetime.date
    subject: Annotated[str, Field(max_length=300)]
    appraiser: Short = ""


class AccidentAppraisalEndIn(Schema):
    ended_on: datetime.date


class InvestigationExtensionIn(Schema):
    version: Version
    days: Annotated[int, Field(ge=1, le=366)]
    reason: Annotated[str, Field(max_length=500)]
    approved_by: Short
    approved_on: datetime.date


class InvestigationReportIn(Schema):
    version: Version
    report_unit_profile: Text
    report_course: Text
    report_casualties_loss: Text
    report_cause_nature: Text
    report_responsibility: Text
    report_measures: Text
    report_submitted_on: datetime.date | None = None


class ApprovalExtensionIn(Schema):
    version: Version
    days: Annotated[int, Field(ge=1, le=366)]


class AccidentApprovalIn(Schema):
    version: Version
    approved_on: datetime.date
    approval_number: Annotated[str, Field(max_length=60)] = ""
    summary: Text = ""


class AccidentEvaluationIn(Schema):
    version: Version
    evaluated_on: datetime.date
    summary: Text
    published_on: datetime.date | None = None
    published_where: Annotated[str, Field(max_length=300)] = ""


class AccidentFourNotsIn(Schema):
    item: FourNotsItem
    evidence: Text


class AccountabilityOpenIn(Schema):
    target_enterprise: Id | None = None
    target_department: Id | None = None
    target_unit: Id | None = None
    content: Text
    proposed_handling: Text


class AccountabilityDecideIn(Schema):
    version: Version
    decided_handling: Text
    decided_on: datetime.date | None = Field(None, description="决定日期，空为今天；不晚于今天，不早于提出问责之日")


class AccidentAccountabilityOut(Schema):
    id: int
    version: int
    responsibility: str
    responsibility_name: str
    target: str
    content: str
    proposed_handling: str
    status: str
    decided_handling: str
    decided_on: datetime.date | None

    @staticmethod
    def resolve_responsibility_name(obj):
        return obj.get_responsibility_display()

    @staticmethod
    def resolve_target(obj):
        return str(obj.target)


class AccidentVersionIn(Schema):
    version: Version


class AccidentListQuery(Schema):
    level: AccidentLevel | None = None
    kind: AccidentKind | None = None
    status: str | None = Field(None, max_length=30)
    year: Annotated[int, Field(ge=1900, le=2999)] | None = None
    industry: Id | None = None
    unit: Id | None = None
    q: Annotated[str, Field(max_length=50)] | None = None
    todo: Annotated[str, Field(max_length=30)] | None = None


# ---------------------------------------------------------------- helpers


def _accident(request, pk) -> Accident:
    return get_visible(Accident.objects.select_related("unit", "enterprise", "site", "industry", "investigation__body_unit"),
                       request.auth, pk)


def _leg(request, accident_id, leg_id) -> ReportLeg:
    accident = _accident(request, accident_id)
    leg = ReportLeg.objects.filter(pk=leg_id, accident=accident).select_related("accident__unit", "unit").first()
    if leg is None:
        from anquan.core.errors import NotFound

        raise NotFound()
    return leg


def _detail(request, pk):
    return _accident(request, pk)


# ---------------------------------------------------------------- classify, list, report, detail


@router.get("/accidents/classify", response=AccidentClassifyOut, summary="事故等级判定（第三条：死亡、重伤、直接经济损失取最高）")
def classify(request, query: Query[AccidentClassifyQuery]):
    level = rules.classify(query.deaths, query.serious_injuries, query.direct_loss_yuan)
    return {"level": level, "level_name": rules.level_name(level)}


class AccidentStatsCellOut(Schema):
    measure: str
    current: int | float
    previous: int | float
    change_percent: float | None
    change: str
    url: str
    previous_url: str


class AccidentStatsRowOut(Schema):
    label: str
    params: dict[str, str]
    cells: list[AccidentStatsCellOut]


class AccidentStatsOut(Schema):
    period: str
    previous_period: str
    measures: dict[str, str]
    headline: AccidentStatsRowOut
    rows: list[AccidentStatsRowOut]
    summary: str


class AccidentStatsQuery(Schema):
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")
    by: str = Field("level", pattern="^(level|kind|industry|unit)$")
    level: AccidentLevel | None = None
    kind: AccidentKind | None = None
    industry: Id | None = None
    unit: Id | None = None


def _number(value):
    """Counts stay integers; 万元 and percentages (Decimal, two or one decimals) become JSON numbers."""
    return float(value) if isinstance(value, Decimal) else value


def _stats_row(row) -> dict:
    return {"label": row.label, "params": row.params,
            "cells": [{"measure": c.measure, "current": _number(c.current), "previous": _number(c.previous),
                       "change_percent": _number(c.percent),
                       "change": c.change, "url": c.url, "previous_url": c.previous_url} for c in row.cells]}


@router.get("/accidents/statistics", response=AccidentStatsOut,
            summary="事故统计：起数、死亡、受伤、直接经济损失，按等级/类别/行业/区划，比上年同期（默认本年1月1日至今）")
def statistics(request, query: Query[AccidentStatsQuery]):
    from anquan.core.errors import Invalid
    from anquan.rules.calendar import today

    from . import stats

    end = query.date_to or today()
    start = query.date_from or end.replace(month=1, day=1)
    if start > end:
        raise Invalid({"from": ["开始日期不能晚于结束日期"]})
    if start.year < 1901 or end.year > 2999:
        raise Invalid({"from": ["统计期间应在1901年至2999年之间"]})
    raw = {"level": query.level, "kind": query.kind, "industry": query.industry, "unit": query.unit}
    params = stats.clean_params({k: (getattr(v, "value", v)) for k, v in raw.items() if v is not None})
    period = stats.Period(start, end)
    scoped = Accident.objects.visible_to(request.auth)
    head = stats.headline(scoped, params, period, request.auth)
    rows = stats.breakdown(scoped, params, period, query.by, request.auth)
    return {"period": period.label(), "previous_period": period.previous.label(), "measures": stats.MEASURE_LABELS,
            "headline": _stats_row(head), "rows": [_stats_row(r) for r in rows], "summary": stats.summary_sentence(head)}


@router.get("/accidents", response=list[AccidentOut], summary="事故列表（按辖区、行业、本企业）")
@paginate(Pages)
def list_accidents(request, filters: Query[AccidentListQuery]):
    params = {k: (str(v.value) if hasattr(v, "value") else str(v)) for k, v in filters.dict().items() if v is not None}
    return selectors.accident_list(request.auth, params)


@router.post("/accidents", response={201: AccidentDetailOut}, summary="报告事故（第十二条的内容；自动定级并生成逐级上报环节）")
def report_accident(request, payload: AccidentIn):
    data = payload.dict()
    client_key = data.pop("client_key")
    accident = services.accident_report(actor=request.auth, data=data, client_key=client_key)
    return Status(201, _detail(request, accident.pk))


@router.get("/accidents/{accident_id}", response=AccidentDetailOut, summary="事故详情（等级、上报环节及时限、补报期限、调查期限）")
def get_accident(request, accident_id: Id):
    return _detail(request, accident_id)


@router.patch("/accidents/{accident_id}", response=AccidentDetailOut, summary="更正事故报告的文字内容（伤亡数字只能补报）")
def update_accident(request, accident_id: Id, payload: AccidentPatch):
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    version = data.pop("version")
    services.accident_update(actor=request.auth, accident=_accident(request, accident_id), version=version, data=data)
    return _detail(request, accident_id)


@router.get("/accidents/{accident_id}/additions", response=list[AccidentAdditionOut], summary="伤亡补报记录")
def list_additions(request, accident_id: Id):
    return list(_accident(request, accident_id).additions.select_related("reported_by"))


@router.post("/accidents/{accident_id}/additions", response={201: AccidentDetailOut},
             summary="伤亡补报（第十三条：30日内，道路交通、火灾7日内；超期拒绝并说明期限届满日期）")
def add_casualties(request, accident_id: Id, payload: AccidentAdditionIn):
    data = payload.dict()
    version = data.pop("version")
    services.accident_add_casualties(actor=request.auth, accident=_accident(request, accident_id), version=version, data=data)
    return Status(201, _detail(request, accident_id))


# ---------------------------------------------------------------- legs and late findings


@router.post("/accidents/{accident_id}/legs/{leg_id}/receive", response=AccidentDetailOut, summary="登记本级接报时间")
def receive_leg(request, accident_id: Id, leg_id: Id, payload: AccidentLegTimeIn):
    services.leg_receive(actor=request.auth, leg=_leg(request, accident_id, leg_id), received_at=payload.at, note=payload.note)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/legs/{leg_id}/forward", response=AccidentDetailOut, summary="登记本级上报时间")
def forward_leg(request, accident_id: Id, leg_id: Id, payload: AccidentLegTimeIn):
    services.leg_forward(actor=request.auth, leg=_leg(request, accident_id, leg_id), forwarded_at=payload.at, note=payload.note)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/legs/{leg_id}/inform", response=AccidentDetailOut,
             summary="登记通知公安、人社、工会、检察院和本级政府的时间（第十条）")
def inform_leg(request, accident_id: Id, leg_id: Id, payload: AccidentInformIn):
    services.leg_inform(actor=request.auth, leg=_leg(request, accident_id, leg_id), party=payload.party, at=payload.at)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/late-findings", response={201: AccidentDetailOut}, summary="认定迟报、漏报、谎报、瞒报")
def add_late_finding(request, accident_id: Id, payload: AccidentLateFindingIn):
    services.late_finding_record(actor=request.auth, accident=_accident(request, accident_id), data=payload.dict())
    return Status(201, _detail(request, accident_id))


# ---------------------------------------------------------------- investigation


def _investigation(request, accident_id):
    accident = _accident(request, accident_id)
    return accident.investigation


@router.post("/accidents/{accident_id}/investigation/team", response=AccidentDetailOut, summary="成立事故调查组")
def form_team(request, accident_id: Id, payload: InvestigationTeamIn):
    data = payload.dict()
    version = data.pop("version")
    services.investigation_form_team(actor=request.auth, investigation=_investigation(request, accident_id), version=version,
                                     data=data)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/appraisals", response={201: AccidentDetailOut},
             summary="技术鉴定开始（鉴定时间不计入调查期限，第二十七条）")
def start_appraisal(request, accident_id: Id, payload: AccidentAppraisalIn):
    services.appraisal_start(actor=request.auth, investigation=_investigation(request, accident_id), version=payload.version,
                             started_on=payload.started_on, subject=payload.subject, appraiser=payload.appraiser)
    return Status(201, _detail(request, accident_id))


@router.post("/accidents/{accident_id}/investigation/appraisals/{appraisal_id}/end", response=AccidentDetailOut,
             summary="技术鉴定结束（调查期限相应顺延）")
def end_appraisal(request, accident_id: Id, appraisal_id: Id, payload: AccidentAppraisalEndIn):
    inv = _investigation(request, accident_id)
    appraisal = AppraisalPeriod.objects.filter(pk=appraisal_id, investigation=inv).first()
    if appraisal is None:
        from anquan.core.errors import NotFound

        raise NotFound()
    services.appraisal_end(actor=request.auth, appraisal=appraisal, ended_on=payload.ended_on)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/extension", response=AccidentDetailOut,
             summary="延长调查报告提交期限（经负责调查的人民政府批准，限一次、最长60日）")
def extend_investigation(request, accident_id: Id, payload: InvestigationExtensionIn):
    services.investigation_extend(actor=request.auth, investigation=_investigation(request, accident_id), version=payload.version,
                                  days=payload.days, reason=payload.reason, approved_by=payload.approved_by,
                                  approved_on=payload.approved_on)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/report", response=AccidentDetailOut, summary="提交事故调查报告（第三十条六项内容）")
def submit_report(request, accident_id: Id, payload: InvestigationReportIn):
    data = payload.dict()
    version = data.pop("version")
    services.investigation_submit_report(actor=request.auth, investigation=_investigation(request, accident_id), version=version,
                                         data=data)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/approval-extension", response=AccidentDetailOut,
             summary="延长批复期限（仅特别重大事故，最长30日）")
def extend_approval(request, accident_id: Id, payload: ApprovalExtensionIn):
    services.approval_extend(actor=request.auth, investigation=_investigation(request, accident_id), version=payload.version,
                             days=payload.days)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/approval", response=AccidentDetailOut, summary="批复事故调查报告（第三十二条）")
def approve(request, accident_id: Id, payload: AccidentApprovalIn):
    services.investigation_approve(actor=request.auth, investigation=_investigation(request, accident_id), version=payload.version,
                                   approved_on=payload.approved_on, approval_number=payload.approval_number, summary=payload.summary)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/investigation/evaluation", response=AccidentDetailOut,
             summary="整改和防范措施落实情况评估及公开（安全生产法第八十六条）")
def evaluate(request, accident_id: Id, payload: AccidentEvaluationIn):
    services.evaluation_record(actor=request.auth, investigation=_investigation(request, accident_id), version=payload.version,
                               evaluated_on=payload.evaluated_on, summary=payload.summary, published_on=payload.published_on,
                               published_where=payload.published_where)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/four-nots", response=AccidentDetailOut, summary="记录四不放过落实情况及证明材料")
def record_four_nots(request, accident_id: Id, payload: AccidentFourNotsIn):
    services.four_nots_record(actor=request.auth, accident=_accident(request, accident_id), item=payload.item,
                              evidence=payload.evidence)
    return _detail(request, accident_id)


@router.post("/accidents/{accident_id}/close", response=AccidentDetailOut, summary="结案（已批复且四不放过全部落实）")
def close(request, accident_id: Id, payload: AccidentVersionIn):
    services.accident_close(actor=request.auth, accident=_accident(request, accident_id), version=payload.version)
    return _detail(request, accident_id)



@router.get("/accidents/{accident_id}/accountability", response=list[AccidentAccountabilityOut], summary="事故问责记录（三责同追）")
def list_accountability(request, accident_id: Id):
    from anquan.supervision.models import AccountabilityRecord

    accident = _accident(request, accident_id)
    return list(AccountabilityRecord.objects.visible_to(request.auth).filter(accident=accident)
                .select_related("target_unit", "target_department", "target_enterprise").order_by("id"))


@router.post("/accidents/{accident_id}/accountability", response={201: AccidentAccountabilityOut},
             summary="提出问责（三责同追：企业主体责任、部门监管责任、属地管理责任）")
def open_accountability(request, accident_id: Id, payload: AccountabilityOpenIn):
    rec = services.accountability_open(actor=request.auth, accident=_accident(request, accident_id), data=payload.dict())
    return Status(201, rec)


@router.post("/accidents/{accident_id}/accountability/{record_id}/decision", response=AccidentAccountabilityOut,
             summary="作出问责处理决定（事故调查层级及以上）")
def decide_accountability(request, accident_id: Id, record_id: Id, payload: AccountabilityDecideIn):
    from anquan.supervision.models import AccountabilityRecord

    accident = _accident(request, accident_id)
    rec = get_visible(AccountabilityRecord.objects.filter(accident=accident, voided_at__isnull=True), request.auth, record_id)
    return services.accountability_decide(actor=request.auth, record_obj=rec, version=payload.version,
                                          decided_handling=payload.decided_handling, decided_on=payload.decided_on)
