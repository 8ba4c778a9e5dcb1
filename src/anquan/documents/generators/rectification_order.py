"""责令限期整改指令书: the hazards an inspection found (or one hazard), each with its deadline in force
and legal basis, ordered under 安全生产法 第六十五条."""
from __future__ import annotations

from anquan.core.errors import Conflict
from anquan.hazards.choices import HazardStatus
from anquan.hazards.models import Hazard
from anquan.inspections.models import Inspection

from ..models import DocumentKind
from ..organs import appeal_sentence
from ..services import issue_document, issuing_assignment
from .common import ART_65, date_text, party_of, preferred_issuer, time_text


def _basis(hazard: Hazard) -> str:
    if hazard.criterion_id and hazard.criterion.basis:
        return hazard.criterion.basis
    answer = getattr(hazard, "inspection_answer", None)  # reverse one-to-one: None when not raised by an answer
    if answer is not None and answer.item.basis:
        return answer.item.basis
    return "《中华人民共和国安全生产法》第四十一条"


def issue_rectification_order(actor, target, *, client_key: str = "", **_):
    if isinstance(target, Inspection):
        inspection = target
        hazards = list(Hazard.objects.live().filter(inspection=inspection).exclude(status=HazardStatus.CLOSED)
                       .select_related("criterion", "site__enterprise").order_by("pk"))
        site = inspection.site
        when = f"{time_text(inspection.performed_at)}对你单位进行安全生产检查"
    else:
        inspection = target.inspection
        hazards = [target] if target.voided_at is None and target.status != HazardStatus.CLOSED else []
        site = target.site
        when = f"{time_text(target.found_at)}对你单位进行安全生产检查"
    if not hazards:
        raise Conflict("没有待整改的事故隐患，无需下达责令限期整改指令书")
    party = party_of(site)
    latest = max(h.deadline_in_force for h in hazards)
    major = [h for h in hazards if h.is_major]
    paragraphs = [
        f"我单位于{when}，发现你单位（{site.name}）存在下列{len(hazards)}项事故隐患（详见下表）。",
        f"根据《中华人民共和国安全生产法》第六十五条第一款第（三）项“{ART_65}”的规定，现责令你单位按下表所列期限"
        f"（最迟于{date_text(latest)}前）整改完毕，整改完毕后书面报告我单位复查。",
        "整改期间，你单位应当落实整改措施、责任、资金、时限和预案，采取有效措施防范事故发生。",
    ]
    if major:
        paragraphs.append(f"其中{len(major)}项为重大事故隐患，你单位应当制定并实施治理方案；排除前或者排除过程中无法保证安全的，"
                          "应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。")
    about = target
    issuer = preferred_issuer(actor, department=inspection.department if inspection else target.finder_department,
                              unit=inspection.organiser_unit if inspection else target.finder_unit)
    # The organ that will issue (the same choice issue_document makes), pinned so the appeal sentence names its bodies.
    issued = issuing_assignment(actor, about=about, kind=DocumentKind.RECTIFICATION_ORDER, **issuer)
    issuer = {"issuer_department": issued.department} if issued.department is not None else {"issuer_unit": issued.unit}
    paragraphs.append(appeal_sentence(issued.unit, issued.department))

    def build(layout):
        layout.table(
            ["序号", "事故隐患", "等级", "整改期限", "依据"],
            [[str(i), f"{h.description}（{h.location}）" if h.location else h.description,
              "重大" if h.is_major else "一般", date_text(h.deadline_in_force), _basis(h)]
             for i, h in enumerate(hazards, 1)],
            [10, 56, 14, 36, 40],
        )

    return issue_document(
        actor, kind=DocumentKind.RECTIFICATION_ORDER, about=about, title="责令限期整改指令书", recipients=party,
        paragraphs=paragraphs, build=build, audit_after={"hazards": [h.pk for h in hazards]}, **issuer, client_key=client_key,
    )
