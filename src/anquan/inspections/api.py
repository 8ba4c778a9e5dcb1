"""API: inspection tasks (检查任务) — list, detail with parts/items/answers/signatures, and performing
on site: start, answer an item, add a photo, sign (or record the representative's refusal), complete.

Every endpoint under ``/inspections/{inspection_id}`` first finds the task in the caller's scope
(``visible_to``; an unannounced task is invisible to the enterprise and its street, community and
grid until performed), so an out-of-scope task answers 404 everywhere; a visible task the caller may
not perform answers 403; a performed task answers 409; bad input 422 with Chinese field messages.

Field writes are idempotent by the device's ``client_id`` (a UUID made on the phone): a replay
answers 200 with the stored row instead of making a second one (201 when a row was made). Photos
and signature images travel as Base64 strings in the JSON body (a ``data:image/…;base64,`` prefix is
allowed) and are accepted by their content: photos JPEG/PNG/WebP, signatures PNG only.

Do not add ``from __future__ import annotations`` here: it breaks ninja's Query schemas.
"""

from datetime import date, datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.errors import NotFound
from anquan.core.services import get_visible
from anquan.hazards.api_schemas import decode_photos
from anquan.rules.catalog import get_rule

from .models import Answer, AnswerPhoto, Inspection, Signature
from .services import perform

router = Router(tags=["检查"], auth=AUTH)


class InspectionOut(Schema):
    id: int
    site_id: int
    site_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    department_id: int | None
    unannounced: bool
    enforcement: bool
    planned_on: date
    due_on: date | None
    started_at: datetime | None
    performed_at: datetime | None
    version: Version

    @staticmethod
    def resolve_site_name(obj):
        return obj["site_name"] if isinstance(obj, dict) else obj.site.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj["kind_label"] if isinstance(obj, dict) else obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj["status_label"] if isinstance(obj, dict) else obj.get_status_display()


class TaskInspectorOut(Schema):
    id: int
    name: str
    has_enforcement_cert: bool


class TaskItemOut(Schema):
    id: int
    number: str
    text: str
    basis: str
    how_to_check: str
    category_id: int | None
    suggested_level: str
    major: bool


class PartOut(Schema):
    id: int
    checklist_id: int
    checklist_name: str
    department_id: int | None
    department_name: str | None
    items: list[TaskItemOut]


class AnswerPhotoOut(Schema):
    id: int
    client_id: str
    url: str


class AnswerOut(Schema):
    id: int
    part_id: int
    item_id: int
    result: str
    note: str
    hazard_description: str
    hazard_level: str
    hazard_location: str
    rectify_days: int | None
    client_id: str | None
    hazard_id: int | None
    answered_by: str
    answered_at: datetime
    photos: list[AnswerPhotoOut]


class SignatureOut(Schema):
    id: int
    signer_kind: str
    person_id: int | None
    name: str
    refused: bool
    signed_at: datetime
    client_id: str
    image_url: str | None


class InspectionDetailOut(InspectionOut):
    place: str
    summary: str
    handling: str
    representative_name: str
    representative_post: str
    representative_refused: bool
    refusal_note: str
    inspectors: list[TaskInspectorOut]
    parts: list[PartOut]
    answers: list[AnswerOut]
    signatures: list[SignatureOut]
    hazard_ids: list[int]
    may_perform: bool


class InspectionFilter(Schema):
    status: str | None = Field(None, description="planned 待检查 / in_progress 检查中 / performed 已完成")
    kind: str | None = None
    mine: bool | None = Field(None, description="1：只看我参加的检查任务")
    open: bool | None = Field(None, description="1：只看未完成的（待检查、检查中）")
    overdue: bool | None = Field(None, description="1：只看逾期未检查的（计划日期已过仍未完成）")
    site: Id | None = None


class AnswerIn(Schema):
    client_id: str = Field(..., max_length=64, description="手机上生成的UUID；重放同一client_id不会重复记录")
    part: Id
    item: Id
    result: str = Field(..., max_length=20, description="conform 符合 / nonconform 不符合 / na 不适用")
    note: str = Field("", max_length=2000)
    hazard_description: str = Field("", max_length=2000)
    hazard_level: str = Field("", max_length=10)
    hazard_location: str = Field("", max_length=200)
    rectify_days: int | None = Field(None, ge=1, le=get_rule("hazard.deadline.max_days").max_value)  # the locality's maximum: the service


class PhotoIn(Schema):
    client_id: str = Field(..., max_length=64)
    photo: str = Field(..., description="Base64编码的JPEG、PNG或WebP照片")


class SignatureIn(Schema):
    client_id: str = Field(..., max_length=64)
    signer_kind: str = Field(..., max_length=20, description="inspector 检查人员 / representative 被检查单位代表")
    person: Id | None = Field(None, description="检查人员签字时：其人员ID")
    name: str = Field("", max_length=50, description="代表姓名")
    post: str = Field("", max_length=50, description="代表职务")
    refused: bool = False
    note: str = Field("", max_length=500, description="拒签情况说明（拒签时必填）")
    image: str | None = Field(None, description="Base64编码的PNG签名图像（拒签时不需要）")


class CompleteIn(Schema):
    version: Version
    place: str = Field("", max_length=255, description="检查地点，默认为场所地址")
    summary: str = Field("", max_length=10000, description="检查情况")
    handling: str = Field("", max_length=10000, description="处理情况")




def tasks_for(user, params: dict, today: date | None = None):
    """Tasks visible to ``user`` with the list filters; the user's own open tasks first.
    ``open``/``overdue`` = "1": not yet performed / overdue today (``selectors.overdue_q``)."""
    from anquan.rules.calendar import today as shanghai_today

    from .selectors import OPEN_STATUSES, overdue_q

    qs = Inspection.objects.visible_to(user).select_related("site", "department")
    if params.get("status") in perform.S.values:
        qs = qs.filter(status=params["status"])
    if params.get("open") in (True, "1"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    if params.get("overdue") in (True, "1"):
        qs = qs.filter(overdue_q(today or shanghai_today()))
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("site"):
        qs = qs.filter(site_id=params["site"])
    mine = Q(inspectors=user.person_id) if user.person_id else Q(pk__in=[])
    if params.get("mine"):
        qs = qs.filter(mine)
    open_mine = Q(mine, status__in=[perform.S.PLANNED, perform.S.IN_PROGRESS])
    mine_ids = Inspection.objects.filter(open_mine).values("pk")
    return qs.annotate(
        mine_first=Case(When(pk__in=mine_ids, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("mine_first", "-planned_on", "-id").distinct()


def _task(request, inspection_id) -> Inspection:
    return get_visible(Inspection.objects.select_related("site", "department"), request.auth, inspection_id)


def _photo_out(inspection_id, photo) -> dict:
    return {"id": photo.pk, "client_id": str(photo.client_id),
            "url": f"/api/v1/inspections/{inspection_id}/photos/{photo.pk}/file"}


def _answer_out(inspection_id, a: Answer) -> dict:
    return {
        "id": a.pk, "part_id": a.part_id, "item_id": a.item_id, "result": a.result, "note": a.note,
        "hazard_description": a.hazard_description, "hazard_level": a.hazard_level,
        "hazard_location": a.hazard_location, "rectify_days": a.rectify_days,
        "client_id": str(a.client_id) if a.client_id else None, "hazard_id": a.hazard_id,
        "answered_by": a.answered_by.get_full_name() or (a.answered_by.person.name if a.answered_by.person_id else a.answered_by.username),
        "answered_at": a.answered_at, "photos": [_photo_out(inspection_id, p) for p in a.photos.all()],
    }


def _signature_out(inspection_id, s: Signature) -> dict:
    return {
        "id": s.pk, "signer_kind": s.signer_kind, "person_id": s.person_id, "name": s.name, "refused": s.refused,
        "signed_at": s.signed_at, "client_id": str(s.client_id),
        "image_url": f"/api/v1/inspections/{inspection_id}/signatures/{s.pk}/image" if s.image else None,
    }


def task_detail(user, inspection: Inspection) -> dict:
    """Everything the detail and the phone page show, as plain data (shared with the page's JSON)."""
    from anquan.hazards.models import Hazard

    pk = inspection.pk
    parts = []
    for part in inspection.parts.select_related("checklist", "department").prefetch_related("checklist__items"):
        parts.append({
            "id": part.pk, "checklist_id": part.checklist_id, "checklist_name": str(part.checklist),
            "department_id": part.department_id, "department_name": part.department.name if part.department_id else None,
            "items": [{"id": i.pk, "number": i.number, "text": i.text, "basis": i.basis, "how_to_check": i.how_to_check,
                       "category_id": i.category_id, "suggested_level": i.suggested_level, "major": bool(i.major_criterion_id)}
                      for i in part.checklist.items.all()],
        })
    answers = (Answer.objects.filter(part__inspection=inspection)
               .select_related("answered_by__person").prefetch_related("photos").order_by("part__sort", "item__sort", "item_id"))
    data = {f: getattr(inspection, f) for f in (
        "id", "site_id", "kind", "status", "department_id", "unannounced", "enforcement", "planned_on", "due_on",
        "started_at", "performed_at", "version", "place", "summary", "handling", "representative_name",
        "representative_post", "representative_refused", "refusal_note")}
    data.update({
        "site_name": inspection.site.name, "kind_label": inspection.get_kind_display(),
        "status_label": inspection.get_status_display(),
        "inspectors": [{"id": p.pk, "name": p.name, "has_enforcement_cert": bool(p.enforcement_cert_no)}
                       for p in inspection.inspectors.order_by("pk")],
        "parts": parts,
        "answers": [_answer_out(pk, a) for a in answers],
        "signatures": [_signature_out(pk, s) for s in inspection.signatures.all()],
        "hazard_ids": list(Hazard.objects.visible_to(user).filter(inspection=inspection).order_by("pk").values_list("pk", flat=True)),
        "may_perform": perform.may_perform(user, inspection),
    })
    return data


@router.get("/inspections", response=list[InspectionOut], summary="检查任务列表（我的待办在前；筛选、分页）")
@paginate(Pages)
def list_inspections(request, filters: Query[InspectionFilter]):
    return tasks_for(request.auth, filters.dict())


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="检查任务详情（检查表、检查项、结果、照片、签字）")
def get_inspection(request, inspection_id: Id):
    return task_detail(request.auth, _task(request, inspection_id))


@router.post("/inspections/{inspection_id}/start", response=InspectionDetailOut, summary="开始检查（待检查→检查中）")
def start(request, inspection_id: Id):
    perform.inspection_start(actor=request.auth, inspection=_task(request, inspection_id))
    return task_detail(request.auth, _task(request, inspection_id))


@router.put("/inspections/{inspection_id}/answers", response={200: AnswerOut, 201: AnswerOut},
            summary="记录一个检查项的结果（按分项+检查项覆盖；同一client_id重放不重复）")
def put_answer(request, inspection_id: Id, payload: AnswerIn):
    task = _task(request, inspection_id)
    answer, changed = perform.answer_save(actor=request.auth, inspection=task, data=payload.dict())
    answer = Answer.objects.select_related("answered_by__person").prefetch_related("photos").get(pk=answer.pk)
    return Status(201 if changed else 200, _answer_out(task.pk, answer))


@router.post("/inspections/{inspection_id}/answers/{answer_id}/photos", response={200: AnswerPhotoOut, 201: AnswerPhotoOut},
             summary="为检查项结果上传照片（Base64；同一client_id重放不重复）")
def add_photo(request, inspection_id: Id, answer_id: Id, payload: PhotoIn):
    task = _task(request, inspection_id)
    answer = Answer.objects.filter(pk=answer_id, part__inspection=task).select_related("part").first()
    if answer is None:
        raise NotFound()
    content = decode_photos([payload.photo], "photo")[0]
    photo, created = perform.photo_add(actor=request.auth, inspection=task, answer=answer, client_id=payload.client_id,
                                       content=content)
    return Status(201 if created else 200, _photo_out(task.pk, photo))


@router.post("/inspections/{inspection_id}/signatures", response={200: SignatureOut, 201: SignatureOut},
             summary="检查人员签字，或被检查单位代表签字/拒绝签字（同一client_id重放不重复）")
def add_signature(request, inspection_id: Id, payload: SignatureIn):
    task = _task(request, inspection_id)
    image = decode_photos([payload.image], "image")[0] if payload.image else None
    sig, created = perform.signature_add(actor=request.auth, inspection=task, data=payload.dict(exclude={"image"}), image=image)
    return Status(201 if created else 200, _signature_out(task.pk, sig))


@router.post("/inspections/{inspection_id}/complete", response=InspectionDetailOut,
             summary="完成检查（检查项全部填写、签字齐全后；每个不符合项形成一条隐患）")
def complete(request, inspection_id: Id, payload: CompleteIn):
    task = _task(request, inspection_id)
    perform.inspection_complete(actor=request.auth, inspection=task, version=payload.version,
                                data=payload.dict(exclude={"version"}))
    return task_detail(request.auth, _task(request, inspection_id))


@router.get("/inspections/{inspection_id}/photos/{photo_id}/file", summary="检查照片文件")
def photo_file(request, inspection_id: Id, photo_id: Id):
    task = _task(request, inspection_id)
    photo = AnswerPhoto.objects.filter(pk=photo_id, answer__part__inspection=task).first()
    if photo is None:
        raise NotFound()
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@router.get("/inspections/{inspection_id}/signatures/{signature_id}/image", summary="签名图像")
def signature_image(request, inspection_id: Id, signature_id: Id):
    task = _task(request, inspection_id)
    sig = Signature.objects.filter(pk=signature_id, inspection=task).exclude(image="").first()
    if sig is None:
        raise NotFound()
    return FileResponse(sig.image.open("rb"), content_type="image/png")
