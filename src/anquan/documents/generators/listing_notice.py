"""挂牌督办通知书: a major hazard listed for supervision by a government level, with what the
enterprise must do until the listing unit strikes it off (摘牌).

The notice's 文号 is the listing's number: ``hazards.services.hazard_list`` issues it in the listing's
transaction, and the listing's ``document_no`` takes the number (also when a voided notice is
replaced). A listing has one live notice at a time.
"""
from __future__ import annotations

from anquan.core.errors import Conflict
from anquan.hazards.choices import ListingStatus
from anquan.hazards.models import ListedSupervision
from anquan.rules import values

from ..models import DocumentKind, OfficialDocument
from ..numbering import organ_name
from ..services import issue_document, issuing_assignment
from .common import date_text, party_of, preferred_issuer, time_text


def live_notice(listing: ListedSupervision) -> OfficialDocument | None:
    return OfficialDocument.objects.live().filter(listing=listing, kind=DocumentKind.LISTING_NOTICE).first()


def issue_listing_notice(actor, listing: ListedSupervision, *, client_key: str = "", **_):
    if listing.status == ListingStatus.DELISTED:
        raise Conflict("该隐患已摘牌，不能再下达挂牌督办通知书")
    issuer = preferred_issuer(actor, unit=listing.listing_unit)
    issuing_assignment(actor, about=listing, kind=DocumentKind.LISTING_NOTICE, **issuer)  # 404/403 before saying more
    if client_key:
        done = OfficialDocument.objects.filter(issued_by=actor, client_key=client_key, listing=listing).first()
        if done is not None:  # the same click again
            return done
    current = live_notice(listing)
    if current is not None:
        raise Conflict(f"该挂牌督办已下达通知书（{current.number}）；如需重新下达，请先作废原通知书")
    hazard = listing.hazard
    site = hazard.site
    review_days = values.get("listing.review_days", listing.listing_unit)  # configurable per locality
    paragraphs = [
        f"经研究，决定对你单位（{site.name}）存在的重大事故隐患“{hazard.description}”（隐患编号：{hazard.number}）"
        f"实行{listing.get_level_display()}挂牌督办，挂牌时间{time_text(listing.listed_at)}。",
        f"你单位应当于{date_text(listing.deadline)}前完成治理，现提出以下督办要求：",
        "一、主要负责人对重大事故隐患治理全面负责，按治理方案落实治理的目标和任务、采取的方法和措施、经费和物资、"
        "负责治理的机构和人员、治理的时限和要求、安全措施和应急预案。",
        "二、治理期间，排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，疏散可能危及的其他人员，"
        "设置警戒标志，暂时停产停业或者停止使用相关设施、设备。",
        "三、治理完成后，委托具备相应资质的安全评估机构或组织专家对治理情况进行评估；评估确认隐患已消除后，"
        f"向挂牌督办单位提出恢复生产的书面申请。挂牌督办单位自收到申请之日起{review_days}日内进行现场审查，审查合格的予以销号摘牌。",
        f"四、治理进展情况每月书面报告{organ_name(listing.listing_unit)}；逾期未完成治理的，依法从重处理。",
    ]

    def build(layout):
        layout.table(
            ["隐患编号", "隐患描述", "督办层级", "督办期限"],
            [[hazard.number, hazard.description, listing.get_level_display(), date_text(listing.deadline)]],
            [32, 74, 22, 28],
        )

    def take_number(document):
        # The listing is known by its notice's number (one number, never typed by hand).
        ListedSupervision.objects.filter(pk=listing.pk).update(document_no=document.number)
        listing.document_no = document.number

    return issue_document(
        actor, kind=DocumentKind.LISTING_NOTICE, about=listing, title="重大事故隐患挂牌督办通知书",
        recipients=party_of(site), paragraphs=paragraphs, build=build, client_key=client_key, on_issued=take_number,
        **issuer,
    )
