"""API: supervision groups (督查组), checks with the standard questions, findings (整改要求) with
report/confirm/send-back, warning interviews (警示约谈) and circulars (通报).

Thin: reads through ``selectors`` / ``get_visible`` (an out-of-scope object answers 404 on every
endpoint), writes through ``services`` (422 with Chinese field messages, 403 when visible but
not permitted, 409 for a stale ``version`` or a refused state change). A check's answers are
``{"<question key>": {"answer": "yes|no|partial", "note": "…"}}``; the keys and their text come
from ``GET /supervision-questions``.

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.services import get_visible
from anquan.rules.calendar import today

from . import questions, selectors, services
from .models import Circular, Finding, Interview, SupervisionCheck, SupervisionGroup, finding_is_overdue

router = Router(tags=["督查与问责"], auth=AUTH)

Text = Annotated[str, Field(max_length=20000)]
Short = Annotated[str, Field(max_length=200)]
Ids = Annotated[list[Id], Field(max_length=50)]


# ---------------------------------------------------------------- schemas


class Ref(Schema):
    id: int
    name: str


def _ref(obj):
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


class MemberOut(Schema):
    id: int
    person: Ref
    role: str
    role_label: str
    has_account: bool
    added_at: datetime.datetime
    removed_at: datetime.datetime | None

    @staticmethod
    def resolve_person(obj):
        return _ref(obj.person)

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()

    @staticmethod
    def resolve_has_account(obj):
        return obj.assignment_id is not None


class GroupOut(Schema):
    id: int
    version: int
    name: str
    status: str
    period_start: datetime.date
    period_end: datetime.date
    task: str
    formed_by_unit: Ref
    streets: list[Ref]
    departments: list[Ref]

    @staticmethod
    def resolve_formed_by_unit(obj):
        return _ref(obj.formed_by_unit)

    @staticmethod
    def resolve_streets(obj):
        return [_ref(u) for u in obj.streets.all()]

    @staticmethod
    def resolve_departments(obj):
        return [_ref(d) for d in obj.departments.all()]


class GroupDetailOut(GroupOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.filter(removed_at__isnull=True).select_related("person"))


class GroupIn(Schema):
    name: Short
    period_start: datetime.date
    period_end: datetime.date
    task: Text = ""
    streets: Ids = []
    departments: Ids = []


class GroupPatch(Schema):
    version: Version
    name: Short | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    task: Text | None = None
    status: Literal["active", "closed"] | None = None
    streets: Ids | None = None
    departments: Ids | None = None


class MemberIn(Schema):
    version: Version
    person: Id
    role: Literal["leader", "member", "expert"]


class SupervisionReasonIn(Schema):
    version: Version
    reason: Short


class SupervisionVersionIn(Schema):
    version: Version


class CheckAnswerIn(BaseModel):
    """A plain pydantic model, not a ninja Schema: ninja's Schema reads attributes off anything, so a
    bare ``"yes"`` would pass as an empty answer and silently erase the stored one."""

    answer: Literal["yes", "no", "partial", ""] = ""
    note: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, value):
        if not isinstance(value, dict):
            raise PydanticCustomError("dict_type", "应为对象")
        return value


class CheckIn(Schema):
    unit: Id | None = None
    department: Id | None = None
    checked_on: datetime.date
    summary: Text = ""
    answers: Annotated[dict[Annotated[str, Field(max_length=20)], CheckAnswerIn], Field(max_length=20)] = {}


class CheckPatch(Schema):
    version: Version
    checked_on: datetime.date | None = None
    summary: Text | None = None
    answers: Annotated[dict[Annotated[str, Field(max_length=20)], CheckAnswerIn], Field(max_length=20)] | None = None


class CheckOut(Schema):
    id: int
    version: int
    group: Ref
    unit: Ref | None
    department: Ref | None
    checked_on: datetime.date
    status: str
    questions_version: str
    answers: dict
    summary: str
    completed_at: datetime.datetime | None

    @staticmethod
    def resolve_group(obj):
        return _ref(obj.group)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_department(obj):
        return _ref(obj.department)


class FindingIn(Schema):
    description: Text
    demand: Text
    deadline_days: Annotated[int, Field(ge=1, le=365)]
    question: Annotated[str, Field(max_length=20)] = ""


class FindingRoundOut(Schema):
    number: int
    measures: str
    reported_at: datetime.datetime
    on_time: bool
    verdict: str
    verified_at: datetime.datetime | None
    verdict_reason: str


class FindingOut(Schema):
    id: int
    version: int
    check: int
    group: Ref
    unit: Ref | None
    department: Ref | None
    number: int
    question: str
    description: str
    demand: str
    deadline_days: int
    deadline: datetime.date
    status: str
    status_label: str
    overdue: bool

    @staticmethod
    def resolve_check(obj):
        return obj.check_record_id

    @staticmethod
    def resolve_group(obj):
        return _ref(obj.group)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_department(obj):
        return _ref(obj.department)

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj):
        return finding_is_overdue(obj, today())


class FindingDetailOut(FindingOut):
    rounds: list[FindingRoundOut]

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())


class ReportIn(Schema):
    version: Version
    measures: Text


class FindingFilter(Schema):
    status: Literal["pending", "reported", "confirmed"] | None = None
    overdue: bool | None = Field(None, description="1：只看逾期（待整改且已过整改期限，按上海日期计算）")
    group: Id | None = None
    check: Id | None = None


class LinksIn(Schema):
    target_unit: Id | None = None
    target_department: Id | None = None
    target_enterprise: Id | None = None
    inspections: Ids = []
    hazards: Ids = []
    findings: Ids = []


class InterviewIn(LinksIn):
    target_industry: Id | None = Field(None, description="行业约谈：行业领域ID（与 target_unit 区域一并填写）")
    held_on: datetime.date
    place: Short = ""
    participants: Text
    content: Text
    commitments: Text = ""


class CircularIn(LinksIn):
    title: Short
    kind: Literal["criticism", "situation", "commendation"] = "criticism"
    issued_on: datetime.date
    content: Text
    requirements: Text = ""
    recipients: Annotated[str, Field(max_length=500)] = ""


class RecordOut(Schema):
    id: int
    version: int
    voided_at: datetime.datetime | None
    void_reason: str
    target_unit: Ref | None
    target_department: Ref | None
    target_enterprise: Ref | None
    recorder_unit: Ref
    content: str
    inspections: list[int]
    hazards: list[int]
    findings: list[int]

    @staticmethod
    def resolve_target_unit(obj):
        return _ref(obj.target_unit)

    @staticmethod
    def resolve_target_department(obj):
        return _ref(obj.target_department)

    @staticmethod
    def resolve_target_enterprise(obj):
        return _ref(obj.target_enterprise)

    @staticmethod
    def resolve_recorder_unit(obj):
        return _ref(obj.recorder_unit)

    @staticmethod
    def resolve_inspections(obj):
        return sorted(obj.inspections.values_list("pk", flat=True))

    @staticmethod
    def resolve_hazards(obj):
        return sorted(obj.hazards.values_list("pk", flat=True))

    @staticmethod
    def resolve_findings(obj):
        return sorted(obj.findings.values_list("pk", flat=True))


class InterviewOut(RecordOut):
    target_industry: Ref | None
    held_on: datetime.date
    place: str
    participants: str
    commitments: str

    @staticmethod
    def resolve_target_industry(obj):
        return _ref(obj.target_industry)


class CircularOut(RecordOut):
    title: str
    kind: str
    issued_on: datetime.date
    requirements: str
    recipients: str
    document_id: int | None
    document_number: str


class QuestionOut(Schema):
    key: str
    text: str
    hint: str


class QuestionsOut(Schema):
    version: str
    answers: dict[str, str]
    questions: list[QuestionOut]


# ---------------------------------------------------------------- helpers


def _group(request, pk) -> SupervisionGroup:
    return get_visible(SupervisionGroup.objects.select_related("formed_by_unit"), request.auth, pk)


def _check(request, pk) -> SupervisionCheck:
    return get_visible(SupervisionCheck.objects.select_related("group__formed_by_unit", "unit", "department"), request.auth, pk)


def _finding(request, pk) -> Finding:
    return get_visible(Finding.objects.select_related("group__formed_by_unit", "unit", "department"), request.auth, pk)


# ---------------------------------------------------------------- questions and groups


@router.get("/supervision-questions", response=QuestionsOut, summary="督查标准问题（当前版本）")
def get_questions(request):
    return {"version": questions.CURRENT_VERSION, "answers": questions.ANSWERS,
            "questions": [q.__dict__ for q in questions.questions()]}


@router.get("/supervision-groups", response=list[GroupOut], summary="督查组列表")
@paginate(Pages)
def list_groups(request):
    return selectors.group_list(request.auth)


@router.post("/supervision-groups", response={201: GroupDetailOut}, summary="组建督查组（安委办）")
def create_group(request, payload: GroupIn):
    group = services.group_create(actor=request.auth, data=payload.dict())
    return Status(201, _group(request, group.pk))


@router.get("/supervision-groups/{group_id}", response=GroupDetailOut, summary="督查组详情（成员、督查范围）")
def get_group(request, group_id: Id):
    return _group(request, group_id)


@router.patch("/supervision-groups/{group_id}", response=GroupDetailOut,
              summary="修改督查组（名称、任务、督查期、督查范围；status=closed 结束督查并收回授权）")
def update_group(request, group_id: Id, payload: GroupPatch):
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}  # null = unchanged
    version = data.pop("version")
    services.group_update(actor=request.auth, group=_group(request, group_id), version=version, data=data)
    return _group(request, group_id)


@router.post("/supervision-groups/{group_id}/members", response={201: GroupDetailOut}, summary="添加督查组成员")
def add_member(request, group_id: Id, payload: MemberIn):
    services.member_add(actor=request.auth, group=_group(request, group_id), version=payload.version,
                        data={"person": payload.person, "role": payload.role})
    return Status(201, _group(request, group_id))


@router.post("/supervision-groups/{group_id}/members/{member_id}/remove", response=GroupDetailOut, summary="成员退出督查组")
def remove_member(request, group_id: Id, member_id: Id, payload: SupervisionReasonIn):
    services.member_remove(actor=request.auth, group=_group(request, group_id), member_id=member_id,
                           version=payload.version, reason=payload.reason)
    return _group(request, group_id)


# ---------------------------------------------------------------- checks


@router.get("/supervision-checks", response=list[CheckOut], summary="督查记录列表")
@paginate(Pages)
def list_checks(request, group: Id | None = None):
    return selectors.check_list(request.auth, group)


@router.post("/supervision-groups/{group_id}/checks", response={201: CheckOut}, summary="新建督查记录（回答标准问题）")
def create_check(request, group_id: Id, payload: CheckIn):
    check = services.check_create(actor=request.auth, group=_group(request, group_id), data=payload.dict())
    return Status(201, _check(request, check.pk))


@router.get("/supervision-checks/{check_id}", response=CheckOut, summary="督查记录详情")
def get_check(request, check_id: Id):
    return _check(request, check_id)


@router.patch("/supervision-checks/{check_id}", response=CheckOut, summary="修改督查记录（完成前）")
def update_check(request, check_id: Id, payload: CheckPatch):
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}  # null = unchanged
    version = data.pop("version")
    services.check_update(actor=request.auth, check=_check(request, check_id), version=version, data=data)
    return _check(request, check_id)


@router.post("/supervision-checks/{check_id}/complete", response=CheckOut, summary="完成督查（须答完全部问题）")
def complete_check(request, check_id: Id, payload: SupervisionVersionIn):
    services.check_complete(actor=request.auth, check=_check(request, check_id), version=payload.version)
    return _check(request, check_id)


@router.post("/supervision-checks/{check_id}/findings", response={201: FindingDetailOut},
             summary="记录发现的问题（向被督查单位提出整改要求和期限）")
def add_finding(request, check_id: Id, payload: FindingIn):
    finding = services.finding_add(actor=request.auth, check=_check(request, check_id), data=payload.dict())
    return Status(201, _finding(request, finding.pk))


# ---------------------------------------------------------------- findings


@router.get("/supervision-findings", response=list[FindingOut], summary="督查问题整改列表（逾期在前）")
@paginate(Pages)
def list_findings(request, filters: Query[FindingFilter]):
    params = {}
    for key, value in filters.dict().items():
        if value is None:
            continue
        params[key] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return selectors.finding_list(request.auth, params)


@router.get("/supervision-findings/{finding_id}", response=FindingDetailOut, summary="督查问题详情（整改报告与确认）")
def get_finding(request, finding_id: Id):
    return _finding(request, finding_id)


@router.post("/supervision-findings/{finding_id}/report", response=FindingDetailOut, summary="报告整改情况（被督查单位）")
def report_finding(request, finding_id: Id, payload: ReportIn):
    services.finding_report(actor=request.auth, finding=_finding(request, finding_id), version=payload.version,
                            measures=payload.measures)
    return _finding(request, finding_id)


@router.post("/supervision-findings/{finding_id}/confirm", response=FindingDetailOut, summary="确认整改到位（督查组、安委办）")
def confirm_finding(request, finding_id: Id, payload: SupervisionVersionIn):
    services.finding_confirm(actor=request.auth, finding=_finding(request, finding_id), version=payload.version)
    return _finding(request, finding_id)


@router.post("/supervision-findings/{finding_id}/send-back", response=FindingDetailOut, summary="退回整改（督查组、安委办）")
def send_back_finding(request, finding_id: Id, payload: SupervisionReasonIn):
    services.finding_send_back(actor=request.auth, finding=_finding(request, finding_id), version=payload.version,
                               reason=payload.reason)
    return _finding(request, finding_id)


# ---------------------------------------------------------------- interviews and circulars


@router.get("/interviews", response=list[InterviewOut], summary="警示约谈列表")
@paginate(Pages)
def list_interviews(request):
    return selectors.interview_list(request.auth)


@router.post("/interviews", response={201: InterviewOut}, summary="登记警示约谈（对象：单位、部门或企业三选一；行业约谈：区域单位加行业）")
def create_interview(request, payload: InterviewIn):
    interview = services.interview_create(actor=request.auth, data=payload.dict())
    return Status(201, get_visible(Interview.objects.all(), request.auth, interview.pk))


@router.get("/interviews/{interview_id}", response=InterviewOut, summary="警示约谈详情")
def get_interview(request, interview_id: Id):
    return get_visible(Interview.objects.all(), request.auth, interview_id)


@router.post("/interviews/{interview_id}/void", response=InterviewOut, summary="作废警示约谈记录（登记单位，需填写原因）")
def void_interview(request, interview_id: Id, payload: SupervisionReasonIn):
    interview = get_visible(Interview.objects.all(), request.auth, interview_id)
    services.record_void(actor=request.auth, obj=interview, version=payload.version, reason=payload.reason)
    return get_visible(Interview.objects.all(), request.auth, interview_id)


@router.get("/circulars", response=list[CircularOut], summary="通报列表")
@paginate(Pages)
def list_circulars(request):
    return selectors.circular_list(request.auth)


@router.post("/circulars", response={201: CircularOut}, summary="登记通报（自动生成通报公文）")
def create_circular(request, payload: CircularIn):
    circular = services.circular_create(actor=request.auth, data=payload.dict())
    return Status(201, get_visible(Circular.objects.all(), request.auth, circular.pk))


@router.get("/circulars/{circular_id}", response=CircularOut, summary="通报详情")
def get_circular(request, circular_id: Id):
    return get_visible(Circular.objects.all(), request.auth, circular_id)


@router.post("/circulars/{circular_id}/document", response=CircularOut, summary="为通报生成公文（尚未生成时）")
def circular_document(request, circular_id: Id, payload: SupervisionVersionIn):
    circular = get_visible(Circular.objects.all(), request.auth, circular_id)
    services.circular_issue_document(actor=request.auth, circular=circular, version=payload.version)
    return get_visible(Circular.objects.all(), request.auth, circular_id)


@router.post("/circulars/{circular_id}/void", response=CircularOut, summary="作废通报（登记单位，需填写原因；其公文一并作废）")
def void_circular(request, circular_id: Id, payload: SupervisionReasonIn):
    circular = get_visible(Circular.objects.all(), request.auth, circular_id)
    services.record_void(actor=request.auth, obj=circular, version=payload.version, reason=payload.reason)
    return get_visible(Circular.objects.all(), request.auth, circular_id)
