"""What the hazard loop tells people (the notification kinds of ``hazards``), and who hears of each event.

Recipients come from the permission rules (``notifications.recipients.who_may`` with the services'
own who-found-it rules ``may_rectify``/``may_oversee``), so the person told is the person who may act:

- recorded at a site → whoever must rectify it (the enterprise; the street where there is none);
- rectification submitted → whoever may verify it (the finder's unit or department; the 安委办 only
  when nobody closer may); extension requested → whoever may approve it, by the same rule;
- written explanation of an overdue hazard, escalation (提请研究) → the 安委办 of its territory (the lowest level);
- 重大 judged → the regulators of the site (its department and the enterprise's regulators);
- listed (挂牌督办) → the rectifiers and its overseers; resume applied → the listing unit's 安委办, with
  the review due date; review result, sent back, verified, extension approved/refused → the rectifiers
  (and the person who submitted or asked).

The deadline kinds (将至、逾期、逾期超时限、督办期限) are facts of the calendar, created by ``notifications.sweep``.
"""
from __future__ import annotations

from anquan.notifications.kinds import NoticeKind, register
from anquan.notifications.recipients import closest, lowest_level, near, users_of, who_may

HAZARD = "hazards.Hazard"
LISTING = "hazards.ListedSupervision"


def _hazard_url(hazard) -> str:
    return f"/hazards/{hazard.pk}/"


def _listing_url(listing) -> str:
    return f"/hazards/{listing.hazard_id}/"


def _where(hazard):
    from anquan.enterprises.models import EnterpriseRegulator

    regulators = []
    if hazard.enterprise_id:
        regulators = list(EnterpriseRegulator.objects.active().filter(enterprise_id=hazard.enterprise_id, department__isnull=False)
                          .values_list("department_id", flat=True))
    return near(units=hazard.grid.ancestor_ids(), departments={hazard.department_id, hazard.finder_department_id, *regulators},
                enterprises={hazard.enterprise_id, hazard.finder_enterprise_id})


def rectifier_assignments(hazard):
    from anquan.hazards.services.common import may_rectify

    return who_may(hazard, "hazard.rectify", rule=may_rectify, where=_where(hazard))


def rectifiers(hazard, context=None) -> list:
    """Who must rectify: the enterprise's safety people, or (no enterprise) the street."""
    return users_of(rectifier_assignments(hazard))


def overseers(hazard, action: str = "hazard.verify", context=None) -> list:
    """Who may verify/decide (``may_oversee``), the 安委办 only when nobody closer may.

    The actor (who submitted or asked) is left out *before* choosing the closest, so a street whose
    only official submitted the fix asks its 安委办 rather than nobody.
    """
    from anquan.hazards.services.common import may_oversee

    actor_id = (context or {}).get("actor_id")
    may = [a for a in who_may(hazard, action, rule=may_oversee, where=_where(hazard)) if a.user_id != actor_id]
    return users_of(closest(may))


def anweiban_of(hazard, context=None) -> list:
    """The 安委办 of the hazard's territory, the lowest level that covers it (the district before the city)."""
    return users_of(lowest_level(who_may(hazard, "view", roles=["anweiban"], where=_where(hazard))))


def regulators(hazard, context=None) -> list:
    """The staff of the site's responsible department and of the enterprise's regulators (重大 is reported to them)."""
    from anquan.accounts.models import RoleAssignment
    from anquan.enterprises.models import EnterpriseRegulator

    depts = {hazard.department_id} - {None}
    if hazard.enterprise_id:
        depts |= set(EnterpriseRegulator.objects.active().filter(enterprise_id=hazard.enterprise_id, department__isnull=False)
                     .values_list("department_id", flat=True))
    return list(RoleAssignment.objects.active().filter(department_id__in=depts, role="dept_staff", user__is_active=True)
                .values_list("user_id", flat=True))


def _with(context_key: str):
    """Recipients: the rectifiers plus the person named in the event's context (the submitter, the requester)."""
    def recipients(hazard, context):
        extra = context.get(context_key)
        return rectifiers(hazard) + ([extra] if extra else [])
    return recipients


def _listing_concerned(listing, context) -> list:
    return rectifiers(listing.hazard) + overseers(listing.hazard)


def _listing_reviewers(listing, context) -> list:
    """The listing unit (its 安委办, or a street's staff): only that level reviews and signs off (``_listing_assignment``)."""
    from anquan.hazards.services.supervision import may_list_for_level

    rule = lambda a, obj: None if a.unit_id == listing.listing_unit_id and may_list_for_level(a) else "非挂牌单位"  # noqa: E731
    return users_of(who_may(listing, "hazard.review_listing", roles=["anweiban", "street_staff"], rule=rule,
                            where=near(units=listing.hazard.grid.ancestor_ids())))


def _review_due_title(listing, context) -> str:
    from anquan.rules.calendar import local_date
    from anquan.rules.deadlines import listing_review_due

    due = listing_review_due(local_date(listing.resume_applied_at), unit=listing.listing_unit)
    return f"挂牌督办复工复产申请待现场审查：{listing.document_no} {listing.hazard.number}，请于{due:%Y-%m-%d}前审查"


def _h(text: str):
    return lambda hazard, context: text.format(h=hazard, desc=hazard.description[:30], site=hazard.site.name, **context)


register(
    # Facts of the calendar (notifications.sweep writes their titles).
    NoticeKind("deadline_soon", "整改期限将至", HAZARD, _h("整改期限将至：{h.number}"), _hazard_url, tone="warning"),
    NoticeKind("overdue", "隐患逾期", HAZARD, _h("隐患已逾期：{h.number}"), _hazard_url, tone="danger"),
    NoticeKind("overdue_escalated", "逾期超时限（报安委办）", HAZARD, _h("逾期未整改：{h.number}"), _hazard_url, tone="danger"),
    NoticeKind("listing_deadline", "督办期限将至", HAZARD, _h("督办期限将至：{h.number}"), _hazard_url, tone="warning"),
    # Events.
    NoticeKind("hazard_recorded", "新登记隐患", HAZARD,
               _h("新登记隐患待整改：{h.number} {site} {desc}（整改期限{h.deadline_in_force:%Y-%m-%d}）"), _hazard_url,
               recipients=lambda h, c: rectifiers(h), tone="primary"),
    NoticeKind("verification_waiting", "待验收", HAZARD, _h("待验收：{h.number} 第{round}轮整改已提交，请复查验收"), _hazard_url,
               recipients=lambda h, c: overseers(h, "hazard.verify", c), tone="primary"),
    NoticeKind("extension_requested", "延期待审批", HAZARD,
               _h("延期申请待审批：{h.number} 申请延至{requested}（现行期限{h.deadline_in_force:%Y-%m-%d}）"), _hazard_url,
               recipients=lambda h, c: overseers(h, "hazard.decide_extension", c), tone="primary"),
    NoticeKind("extension_decided", "延期申请已审批", HAZARD, _h("延期申请{verdict}：{h.number}"), _hazard_url,
               recipients=_with("requested_by"), tone="info"),
    NoticeKind("overdue_explained", "逾期书面说明", HAZARD, _h("逾期书面说明待阅：{h.number} {site} {desc}"), _hazard_url,
               recipients=anweiban_of, tone="warning"),
    NoticeKind("hazard_escalated", "提请研究", HAZARD, _h("提请政府研究：{h.number} {site} {desc}"), _hazard_url,
               recipients=anweiban_of, tone="warning"),
    NoticeKind("major_reported", "重大事故隐患报告", HAZARD, _h("重大事故隐患报告：{h.number} {desc}"), _hazard_url,
               recipients=regulators, tone="danger"),
    NoticeKind("sent_back", "整改被退回", HAZARD, _h("整改被退回：{h.number}（{reason}）"), _hazard_url,
               recipients=lambda h, c: rectifiers(h), tone="warning"),
    NoticeKind("hazard_verified", "已验收销号", HAZARD, _h("整改已验收销号：{h.number}"), _hazard_url,
               recipients=_with("submitted_by"), tone="info"),
    NoticeKind("hazard_listed", "挂牌督办", LISTING,
               lambda li, c: f"隐患被挂牌督办：{li.hazard.number}（{li.document_no}，督办期限{li.deadline:%Y-%m-%d}）",
               _listing_url, recipients=_listing_concerned, tone="danger"),
    NoticeKind("listing_review_due", "督办现场审查待办", LISTING, _review_due_title, _listing_url,
               recipients=_listing_reviewers, tone="warning"),
    NoticeKind("listing_reviewed", "督办现场审查结果", LISTING,
               lambda li, c: f"挂牌督办现场审查{'通过，待摘牌' if c.get('passed') else '未通过，请继续整改'}：{li.hazard.number}",
               _listing_url, recipients=lambda li, c: rectifiers(li.hazard), tone="info"),
)


# --- 区域/行业挂牌督办 (hazards.AreaListing) ----------------------------------------------------------------------
AREA = "hazards.AreaListing"


def _area_url(listing) -> str:
    return f"/hazards/area-listings/{listing.pk}/"


def _area_where(listing):
    from anquan.orgs.models import Department

    depts = []
    if listing.target_industry_id:
        depts = list(Department.objects.filter(industries=listing.target_industry_id, voided_at__isnull=True)
                     .values_list("pk", flat=True))
    return near(units=listing.target_unit.ancestor_ids(), departments=set(depts))


def _area_listed_party(listing, context=None) -> list:
    """The listed territory's unit (and, for an industry, the departments regulating it there)."""
    from anquan.hazards.services.area_listing import may_report

    rule = lambda a, obj: None if may_report(a, obj) else "非被挂牌单位"  # noqa: E731
    return users_of(who_may(listing, "arealisting.report", rule=rule, where=_area_where(listing)))


def _area_listing_level(listing, context=None) -> list:
    from anquan.hazards.services.supervision import may_list_for_level

    rule = lambda a, obj: None if a.unit_id == obj.listing_unit_id and may_list_for_level(a) else "非挂牌单位"  # noqa: E731
    return users_of(who_may(listing, "arealisting.delist", rule=rule, where=near(units=[listing.listing_unit_id])))


register(
    NoticeKind("area_listed", "区域/行业挂牌督办", AREA,
               lambda li, c: f"{li.object_name}被{li.get_level_display()}挂牌督办（{li.document_no}，督办期限{li.deadline:%Y-%m-%d}）",
               _area_url, recipients=_area_listed_party, tone="danger"),
    NoticeKind("area_listing_reported", "区域/行业挂牌督办整改报告", AREA,
               lambda li, c: f"{li.object_name}已报告挂牌督办整改情况，请审查（{li.document_no}）",
               _area_url, recipients=_area_listing_level, tone="warning"),
)
