"""API: hazards (隐患) — list, detail, record, edit, one endpoint per transition, rounds, photos, look-back.

Thin, like enterprises/api.py: reads through ``selectors.hazard_list`` / ``get_visible``
(scoped with visible_to), writes through ``hazards.services``. Every endpoint under
``/hazards/{hazard_id}`` first finds the hazard in the caller's scope, so an out-of-scope
hazard answers 404 everywhere, and a child id (extension, control, listing) is looked up
*under that hazard*, so a child of another hazard answers 404 too. A transition the state
refuses answers 409 with the reason in Chinese; a stale ``version`` answers 409.

Photos travel as Base64 strings inside the JSON body (``photos``, ``after_photos``: a list,
at most 9 a request; a ``data:image/…;base64,`` prefix is allowed). Each is accepted by its
content (JPEG/PNG/WebP that decodes), never by a name or declared type; the whole request
may not exceed 20 MB. Photos are downloaded from ``/api/v1/hazard-photos/{id}/file``
(scoped like the hazard).

Do not add ``from __future__ import annotations`` here: it breaks ninja's Query schemas.
"""

import datetime

from django.http import FileResponse, JsonResponse
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from anquan.core.api_support import AUTH, Id, Pages
from anquan.core.errors import NotFound
from anquan.core.services import get_visible

from . import services
from .api_schemas import (
    ControlEndIn,
    ControlIn,
    DecideIn,
    DelistIn,
    ExtensionIn,
    HazardCreateIn,
    HazardDetailOut,
    HazardFilter,
    HazardOut,
    HazardPatch,
    JudgeIn,
    ListIn,
    PhotoOut,
    ReasonIn,
    RecheckIn,
    ResumeIn,
    ReviewIn,
    RoundOut,
    SendBackIn,
    SubmitIn,
    TextIn,
    TransferIn,
    VerifyIn,
    VersionIn,
    decode_photos,
    detail_queryset,
)
from .models import Hazard, HazardPhoto, RectificationRound

router = Router(auth=AUTH, tags=["隐患"])

#: The rows the list's columns read (HazardOut), nothing more.
API_LIST_RELATED = ("site", "enterprise", "grid", "category")
#: The columns HazardOut reads — a list page loads only these (a field missing here would cost a
#: query per row: test_list_makes_a_constant_number_of_queries catches it).
API_LIST_FIELDS = (
    "id", "number", "status", "level", "source", "deadline", "deadline_in_force", "description", "location",
    "category_id", "site_id", "enterprise_id", "grid_id", "industry_id", "department_id", "found_at", "found_on",
    "immediate", "closed_on", "version", "site__name", "enterprise__name", "grid__name", "category__name",
)


def _hazard(request, hazard_id) -> Hazard:
    return get_visible(Hazard.objects.select_related(*API_LIST_RELATED), request.auth, hazard_id)


def _detail(request, hazard_id) -> Hazard:
    """The hazard with everything the detail shows; its audit history only for those who may read audit
    trails of their scope (audit.view_object), as on the page."""
    hazard = get_visible(detail_queryset(), request.auth, hazard_id)
    hazard.history_allowed = Hazard.objects.authorizing_assignment(request.auth, "audit.view_object", hazard.pk) is not None
    return hazard


#: ``Prefer: return=minimal`` (RFC 7240) on a write: answer the list item of the hazard in hand.
MINIMAL_NOTE = ("带请求头“Prefer: return=minimal”时只返回与列表项相同的简要内容（HazardOut：编号、状态、版本号、期限等，"
                "响应头Preference-Applied: return=minimal），不再重新读取详情；不带时返回完整详情。")


def _minimal(request) -> bool:
    return "return=minimal" in request.headers.get("Prefer", "").replace(" ", "").lower()


def _answer(request, hazard: Hazard, status: int = 200):
    """What a write answers: the full detail (read again, as GET answers it), or — when the client
    asks with ``Prefer: return=minimal`` — the list item built from the hazard the service just
    saved, without reading it again (the detail is half the cost of recording one)."""
    if _minimal(request):
        body = HazardOut.from_orm(hazard).model_dump()
        response = JsonResponse(body, status=status, encoder=NinjaJSONEncoder, json_dumps_params={"ensure_ascii": False})
        response["Preference-Applied"] = "return=minimal"
        return response
    detail = _detail(request, hazard.pk)
    return Status(status, detail) if status != 200 else detail


def _child(related, pk):
    """A child (extension, control, listing) of the hazard already found in scope; 404 if it belongs elsewhere."""
    obj = related.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def _param(value) -> str:
    """Query values as the selector reads them from a query string (``overdue=1``, ISO dates)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


class HazardPages(Pages):
    """``Pages`` for hazard lists, answering ``{"items", "count", "count_capped"}``.

    ``count`` is exact up to 10,000; above that it is 10,000 and ``count_capped`` is true (show
    "10000+"): an exact count of a province's open hazards would cost more than the page itself.
    The page is fetched by a deferred join (``selectors.page_rows``), so page 200 costs about
    what page 1 costs.
    """

    class Output(Pages.Output):
        count_capped: bool = Field(False, description="为真时共有超过10000条，count为10000（显示为“10000+”）")

    def paginate_queryset(self, queryset, pagination, request, **params):
        from .selectors import capped_count, page_rows

        size = self._get_page_size(pagination.page_size)
        count, capped = capped_count(queryset)
        offset = (pagination.page - 1) * size
        items = (page_rows(queryset, offset, size, related=API_LIST_RELATED, only=API_LIST_FIELDS)
                 if offset < count or capped else [])
        return {"items": items, "count": count, "count_capped": capped}


@router.get("/hazards", response=list[HazardOut], summary="隐患列表（筛选、分页；超过10000条时count为10000、count_capped为真）")
@paginate(HazardPages)
def list_hazards(request, filters: Query[HazardFilter]):
    from .selectors import hazard_list

    params = {k: _param(v) for k, v in filters.dict().items() if v not in (None, "")}
    return hazard_list(request.auth, params)


@router.get("/hazards/{hazard_id}", response=HazardDetailOut, summary="隐患详情（整改轮次、延期、挂牌、管控、照片、变更历史）")
def get_hazard(request, hazard_id: Id):
    return _detail(request, hazard_id)


PHOTO_NOTE = ("照片以Base64字符串放在JSON中（photos：隐患照片；after_photos：立查立改的整改后照片），每次最多9张，"
              "可带“data:image/jpeg;base64,”前缀；按文件内容校验，只接受JPEG、PNG、WebP，单张不超过15 MB，整个请求不超过20 MB。")


@router.post("/hazards", response={201: HazardDetailOut}, summary="登记隐患（照片为Base64字符串）",
             description=PHOTO_NOTE + MINIMAL_NOTE)
def create_hazard(request, payload: HazardCreateIn):
    data = payload.dict(exclude={"photos", "after_photos", "found_by"})
    hazard = services.hazard_record(
        actor=request.auth, data={k: v for k, v in data.items() if v is not None},
        photos=decode_photos(payload.photos, "photos"), after_photos=decode_photos(payload.after_photos, "after_photos"),
        found_by=payload.found_by,
    )
    return _answer(request, hazard, 201)


@router.patch("/hazards/{hazard_id}", response=HazardDetailOut,
              summary="修改隐患描述性内容（需版本号；期限、等级、场所等责任字段须走专门流程）")
def update_hazard(request, hazard_id: Id, payload: HazardPatch):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.hazard_update(actor=request.auth, hazard=_hazard(request, hazard_id), version=version, data=data)
    return _detail(request, hazard_id)


# ------------------------------------------------------------------ the rectification loop


@router.post("/hazards/{hazard_id}/start", response=HazardDetailOut, summary="开始整改（待整改→整改中）", description=MINIMAL_NOTE)
def start(request, hazard_id: Id, payload: VersionIn):
    hazard = _hazard(request, hazard_id)
    services.hazard_start(actor=request.auth, hazard=hazard, version=payload.version)
    return _answer(request, hazard)


@router.post("/hazards/{hazard_id}/submit-rectification", response=HazardDetailOut, summary="提交整改（新的一轮，附整改后照片）",
             description=MINIMAL_NOTE)
def submit_rectification(request, hazard_id: Id, payload: SubmitIn):
    hazard = _hazard(request, hazard_id)
    services.hazard_submit(actor=request.auth, hazard=hazard, version=payload.version,
                           measures_taken=payload.measures_taken, after_photos=decode_photos(payload.after_photos, "after_photos"))
    return _answer(request, hazard)


@router.post("/hazards/{hazard_id}/verify", response=HazardDetailOut, summary="复查验收（通过则销号，不通过则退回）", description=MINIMAL_NOTE)
def verify(request, hazard_id: Id, payload: VerifyIn):
    hazard = _hazard(request, hazard_id)
    services.hazard_verify(actor=request.auth, hazard=hazard, version=payload.version,
                           passed=payload.passed, reason=payload.reason, photos=decode_photos(payload.photos, "photos"))
    return _answer(request, hazard)


@router.post("/hazards/{hazard_id}/send-back", response=HazardDetailOut, summary="退回整改（须填写理由）", description=MINIMAL_NOTE)
def send_back(request, hazard_id: Id, payload: SendBackIn):
    hazard = _hazard(request, hazard_id)
    services.hazard_verify(actor=request.auth, hazard=hazard, version=payload.version,
                           passed=False, reason=payload.reason, photos=decode_photos(payload.photos, "photos"))
    return _answer(request, hazard)


@router.post("/hazards/{hazard_id}/recheck", response=HazardDetailOut, summary="回头看复查（不通过则重新整改）", description=MINIMAL_NOTE)
def recheck(request, hazard_id: Id, payload: RecheckIn):
    hazard = _hazard(request, hazard_id)
    services.hazard_recheck(actor=request.auth, hazard=hazard, version=payload.version,
                            passed=payload.passed, reason=payload.reason, new_deadline=payload.new_deadline)
    return _answer(request, hazard)


# ------------------------------------------------------------------ deadlines


@router.post("/hazards/{hazard_id}/request-extension", response=HazardDetailOut, summary="申请延期（须在期限届满前）")
def request_extension(request, hazard_id: Id, payload: ExtensionIn):
    services.extension_request(actor=request.auth, hazard=_hazard(request, hazard_id),
                               new_deadline=payload.new_deadline, reason=payload.reason)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/extensions/{extension_id}/decide", response=HazardDetailOut, summary="审批延期申请（申请人以外的人）")
def decide_extension(request, hazard_id: Id, extension_id: Id, payload: DecideIn):
    extension = _child(_hazard(request, hazard_id).extensions, extension_id)
    services.extension_decide(actor=request.auth, extension=extension, version=payload.version,
                              approve=payload.approve, reason=payload.reason)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/explain-overdue", response=HazardDetailOut, summary="提交逾期书面说明（报安委办）")
def explain_overdue(request, hazard_id: Id, payload: TextIn):
    services.overdue_explain(actor=request.auth, hazard=_hazard(request, hazard_id), text=payload.text)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/escalate", response=HazardDetailOut, summary="提请政府研究")
def escalate(request, hazard_id: Id, payload: TextIn):
    services.hazard_escalate(actor=request.auth, hazard=_hazard(request, hazard_id), text=payload.text)
    return _detail(request, hazard_id)


# ------------------------------------------------------------------ grading and place


@router.post("/hazards/{hazard_id}/judge-major", response=HazardDetailOut, summary="判定为重大事故隐患（选择判定标准条款）")
def judge_major(request, hazard_id: Id, payload: JudgeIn):
    services.hazard_judge_major(actor=request.auth, hazard=_hazard(request, hazard_id), version=payload.version,
                                criterion=payload.criterion, reason=payload.reason, conditions=payload.criterion_conditions,
                                elements=payload.elements or (), place_kind=payload.place_kind)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/downgrade", response=HazardDetailOut, summary="重大隐患降级（行业主管部门，须填写理由）")
def downgrade(request, hazard_id: Id, payload: ReasonIn):
    services.hazard_downgrade(actor=request.auth, hazard=_hazard(request, hazard_id), version=payload.version, reason=payload.reason)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/transfer", response=HazardDetailOut, summary="移交至其他场所（须填写理由）")
def transfer(request, hazard_id: Id, payload: TransferIn):
    services.hazard_transfer(actor=request.auth, hazard=_hazard(request, hazard_id), version=payload.version,
                             site=payload.site, reason=payload.reason)
    return _detail(request, hazard_id)


# ------------------------------------------------------------------ interim controls and listed supervision


@router.post("/hazards/{hazard_id}/controls", response={201: HazardDetailOut}, summary="采取临时管控措施（停工停产等）")
def control_start(request, hazard_id: Id, payload: ControlIn):
    services.control_start(actor=request.auth, hazard=_hazard(request, hazard_id), kind=payload.kind, reason=payload.reason)
    return Status(201, _detail(request, hazard_id))


@router.post("/hazards/{hazard_id}/controls/{control_id}/end", response=HazardDetailOut, summary="解除临时管控措施")
def control_end(request, hazard_id: Id, control_id: Id, payload: ControlEndIn):
    control = _child(_hazard(request, hazard_id).controls, control_id)
    services.control_end(actor=request.auth, control=control, reason=payload.reason)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/list", response={201: HazardDetailOut}, summary="挂牌督办（区县级以上安委办；同时下达挂牌督办通知书，其文号即督办编号）")
def list_for_supervision(request, hazard_id: Id, payload: ListIn):
    services.hazard_list(actor=request.auth, hazard=_hazard(request, hazard_id), version=payload.version,
                         deadline=payload.deadline, client_key=request.headers.get("Idempotency-Key", "")[:64])
    return Status(201, _detail(request, hazard_id))


@router.post("/hazards/{hazard_id}/listings/{listing_id}/apply-resume", response=HazardDetailOut, summary="企业申请复工复产")
def apply_resume(request, hazard_id: Id, listing_id: Id, payload: ResumeIn):
    listing = _child(_hazard(request, hazard_id).listings, listing_id)
    services.listing_apply_resume(actor=request.auth, listing=listing, application=payload.application)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/listings/{listing_id}/review", response=HazardDetailOut, summary="挂牌单位现场审查")
def review_listing(request, hazard_id: Id, listing_id: Id, payload: ReviewIn):
    listing = _child(_hazard(request, hazard_id).listings, listing_id)
    services.listing_review(actor=request.auth, listing=listing, passed=payload.passed, opinion=payload.opinion)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/listings/{listing_id}/delist", response=HazardDetailOut, summary="摘牌销号（挂牌单位签认）")
def delist(request, hazard_id: Id, listing_id: Id, payload: DelistIn):
    listing = _child(_hazard(request, hazard_id).listings, listing_id)
    services.hazard_delist(actor=request.auth, listing=listing, version=payload.version, reason=payload.reason)
    return _detail(request, hazard_id)


# ------------------------------------------------------------------ rounds and photos (scoped like their hazard)


@router.get("/hazard-rounds", response=list[RoundOut], summary="整改轮次列表（可按隐患筛选）")
@paginate(Pages)
def list_rounds(request, hazard: Id | None = None):
    rounds = RectificationRound.objects.visible_to(request.auth).select_related("submitted_by__person", "verified_by__person")
    if hazard is not None:
        rounds = rounds.filter(hazard_id=hazard)
    return rounds.prefetch_related("photos").order_by("-submitted_at", "-id")


@router.get("/hazard-rounds/{round_id}", response=RoundOut, summary="整改轮次详情")
def get_round(request, round_id: Id):
    qs = RectificationRound.objects.select_related("submitted_by__person", "verified_by__person").prefetch_related("photos")
    return get_visible(qs, request.auth, round_id)


@router.get("/hazard-photos", response=list[PhotoOut], summary="隐患照片列表（可按隐患筛选）")
@paginate(Pages)
def list_photos(request, hazard: Id | None = None):
    photos = HazardPhoto.objects.visible_to(request.auth)
    if hazard is not None:
        photos = photos.filter(hazard_id=hazard)
    return photos.order_by("hazard_id", "id")


@router.get("/hazard-photos/{photo_id}/file", summary="下载隐患照片", response={200: None})
def photo_file(request, photo_id: Id):
    photo = get_visible(HazardPhoto.objects.all(), request.auth, photo_id)
    try:
        handle = photo.file.open("rb")
    except OSError:
        raise NotFound("照片文件已丢失") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{photo.sha256[:20]}.{photo.file.name.rsplit(".", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
