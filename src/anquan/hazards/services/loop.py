"""The rectification loop: start, submit a round with after-photos, verify (pass or send back),
and 回头看 re-checks that may reopen a closed hazard."""
from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from anquan.audit.services import snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import bump_version
from anquan.notifications.services import notify_event

from ..choices import HazardStatus, PhotoKind, Verdict
from ..models import Hazard, RectificationRound
from .common import (
    audit,
    authorize_oversight,
    authorize_rectifier,
    next_status,
    require_live,
    require_plan,
    require_reason,
    require_within_max,
    save_photos,
)


def _today():
    from anquan.rules.calendar import today

    return today()


@transaction.atomic
def hazard_start(*, actor, hazard: Hazard, version) -> Hazard:
    """待整改 → 整改中 (a 重大 hazard needs its report and 治理方案 first)."""
    assignment = authorize_rectifier(actor, hazard, "hazard.rectify")
    require_live(hazard)
    target = next_status(hazard, "start")
    require_plan(hazard)
    before = snapshot(hazard)
    bump_version(hazard, version)
    hazard.status = target
    hazard.save(update_fields=["status", "version", "updated_at"])
    audit(actor, assignment, hazard, "start", before)
    return hazard


@transaction.atomic
def hazard_submit(*, actor, hazard: Hazard, version, measures_taken: str, after_photos=()) -> RectificationRound:
    """Submit a rectification round for verification; each round keeps its own evidence."""
    assignment = authorize_rectifier(actor, hazard, "hazard.rectify")
    require_live(hazard)
    target = next_status(hazard, "submit")
    require_plan(hazard)
    measures_taken = require_reason(measures_taken, "measures_taken", "已采取的整改措施")
    if not after_photos:
        raise Invalid({"after_photos": ["请上传至少一张整改后照片"]})
    now = timezone.now()
    today = _today()
    before = snapshot(hazard)
    bump_version(hazard, version)
    number = hazard.rounds.count() + 1
    rnd = RectificationRound.objects.create(
        hazard=hazard, number=number, measures_taken=measures_taken[:10000], submitted_by=actor,
        submitted_role=assignment.role, submitted_at=now, deadline_at_submission=hazard.deadline_in_force,
        on_time=today <= hazard.deadline_in_force,
    )
    save_photos(actor, hazard, after_photos, PhotoKind.AFTER, round=rnd)
    hazard.status, hazard.submitted_at = target, now
    hazard.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    audit(actor, assignment, hazard, "submit", before, after={"status": target, "round": number})
    notify_event("verification_waiting", hazard, key=f"verify:h{hazard.pk}:r{number}", actor=actor, round=number)
    return rnd


@transaction.atomic
def hazard_verify(*, actor, hazard: Hazard, version, passed: bool, reason: str = "", photos=()) -> Hazard:
    """复查验收 by someone other than the submitter: pass → 已销号; fail → 退回, back to 整改中."""
    assignment = authorize_oversight(actor, hazard, "hazard.verify")
    require_live(hazard)
    target = next_status(hazard, "pass" if passed else "send_back")
    rnd = hazard.rounds.order_by("-number").first()
    if rnd is None or rnd.verdict != Verdict.PENDING:
        raise Conflict("没有待验收的整改记录")
    if rnd.submitted_by_id == actor.pk:
        raise Forbidden("整改提交人不能验收自己提交的整改")
    if passed and hazard.listings.filter(delisted_at__isnull=True).exists():
        raise Conflict("挂牌督办中的重大事故隐患须由挂牌单位审查后摘牌销号")
    if not passed:
        reason = require_reason(reason, what="退回理由")
    now = timezone.now()
    before = snapshot(hazard)
    bump_version(hazard, version)
    rnd.verdict = Verdict.PASSED if passed else Verdict.SENT_BACK
    rnd.verified_by, rnd.verified_role, rnd.verified_at, rnd.verdict_reason = actor, assignment.role, now, reason
    rnd.save()
    save_photos(actor, hazard, photos, PhotoKind.REVIEW, round=rnd)
    hazard.status = target
    if passed:
        hazard.closed_at, hazard.closed_on, hazard.closed_by, hazard.closed_on_time = now, timezone.localdate(now), actor, rnd.on_time
    hazard.save()
    audit(actor, assignment, hazard, "verify" if passed else "send_back", before, reason=reason)
    if passed:
        notify_event("hazard_verified", hazard, key=f"verified:h{hazard.pk}:r{rnd.number}", actor=actor,
                     submitted_by=rnd.submitted_by_id)
    else:
        notify_event("sent_back", hazard, key=f"sent_back:h{hazard.pk}:r{rnd.number}", actor=actor, reason=reason[:60])
    return hazard


def close_by_listing_level(*, actor, assignment, hazard: Hazard, reason: str, now) -> None:
    """摘牌 closes the hazard: the listing level's sign-off is its verification (used by the listing services)."""
    rnd = hazard.rounds.order_by("-number").first()
    if hazard.status != HazardStatus.AWAITING or rnd is None or rnd.verdict != Verdict.PENDING:
        raise Conflict("须企业提交整改并经现场审查后才能摘牌")
    if rnd.submitted_by_id == actor.pk:
        raise Forbidden("整改提交人不能验收自己提交的整改")
    rnd.verdict, rnd.verified_by, rnd.verified_role, rnd.verified_at, rnd.verdict_reason = (
        Verdict.PASSED, actor, assignment.role, now, reason)
    rnd.save()
    hazard.status = HazardStatus.CLOSED
    hazard.closed_at, hazard.closed_on, hazard.closed_by, hazard.closed_on_time = now, timezone.localdate(now), actor, rnd.on_time
    hazard.save()


def recheck_sample(*, actor, hazards, percent: int, seed: int) -> list[Hazard]:
    """回头看: a reproducible random sample (seeded) of the closed hazards the user may re-check."""
    pool = list(hazards.filter(status=HazardStatus.CLOSED).order_by("pk").values_list("pk", flat=True))
    size = max(1, round(len(pool) * percent / 100)) if pool else 0
    chosen = sorted(random.Random(seed).sample(pool, size))
    return list(Hazard.objects.filter(pk__in=chosen).order_by("pk"))


@transaction.atomic
def hazard_recheck(*, actor, hazard: Hazard, version, passed: bool, reason: str = "", new_deadline=None) -> Hazard:
    """Record a 回头看 result; a failed re-check reopens the hazard with a new deadline and a new round to come."""
    assignment = authorize_oversight(actor, hazard, "hazard.recheck")
    require_live(hazard)
    if hazard.status != HazardStatus.CLOSED:
        raise Conflict("只能对已销号的隐患开展回头看")
    before = snapshot(hazard)
    if passed:
        audit(actor, assignment, hazard, "recheck_passed", before, reason=reason or "回头看复查无问题", after={})
        return hazard
    reason = require_reason(reason, what="复查发现的问题")
    if new_deadline is None or new_deadline < _today():
        raise Invalid({"new_deadline": ["请填写不早于今天的新整改期限"]})
    require_within_max(new_deadline, _today(), hazard.grid, "new_deadline", "新整改期限", "复查之日")
    target = next_status(hazard, "reopen")
    bump_version(hazard, version)
    hazard.status, hazard.deadline_in_force = target, new_deadline
    hazard.closed_at = hazard.closed_on = hazard.closed_by = hazard.closed_on_time = None
    hazard.save()
    audit(actor, assignment, hazard, "reopen", before, reason=reason)
    return hazard
