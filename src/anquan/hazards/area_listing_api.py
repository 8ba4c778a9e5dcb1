"""API: 区域/行业挂牌督办 (/api/v1/area-listings) — the same services and scoping as the pages (views_area_listing).

Do not add ``from __future__ import annotations`` here: it breaks ninja's schemas.
"""

import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from anquan.core.api_support import AUTH, Id, Version
from anquan.core.services import get_visible

from .models.supervision import AreaListing
from .services import area_listing as service
from .views_area_listing import area_register

router = Router(auth=AUTH, tags=["区域/行业挂牌督办"])

Text = Annotated[str, Field(max_length=10000)]


class AreaRef(Schema):
    id: int
    name: str


class AreaListingOut(Schema):
    id: int
    version: int
    level: str
    listing_unit: AreaRef
    target_unit: AreaRef
    target_industry: AreaRef | None
    object_name: str
    problems: str
    requirements: str
    document_no: str
    deadline: datetime.date
    status: str
    listed_at: datetime.datetime
    reported_at: datetime.datetime | None
    report: str
    reviewed_at: datetime.datetime | None
    review_opinion: str
    delisted_at: datetime.datetime | None

    @staticmethod
    def resolve_listing_unit(obj):
        return {"id": obj.listing_unit_id, "name": obj.listing_unit.name}

    @staticmethod
    def resolve_target_unit(obj):
        return {"id": obj.target_unit_id, "name": obj.target_unit.name}

    @staticmethod
    def resolve_target_industry(obj):
        return {"id": obj.target_industry_id, "name": obj.target_industry.name} if obj.target_industry_id else None


class AreaListingIn(Schema):
    target_unit: Id = Field(..., description="挂牌区域（区划单位ID）：本辖区内的下级区域；按行业挂牌时可为本级辖区")
    target_industry: Id | None = Field(None, description="挂牌行业（行业领域ID），区域挂牌督办时不填")
    problems: Text
    requirements: Text = ""
    deadline: datetime.date
    client_key: Annotated[str, Field(max_length=64)] = ""


class AreaReportIn(Schema):
    version: Version
    report: Text


class AreaReviewIn(Schema):
    version: Version
    passed: bool
    opinion: Text


class AreaListingQuery(Schema):
    status: str = Field("", description="listed / reported / delisted，或 active（未摘牌）")
    mine: str = Field("", description="1：待我办理（被挂牌方待报告、挂牌单位待审查）")


@router.get("/area-listings", response=list[AreaListingOut], summary="区域/行业挂牌督办列表")
def list_area_listings(request, filters: Query[AreaListingQuery]):
    return list(area_register(request.auth, filters.dict())[:500])


@router.post("/area-listings", response={201: AreaListingOut}, summary="区域/行业挂牌督办（同时下达挂牌督办通知，文号即督办文号）")
def create_area_listing(request, payload: AreaListingIn):
    listing = service.area_list(
        actor=request.auth, target_unit_id=payload.target_unit, target_industry_id=payload.target_industry,
        problems=payload.problems, requirements=payload.requirements, deadline=payload.deadline,
        client_key=request.headers.get("Idempotency-Key", "") or payload.client_key)
    return Status(201, get_visible(AreaListing.objects.all(), request.auth, listing.pk))


@router.get("/area-listings/{listing_id}", response=AreaListingOut, summary="区域/行业挂牌督办详情")
def get_area_listing(request, listing_id: Id):
    return get_visible(AreaListing.objects.all(), request.auth, listing_id)


@router.post("/area-listings/{listing_id}/report", response=AreaListingOut, summary="被挂牌区域（行业主管部门）报告整改情况")
def report_area_listing(request, listing_id: Id, payload: AreaReportIn):
    listing = get_visible(AreaListing.objects.all(), request.auth, listing_id)
    service.area_report(actor=request.auth, listing=listing, version=payload.version, report=payload.report)
    return get_visible(AreaListing.objects.all(), request.auth, listing_id)


@router.post("/area-listings/{listing_id}/review", response=AreaListingOut, summary="挂牌单位审查整改情况（合格即摘牌）")
def review_area_listing(request, listing_id: Id, payload: AreaReviewIn):
    listing = get_visible(AreaListing.objects.all(), request.auth, listing_id)
    service.area_review(actor=request.auth, listing=listing, version=payload.version, passed=payload.passed,
                        opinion=payload.opinion)
    return get_visible(AreaListing.objects.all(), request.auth, listing_id)
