"""区域/行业挂牌督办: listing a whole territory, or one industry within a territory, for supervision.

The loop: the listing level (a 区县以上 安委办, or a street's staff — ``supervision.may_list_for_level``) lists
a territory inside its own (or an industry inside its own territory) with a deadline and its 挂牌督办通知
(one 文号) → the listed territory's unit (or, for an industry, a department regulating it there) reports the
fix → the listing level reviews the report: passed → 摘牌 (the closure), not passed → back to 挂牌督办中.
Each step is one audit event; the listed party is notified of the listing, the listing level of a report.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version
from anquan.core.text import clean_text
from anquan.orgs.models import Industry, OrgUnit

from ..choices import AreaListingStatus
from ..models.supervision import AreaListing
from .common import require_within_max
from .supervision import LEVEL_OF_KIND, may_list_for_level

S = AreaListingStatus


def _listers(actor) -> list:
    """The actor's assignments that list for their level; 403 when there is none."""
    listers = [a for a in active_assignments(actor) if a.permits("arealisting.list") and may_list_for_level(a)]
    if not listers:
        raise Forbidden("区域/行业挂牌督办由街道（乡镇）或区县级以上安委办办理")
    return listers


def _lister(actor, target: OrgUnit, industry: Industry | None):
    """The assignment listing for its level whose territory holds ``target`` (strictly below it, or the
    level's own territory when an industry is named); 422 naming the field otherwise."""
    for a in _listers(actor):
        if target.path.startswith(a.unit.path) and (target.pk != a.unit_id or industry is not None):
            return a
    raise Invalid({"target_unit": ["只能对本辖区内的下级区域挂牌督办（对本级辖区只能按行业挂牌）"]})


@transaction.atomic
def area_list(*, actor, target_unit_id, target_industry_id=None, problems: str, requirements: str = "",
              deadline: datetime.date, client_key: str = "") -> AreaListing:
    """List a territory (or an industry within it) and issue its 挂牌督办通知 in the same transaction."""
    from anquan.documents.generators.area_listing_notice import issue_area_listing_notice

    _listers(actor)  # 403 before anything is said about the body
    errors: dict = {}
    target = OrgUnit.objects.visible_to(actor).filter(pk=_id(target_unit_id), voided_at__isnull=True).first()
    if target is None:
        errors["target_unit"] = ["请选择本辖区内的区域"]
    industry = None
    if target_industry_id not in (None, ""):
        industry = Industry.objects.filter(pk=_id(target_industry_id)).first()
        if industry is None:
            errors["target_industry"] = ["请选择有效的行业领域"]
    try:
        problems = clean_text(problems, field="problems", label="存在的突出问题", max_length=5000, required=True,
                              required_message="请填写存在的突出问题")
    except Invalid as exc:
        errors.update(exc.errors)
    try:
        requirements = clean_text(requirements, field="requirements", label="督办要求", max_length=5000)
    except Invalid as exc:
        errors.update(exc.errors)
    today = timezone.localdate()
    if not isinstance(deadline, datetime.date) or deadline < today:
        errors["deadline"] = ["督办期限不能早于今天"]
    if errors:
        raise Invalid(errors)
    assignment = _lister(actor, target, industry)
    require_within_max(deadline, today, target, "deadline", "督办期限", "挂牌之日")
    open_q = AreaListing.objects.filter(target_unit=target, target_industry=industry, listing_unit=assignment.unit,
                                        delisted_at__isnull=True, voided_at__isnull=True)
    if open_q.exists():
        raise Conflict("本级已对该区域（行业）挂牌督办，尚未摘牌")
    listing = AreaListing.objects.create(
        level=LEVEL_OF_KIND[assignment.unit.kind], listing_unit=assignment.unit, target_unit=target,
        target_industry=industry, problems=problems, requirements=requirements, deadline=deadline,
        listed_at=timezone.now(), listed_by=actor,
    )
    issue_area_listing_notice(actor, listing, client_key=client_key)
    record(actor=actor, assignment=assignment, obj=listing, action="area_list", after=snapshot(listing))
    _notify("area_listed", listing, f"area_listed:a{listing.pk}", actor)
    return listing


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def may_report(assignment, listing: AreaListing) -> bool:
    """The listed party: the listed territory's own unit, or for an industry a department regulating it there."""
    if assignment.scope_kind == ScopeKind.TERRITORY:
        return assignment.unit_id == listing.target_unit_id
    if assignment.scope_kind == ScopeKind.DEPARTMENT and listing.target_industry_id:
        dept = assignment.department
        return dept.industries.filter(pk=listing.target_industry_id).exists()
    return False


@transaction.atomic
def area_report(*, actor, listing: AreaListing, version, report: str) -> AreaListing:
    """The listed territory (or industry department) reports the fix; the listing level then reviews it."""
    assignment = authorize(actor, listing, "report")
    if not may_report(assignment, listing):
        others = [a for a in active_assignments(actor) if a.permits("arealisting.report") and may_report(a, listing)
                  and AreaListing.objects.filter(AreaListing.objects.assignment_q(a), pk=listing.pk).exists()]
        if not others:
            raise Forbidden("整改情况由被挂牌的区域（行业主管部门）报告")
        assignment = others[0]
    report = clean_text(report, field="report", label="整改情况报告", max_length=10000, required=True,
                        required_message="请填写整改情况报告")
    _live(listing)
    if listing.status != S.LISTED:
        raise Conflict(f"挂牌督办当前为“{listing.get_status_display()}”，不能报告整改情况")
    before = snapshot(listing)
    bump_version(listing, version)
    listing.status, listing.reported_at, listing.reported_by, listing.report = S.REPORTED, timezone.now(), actor, report
    listing.save()
    record(actor=actor, assignment=assignment, obj=listing, action="area_report", before=before, after=snapshot(listing))
    _notify("area_listing_reported", listing, f"area_reported:a{listing.pk}:{listing.version}", actor)
    return listing


def _listing_level(actor, listing: AreaListing, action: str):
    assignment = authorize(actor, listing, action)
    if not may_list_for_level(assignment) or assignment.unit_id != listing.listing_unit_id:
        for a in active_assignments(actor):
            if a.permits(f"arealisting.{action}") and may_list_for_level(a) and a.unit_id == listing.listing_unit_id:
                return a
        raise Forbidden("只有挂牌单位可以审查和摘牌")
    return assignment


@transaction.atomic
def area_review(*, actor, listing: AreaListing, version, passed: bool, opinion: str) -> AreaListing:
    """The listing level reviews the report: passed → 摘牌 (closed); not passed → back to 挂牌督办中."""
    assignment = _listing_level(actor, listing, "delist")
    opinion = clean_text(opinion, field="opinion", label="审查意见", max_length=5000, required=True,
                         required_message="请填写审查意见")
    _live(listing)
    if listing.status != S.REPORTED:
        raise Conflict(f"挂牌督办当前为“{listing.get_status_display()}”，须先由被挂牌单位报告整改情况")
    before = snapshot(listing)
    bump_version(listing, version)
    now = timezone.now()
    listing.reviewed_at, listing.reviewed_by, listing.review_opinion = now, actor, opinion
    if passed:
        listing.status, listing.delisted_at, listing.delisted_by = S.DELISTED, now, actor
    else:
        listing.status = S.LISTED
    listing.save()
    record(actor=actor, assignment=assignment, obj=listing, action="area_delist" if passed else "area_review_failed",
           before=before, after=snapshot(listing), reason=opinion[:500])
    return listing


def _live(listing: AreaListing) -> None:
    if listing.voided_at:
        raise Conflict("该挂牌督办记录已作废")


def _notify(code: str, listing: AreaListing, key: str, actor) -> None:
    from anquan.notifications.services import notify_event

    notify_event(code, listing, key=key, actor=actor)
