"""API: inspection plans (检查计划) and their random draws (双随机).

Plans are read through ``InspectionPlan.objects.visible_to`` (404 out of scope; an unannounced
plan is never in the scope of the inspected enterprise or its street/community/grid, and a
plan's tasks are listed through ``Inspection.objects.visible_to``); a draw is reached through
its plan. Writes go through ``services.plans``.

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.errors import NotFound
from anquan.core.services import get_visible, safe_id

from .models import Draw, Inspection, InspectionPlan
from .services import plans

router = Router(tags=["检查计划"], auth=AUTH)

Short = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(max_length=40)]
Ids = Annotated[list[Id], Field(max_length=200)]


class PlanIn(Schema):
    name: Short = ""
    kind: Code = ""
    period_start: Code = Field("", description="YYYY-MM-DD")
    period_end: Code = Field("", description="YYYY-MM-DD")
    territory: Id | None = Field(None, description="检查范围（区划ID，默认本级）")
    industries: Annotated[list[Code], Field(max_length=100)] = Field([], description="行业领域代码")
    risk_colours: Annotated[list[Code], Field(max_length=4)] = Field([], description="red/orange/yellow/blue")
    target_sites: Ids = Field([], description="指定场所（场所ID）：设定后只检查这些场所，不再按行业、风险等级筛选；抽取在其中进行")
    checklists: Ids = []
    joint_departments: Ids = []
    part_departments: Annotated[dict[Code, Id], Field(max_length=200)] = Field({}, description="联合检查：检查表ID → 负责部门ID")
    enforcement: bool = False
    unannounced: bool = False
    inspectors_per_task: Annotated[int, Field(ge=0, le=1000)] = 2
    notes: Annotated[str, Field(max_length=5000)] = ""


class PlanPatch(PlanIn):
    version: Version


class IssueIn(Schema):
    version: Version
    inspectors: Ids = Field([], description="未抽取的计划：每个任务的检查人员（人员ID）")


class AssignIn(Schema):
    version: Version = Field(..., description="检查任务的版本号")
    inspectors: Ids
    reason: Short = Field("", description="更换理由（随机抽取产生的人员必填）")


class DrawIn(Schema):
    version: Version
    seed: Annotated[int, Field(ge=0, le=2**53 - 1)] | None = Field(None, description="随机种子；留空由系统生成")
    target_count: Annotated[int, Field(ge=1, le=plans.MAX_TASKS)]
    inspectors_per_target: Annotated[int, Field(ge=1, le=10)] | None = None
    pool: Ids = Field(..., description="检查人员库（人员ID）")


class PlanFilter(Schema):
    q: Annotated[str, Field(max_length=100)] | None = Field(None, description="计划名称")
    status: Code | None = None


class PreviewOut(Schema):
    count: int
    sample: list[str]


class PlanOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    organiser_unit_id: int
    department_id: int | None
    enterprise_id: int | None
    period_start: datetime.date
    period_end: datetime.date
    territory_id: int
    industries: list[str]
    risk_colours: list[str]
    target_sites: list[int]
    checklists: list[int]
    joint_departments: list[int]
    part_departments: dict[str, int]
    enforcement: bool
    unannounced: bool
    inspectors_per_task: int
    notes: str
    version: int

    @staticmethod
    def resolve_industries(obj):
        return sorted(obj.industries.values_list("code", flat=True))

    @staticmethod
    def resolve_target_sites(obj):
        return sorted(obj.target_sites.values_list("pk", flat=True))

    @staticmethod
    def resolve_checklists(obj):
        return sorted(obj.checklists.values_list("pk", flat=True))

    @staticmethod
    def resolve_joint_departments(obj):
        return sorted(obj.joint_departments.values_list("pk", flat=True))


class TaskOut(Schema):
    id: int
    site_id: int
    site_name: str
    status: str
    due_on: datetime.date | None
    performed_at: datetime.datetime | None
    inspectors: list[int]
    parts: list[dict]


class DrawOut(Schema):
    id: int
    plan_id: int
    seed: int
    target_count: int
    inspectors_per_target: int
    frame: list[int]
    pool: list[int]
    conflicts: dict
    result: list[dict]
    drawn_by_id: int
    drawn_at: datetime.datetime


class PlanDetailOut(PlanOut):
    tasks: list[TaskOut] = Field([], alias="task_rows")
    draws: list[DrawOut] = Field([], alias="draw_rows")


class PoolOut(Schema):
    person_id: int
    name: str
    post: str
    role: str
    enforcement_cert: bool


class VerifyOut(Schema):
    same: bool
    result: list[dict]


def _plan(request, plan_id) -> InspectionPlan:
    return get_visible(InspectionPlan.objects.select_related("organiser_unit", "department", "territory"), request.auth, plan_id)


def _tasks(request, plan):
    qs = (Inspection.objects.visible_to(request.auth).filter(plan=plan).select_related("site")
          .prefetch_related("inspectors", "parts").order_by("id"))
    return [{
        "id": t.pk, "site_id": t.site_id, "site_name": t.site.name, "status": t.status, "due_on": t.due_on,
        "performed_at": t.performed_at, "inspectors": sorted(p.pk for p in t.inspectors.all()),
        "parts": [{"checklist_id": p.checklist_id, "department_id": p.department_id} for p in t.parts.all()],
    } for t in qs]


def _detail(request, plan):
    plan.task_rows = _tasks(request, plan)
    plan.draw_rows = list(plan.draws.order_by("id"))
    return plan


@router.get("/inspection-plans", response=list[PlanOut], summary="检查计划列表")
@paginate(Pages)
def list_plans(request, filters: Query[PlanFilter]):
    qs = InspectionPlan.objects.visible_to(request.auth)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-period_start", "-id")


@router.post("/inspection-plans/preview", response=PreviewOut, summary="预览符合条件的检查对象数")
def preview(request, payload: PlanIn):
    return plans.plan_preview(actor=request.auth, data=payload.dict())


@router.post("/inspection-plans", response={201: PlanDetailOut}, summary="新建检查计划（草稿）")
def create_plan(request, payload: PlanIn):
    return Status(201, _detail(request, plans.plan_create(actor=request.auth, data=payload.dict())))


@router.get("/inspection-plans/{plan_id}", response=PlanDetailOut, summary="检查计划详情（任务、抽取记录）")
def get_plan(request, plan_id: Id):
    return _detail(request, _plan(request, plan_id))


@router.put("/inspection-plans/{plan_id}", response=PlanDetailOut, summary="修改检查计划草稿")
def update_plan(request, plan_id: Id, payload: PlanPatch):
    plan = _plan(request, plan_id)
    data = payload.dict()
    version = data.pop("version")
    return _detail(request, plans.plan_update(actor=request.auth, plan=plan, version=version, data=data))


@router.get("/inspection-plans/{plan_id}/pool", response=list[PoolOut], summary="可选检查人员（人员库候选）")
def plan_pool(request, plan_id: Id):
    from anquan.core.services import authorize

    plan = _plan(request, plan_id)
    authorize(request.auth, plan, plans.PLAN)
    return [{"person_id": p.pk, "name": p.name, "post": p.post, "role": a.get_role_display(),
             "enforcement_cert": bool(p.enforcement_cert_no.strip())} for p, a in plans.pool_people(plan)]


@router.post("/inspection-plans/{plan_id}/issue", response=PlanDetailOut, summary="下达检查计划（生成检查任务）")
def issue_plan(request, plan_id: Id, payload: IssueIn):
    plan = _plan(request, plan_id)
    plans.plan_issue(actor=request.auth, plan=plan, version=payload.version, inspectors=payload.inspectors)
    return _detail(request, _plan(request, plan_id))


@router.post("/inspection-plans/{plan_id}/tasks/{task_id}/inspectors", response=TaskOut, summary="更换检查任务的检查人员（未开始的任务）")
def assign_task(request, plan_id: Id, task_id: Id, payload: AssignIn):
    plan = _plan(request, plan_id)
    task = get_visible(Inspection.objects.filter(plan=plan).select_related("site", "plan"), request.auth, task_id)
    plans.task_assign(actor=request.auth, inspection=task, version=payload.version, inspectors=payload.inspectors,
                      reason=payload.reason)
    return next(t for t in _tasks(request, plan) if t["id"] == task.pk)


@router.post("/inspection-plans/{plan_id}/draws", response={201: DrawOut}, summary="双随机抽取（记录随机种子）")
def create_draw(request, plan_id: Id, payload: DrawIn):
    plan = _plan(request, plan_id)
    draw = plans.plan_draw(actor=request.auth, plan=plan, version=payload.version, seed=payload.seed,
                           target_count=payload.target_count, pool=payload.pool,
                           inspectors_per_target=payload.inspectors_per_target)
    return Status(201, draw)


def _draw(request, draw_id) -> Draw:
    pk = safe_id(draw_id)
    draw = Draw.objects.filter(pk=pk).first() if pk else None
    if draw is None or not InspectionPlan.objects.visible_to(request.auth).filter(pk=draw.plan_id).exists():
        raise NotFound()
    return draw


@router.get("/draws/{draw_id}", response=DrawOut, summary="抽取记录详情")
def get_draw(request, draw_id: Id):
    return _draw(request, draw_id)


@router.get("/draws/{draw_id}/verify", response=VerifyOut, summary="复核：按记录的种子、候选对象和人员库重新计算")
def verify_draw(request, draw_id: Id):
    return plans.draw_verify(_draw(request, draw_id))
