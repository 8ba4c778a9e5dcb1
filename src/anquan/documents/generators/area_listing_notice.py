"""区域/行业挂牌督办通知: the notice listing a whole territory or an industry within it (hazards.AreaListing).

One act, one number: issued in the listing's transaction, its gap-free 文号 (series 督办, shared with the
listing unit's 重大事故隐患挂牌督办通知书) becomes the listing's ``document_no``.
"""
from __future__ import annotations

from anquan.core.errors import Conflict
from anquan.rules import values

from ..models import DocumentKind, OfficialDocument
from ..services import issue_document
from .common import date_text, preferred_issuer, time_text


def issue_area_listing_notice(actor, listing, *, client_key: str = "") -> OfficialDocument:
    from anquan.hazards.choices import AreaListingStatus
    from anquan.hazards.models.supervision import AreaListing

    if listing.status == AreaListingStatus.DELISTED:
        raise Conflict("该挂牌督办已摘牌，不能再下达挂牌督办通知")
    issuer = preferred_issuer(actor, unit=listing.listing_unit)
    publish_days = values.get("listing.publish_working_days", listing.listing_unit)
    what = "行业" if listing.target_industry_id else "区域"
    paragraphs = [
        f"经研究，决定对{listing.object_name}实行{listing.get_level_display()}{what}挂牌督办，挂牌时间{time_text(listing.listed_at)}。",
        f"存在的突出问题：{listing.problems}",
        f"请你单位于{date_text(listing.deadline)}前完成整改，现提出以下督办要求：",
        "一、主要负责同志对挂牌督办事项的整改全面负责，制定整改方案，明确整改目标、措施、责任、资金、时限和应急预案。",
        "二、逐项排查辖区（行业）内同类问题和事故隐患，建立问题清单、整改清单和责任清单，对短期内无法整改到位的，依法采取停产停业等管控措施。",
        "三、整改完成后，向挂牌督办单位书面报告整改情况；挂牌督办单位审查合格的，予以摘牌。",
        f"四、挂牌督办及摘牌情况自作出之日起{publish_days}个工作日内公开。",
    ]
    if listing.requirements:
        paragraphs.insert(3, f"督办要求：{listing.requirements}")

    def take_number(document):
        AreaListing.objects.filter(pk=listing.pk).update(document_no=document.number)
        listing.document_no = document.number

    recipients = listing.target_unit.name + ("人民政府" if listing.target_unit.kind in ("district", "city", "province") else "")
    if listing.target_industry_id:
        recipients += f"、{listing.target_unit.name}{listing.target_industry.name}行业主管部门"
    return issue_document(
        actor, kind=DocumentKind.LISTING_NOTICE, about=listing, title=f"{what}挂牌督办通知",
        recipients=recipients, paragraphs=paragraphs, client_key=client_key, on_issued=take_number, **issuer,
    )
