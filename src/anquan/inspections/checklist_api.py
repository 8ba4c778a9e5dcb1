"""API: checklist templates (检查表) — list, detail, create a draft, edit a draft, publish, new version, retire.

Reads go through ``services.checklists.visible_checklists`` (a template out of reach answers 404,
drafts are seen only by their managers); writes through the checklist services (403 for a visible
template the caller may not manage, 409 when its state refuses, 422 with Chinese messages).

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages

from .services import checklists as cl

router = Router(tags=["检查表"], auth=AUTH)

Short = Annotated[str, Field(max_length=300)]
Long = Annotated[str, Field(max_length=5000)]
Ref = int | Annotated[str, Field(max_length=40)] | None


class ItemIn(Schema):
    number: Annotated[str, Field(max_length=40)] = ""
    text: Long = ""
    finding: Short = Field("", description="不符合时的隐患表述（陈述句，作为据此形成的隐患的描述）")
    basis: Short = ""
    how_to_check: Long = ""
    category: Ref = Field(None, description="隐患类别ID或代码")
    suggested_level: Annotated[str, Field(max_length=20)] = "general"
    major_criterion: Id | None = Field(None, description="对应的重大事故隐患判定标准条款（检查项ID）")


class ChecklistIn(Schema):
    name: Short = ""
    industry: Ref = Field(None, description="行业领域代码或ID")
    basis: Short = ""
    items: Annotated[list[ItemIn], Field(max_length=cl.MAX_ITEMS + 1)] = []


class ChecklistItemOut(Schema):
    id: int
    number: str
    text: str
    finding: str
    basis: str
    how_to_check: str
    category_id: int | None
    suggested_level: str
    major_criterion_id: int | None


class ChecklistOut(Schema):
    id: int
    code: str
    version: int
    name: str
    status: str
    industry: str | None
    basis: str
    owner_unit_id: int | None
    owner_department_id: int | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.code if obj.industry_id else None


class ChecklistDetailOut(ChecklistOut):
    items: list[ChecklistItemOut]
    may_manage: bool = False

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.order_by("sort", "id"))


class ChecklistFilter(Schema):
    status: Annotated[str, Field(max_length=20)] | None = None
    usable: bool | None = Field(None, description="只列可用于新计划的检查表")
    industry: Annotated[str, Field(max_length=40)] | None = None


class ChecklistRetireIn(Schema):
    reason: Short = ""


def _body(payload) -> dict:
    data = payload.dict()
    data["items"] = list(data.get("items") or [])
    return data


def _detail(request, obj):
    obj.may_manage = cl.may_manage(request.auth, obj)
    return obj


@router.get("/checklists", response=list[ChecklistOut], summary="检查表列表")
@paginate(Pages)
def list_checklists(request, filters: Query[ChecklistFilter]):
    qs = cl.usable_checklists(request.auth) if filters.usable else cl.visible_checklists(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.industry:
        qs = qs.filter(industry__code=filters.industry)
    return qs.select_related("industry").order_by("name", "code", "-version")


@router.get("/checklists/{checklist_id}", response=ChecklistDetailOut, summary="检查表详情（含检查项）")
def get_checklist(request, checklist_id: Id):
    return _detail(request, cl.get_checklist(request.auth, checklist_id))


@router.post("/checklists", response={201: ChecklistDetailOut}, summary="新建检查表（草稿）")
def create_checklist(request, payload: ChecklistIn):
    return Status(201, _detail(request, cl.checklist_create(actor=request.auth, data=_body(payload))))


@router.put("/checklists/{checklist_id}", response=ChecklistDetailOut, summary="修改检查表草稿（整体替换检查项）")
def update_checklist(request, checklist_id: Id, payload: ChecklistIn):
    obj = cl.get_checklist(request.auth, checklist_id)
    return _detail(request, cl.checklist_update(actor=request.auth, checklist=obj, data=_body(payload)))


@router.post("/checklists/{checklist_id}/publish", response=ChecklistDetailOut, summary="发布检查表（发布后不可修改）")
def publish_checklist(request, checklist_id: Id):
    obj = cl.get_checklist(request.auth, checklist_id)
    return _detail(request, cl.checklist_publish(actor=request.auth, checklist=obj))


@router.post("/checklists/{checklist_id}/new-version", response={201: ChecklistDetailOut}, summary="由已发布版本生成新版本草稿")
def new_version(request, checklist_id: Id):
    obj = cl.get_checklist(request.auth, checklist_id)
    return Status(201, _detail(request, cl.checklist_new_version(actor=request.auth, checklist=obj)))


@router.post("/checklists/{checklist_id}/retire", response=ChecklistDetailOut, summary="废止检查表")
def retire_checklist(request, checklist_id: Id, payload: ChecklistRetireIn):
    obj = cl.get_checklist(request.auth, checklist_id)
    return _detail(request, cl.checklist_retire(actor=request.auth, checklist=obj, reason=payload.reason))
