"""Register pages of the hazard loop (挂牌督办台账, 延期审批, 逾期说明/提请研究): filters, a count,
50 rows a page and an audited .xlsx of exactly the filtered rows. Reads through ``registers``."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.views import login_required, paginate, query_without
from anquan.rules.calendar import local_date, today
from anquan.workbench.export import register_download

from . import registers
from .choices import ExtensionStatus, ListingLevel, ListingStatus
from .exports import _local, _name
from .models import OverdueExplanation
from .views import permits_any


def _units(user):
    from anquan.enterprises.views import filter_options

    return filter_options(user)["unit_options"]


def _page(request, template: str, title: str, qs, rows, filters, extra: dict):
    params = {k: request.GET.get(k, "") for k in filters}
    page = paginate(request, qs, 50)
    page.object_list = rows(page.object_list, today())
    return render(request, template, {
        "page": page, "params": params, "title": title, "query": query_without(request),
        "export_query": query_without(request, "page"), "filtered": bool(query_without(request, "page")),
        "can_export": permits_any(request.user, "hazard.export"), "unit_options": _units(request.user),
        "today": today(), "nav_active": "hazards", **extra,
    })


# ---------------------------------------------------------------- 挂牌督办台账

LISTING_COLUMNS = [("隐患编号", 18), ("场所", 26), ("企业", 30), ("隐患描述", 44), ("督办层级", 8), ("挂牌单位", 16),
                   ("督办文号", 22), ("挂牌日期", 12), ("督办期限", 12), ("剩余天数", 9), ("状态", 14),
                   ("复工复产申请时间", 17), ("现场审查期限", 12), ("审查剩余天数", 9), ("摘牌时间", 17)]


@require_GET
@login_required
def listing_register(request):
    """挂牌督办台账: every listing in scope with its deadline and on-site review clock as days left."""
    from .views_area_listing import area_register, area_rows, may_list, waiting_on

    qs = registers.listing_register(request.user, request.GET)
    # 区域/行业挂牌督办 in the same register (not yet 摘牌, the 20 nearest deadlines; the full list on its own page).
    areas = area_rows(area_register(request.user, {"status": "active"})[:20], today())
    return _page(request, "hazards/registers/listings.html", "挂牌督办台账", qs, registers.listing_rows,
                 registers.LISTING_FILTERS, {"nav_active": "listings", "statuses": ListingStatus.choices, "levels": ListingLevel.choices,
                                             "reviewer": bool(registers.reviewing_units(request.user)),
                                             "area_listings": areas, "area_mine": {li.pk for li in waiting_on(request.user)},
                                             "can_area_list": may_list(request.user)})


@require_GET
@login_required
def listing_export(request):
    rows = registers.listing_rows(registers.listing_register(request.user, request.GET), today())
    cells = ([li.hazard.number, li.hazard.site.name, li.hazard.enterprise.name if li.hazard.enterprise_id else "",
              li.hazard.description, li.get_level_display(), li.listing_unit.name, li.document_no,
              local_date(li.listed_at), li.deadline, li.days_left, li.get_status_display(),
              _local(li.resume_applied_at), li.review_due, li.review_days_left, _local(li.delisted_at)] for li in rows)
    return register_download(request, key="listings", title="挂牌督办台账", action="hazard.export",
                             columns=LISTING_COLUMNS, rows=cells, params=dict(request.GET.lists()))


# ---------------------------------------------------------------- 延期审批

EXTENSION_COLUMNS = [("隐患编号", 18), ("场所", 26), ("企业", 30), ("隐患描述", 44), ("原期限", 12), ("剩余天数", 9),
                     ("申请延至", 12), ("申请理由", 36), ("申请人", 12), ("申请时间", 17), ("状态", 8),
                     ("审批人", 12), ("审批时间", 17), ("审批意见", 30)]


@require_GET
@login_required
def extension_register(request):
    """延期审批: requests to extend a deadline, the approver's own pending ones first to find (mine=1)."""
    qs = registers.extension_register(request.user, request.GET)
    return _page(request, "hazards/registers/extensions.html", "延期审批", qs, registers.extension_rows,
                 registers.EXTENSION_FILTERS, {"nav_active": "extensions", "statuses": ExtensionStatus.choices})


@require_GET
@login_required
def extension_export(request):
    rows = registers.extension_rows(registers.extension_register(request.user, request.GET), today())
    cells = ([e.hazard.number, e.hazard.site.name, e.hazard.enterprise.name if e.hazard.enterprise_id else "",
              e.hazard.description, e.previous_deadline, e.days_left, e.requested_deadline, e.reason,
              _name(e.requested_by), _local(e.requested_at), e.get_status_display(), _name(e.decided_by),
              _local(e.decided_at), e.decision_reason] for e in rows)
    return register_download(request, key="extensions", title="延期审批", action="hazard.export",
                             columns=EXTENSION_COLUMNS, rows=cells, params=dict(request.GET.lists()))


# ---------------------------------------------------------------- 逾期说明 / 提请研究

EXPLANATION_COLUMNS = [("类型", 12), ("隐患编号", 18), ("场所", 26), ("企业", 30), ("隐患描述", 40), ("隐患状态", 8),
                       ("现行整改期限", 12), ("内容", 50), ("提交人", 12), ("提交时间", 17)]


@require_GET
@login_required
def explanation_register(request):
    """逾期说明 and 提请研究: written explanations of missed deadlines and escalations to the government."""
    qs = registers.explanation_register(request.user, request.GET)
    return _page(request, "hazards/registers/explanations.html", "逾期说明与提请研究", qs, lambda rows, on: rows,
                 registers.EXPLANATION_FILTERS, {"nav_active": "explanations", "kinds": OverdueExplanation.Kind.choices})


@require_GET
@login_required
def explanation_export(request):
    cells = ([x.get_kind_display(), x.hazard.number, x.hazard.site.name,
              x.hazard.enterprise.name if x.hazard.enterprise_id else "", x.hazard.description,
              x.hazard.get_status_display(), x.hazard.deadline_in_force, x.text, _name(x.submitted_by),
              _local(x.submitted_at)] for x in registers.explanation_register(request.user, request.GET))
    return register_download(request, key="explanations", title="逾期说明与提请研究", action="hazard.export",
                             columns=EXPLANATION_COLUMNS, rows=cells, params=dict(request.GET.lists()))
