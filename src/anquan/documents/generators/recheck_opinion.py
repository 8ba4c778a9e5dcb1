"""整改复查意见书: the outcome of checking a hazard's rectification (验收/复查) — passed and closed, or
sent back with what is still wrong and the deadline in force."""
from __future__ import annotations

from django.db.models import Q

from anquan.core.errors import Conflict
from anquan.hazards.choices import HazardStatus, Verdict
from anquan.hazards.models import Hazard

from ..models import DocumentKind, OfficialDocument
from ..services import issue_document
from .common import date_text, party_of, preferred_issuer, time_text


def issue_recheck_opinion(actor, hazard: Hazard, *, client_key: str = "", **_):
    rounds = list(hazard.rounds.exclude(verdict=Verdict.PENDING).order_by("number"))
    if not rounds:
        raise Conflict("该隐患尚无整改验收（复查）结论，不能生成整改复查意见书")
    last = rounds[-1]
    about = Q(hazard=hazard) | (Q(inspection_id=hazard.inspection_id) if hazard.inspection_id else Q(pk__in=[]))
    order = OfficialDocument.objects.live().filter(about, kind=DocumentKind.RECTIFICATION_ORDER).order_by("issued_at").first()
    ref = f"《责令限期整改指令书》（{order.number}）" if order else "整改要求"
    paragraphs = [
        f"你单位（{hazard.site.name}）存在的事故隐患“{hazard.description}”（隐患编号：{hazard.number}），"
        f"按照{ref}应于{date_text(hazard.deadline)}前整改完毕。",
        f"你单位于{time_text(last.submitted_at)}提出整改复查申请，所报整改情况：{last.measures_taken}",
    ]
    if last.verdict == Verdict.PASSED:
        paragraphs.append(f"经{time_text(last.verified_at)}复查，该隐患已整改完毕，同意销号。"
                          + (f"复查意见：{last.verdict_reason}" if last.verdict_reason else ""))
    else:
        paragraphs.append(f"经{time_text(last.verified_at)}复查，该隐患未整改到位：{last.verdict_reason or '—'}。"
                          f"请于{date_text(hazard.deadline_in_force)}前继续整改，整改完毕后再次申请复查。")
    if hazard.status == HazardStatus.CLOSED and last.verdict != Verdict.PASSED:
        paragraphs.append(f"该隐患已于{date_text(hazard.closed_on)}销号。")

    def build(layout):
        layout.heading("整改及复查记录")
        layout.table(
            ["轮次", "提交时间", "整改措施", "复查结论", "复查意见"],
            [[f"第{r.number}轮", time_text(r.submitted_at), r.measures_taken, r.get_verdict_display(), r.verdict_reason or "—"]
             for r in rounds],
            [16, 34, 50, 20, 36],
        )

    return issue_document(
        actor, kind=DocumentKind.RECHECK_OPINION, about=hazard, title="整改复查意见书", recipients=party_of(hazard.site),
        paragraphs=paragraphs, build=build, audit_after={"round": last.number, "verdict": last.verdict},
        **preferred_issuer(actor, department=hazard.finder_department, unit=hazard.finder_unit), client_key=client_key,
    )
