"""Performing an inspection task on site (检查实施): start, answer items, add photos, sign, complete.

The flow is a small state table (``TRANSITIONS``): 待检查 → 检查中 (explicit start or the first
answer, recording ``started_at``) → 已完成 (``inspection_complete``). Once 已完成 the record
(time, place, content, problems, handling, signatures — 安全生产法 第六十八条) never changes: every
service here answers 409 with the reason in Chinese.

Who may perform: a user whose person is one of the task's inspectors *and* who holds one single
assignment permitting ``inspection.perform`` with the task in scope (a department's inspector through
the department's scope, a drawn or invited person through a ``Grant`` of the task). Being able to
see the task is not enough (a street's staff may see a department's task in their territory).

Decisions where the issue is silent:

* Field writes (answers, photos, signatures) do not carry the task's version: two inspectors answer
  in parallel, often offline, and replay later. They are idempotent by the device's ``client_id``
  instead: a replay of a ``client_id`` already stored is a no-op returning the stored row. An answer
  is an upsert by (part, item): a later answer to the same item (another tap, another inspector)
  replaces it, and the audit trail keeps every version. The phone sends its outbox in order, so an
  older answer is never replayed after a newer one from the same device.
* Completion does carry the version (it is a decision taken online, after a refresh).
* Any inspector of the task may record any inspector's or the representative's signature (one phone
  is passed round on site), but an inspector signs once and the representative once.
* "Problems found" are the 不符合 answers themselves (each with its description), not a second free
  text; ``summary`` (检查情况) and ``handling`` (处理情况) are free text given at completion.
* Each 不符合 answer becomes a hazard *at completion*, never earlier: hazards are visible to the
  enterprise and its street, and would reveal an unannounced visit (暗访) before it is performed.
  The hazard is recorded through ``hazards.services.hazard_record`` by the completing inspector, with
  the part's department as finder (联合检查: each department owns its part's hazards), the
  inspectors as finders, the item's category, and the item's 重大 criterion (then level 重大).
  Its description is a finding, not the item's question (``hazards.wording.hazard_title``: the
  inspector's own statement as written, or the item's finding where the question was copied).
  Its source follows the kind of visit (``SOURCE_OF_KIND``: the hazard loop has no "inspection"
  source; the link ``Hazard.inspection`` says which visit).
* The deadline of a hazard is the answer's day plus ``rectify_days`` calendar days, or
  ``DEFAULT_RECTIFY_DAYS`` when the inspector left it empty (a 重大 hazard's real timeline comes
  with its 治理方案).
"""
from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from anquan.audit.services import chain_key_for, record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version, safe_id
from anquan.core.uploads import check_image
from anquan.enterprises.models import Site
from anquan.hazards.choices import HazardLevel, HazardSource
from anquan.hazards.models import ChecklistItem
from anquan.rules import calendar, values

from ..models import (
    ENFORCEMENT_MIN_INSPECTORS,
    Answer,
    AnswerPhoto,
    AnswerResult,
    Inspection,
    InspectionKind,
    InspectionPart,
    InspectionStatus,
    Signature,
    SignerKind,
)

S = InspectionStatus
#: verb → {from status: to status}; anything else is refused with 409.
TRANSITIONS = {
    "start": {S.PLANNED: S.IN_PROGRESS},
    "record": {S.PLANNED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS},
    "complete": {S.IN_PROGRESS: S.PERFORMED},
}
VERBS = {"start": "开始检查", "record": "修改检查记录", "complete": "完成检查"}

SOURCE_OF_KIND = {
    InspectionKind.SELF: HazardSource.SELF,
    InspectionKind.INDUSTRY: HazardSource.INDUSTRY,
    InspectionKind.TERRITORIAL: HazardSource.TERRITORIAL,
    InspectionKind.EXPERT: HazardSource.EXPERT,
    InspectionKind.SUPERVISION: HazardSource.SUPERVISION,
    InspectionKind.JOINT: HazardSource.INDUSTRY,
}
DEFAULT_RECTIFY_DAYS = 30
MAX_PHOTOS_PER_ANSWER = 9
MAX_NOTE = 2000


def next_status(inspection: Inspection, verb: str) -> str:
    target = TRANSITIONS[verb].get(inspection.status)
    if target is None:
        if inspection.status == S.PERFORMED:
            raise Conflict(f"检查已于{timezone.localtime(inspection.performed_at):%Y-%m-%d %H:%M}完成，检查记录不能再修改"
                           if inspection.performed_at else "检查已完成，检查记录不能再修改")
        raise Conflict(f"检查当前状态为“{inspection.get_status_display()}”，不能{VERBS[verb]}")
    return target


def source_for(inspection: Inspection) -> str:
    if inspection.kind == InspectionKind.UNANNOUNCED:
        return HazardSource.INDUSTRY if inspection.department_id else HazardSource.TERRITORIAL
    return SOURCE_OF_KIND.get(inspection.kind, HazardSource.INDUSTRY)


def is_inspector(user, inspection: Inspection) -> bool:
    return bool(user.person_id) and inspection.inspectors.filter(pk=user.person_id).exists()


def authorize_perform(actor, inspection: Inspection):
    """The assignment permitting ``inspection.perform`` on the task, for one of its inspectors (404/403 otherwise)."""
    assignment = authorize(actor, inspection, "inspection.perform")
    if not is_inspector(actor, inspection):
        raise Forbidden("只有本任务的检查人员可以实施检查")
    return assignment


def may_perform(user, inspection: Inspection) -> bool:
    """For pages: whether ``user`` would pass ``authorize_perform`` (no exception)."""
    return is_inspector(user, inspection) and Inspection.objects.authorizing_assignment(
        user, "inspection.perform", inspection.pk) is not None


def _locked(inspection: Inspection) -> Inspection:
    """The task row locked until commit (serialises start/complete against answers being saved)."""
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def _insert(obj) -> None:
    """Save a new field record; a unique clash (the same device id sent for another task at the same
    moment) answers 409 instead of a database error."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise Conflict("该记录已由其他设备同时提交，请刷新后重试") from None


def _client_id(value, field: str = "client_id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Invalid({field: ["缺少或无效的设备记录号（应为UUID）"]}) from None


def _snap(obj) -> dict:
    """``audit.services.snapshot`` with the device's UUIDs as text (the audit JSON has no UUID type)."""
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in snapshot(obj).items()}


def _audit(actor, assignment, obj, action, inspection, before=None, after=None, reason=""):
    return record(actor=actor, assignment=assignment, obj=obj, action=action, before=before,
                  after=after if after is not None else _snap(obj), reason=reason,
                  chain_key=chain_key_for(inspection))


def _advance(actor, assignment, locked: Inspection, verb: str) -> Inspection:
    """On the locked task: check the state table, and move 待检查 → 检查中 (recording started_at) when needed."""
    target = next_status(locked, verb)
    if locked.status == S.PLANNED and target == S.IN_PROGRESS:
        before = snapshot(locked)
        locked.status, locked.started_at = S.IN_PROGRESS, timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "started_at", "version", "updated_at"])
        _audit(actor, assignment, locked, "start", locked, before)
    return locked


@transaction.atomic
def inspection_start(*, actor, inspection: Inspection) -> Inspection:
    """Explicit start (待检查 → 检查中). Starting a task already 检查中 is a no-op (a second phone)."""
    assignment = authorize_perform(actor, inspection)
    locked = _locked(inspection)
    if locked.status == S.IN_PROGRESS:
        return locked
    return _advance(actor, assignment, locked, "start")


# ------------------------------------------------------------------ answers


def _part_and_item(inspection: Inspection, part_id, item_id) -> tuple[InspectionPart, ChecklistItem]:
    part = inspection.parts.filter(pk=safe_id(part_id) or 0).select_related("checklist").first()
    if part is None:
        raise Invalid({"part": ["检查分项不属于本检查任务"]})
    item = ChecklistItem.objects.filter(pk=safe_id(item_id) or 0, checklist_id=part.checklist_id).first()
    if item is None:
        raise Invalid({"item": ["检查项不属于该检查表"]})
    return part, item


def _criterion_applies(item: ChecklistItem, site) -> bool:
    """Whether the item's 重大 criterion judges a 不符合 at ``site`` today: in force and for the site's industry
    (hazards.services.judgement; the same rule decides again when the hazard is raised at completion)."""
    if site is None:
        return True
    from anquan.hazards.services.judgement import for_checklist_item
    from anquan.rules.calendar import today

    return for_checklist_item(item.major_criterion_id, industry=site.industry, found_on=today(), unit=site.grid).major


def _answer_fields(data: dict, item: ChecklistItem, unit=None, site=None) -> dict:
    """The cleaned answer; ``unit`` (the site's grid) sets the longest 整改天数 (``hazard.deadline.max_days``,
    the rule every hazard deadline obeys)."""
    errors: dict[str, list[str]] = {}
    result = data.get("result")
    if result not in AnswerResult.values:
        errors["result"] = ["请选择检查结果：符合、不符合或不适用"]
    note = str(data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = [f"情况记录不能超过{MAX_NOTE}字"]
    description = str(data.get("hazard_description") or "").strip()
    if len(description) > MAX_NOTE:
        errors["hazard_description"] = [f"隐患描述不能超过{MAX_NOTE}字"]
    location = str(data.get("hazard_location") or "").strip()
    if len(location) > 200:
        errors["hazard_location"] = ["具体位置不能超过200字"]
    level = data.get("hazard_level") or item.suggested_level or HazardLevel.GENERAL
    if level not in HazardLevel.values:
        errors["hazard_level"] = ["隐患等级只能是一般或重大"]
    if item.major_criterion_id and _criterion_applies(item, site):
        level = HazardLevel.MAJOR  # the item is a 重大事故隐患判定标准 criterion: not the inspector's choice
    days = data.get("rectify_days")
    if days in (None, ""):
        days = None
    else:
        days = safe_id(days)
        longest = values.get("hazard.deadline.max_days", unit)
        if days is None or days > longest:
            errors["rectify_days"] = [f"整改期限应为1至{longest}天"]
    if errors:
        raise Invalid(errors)
    nonconform = result == AnswerResult.NONCONFORM
    return {
        "result": result, "note": note,
        "hazard_description": description if nonconform else "",
        "hazard_level": level if nonconform else "",
        "hazard_location": location if nonconform else "",
        "rectify_days": days if nonconform else None,
    }


@transaction.atomic
def answer_save(*, actor, inspection: Inspection, data: dict) -> tuple[Answer, bool]:
    """Upsert the answer to one item (by part and item); returns (answer, changed).

    A replay of a ``client_id`` already stored returns that row unchanged, even after completion
    (the phone learns its write arrived); a ``client_id`` of another task's answer is refused.
    """
    client_id = _client_id(data.get("client_id"))
    assignment = authorize_perform(actor, inspection)
    locked = _locked(inspection)  # all writes of one task in turn: a concurrent replay finds the first row
    replay = Answer.objects.filter(client_id=client_id).select_related("part").first()
    if replay is not None:
        if replay.part.inspection_id != inspection.pk:
            raise Invalid({"client_id": ["设备记录号已被其他检查记录使用"]})
        return replay, False
    part, item = _part_and_item(inspection, data.get("part"), data.get("item"))
    fields = _answer_fields(data, item, inspection.site.grid, inspection.site)
    _advance(actor, assignment, locked, "record")
    answer = Answer.objects.select_for_update().filter(part=part, item=item).first()
    before = _snap(answer) if answer else None
    if answer is None:
        answer = Answer(part=part, item=item)
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.client_id, answer.answered_by, answer.answered_at = client_id, actor, timezone.now()
    _insert(answer)
    _audit(actor, assignment, answer, "answer" if before is None else "answer_update", locked, before)
    inspection.status, inspection.started_at, inspection.version = locked.status, locked.started_at, locked.version
    return answer, True


@transaction.atomic
def photo_add(*, actor, inspection: Inspection, answer: Answer, client_id, content: bytes) -> tuple[AnswerPhoto, bool]:
    """A photo of an answer, checked by content (JPEG/PNG/WebP); a replayed ``client_id`` returns the stored photo."""
    client_id = _client_id(client_id)
    assignment = authorize_perform(actor, inspection)
    locked = _locked(inspection)
    replay = AnswerPhoto.objects.filter(client_id=client_id).first()
    if replay is not None:
        if replay.answer_id != answer.pk:
            raise Invalid({"client_id": ["设备记录号已被其他照片使用"]})
        return replay, False
    if answer.part.inspection_id != inspection.pk:
        raise Invalid({"answer": ["检查项结果不属于本检查任务"]})
    image = check_image(content, "photo")
    _advance(actor, assignment, locked, "record")
    if answer.photos.count() >= MAX_PHOTOS_PER_ANSWER:
        raise Invalid({"photo": [f"每个检查项最多{MAX_PHOTOS_PER_ANSWER}张照片"]})
    photo = AnswerPhoto(answer=answer, sha256=image.sha256, content_type=image.content_type, client_id=client_id,
                        uploaded_by=actor)
    photo.file.save(f"{image.sha256[:20]}.{image.extension}", ContentFile(image.content), save=False)
    _insert(photo)
    _audit(actor, assignment, photo, "photo_add", locked, after={"answer": answer.pk, "sha256": image.sha256})
    return photo, True


# ------------------------------------------------------------------ signatures


def _signature_image(content) -> tuple[str, bytes]:
    if not content:
        raise Invalid({"image": ["请在签字框内签名"]})
    image = check_image(content, "image")
    if image.content_type != "image/png":
        raise Invalid({"image": ["签名须为PNG图片"]})
    return image.sha256, image.content


@transaction.atomic
def signature_add(*, actor, inspection: Inspection, data: dict, image: bytes | None = None) -> tuple[Signature, bool]:
    """An inspector's signature (``person``), or the representative's signature or recorded refusal.

    ``data``: client_id, signer_kind ("inspector" | "representative"), person (inspectors), name and
    post (representative), refused and note (the representative refused: the note says what happened).
    """
    client_id = _client_id(data.get("client_id"))
    assignment = authorize_perform(actor, inspection)
    locked = _locked(inspection)
    replay = Signature.objects.filter(client_id=client_id).first()
    if replay is not None:
        if replay.inspection_id != inspection.pk:
            raise Invalid({"client_id": ["设备记录号已被其他签字使用"]})
        return replay, False
    kind = data.get("signer_kind")
    if kind not in SignerKind.values:
        raise Invalid({"signer_kind": ["签字人类别只能是检查人员或被检查单位代表"]})
    _advance(actor, assignment, locked, "record")
    now = timezone.now()
    sig = Signature(inspection=locked, signer_kind=kind, client_id=client_id, signed_at=now, recorded_by=actor)
    inspection_before = snapshot(locked)
    if kind == SignerKind.INSPECTOR:
        person = locked.inspectors.filter(pk=safe_id(data.get("person")) or 0).first()
        if person is None:
            raise Invalid({"person": ["签字人不是本任务的检查人员"]})
        if locked.signatures.filter(person=person).exists():
            raise Conflict(f"{person.name}已经签字")
        sig.person, sig.name = person, person.name
        sig.sha256, content = _signature_image(image)
        sig.image.save(f"{sig.sha256[:20]}.png", ContentFile(content), save=False)
    else:
        if locked.signatures.filter(signer_kind=SignerKind.REPRESENTATIVE).exists():
            raise Conflict("被检查单位代表已签字或已记录拒签")
        name = str(data.get("name") or "").strip()
        post = str(data.get("post") or "").strip()
        errors = {}
        if not name:
            errors["name"] = ["请填写被检查单位代表的姓名"]
        elif len(name) > 50:
            errors["name"] = ["姓名不能超过50字"]
        if len(post) > 50:
            errors["post"] = ["职务不能超过50字"]
        refused = data.get("refused") in (True, "true", "1", 1, "on")
        note = str(data.get("note") or "").strip()
        if refused and not note:
            errors["note"] = ["代表拒绝签字时，请写明拒签情况（如：经宣读记录后拒绝签字，有××在场见证）"]
        if len(note) > 500:
            errors["note"] = ["拒签情况说明不能超过500字"]
        if errors:
            raise Invalid(errors)
        sig.name, sig.refused = name, refused
        if not refused:
            sig.sha256, content = _signature_image(image)
            sig.image.save(f"{sig.sha256[:20]}.png", ContentFile(content), save=False)
        locked.representative_name, locked.representative_post = name, post
        locked.representative_refused, locked.refusal_note = refused, note if refused else ""
        locked.save(update_fields=["representative_name", "representative_post", "representative_refused",
                                   "refusal_note", "updated_at"])
    _insert(sig)
    after = {"signer_kind": kind, "name": sig.name, "person": sig.person_id, "refused": sig.refused, "sha256": sig.sha256}
    reason = f"拒绝签字：{locked.refusal_note}" if sig.refused else ""
    _audit(actor, assignment, sig, "refuse_sign" if sig.refused else "sign", locked, after=after, reason=reason)
    if kind == SignerKind.REPRESENTATIVE:
        _audit(actor, assignment, locked, "representative", locked, inspection_before)
    return sig, True


# ------------------------------------------------------------------ completion


def missing_for_completion(inspection: Inspection) -> dict[str, list[str]]:
    """What still stops completion, as field messages in Chinese (empty when it may complete)."""
    errors: dict[str, list[str]] = {}
    parts = list(inspection.parts.select_related("checklist"))
    if not parts:
        errors["parts"] = ["本任务没有检查表，不能完成"]
    answers = {(a.part_id, a.item_id): a for a in Answer.objects.filter(part__inspection=inspection)}
    unanswered, undescribed = [], []
    for part in parts:
        for item in part.checklist.items.all():
            answer = answers.get((part.pk, item.pk))
            if answer is None:
                unanswered.append(item.number)
            elif answer.result == AnswerResult.NONCONFORM and not answer.hazard_description.strip():
                undescribed.append(item.number)
    if unanswered:
        errors["answers"] = [f"还有{len(unanswered)}个检查项未填写结果：第{'、'.join(unanswered[:10])}项"
                             + ("等" if len(unanswered) > 10 else "")]
    if undescribed:
        errors["hazard_description"] = [f"不符合项须填写隐患描述：第{'、'.join(undescribed[:10])}项"]
    inspectors = list(inspection.inspectors.all())
    signed = set(inspection.signatures.filter(signer_kind=SignerKind.INSPECTOR).values_list("person_id", flat=True))
    if not inspectors:
        errors["inspectors"] = ["本任务没有检查人员"]
    unsigned = [p.name for p in inspectors if p.pk not in signed]
    if unsigned:
        errors["signatures"] = ["以下检查人员尚未签字：" + "、".join(unsigned)]
    if inspection.enforcement:
        certified = [p for p in inspectors if p.enforcement_cert_no and p.pk in signed]
        if len(certified) < ENFORCEMENT_MIN_INSPECTORS:
            errors.setdefault("signatures", []).append(
                f"执法检查须有至少{ENFORCEMENT_MIN_INSPECTORS}名持执法证的检查人员参加并签字（现有{len(certified)}名）")
    if not inspection.signatures.filter(signer_kind=SignerKind.REPRESENTATIVE).exists():
        errors["representative"] = ["请被检查单位代表签字，或记录其拒绝签字的情况"]
    return errors


def _raise_hazards(actor, inspection: Inspection) -> list:
    from anquan.hazards.services.recording import hazard_record, people_for
    from anquan.hazards.wording import hazard_title

    nonconform = list(
        Answer.objects.filter(part__inspection=inspection, result=AnswerResult.NONCONFORM)
        .select_related("part", "item").prefetch_related("photos").order_by("part__sort", "part_id", "item__sort", "item_id")
    )
    if not nonconform:
        return []
    if Site.objects.authorizing_assignment(actor, "hazard.record", inspection.site_id) is None:
        raise Forbidden("您没有在该场所登记隐患的权限，不能完成有不符合项的检查；请由有权限的检查人员完成，或联系任务组织单位授权")
    inspector_ids = list(inspection.inspectors.values_list("pk", flat=True))
    found_by = list(people_for(actor, inspection.site).filter(pk__in=inspector_ids).values_list("pk", flat=True))
    hazards = []
    for answer in nonconform:
        found_on = timezone.localtime(answer.answered_at).date()
        days = answer.rectify_days or DEFAULT_RECTIFY_DAYS
        data = {
            "site": inspection.site_id, "source": source_for(inspection),
            "description": hazard_title(answer.item, answer.hazard_description),  # a finding, not the item's question
            "location": answer.hazard_location, "found_at": answer.answered_at,
            "deadline": calendar.add_days(found_on, days).isoformat(),
            "level": answer.hazard_level or answer.item.suggested_level,
        }
        if answer.item.category_id:
            data["category"] = answer.item.category_id
        if answer.item.major_criterion_id:
            data["criterion"] = answer.item.major_criterion_id
        photos = []
        for photo in answer.photos.all():
            with photo.file.open("rb") as fh:
                photos.append(fh.read())
        hazard = hazard_record(actor=actor, data=data, photos=photos, found_by=found_by or [actor.person_id],
                               inspection=inspection, finder_department=answer.part.department)
        Answer.objects.filter(pk=answer.pk).update(hazard=hazard)
        hazards.append(hazard)
    return hazards


@transaction.atomic
def inspection_complete(*, actor, inspection: Inspection, version, data: dict | None = None) -> Inspection:
    """Close the record (检查中 → 已完成) and raise a hazard for every 不符合 answer.

    ``data``: place (default: the site's address), summary (检查情况), handling (处理情况).
    """
    data = data or {}
    assignment = authorize_perform(actor, inspection)
    locked = _locked(inspection)
    next_status(locked, "complete")
    errors = missing_for_completion(locked)
    place = str(data.get("place") or "").strip() or locked.site.address or locked.site.name
    summary = str(data.get("summary") or "").strip()
    handling = str(data.get("handling") or "").strip()
    if len(place) > 255:
        errors["place"] = ["检查地点不能超过255字"]
    for name, value in (("summary", summary), ("handling", handling)):
        if len(value) > 10000:
            errors[name] = ["内容过长（不超过10000字）"]
    if errors:
        raise Invalid(errors, "检查记录尚不完整，不能完成检查")
    before = snapshot(locked)
    bump_version(locked, version)
    hazards = _raise_hazards(actor, locked)
    items = ChecklistItem.objects.filter(checklist__in=locked.parts.values("checklist"), category__isnull=False)
    locked.categories_checked.add(*{i.category_id for i in items})
    locked.status, locked.performed_at, locked.completed_by = S.PERFORMED, timezone.now(), actor
    locked.place, locked.summary, locked.handling = place, summary, handling
    locked.recorded_by, locked.recorded_role = actor, assignment.role
    locked.save()
    _audit(actor, assignment, locked, "complete", locked, before,
           reason=f"形成隐患{len(hazards)}条" if hazards else "未发现隐患")
    return locked
