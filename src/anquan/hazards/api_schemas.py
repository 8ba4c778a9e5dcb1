"""Schemas of the hazard API (hazards/api.py): filters, request bodies, answers; photo decoding;
the detail queryset whose prefetches keep the detail at a constant number of queries.

Do not add ``from __future__ import annotations`` here: ninja reads these annotations at run time.
"""

import base64
import binascii
import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch
from ninja import Field, Schema
from pydantic import ConfigDict

from anquan.core.api_support import Id, Version
from anquan.core.errors import Invalid
from anquan.core.uploads import MAX_IMAGE_BYTES, MAX_PHOTOS_PER_UPLOAD
from anquan.rules.calendar import today
from anquan.rules.deadlines import is_overdue, verification_due

from .models import DeadlineExtension, Hazard, HazardPhoto, OverdueExplanation, RectificationRound

MAX_PHOTOS = MAX_PHOTOS_PER_UPLOAD
Text = Annotated[str, Field(max_length=10000)]
Short = Annotated[str, Field(max_length=200)]
ConditionKeys = Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=20)]
ElementIds = Annotated[list[Id], Field(max_length=100)]
PlaceKind = Annotated[str, Field(max_length=40)]
Photos = Annotated[list[Annotated[str, Field(max_length=MAX_IMAGE_BYTES * 4 // 3 + 100)]], Field(max_length=MAX_PHOTOS)]


def decode_photos(items: list[str], field: str) -> list[bytes]:
    """Base64 strings (optionally ``data:image/…;base64,``) → bytes; the service checks each by content."""
    out = []
    for item in items or []:
        if item.startswith("data:") and "," in item:
            item = item.split(",", 1)[1]
        try:
            out.append(base64.b64decode(item, validate=True))
        except (binascii.Error, ValueError):
            raise Invalid({field: ["照片须为Base64编码的JPEG、PNG或WebP图片"]}) from None
    return out


# ------------------------------------------------------------------ filters and bodies


class HazardFilter(Schema):
    """The list filters (selectors.HAZARD_FILTERS); ``status`` also takes "open" or several joined by commas."""

    status: str | None = None
    level: str | None = None
    overdue: bool | None = Field(None, description="1：只看逾期（由现行期限和状态计算）")
    unit: Id | None = Field(None, description="属地（含下级）")
    industry: Id | None = None
    enterprise: Id | None = None
    site: Id | None = None
    source: str | None = None
    category: Id | None = Field(None, description="隐患类别（含下级类别）")
    found_from: datetime.date | None = None
    found_to: datetime.date | None = None
    department: Id | None = Field(None, description="行业主管部门")
    closed: bool | None = None
    listed: bool | None = Field(None, description="1：挂牌督办中")
    immediate: bool | None = Field(None, description="1：立查立改")


class HazardCreateIn(Schema):
    site: Id
    description: Text
    source: str
    category: Id | None = None
    location: Short = ""
    found_at: datetime.datetime | None = None
    level: str | None = None
    criterion: Id | None = Field(None, description="匹配的重大事故隐患判定标准条款（选了即为重大；须为发现之日有效、适用于该场所行业的条款）")
    criterion_conditions: ConditionKeys | None = Field(None, description="“并且”条款已确认具备的情形代号（须全部具备）")
    elements: ElementIds | None = Field(None, description="综合判定要素（条款id，同一判定标准）")
    place_kind: PlaceKind | None = Field(None, description="综合判定的场所类别（行业代码，如crowded）")
    immediate: bool = False
    responsible_person: Id | None = None
    responsible_name: Annotated[str, Field(max_length=50)] = ""
    responsible_phone: Annotated[str, Field(max_length=30)] = ""
    measures: Text = ""
    funds: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    deadline: datetime.date | None = None
    contingency_plan: Text = ""
    report_situation: Text = ""
    report_harm: Text = ""
    plan_goal: Text = ""
    plan_methods: Text = ""
    plan_funds: Text = ""
    plan_org: Text = ""
    plan_timeline: Text = ""
    plan_safety: Text = ""
    found_by: Annotated[list[Id], Field(max_length=20)] = []
    photos: Photos = []
    after_photos: Photos = Field([], description="立查立改时的整改后照片")


class HazardPatch(Schema):
    """Descriptive fields only, with the version last read. Deadline, level, site and responsible
    unit are refused here (422): they change through extension, grading and transfer."""

    model_config = ConfigDict(extra="forbid")
    version: Version
    category: Id | None = None
    description: Text | None = None
    location: Short | None = None
    measures: Text | None = None
    funds: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    contingency_plan: Text | None = None
    responsible_person: Id | None = None
    responsible_name: Annotated[str, Field(max_length=50)] | None = None
    responsible_phone: Annotated[str, Field(max_length=30)] | None = None
    report_situation: Text | None = None
    report_harm: Text | None = None
    plan_goal: Text | None = None
    plan_methods: Text | None = None
    plan_funds: Text | None = None
    plan_org: Text | None = None
    plan_timeline: Text | None = None
    plan_safety: Text | None = None


class VersionIn(Schema):
    version: Version


class ReasonIn(VersionIn):
    reason: Text = ""


class SubmitIn(VersionIn):
    measures_taken: Text = ""
    after_photos: Photos = []


class VerifyIn(VersionIn):
    passed: bool
    reason: Text = ""
    photos: Photos = []


class SendBackIn(VersionIn):
    reason: Text = ""
    photos: Photos = []


class RecheckIn(VersionIn):
    passed: bool
    reason: Text = ""
    new_deadline: datetime.date | None = None


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: Text = ""


class DecideIn(VersionIn):
    approve: bool
    reason: Text = ""


class TextIn(Schema):
    text: Text = ""


class JudgeIn(VersionIn):
    criterion: Id | None = Field(None, description="符合的判定标准条款（或以elements综合判定）")
    criterion_conditions: ConditionKeys | None = Field(None, description="“并且”条款已确认具备的情形代号")
    elements: ElementIds | None = Field(None, description="综合判定要素（条款id）")
    place_kind: PlaceKind | None = None
    reason: Text = ""


class TransferIn(VersionIn):
    site: Id
    reason: Text = ""


class ControlIn(Schema):
    kind: str
    reason: Text = ""


class ControlEndIn(Schema):
    reason: Text = ""


class ListIn(VersionIn):
    # No 督办文号 here: the listing's number is its 挂牌督办通知书's 文号, issued with it.
    deadline: datetime.date


class ResumeIn(Schema):
    application: Text = ""


class ReviewIn(Schema):
    passed: bool
    opinion: Text = ""


class DelistIn(VersionIn):
    reason: Text = ""


# ------------------------------------------------------------------ answers


def _name(user) -> str:
    return user.display_name if user is not None else ""


class PhotoOut(Schema):
    id: int
    hazard_id: int
    round_id: int | None
    kind: str
    content_type: str
    uploaded_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_url(obj):
        return f"/api/v1/hazard-photos/{obj.pk}/file"


class RoundOut(Schema):
    id: int
    hazard_id: int
    number: int
    measures_taken: str
    submitted_by: str
    submitted_role: str
    submitted_at: datetime.datetime
    deadline_at_submission: datetime.date
    on_time: bool
    verdict: str
    verified_by: str
    verified_at: datetime.datetime | None
    verdict_reason: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_submitted_by(obj):
        return _name(obj.submitted_by)

    @staticmethod
    def resolve_verified_by(obj):
        return _name(obj.verified_by)

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())


class ExtensionOut(Schema):
    id: int
    previous_deadline: datetime.date
    requested_deadline: datetime.date
    reason: str
    requested_by_id: int
    requested_at: datetime.datetime
    status: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_reason: str


class ListingOut(Schema):
    id: int
    level: str
    listing_unit_id: int
    document_no: str
    deadline: datetime.date
    status: str
    listed_at: datetime.datetime
    resume_applied_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_opinion: str
    delisted_at: datetime.datetime | None


class ControlOut(Schema):
    id: int
    kind: str
    reason: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    end_reason: str


class ExplanationOut(Schema):
    id: int
    kind: str
    text: str
    submitted_by_id: int
    submitted_at: datetime.datetime


class EventOut(Schema):
    at: datetime.datetime
    action: str
    actor_name: str
    acting_role: str
    acting_unit: str
    reason: str
    before: dict | None
    after: dict | None


class PersonOut(Schema):
    id: int
    name: str
    post: str


class HazardOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    level: str
    source: str
    overdue: bool
    days_overdue: int
    deadline: datetime.date
    deadline_in_force: datetime.date
    description: str
    location: str
    category_id: int | None
    category_name: str
    site_id: int
    site_name: str
    enterprise_id: int | None
    enterprise_name: str
    grid_id: int
    grid_name: str
    industry_id: int | None
    department_id: int | None
    found_at: datetime.datetime
    found_on: datetime.date
    immediate: bool
    closed_on: datetime.date | None
    version: Version

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj):
        return is_overdue(obj.deadline_in_force, obj.status, today())

    @staticmethod
    def resolve_days_overdue(obj):
        return (today() - obj.deadline_in_force).days if is_overdue(obj.deadline_in_force, obj.status, today()) else 0

    @staticmethod
    def resolve_category_name(obj):
        return obj.category.name if obj.category_id else ""

    @staticmethod
    def resolve_site_name(obj):
        return obj.site.name

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name if obj.enterprise_id else ""

    @staticmethod
    def resolve_grid_name(obj):
        return obj.grid.name


class HazardDetailOut(HazardOut):
    measures: str
    funds: Decimal | None
    contingency_plan: str
    responsible_person: PersonOut | None
    found_by: list[PersonOut]
    criterion_id: int | None
    judgement: dict = Field(description="判定记录：判定标准（code、version、library）、符合的条款items、“并且”条款确认的情形conditions、"
                                        "综合判定要素elements与触发的规则rule、理由reasons；检查表条款不适用时为refused")
    report_situation: str
    report_harm: str
    plan_goal: str
    plan_methods: str
    plan_funds: str
    plan_org: str
    plan_timeline: str
    plan_safety: str
    reported_to_regulators_at: datetime.datetime | None
    recorded_by: str
    recorded_role: str
    finder_unit_id: int | None
    finder_department_id: int | None
    finder_enterprise_id: int | None
    inspection_id: int | None
    submitted_at: datetime.datetime | None
    verification_due: datetime.date | None
    closed_at: datetime.datetime | None
    closed_on_time: bool | None
    rounds: list[RoundOut]
    extensions: list[ExtensionOut]
    listings: list[ListingOut]
    controls: list[ControlOut]
    explanations: list[ExplanationOut]
    photos: list[PhotoOut]
    history: list[EventOut] | None = Field(None, description="变更历史（审计记录）；仅对有权查看审计记录的用户返回")

    @staticmethod
    def resolve_found_by(obj):
        return list(obj.found_by.all())

    @staticmethod
    def resolve_recorded_by(obj):
        return _name(obj.recorded_by)

    @staticmethod
    def resolve_verification_due(obj):
        if obj.status != "awaiting_verification" or obj.submitted_at is None:
            return None
        return verification_due(obj.submitted_at, unit=obj.district)

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())

    @staticmethod
    def resolve_extensions(obj):
        return list(obj.extensions.all())

    @staticmethod
    def resolve_listings(obj):
        return list(obj.listings.all())

    @staticmethod
    def resolve_controls(obj):
        return list(obj.controls.all())

    @staticmethod
    def resolve_explanations(obj):
        return list(obj.explanations.all())

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())

    @staticmethod
    def resolve_history(obj):
        from anquan.audit.models import AuditEvent

        if not getattr(obj, "history_allowed", False):
            return None
        return list(AuditEvent.objects.filter(model_key="hazard", object_id=obj.pk).order_by("at", "id"))


def detail_queryset():
    """Everything the detail shows, in a fixed number of queries whatever the number of rounds or photos."""
    round_qs = RectificationRound.objects.select_related("submitted_by__person", "verified_by__person").order_by("number")
    return Hazard.objects.select_related(
        "site", "enterprise", "grid", "category", "district", "responsible_person", "recorded_by__person",
    ).prefetch_related(
        Prefetch("rounds", queryset=round_qs),
        Prefetch("rounds__photos", queryset=HazardPhoto.objects.order_by("id")),
        Prefetch("photos", queryset=HazardPhoto.objects.order_by("id")),
        "found_by", "listings", "controls",
        # By their own dates, as their Meta orders within a hazard — without Meta's "hazard" first,
        # which orders by the hazard's own ordering and so joins the hazards table for nothing.
        Prefetch("extensions", queryset=DeadlineExtension.objects.order_by("hazard_id", "requested_at", "id")),
        Prefetch("explanations", queryset=OverdueExplanation.objects.order_by("hazard_id", "submitted_at", "id")),
    )
