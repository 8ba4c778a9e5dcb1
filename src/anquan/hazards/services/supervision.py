"""Interim controls (停工停产 …) and listed supervision (挂牌督办 → 摘牌) of major hazards."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from anquan.audit.services import snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version
from anquan.notifications.services import notify_event
from anquan.orgs.models import UnitKind

from ..choices import ControlKind, HazardLevel, HazardStatus, ListingLevel, ListingStatus
from ..models import Hazard, InterimControl, ListedSupervision
from .common import audit, require_live, require_reason, require_within_max
from .loop import close_by_listing_level

LEVEL_OF_KIND = {UnitKind.STREET: ListingLevel.STREET, UnitKind.DISTRICT: ListingLevel.DISTRICT, UnitKind.CITY: ListingLevel.CITY,
                 UnitKind.PROVINCE: ListingLevel.PROVINCE}
#: Who lists for a level (挂牌督办 follows the unit's place in the tree): the 安委办 of a 区县/市/省, and at a
#: 街道/乡镇 its own staff (seed 003: 镇级隐患整改重点单位挂牌督办, the street's 安委会 office is its 应急管理办公室).
LISTING_ROLES = {UnitKind.STREET: {"street_staff", "anweiban"}, UnitKind.DISTRICT: {"anweiban"}, UnitKind.CITY: {"anweiban"},
                 UnitKind.PROVINCE: {"anweiban"}}


def may_list_for_level(assignment) -> bool:
    """Whether this assignment lists (reviews, 摘牌) in the name of its unit's level."""
    unit = assignment.unit
    return unit is not None and assignment.role in LISTING_ROLES.get(unit.kind, ())


@transaction.atomic
def control_start(*, actor, hazard: Hazard, kind: str, reason: str) -> InterimControl:
    """Start an interim control on the hazard's site; the site's 停产整顿 follows from its active controls."""
    assignment = authorize(actor, hazard, "control")
    require_live(hazard)
    reason = require_reason(reason, what="采取措施的依据和理由")
    if kind not in ControlKind.values:
        raise Invalid({"kind": ["请选择管控措施"]})
    if hazard.status == HazardStatus.CLOSED:
        raise Conflict("隐患已销号，不能再采取临时管控措施")
    control = InterimControl.objects.create(
        hazard=hazard, site_id=hazard.site_id, kind=kind, reason=reason, started_at=timezone.now(), started_by=actor
    )
    audit(actor, assignment, hazard, "control_start", after={"control": control.pk, "kind": kind}, reason=reason)
    return control


@transaction.atomic
def control_end(*, actor, control: InterimControl, reason: str) -> InterimControl:
    hazard = control.hazard
    assignment = authorize(actor, hazard, "control")
    reason = require_reason(reason, what="解除理由")
    if control.ended_at:
        raise Conflict("该措施已经解除")
    control.ended_at, control.ended_by, control.end_reason = timezone.now(), actor, reason
    control.save()
    audit(actor, assignment, hazard, "control_end", after={"control": control.pk}, reason=reason)
    return control


def _listing_assignment(actor, hazard: Hazard, action: str, listing: ListedSupervision | None = None):
    """An assignment listing for its level — a 区/市/省 安委办, or a 街道/乡镇's staff — whose territory covers
    the hazard (and, for an existing listing, the level that listed it: only that level signs off)."""
    assignment = authorize(actor, hazard, action)
    if not may_list_for_level(assignment):
        raise Forbidden("挂牌督办由街道（乡镇）或区县级以上安委办办理")
    if listing is not None and listing.listing_unit_id != assignment.unit_id:
        raise Forbidden("只有挂牌单位可以办理该挂牌督办事项")
    return assignment


@transaction.atomic
def hazard_list(*, actor, hazard: Hazard, version, deadline: datetime.date, document_no: str = "",
                client_key: str = "") -> ListedSupervision:
    """挂牌督办 of a 重大 hazard by the acting 安委办's level, with a deadline, and its 挂牌督办通知书.

    One act, one number: the notice is issued in the same transaction and its gap-free 文号
    (e.g. 示安委办督办〔2026〕1号) is the listing's number (``document_no``). The user never types
    it; ``document_no`` is ignored (kept so callers of the old signature still work).
    ``client_key`` makes a double-submitted listing issue one notice (see documents.issue_document).
    """
    # documents sits above hazards (its generators read hazard records); imported here, at call time,
    # so that loading hazards never loads documents.
    from anquan.documents.generators import issue_listing_notice

    assignment = _listing_assignment(actor, hazard, "list")
    require_live(hazard)
    if hazard.level != HazardLevel.MAJOR:
        raise Conflict("只有重大事故隐患可以挂牌督办")
    if hazard.status == HazardStatus.CLOSED:
        raise Conflict("隐患已销号，不能挂牌")
    if hazard.listings.filter(delisted_at__isnull=True, listing_unit=assignment.unit).exists():
        raise Conflict("本级已对该隐患挂牌督办")
    if not isinstance(deadline, datetime.date) or deadline < timezone.localdate():
        raise Invalid({"deadline": ["督办期限不能早于今天"]})
    require_within_max(deadline, timezone.localdate(), hazard.grid, "deadline", "督办期限", "挂牌之日")
    before = snapshot(hazard)
    bump_version(hazard, version)
    listing = ListedSupervision.objects.create(
        hazard=hazard, level=LEVEL_OF_KIND[assignment.unit.kind], listing_unit=assignment.unit,
        document_no="", deadline=deadline, listed_at=timezone.now(), listed_by=actor,
    )
    hazard.save(update_fields=["version", "updated_at"])
    notice = issue_listing_notice(actor, listing, client_key=client_key)
    listing.document_no = notice.number
    audit(actor, assignment, hazard, "list", before, after={"listing": listing.pk, "document_no": notice.number})
    notify_event("hazard_listed", listing, key=f"listed:l{listing.pk}", actor=actor)
    return listing


@transaction.atomic
def listing_apply_resume(*, actor, listing: ListedSupervision, application: str) -> ListedSupervision:
    """The enterprise's written application to resume after rectification and assessment."""
    hazard = listing.hazard
    assignment = authorize(actor, hazard, "apply_resume")
    application = require_reason(application, "application", "复工复产申请内容")
    if listing.status != ListingStatus.LISTED:
        raise Conflict(f"挂牌督办当前为“{listing.get_status_display()}”，不能申请复工复产")
    if hazard.status != HazardStatus.AWAITING:
        raise Conflict("请先提交整改材料（待验收）再申请复工复产")
    listing.status, listing.resume_applied_at, listing.resume_application = ListingStatus.RESUME_APPLIED, timezone.now(), application
    listing.save()
    audit(actor, assignment, hazard, "apply_resume", after={"listing": listing.pk}, reason=application[:500])
    notify_event("listing_review_due", listing, key=f"review_due:l{listing.pk}:a{listing.resume_applied_at:%Y%m%d%H%M%S}", actor=actor)
    return listing


@transaction.atomic
def listing_review(*, actor, listing: ListedSupervision, passed: bool, opinion: str) -> ListedSupervision:
    """On-site review after the resume application (due within 10 days, rules: listing.review_days)."""
    hazard = listing.hazard
    assignment = _listing_assignment(actor, hazard, "review_listing", listing)
    opinion = require_reason(opinion, "opinion", "审查意见")
    if listing.status != ListingStatus.RESUME_APPLIED:
        raise Conflict("企业尚未申请复工复产，不能现场审查")
    listing.reviewed_at, listing.reviewed_by, listing.review_opinion = timezone.now(), actor, opinion
    listing.status = ListingStatus.REVIEWED if passed else ListingStatus.LISTED
    listing.save()
    audit(actor, assignment, hazard, "review_listing", after={"listing": listing.pk, "passed": passed}, reason=opinion[:500])
    notify_event("listing_reviewed", listing, key=f"reviewed:l{listing.pk}:a{listing.reviewed_at:%Y%m%d%H%M%S}", actor=actor,
                 passed=passed)
    return listing


@transaction.atomic
def hazard_delist(*, actor, listing: ListedSupervision, version, reason: str = "") -> ListedSupervision:
    """摘牌/核销: the listing level signs off after a passed on-site review; the hazard closes with it."""
    hazard = Hazard.objects.select_for_update().get(pk=listing.hazard_id)
    assignment = _listing_assignment(actor, hazard, "delist", listing)
    if listing.status != ListingStatus.REVIEWED:
        raise Conflict("须经现场审查通过后才能摘牌")
    now = timezone.now()
    before = snapshot(hazard)
    bump_version(hazard, version)
    listing.status, listing.delisted_at, listing.delisted_by = ListingStatus.DELISTED, now, actor
    listing.save()
    if not hazard.listings.filter(delisted_at__isnull=True).exists():
        close_by_listing_level(actor=actor, assignment=assignment, hazard=hazard, reason=reason or "摘牌销号", now=now)
    audit(actor, assignment, hazard, "delist", before, reason=reason)
    return listing
