"""What every accident service shares: the transition table, the investigating-level rule, audit and photos."""
from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.db import models

from anquan.accounts.roles import ScopeKind
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden
from anquan.core.services import authorize
from anquan.core.uploads import check_count, check_image
from anquan.orgs.models import OrgUnit, UnitKind

from ..choices import AccidentStatus, GovLevel
from ..models import Accident, AccidentPhoto

S = AccidentStatus
#: verb → {from status: to status}. Anything else is refused with 409 naming the current state.
TRANSITIONS = {
    "form_team": {S.REPORTED: S.INVESTIGATING},
    "submit_report": {S.INVESTIGATING: S.REPORT_SUBMITTED},
    "approve": {S.REPORT_SUBMITTED: S.APPROVED},
    "close": {S.APPROVED: S.CLOSED},
}
VERBS = {"form_team": "成立调查组", "submit_report": "提交调查报告", "approve": "批复", "close": "结案"}

#: The OrgUnit kind standing for each government level on the accident's territory chain.
LEVEL_UNIT_KIND = {GovLevel.COUNTY: UnitKind.DISTRICT, GovLevel.CITY: UnitKind.CITY, GovLevel.PROVINCE: UnitKind.PROVINCE}


def next_status(accident: Accident, verb: str) -> str:
    target = TRANSITIONS[verb].get(accident.status)
    if target is None:
        raise Conflict(f"事故当前状态为“{accident.get_status_display()}”，不能{VERBS[verb]}")
    return target


def require_open(accident: Accident) -> None:
    if accident.voided_at:
        raise Conflict("该事故记录已作废")
    if accident.status == S.CLOSED:
        raise Conflict("该事故已结案，不能再修改")


def level_unit(accident: Accident, level: str) -> OrgUnit | None:
    """The unit of ``level`` on the accident's territory chain (None: outside the tree, or the unit/national level)."""
    kind = LEVEL_UNIT_KIND.get(level)
    if kind is None:
        return None
    return OrgUnit.objects.filter(pk__in=accident.unit.ancestor_ids(), kind=kind).first()


def may_investigate(assignment, accident: Accident) -> str | None:
    """Why ``assignment`` may *not* act for the investigation (None when it may): it must be of the
    investigating government's unit or above (第十九条; a higher level may take it over, 第二十条).
    An investigation entrusted to the unit is still recorded by the county that entrusted it."""
    inv = getattr(accident, "investigation", None)
    body_unit = inv.body_unit if inv is not None else None
    if assignment.scope_kind == ScopeKind.TERRITORY:
        own = assignment.unit
    elif assignment.scope_kind == ScopeKind.DEPARTMENT:
        own = assignment.department.unit
    else:
        return "只有负责事故调查的人民政府及其部门可以办理事故调查"
    if body_unit is None:  # 国务院 (or a level outside the tree): recorded by the top of the tree
        return None if own.depth == 0 else "该事故由国务院或者上级人民政府组织调查，由最高一级区划记录调查情况"
    if body_unit.path.startswith(own.path):
        return None
    return f"该事故由{body_unit.name}负责调查（{inv.get_body_level_display()}），本单位不能办理"


def authorize_investigator(actor, accident: Accident):
    """The one assignment that permits ``accident.investigate`` on the accident and passes ``may_investigate``."""
    from anquan.accounts.scope import active_assignments

    authorize(actor, accident, "view")
    reasons = []
    for assignment in active_assignments(actor):
        if not assignment.permits("accident.investigate"):
            continue
        if not Accident.objects.filter(Accident.objects.assignment_q(assignment), pk=accident.pk).exists():
            continue
        reason = may_investigate(assignment, accident)
        if reason is None:
            return assignment
        reasons.append(reason)
    raise Forbidden(reasons[0] if reasons else "您没有办理事故调查的权限")


def snap(obj) -> dict:
    """``audit.services.snapshot`` with JSON columns (team members, informed bodies) as canonical JSON text:
    the audit's value normaliser sorts lists, and a list of dicts cannot be sorted."""
    json_fields = [f for f in obj._meta.concrete_fields if isinstance(f, models.JSONField)]
    data = snapshot(obj, [f.name for f in obj._meta.concrete_fields if f not in json_fields] or None)
    for f in json_fields:
        data[f.attname] = json.dumps(getattr(obj, f.attname), ensure_ascii=False, sort_keys=True)
    return data


def audit(actor, assignment, obj, action: str, before=None, reason: str = "", after=None):
    """One audit event; ``action`` is named ``accident.<verb>`` (labels in ``audit.display.ACTION_LABELS``)."""
    action = action if "." in action else f"accident.{action}"
    return record(actor=actor, assignment=assignment, obj=obj, action=action, before=before,
                  after=after if after is not None else snap(obj), reason=reason)


def save_photos(actor, accident: Accident, files) -> list[AccidentPhoto]:
    """Check the count and every file by content first (nothing saved if one is bad), then store them."""
    files = check_count(list(files or []))
    checked = [check_image(f.read() if hasattr(f, "read") else f) for f in files]
    photos = []
    for image in checked:
        photo = AccidentPhoto(accident=accident, sha256=image.sha256, content_type=image.content_type, uploaded_by=actor)
        photo.file.save(f"{image.sha256[:16]}.{image.extension}", ContentFile(image.content), save=False)
        photo.save()
        photos.append(photo)
    return photos
