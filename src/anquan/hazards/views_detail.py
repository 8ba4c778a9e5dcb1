"""The hazard detail page: every field, the place, photos, the rounds as a timeline, extensions,
explanations, controls, listings (with the 10-day review clock), the history, and the action
forms the user may perform *now*.

Which forms are offered is computed from the services' own rules (the single assignment that
would authorize the action, the who-found-it rule of ``authorize_oversight``, the listing level
of ``_listing_assignment``) and the current status, so a button is shown exactly when the
service would not refuse it for who the user is. The service still decides on submit.
"""
from __future__ import annotations

import uuid
from types import SimpleNamespace

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.audit.display import action_label, describe_changes
from anquan.audit.models import AuditEvent
from anquan.core.errors import DomainError
from anquan.core.views import login_required
from anquan.rules import values
from anquan.rules.calendar import local_date, today
from anquan.rules.deadlines import is_overdue, listing_review_due, verification_due

from .choices import (
    OPEN_FOR_RECTIFIER,
    ControlKind,
    ExtensionStatus,
    HazardLevel,
    HazardStatus,
    ListingStatus,
    PhotoKind,
    Verdict,
)
from .forms import criteria_groups, criteria_options, criteria_queryset
from .models import Hazard
from .services.common import authorize_oversight
from .services.judgement import describe as describe_judgement
from .views import get_hazard

#: Audit actions of the hazard loop in words (the audit app knows the generic ones).
HAZARD_ACTIONS = {
    "record": "登记隐患", "start": "开始整改", "submit": "提交整改", "verify": "验收通过（销号）", "send_back": "退回整改",
    "request_extension": "申请延期", "approve_extension": "批准延期", "reject_extension": "不批准延期",
    "explain_overdue": "提交逾期书面说明", "escalate": "提请政府研究", "update": "修改隐患信息",
    "judge_major": "判定为重大事故隐患", "downgrade": "降为一般事故隐患", "transfer": "移交场所",
    "control_start": "采取临时管控措施", "control_end": "解除临时管控措施", "list": "挂牌督办",
    "apply_resume": "申请复工复产", "review_listing": "现场审查", "delist": "摘牌销号",
    "recheck_passed": "回头看：复查无问题", "reopen": "回头看：重新整改", "import": "Excel导入",
}


#: Snapshot keys that mean nothing to a reader (copies of the place kept for scope).
INTERNAL_KEYS = {"grid_path", "district", "district_id", "recorded_role", "version", "created_at", "updated_at"}
#: Events whose "after" is the whole record: shown folded, like a creation, and without empty fields.
WHOLE_RECORD = {"record", "import"}


class _Folded:
    """An audit event shown as a creation by ``partials/history.html`` (its "after" is the whole record)."""

    action = "create"

    def __init__(self, event):
        self._event = event

    def __getattr__(self, name):
        return getattr(self._event, name)


#: Keys of the audit "after" of hazard actions that are not hazard fields, in words.
EXTRA_LABELS = {"requested_deadline": "申请延至", "round": "整改轮次", "control": "管控记录编号", "kind": "管控措施",
                "listing": "挂牌督办编号", "document_no": "督办文号", "explanation": "书面说明编号",
                "escalation": "提请研究编号", "passed": "审查通过"}


def _readable(values):
    """Internal keys left out, the extra keys of hazard actions named in Chinese."""
    if not values:
        return values
    out = {}
    for key, value in values.items():
        if key in INTERNAL_KEYS:
            continue
        if key == "kind" and value in ControlKind.values:
            value = ControlKind(value).label
        elif key == "passed" and isinstance(value, bool):
            value = "是" if value else "否"
        out[EXTRA_LABELS.get(key, key)] = value
    return out


def _history(hazard) -> list[dict]:
    events = AuditEvent.objects.filter(model_key="hazard", object_id=hazard.pk).order_by("-at", "-id")[:200]
    items = []
    for e in events:
        shown = SimpleNamespace(model_key=e.model_key, before=_readable(e.before), after=_readable(e.after))
        changes = describe_changes(shown)
        if e.action in WHOLE_RECORD:
            changes = [c for c in changes if c["after"] not in ("", None, "（空）")]
        items.append({"event": _Folded(e) if e.action in WHOLE_RECORD else e,
                      "action": HAZARD_ACTIONS.get(e.action) or action_label(e.action), "changes": changes})
    return items


def _assignment(user, hazard, action: str):
    """The one assignment that permits ``action`` and covers the hazard (what ``core.services.authorize`` uses)."""
    return Hazard.objects.authorizing_assignment(user, action, hazard.pk)


def _overseer(user, hazard, action: str):
    try:
        return authorize_oversight(user, hazard, action)
    except DomainError:
        return None


def _listing_level(user, hazard, action: str, listing=None):
    from .services.supervision import _listing_assignment

    try:
        return _listing_assignment(user, hazard, action, listing)
    except DomainError:
        return None


def allowed_actions(user, hazard, rounds, extensions, listings, controls, on) -> dict:
    """``{form name: True}`` for every action form to show, plus notes on why an expected one is not."""
    status, open_ = hazard.status, hazard.status in OPEN_FOR_RECTIFIER
    closed = status == HazardStatus.CLOSED
    latest = rounds[-1] if rounds else None
    pending_ext = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    active_listings = [li for li in listings if li.delisted_at is None]
    allowed: dict = {}
    notes: list[str] = []
    rectify = open_ and _assignment(user, hazard, "hazard.rectify") is not None
    allowed["start"] = rectify and status == HazardStatus.PENDING
    allowed["submit"] = rectify
    if rectify and hazard.is_major and hazard.plan_missing():
        notes.append("重大事故隐患须先补全隐患报告和治理方案才能开始整改或提交整改。")
    awaiting = status == HazardStatus.AWAITING and latest is not None and latest.verdict == Verdict.PENDING
    if awaiting and _overseer(user, hazard, "hazard.verify"):
        if latest.submitted_by_id == user.pk:
            notes.append("本轮整改由您提交，须由其他人验收。")
        elif active_listings:
            notes.append("挂牌督办中的重大事故隐患由挂牌单位现场审查后摘牌销号。")
        else:
            allowed["verify"] = True
    requester = open_ and _assignment(user, hazard, "hazard.request_extension") is not None
    allowed["extension_request"] = requester and pending_ext is None and on <= hazard.deadline_in_force
    # Said in place of the button, so that it does not just vanish (the service's rule and wording).
    extension_blocked = ""
    if requester and on > hazard.deadline_in_force:
        extension_blocked = "整改期限已过，不能再申请延期；请向安委办提交逾期书面说明。"
    elif requester and pending_ext is not None:
        extension_blocked = f"已有待审批的延期申请（申请延至 {pending_ext.requested_deadline:%Y-%m-%d}），审批后才能再次申请。"
    allowed["extension_decide"] = bool(pending_ext and pending_ext.requested_by_id != user.pk
                                       and _overseer(user, hazard, "hazard.decide_extension"))
    allowed["explain"] = (is_overdue(hazard.deadline_in_force, status, on)
                          and _assignment(user, hazard, "hazard.explain_overdue") is not None)
    allowed["escalate"] = open_ and bool(_overseer(user, hazard, "hazard.escalate"))
    allowed["edit"] = not closed and _assignment(user, hazard, "hazard.update") is not None
    allowed["judge_major"] = (not closed and hazard.level == HazardLevel.GENERAL
                              and _assignment(user, hazard, "hazard.judge_major") is not None
                              and criteria_queryset(hazard.industry, hazard.found_on, hazard.grid).exists())
    downgrader = hazard.is_major and not active_listings and _assignment(user, hazard, "hazard.downgrade")
    allowed["downgrade"] = bool(downgrader and downgrader.department_id == hazard.department_id)
    control = _assignment(user, hazard, "hazard.control") is not None
    allowed["control_start"] = control and not closed
    allowed["control_end"] = control and any(c.ended_at is None for c in controls)
    lister = hazard.is_major and not closed and _listing_level(user, hazard, "list")
    allowed["list"] = bool(lister and not any(li.listing_unit_id == lister.unit_id for li in active_listings))
    resume = status == HazardStatus.AWAITING and _assignment(user, hazard, "hazard.apply_resume") is not None
    for li in listings:
        li.can_apply = resume and li.status == ListingStatus.LISTED
        li.can_review = li.status == ListingStatus.RESUME_APPLIED and bool(_listing_level(user, hazard, "review_listing", li))
        li.can_delist = li.status == ListingStatus.REVIEWED and bool(_listing_level(user, hazard, "delist", li))
        if li.resume_applied_at:
            # The period in force where the listing level sits (rules: listing.review_days, overridable locally).
            li.review_days = values.get("listing.review_days", li.listing_unit)
            li.review_due = listing_review_due(local_date(li.resume_applied_at), unit=li.listing_unit)
            li.review_overdue = li.status == ListingStatus.RESUME_APPLIED and on > li.review_due
    allowed["transfer"] = not closed and _assignment(user, hazard, "hazard.transfer") is not None
    allowed["recheck"] = closed and bool(_overseer(user, hazard, "hazard.recheck"))
    allowed["any"] = any(v for k, v in allowed.items()) or any(li.can_apply or li.can_review or li.can_delist for li in listings)
    return {"allowed": allowed, "notes": notes, "pending_extension": pending_ext, "extension_blocked": extension_blocked}


def detail_context(user, hazard, posted: dict | None = None) -> dict:
    on = today()
    rounds = list(hazard.rounds.select_related("submitted_by__person", "verified_by__person").prefetch_related("photos"))
    for rnd in rounds:
        rnd.after_photos = [p for p in rnd.photos.all() if p.kind == PhotoKind.AFTER]
        rnd.review_photos = [p for p in rnd.photos.all() if p.kind == PhotoKind.REVIEW]
    extensions = list(hazard.extensions.select_related("requested_by__person", "decided_by__person").order_by("requested_at"))
    explanations = list(hazard.explanations.select_related("submitted_by__person").order_by("submitted_at"))
    controls = list(hazard.controls.select_related("started_by__person", "ended_by__person").order_by("-started_at"))
    listings = list(hazard.listings.select_related("listing_unit", "listed_by__person", "reviewed_by__person",
                                                   "delisted_by__person").order_by("-listed_at"))
    overdue = (on - hazard.deadline_in_force).days if is_overdue(hazard.deadline_in_force, hazard.status, on) else 0
    hazard.overdue_days = overdue
    context = {
        "nav_active": "hazards",
        "hazard": hazard,
        "today": on,
        "overdue_days": overdue,
        "finding_photos": [p for p in hazard.photos.all() if p.kind == PhotoKind.FINDING],
        "rounds": rounds,
        "extensions": extensions,
        "explanations": explanations,
        "controls": controls,
        "active_controls": [c for c in controls if c.ended_at is None],
        "listings": listings,
        "found_by": list(hazard.found_by.all()),
        "plan_missing": hazard.plan_missing() if hazard.is_major else [],
        "report_fields": [(hazard._meta.get_field(f).verbose_name, getattr(hazard, f)) for f in
                          ("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
                           "plan_timeline", "plan_safety")],
        "control_kinds": ControlKind.choices,
        "posted": posted or {},
        # The 挂牌督办 form's key (as every document button has): a resent listing form issues one notice.
        "list_key": uuid.uuid4().hex,
        "judgement_text": describe_judgement(hazard.judgement),
    }
    if hazard.status == HazardStatus.AWAITING and hazard.submitted_at:
        context["verification_due"] = verification_due(hazard.submitted_at)
    context.update(allowed_actions(user, hazard, rounds, extensions, listings, controls, on))
    if context["allowed"]["judge_major"]:
        context["criteria"] = criteria_groups(hazard.industry, hazard.found_on, hazard.grid)
        context["criteria_options"] = criteria_options(hazard.industry, hazard.found_on, hazard.grid)
    if _assignment(user, hazard, "audit.view_object") is not None:
        context["history"] = _history(hazard)
    return context


def render_detail(request, hazard, posted: dict | None = None, status: int = 200):
    return render(request, "hazards/detail.html", detail_context(request.user, hazard, posted), status=status)


@require_GET
@login_required
def hazard_detail(request, pk):
    return render_detail(request, get_hazard(request.user, pk))
