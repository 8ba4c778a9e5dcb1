"""Hazard surfaces of the permission matrix: every transition as an API and a page probe that prepare, inside a
savepoint rolled back afterwards, the state the action needs (awaiting verification, a pending
extension, a listing awaiting review …). So a cell says *who may*, whatever state the named hazard
is in, and the named hazards stay untouched for the next probe. The expectations live in
test_permission_matrix.py (hand-written); ``HAZARD_WORLD`` is filled by its ``world`` fixture.
"""
from __future__ import annotations

import base64
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from anquan.hazards.choices import ExtensionStatus, HazardLevel, HazardStatus, ListingLevel, ListingStatus
from anquan.hazards.models import DeadlineExtension, Hazard, InterimControl, ListedSupervision, RectificationRound

from .matrix import Surface, api_json, outcome
from .matrix_world import png

HAZARD_WORLD: dict = {}
PLAN = ("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety")


def _user(client):
    from anquan.accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


def _other(client):
    """Someone other than the probing user, to have submitted or requested what the prober decides."""
    users = HAZARD_WORLD["users"]
    return users["jiedao_a"] if _user(client).username == "qiye_a" else users["qiye_a"]


def _set(h: Hazard, **fields) -> None:
    Hazard.objects.filter(pk=h.pk).update(**fields)


def _awaiting(client, h: Hazard) -> None:
    """A pending rectification round submitted by someone else."""
    now = timezone.now()
    RectificationRound.objects.create(
        hazard=h, number=h.rounds.count() + 1, measures_taken="已整改", submitted_by=_other(client), submitted_role="ent_manager",
        submitted_at=now, deadline_at_submission=h.deadline_in_force, on_time=True,
    )
    _set(h, status=HazardStatus.AWAITING, submitted_at=now)


def _listed(client, h: Hazard, status: str) -> ListedSupervision:
    """The hazard made 重大 (plan complete) and listed by its own district, in ``status``, awaiting verification."""
    _set(h, level=HazardLevel.MAJOR, **dict.fromkeys(PLAN, "按方案落实"))
    _awaiting(client, h)
    return ListedSupervision.objects.create(
        hazard=h, level=ListingLevel.DISTRICT, listing_unit_id=h.district_id, document_no="矩阵督〔2026〕1号",
        deadline=timezone.localdate() + datetime.timedelta(days=60), status=status, listed_at=timezone.now(),
        listed_by=HAZARD_WORLD["users"]["anweiban"],
    )


def probe(prepare, act):
    """(client, hazard) → outcome: ``prepare`` the state, ``act`` through the API or the page, roll both back."""

    def run(client, h):
        sid = transaction.savepoint()
        try:
            extra = prepare(client, h) if prepare else None
            return act(client, Hazard.objects.get(pk=h.pk), extra)
        finally:
            transaction.savepoint_rollback(sid)

    return run


def _api_body(data: dict) -> dict:
    return {k: ([b64png()] if v is PHOTO_FILE else v) for k, v in data.items()}


def _page_body(data: dict) -> dict:
    """The same fields as a form post: booleans as "1"/"0", photos as uploaded files."""
    out = {}
    for k, v in data.items():
        if v is PHOTO_FILE:
            v = SimpleUploadedFile("after.png", png(), content_type="image/png")
        elif isinstance(v, bool):
            v = "1" if v else "0"
        out[k] = v
    return out


def _criterion_for(hazard):
    """A criterion in force today for the hazard's site's industry (criteria are checked by date and industry)."""
    from anquan.hazards.tests.test_api_supervision import criterion

    return criterion(hazard.industry.code) if hazard.industry_id else HAZARD_WORLD["CRITERION"]


def transition(prepare, api_path: str, page_path: str, body):
    """An (api probe, page probe) pair for one transition: the same prepared state, the same fields."""

    def make(page: bool):
        def act(client, h, extra):
            data = body(h, extra) if callable(body) else dict(body)
            pk = getattr(extra, "pk", "")
            if page:
                return outcome(client.post(f"/hazards/{h.pk}/{page_path.format(extra=pk)}", _page_body(data)).status_code)
            return outcome(api_json(client, "post", f"/api/v1/hazards/{h.pk}/{api_path.format(extra=pk)}", _api_body(data)))

        return probe(prepare, act)

    return make(False), make(True)


PHOTO_FILE = object()  # marks a photo field: Base64 in the API, an uploaded file on the page


def b64png() -> str:
    return base64.b64encode(png()).decode()


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _control(page: bool):
    """Start a control and end a prepared one (API or page): both must agree."""

    def run(client, h):
        sid = transaction.savepoint()
        try:
            control = InterimControl.objects.create(hazard=h, site_id=h.site_id, kind="suspend", reason="矩阵",
                                                    started_at=timezone.now(), started_by=HAZARD_WORLD["users"]["anweiban"])
            start, end = {"kind": "suspend", "reason": "安全生产法第六十五条"}, {"reason": "已消除"}
            if page:
                ended = outcome(client.post(f"/hazards/{h.pk}/controls/{control.pk}/end/", end).status_code)
                started = outcome(client.post(f"/hazards/{h.pk}/controls/", start).status_code)
            else:
                ended = outcome(api_json(client, "post", f"/api/v1/hazards/{h.pk}/controls/{control.pk}/end", end))
                started = outcome(api_json(client, "post", f"/api/v1/hazards/{h.pk}/controls", start))
        finally:
            transaction.savepoint_rollback(sid)
        return started if started == ended else f"start {started} / end {ended}"

    return run


def _update_api(client, h):
    return outcome(api_json(client, "patch", f"/api/v1/hazards/{h.pk}", {"version": h.version, "measures": "加装连墙件并验收"}))


def _update_page(client, h):
    return outcome(client.get(f"/hazards/{h.pk}/edit/").status_code)


def _transfer_target(h) -> int:
    return HAZARD_WORLD["S_L" if h.pk == HAZARD_WORLD["H_L"].pk else "S_R"].pk


def _pending_extension(client, h):
    return DeadlineExtension.objects.create(
        hazard=h, previous_deadline=h.deadline_in_force, requested_deadline=h.deadline_in_force + datetime.timedelta(days=20),
        reason="设备待采购", requested_by=_other(client), requested_at=timezone.now(), status=ExtensionStatus.PENDING)


def _closed(client, h):
    _set(h, status=HazardStatus.CLOSED, closed_at=timezone.now(), closed_on=timezone.localdate(), closed_on_time=True,
         closed_by=HAZARD_WORLD["users"]["anweiban"])


def _version(h, e):
    return {"version": h.version}


HAZARD_ACTIONS = {
    "U": (_update_api, _update_page),
    "S": transition(lambda c, h: _set(h, status=HazardStatus.PENDING), "start", "start/", _version),
    "T": transition(None, "submit-rectification", "submit/",
                    lambda h, e: {"version": h.version, "measures_taken": "已整改", "after_photos": PHOTO_FILE}),
    "P": transition(_awaiting, "verify", "verify/", lambda h, e: {"version": h.version, "passed": True}),
    "K": transition(_awaiting, "send-back", "send-back/", lambda h, e: {"version": h.version, "reason": "整改不到位"}),
    "E": transition(lambda c, h: _set(h, status=HazardStatus.PENDING), "request-extension", "extension/",
                    {"new_deadline": _today(60), "reason": "材料到货延迟"}),
    "D": transition(_pending_extension, "extensions/{extra}/decide", "extension/{extra}/decide/",
                    lambda h, e: {"version": h.version, "approve": True}),
    "O": transition(lambda c, h: _set(h, deadline_in_force=timezone.localdate() - datetime.timedelta(days=3)),
                    "explain-overdue", "explain/", {"text": "材料未到货，正在催办"}),
    "G": transition(None, "escalate", "escalate/", {"text": "涉及规划调整，需区政府协调"}),
    "J": transition(None, "judge-major", "judge-major/", lambda h, e: {"version": h.version, "criterion": _criterion_for(h).pk}),
    "W": transition(None, "downgrade", "downgrade/", lambda h, e: {"version": h.version, "reason": "经复核不符合判定标准"}),
    "M": transition(None, "transfer", "transfer/",
                    lambda h, e: {"version": h.version, "site": _transfer_target(h), "reason": "场所登记错误"}),
    "C": (_control(False), _control(True)),
    "L": transition(None, "list", "listing/", lambda h, e: {"version": h.version, "document_no": "督〔2026〕9号", "deadline": _today(90)}),
    "A": transition(lambda c, h: _listed(c, h, ListingStatus.LISTED), "listings/{extra}/apply-resume",
                    "listings/{extra}/apply-resume/", {"application": "已整改并经评估"}),
    "Q": transition(lambda c, h: _listed(c, h, ListingStatus.RESUME_APPLIED), "listings/{extra}/review",
                    "listings/{extra}/review/", {"passed": True, "opinion": "现场审查合格"}),
    "Z": transition(lambda c, h: _listed(c, h, ListingStatus.REVIEWED), "listings/{extra}/delist", "listings/{extra}/delist/",
                    lambda h, e: {"version": h.version, "reason": "审查合格，予以摘牌"}),
    "H": transition(_closed, "recheck", "recheck/",
                    lambda h, e: {"version": h.version, "passed": False, "reason": "问题复现", "new_deadline": _today(15)}),
}

HAZARD = Surface(
    name="hazard",
    api_list=lambda h: f"/api/v1/hazards?site={h.site_id}&page_size=200",
    api_detail="/api/v1/hazards/{id}",
    page_list=lambda h: f"/hazards/?q={h.number}",
    page_detail="/hazards/{id}/",
    actions=HAZARD_ACTIONS,
)
ROUND = Surface(
    name="round",
    api_list=lambda r: f"/api/v1/hazard-rounds?hazard={r.hazard_id}",
    api_detail="/api/v1/hazard-rounds/{id}",
    page_list=None,
    page_detail=None,
)
PHOTO = Surface(
    name="photo",
    api_list=lambda p: f"/api/v1/hazard-photos?hazard={p.hazard_id}",
    api_detail="/api/v1/hazard-photos/{id}/file",
    page_list=None,
    page_detail="/hazards/photos/{id}/",
)
