"""The case documents (行政执法文书) of a 行政处罚案件, issued as 公文 through ``documents.issue_document``
(GB/T 9704 layout, a gap-free 文号 per organ, year and kind — each kind has its own 代字 in ``documents.models.SERIES``):

- 立案审批表 (after the 负责人 approved 立案, 行政处罚法 第五十四条第二款);
- 询问笔录 (from a recorded piece of evidence of kind 询问笔录; one per piece);
- 行政处罚告知书 (after 告知, 第四十四条、第四十五条) and 听证告知书 (where the right to a hearing was told, 第六十三条、第六十四条);
- 行政处罚决定书 (after the decision, with the contents of 第五十九条; the 复议机关 and the court with their periods from the
  organ's configuration, ``documents.organs.appeal_sentence``); 不予行政处罚决定书 for a decision not to punish;
- 送达回证 (once the 决定书 exists: the documents served, filled in with the service when it is recorded);
- 结案审批表 (after 结案).

Who issues: a member of the case's organ whose role permits ``document.issue`` (the inspectors), always in the organ's
name; the case out of the actor's scope → 404, visible but not the organ's issuer → 403, the wrong step → 409. One live
document per kind and case (询问笔录: per piece of evidence); a wrong one is voided in the documents app and issued again.
The party sees its 告知书, 听证告知书, 决定书 and 送达回证 once it may see the case (from 告知 on); the internal records
(``documents.models.PARTY_HIDDEN_KINDS``) never. Every issue is audited by the documents app (``document_issue``, with the
case in the audit event).
"""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import safe_id
from anquan.documents.generators.common import date_text, time_text
from anquan.documents.models import DocumentKind, OfficialDocument
from anquan.documents.organs import appeal_sentence
from anquan.documents.services import issue_document, issuing_assignment
from anquan.rules import values
from anquan.rules.calendar import local_date

from .models import NOT_PUNISHED, Case, CaseStatus, DecisionKind, EvidenceKind

#: URL slug → document kind, in the order of the case.
KINDS = {
    "filing": DocumentKind.CASE_FILING,
    "inquiry": DocumentKind.CASE_INQUIRY,
    "notice": DocumentKind.PENALTY_NOTICE,
    "hearing": DocumentKind.HEARING_NOTICE,
    "decision": DocumentKind.PENALTY_DECISION,
    "receipt": DocumentKind.SERVICE_RECEIPT,
    "closing": DocumentKind.CASE_CLOSING,
}
BLANK = "＿＿＿＿＿＿"


def case_documents(case: Case):
    """Every document issued about ``case`` (voided ones included; callers filter by ``visible_to``)."""
    return OfficialDocument.objects.filter(about_type=ContentType.objects.get_for_model(Case), about_id=case.pk)


def _live(case: Case, kind):
    return case_documents(case).filter(kind=kind, voided_at__isnull=True)


def _inquiries(case: Case):
    return case.evidence.filter(kind=EvidenceKind.INQUIRY, voided_at__isnull=True)


def _step_refusal(case: Case, slug: str) -> str | None:
    """Why ``slug`` cannot be issued at the case's step (None: it can)."""
    withdrawn = case.status == CaseStatus.WITHDRAWN
    if slug == "filing":
        return None if case.filed_on else "立案尚未经负责人批准，不能生成立案审批表"
    if slug == "inquiry":
        return None if _inquiries(case).exists() else "尚未登记询问笔录类证据，不能生成询问笔录"
    if slug == "notice":
        return None if case.notified_at and not withdrawn else "案件尚未告知（或已撤案），不能生成行政处罚告知书"
    if slug == "hearing":
        if not case.notified_at or withdrawn:
            return "案件尚未告知（或已撤案），不能生成听证告知书"
        return None if case.hearing_right else "本案拟处罚未达到听证标准，未告知听证权利，不生成听证告知书"
    if slug == "decision":
        return None if case.decided_at and not case.voided_at else "尚未作出处罚决定，不能生成行政处罚决定书"
    if slug == "receipt":
        if not case.decided_at:
            return "尚未作出处罚决定，不能生成送达回证"
        return None if _live(case, DocumentKind.PENALTY_DECISION).exists() else "请先生成行政处罚决定书，再生成送达回证"
    if slug == "closing":
        return None if case.status == CaseStatus.CLOSED else "案件尚未结案，不能生成结案审批表"
    return "请选择文书种类"


def issuable(user, case: Case) -> list[tuple[str, str]]:
    """The documents ``user`` may issue about ``case`` now: (slug, label) — for the case page's buttons."""
    try:
        issuing_assignment(user, about=case, issuer_department=case.organ, kind=DocumentKind.CASE_FILING)
    except (Forbidden, NotFound, Invalid):
        return []
    done = set(case_documents(case).filter(voided_at__isnull=True).values_list("kind", flat=True))
    out = []
    for slug, kind in KINDS.items():
        if _step_refusal(case, slug) is not None:
            continue
        if slug == "inquiry":
            if _pending_inquiries(case):
                out.append((slug, kind.label))
        elif kind not in done:
            out.append((slug, kind.label))
    return out


def _inquiry_tag(evidence) -> str:
    return f"（证据第{evidence.pk}号）"


def _pending_inquiries(case: Case) -> list:
    """询问笔录 evidence without a live 询问笔录 of its own."""
    titles = set(_live(case, DocumentKind.CASE_INQUIRY).values_list("title", flat=True))
    return [e for e in _inquiries(case) if not any(t.endswith(_inquiry_tag(e)) for t in titles)]


# --- what the documents say ----------------------------------------------------------------------------------------

def _address(case: Case) -> str:
    if case.enterprise_id and case.enterprise.address:
        return case.enterprise.address
    if case.site_id and case.site.address:
        return case.site.address
    return "—"


def _party_lines(case: Case) -> list[str]:
    lines = [f"当事人：{case.party_name}（{case.get_party_kind_display()}）"]
    e = case.enterprise
    if e is not None:
        lines.append(f"统一社会信用代码：{e.credit_code}；法定代表人：{e.legal_representative or '—'}；"
                     f"主要负责人：{e.principal_name or '—'}")
    lines.append(f"地址：{_address(case)}")
    return lines


def _inspectors(case: Case) -> str:
    return "、".join(f"{i.person.name}（执法证号{i.cert_no}）" for i in case.inspectors.select_related("person")) or "—"


def _evidence_text(case: Case) -> str:
    rows = list(case.evidence.filter(voided_at__isnull=True))
    if not rows:
        return "—"
    return "；".join(f"{n}. {e.get_kind_display()}：{e.description}（{date_text(e.collected_on)}）" for n, e in enumerate(rows, 1))


def _name(user) -> str:
    if user is None:
        return "—"
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _money(amount) -> str:
    return f"{amount}元" if amount is not None else "—"


def _opening(case: Case) -> str:
    filed = f"于{date_text(case.filed_on)}立案" if case.filed_on else "立案"
    return f"本机关{filed}调查的{case.party_name}{case.cause}一案"


def _table(rows: list[list[str]]):
    def build(layout):
        layout.table(["项目", "内容"], rows, widths_mm=[40, 116])
    return build


def _filing(case: Case):
    title = f"立案审批表（{case.party_name}{case.cause}）"
    source = case.get_source_kind_display() + (f"（{case.source_ref}）" if case.source_ref else "")
    if case.inspection_id:
        source += f"（检查：{case.inspection}）"
    rows = [
        ["案件来源", source], ["案由", case.cause], ["当事人", case.party_name], ["地址", _address(case)],
        ["简要案情", case.facts or "—"], ["承办人员", _inspectors(case)],
        ["立案申请", f"{_name(case.opened_by)}，{time_text(case.opened_at)}"],
        ["负责人审批意见", f"同意立案。审批人：{_name(case.approved_by)}；立案日期：{date_text(case.filed_on)}"],
    ]
    paragraphs = [f"{case.party_name}涉嫌{case.cause}，依据《中华人民共和国行政处罚法》第五十四条第二款，"
                  "符合立案条件，经负责人批准立案调查，承办人员不少于两人并持有执法证件（第四十二条）。"]
    return title, "", paragraphs, _table(rows)


def _inquiry(case: Case, evidence):
    title = f"询问笔录{_inquiry_tag(evidence)}"
    paragraphs = [
        f"案由：{case.cause}。当事人：{case.party_name}。",
        f"询问时间：{date_text(evidence.collected_on)}。询问地点：{case.site.name if case.site_id else _address(case)}。",
        f"询问人：{_inspectors(case)}。记录人：{_name(evidence.recorded_by)}。",
        f"告知：我们是{case.organ.name}的执法人员，已向你出示执法证件。现依法就{case.cause}一事进行调查，请如实回答问题；"
        "你有权进行陈述和申辩；认为执法人员与本案有直接利害关系或者其他关系可能影响公正执法的，有权申请回避"
        "（《中华人民共和国行政处罚法》第四十二条、第四十三条、第五十五条）。",
        f"询问记录：{evidence.description}",
        "以上笔录已交被询问人核对（或向其宣读），被询问人确认与其所述一致。",
        f"被询问人（签名）：{BLANK}　日期：{BLANK}",
        f"询问人（签名）：{BLANK}　记录人（签名）：{BLANK}",
    ]
    return title, case.party_name, paragraphs, None


def _penalty_text(kind, amount) -> str:
    if kind == DecisionKind.FINE:
        return f"罚款人民币{amount}元"
    return DecisionKind(kind).label if kind else "—"


def _notice(case: Case):
    title = "行政处罚告知书"
    basis = case.proposed_basis + (f"（{case.violation}）" if case.violation_id else "")
    paragraphs = [
        *_party_lines(case),
        f"经查，{case.facts}",
        f"以上事实有下列证据证明：{_evidence_text(case)}。",
        f"你（单位）的上述行为违反了有关安全生产法律、法规的规定，依据{basis}，"
        f"本机关拟对你（单位）作出如下行政处罚：{_penalty_text(case.proposed_kind, case.proposed_amount)}"
        f"（裁量情节：{case.get_circumstance_display()}）。",
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩；"
        "本机关必须充分听取你（单位）的意见，对提出的事实、理由和证据进行复核，不得因陈述、申辩而给予更重的处罚。",
    ]
    if case.hearing_right:
        paragraphs.append("本案拟作出较大数额罚款，根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，"
                          "你（单位）有权要求举行听证；要求听证的，应当在本机关告知后五日内提出（另见听证告知书）。")
    paragraphs.append(f"告知时间：{time_text(case.notified_at)}。逾期未提出陈述、申辩"
                      + ("或者听证要求" if case.hearing_right else "") + "的，视为放弃上述权利。")
    return title, case.party_name, paragraphs, None


def _hearing(case: Case):
    title = "听证告知书"
    paragraphs = [
        *_party_lines(case),
        f"{_opening(case)}，本机关拟对你（单位）作出{_penalty_text(case.proposed_kind, case.proposed_amount)}的行政处罚"
        f"（依据：{case.proposed_basis}）。",
        "根据《中华人民共和国行政处罚法》第六十三条第一款的规定，你（单位）有权要求举行听证。"
        "要求听证的，应当在本机关告知后五日内提出（第六十四条第（一）项）；逾期未提出的，视为放弃听证权利。",
        "听证由本机关指定的非本案调查人员主持；你（单位）认为主持人与本案有直接利害关系的，有权申请回避；"
        "可以亲自参加听证，也可以委托一至二人代理（第六十四条第（四）项、第（五）项）。",
        "当事人不承担行政机关组织听证的费用（第六十三条第二款）。",
        f"告知时间：{time_text(case.notified_at)}。",
    ]
    return title, case.party_name, paragraphs, None


def _statements_text(case: Case) -> str:
    rows = list(case.statements.all())
    if not rows:
        return "当事人在规定期限内未提出陈述、申辩。"
    parts = [f"{s.get_kind_display()}（{date_text(local_date(s.filed_at))}）：{s.text}" for s in rows]
    return "当事人提出了陈述、申辩或者听证意见，本机关已进行复核：" + "；".join(parts) + "。"


def _decision(case: Case):
    punished = case.decision_kind not in NOT_PUNISHED
    title = "行政处罚决定书" if punished else "不予行政处罚决定书"
    organ = case.organ
    days = values.get("penalty.payment_days", case.unit)
    percent = values.get("penalty.late_fee_percent", case.unit)
    basis = case.decision_basis + (f"（{case.violation}）" if case.violation_id else "")
    paragraphs = [
        "一、当事人的名称、地址。" + "；".join(_party_lines(case)) + "。",
        f"二、违法事实和证据。经查，{case.facts}以上事实有下列证据证明：{_evidence_text(case)}。{_statements_text(case)}",
    ]
    if punished:
        paragraphs.append(f"三、行政处罚的种类和依据。你（单位）的上述行为违反了有关安全生产法律、法规的规定，依据{basis}，"
                          f"本机关决定给予{_penalty_text(case.decision_kind, case.fine_amount)}的行政处罚。")
    else:
        paragraphs.append(f"三、处理结果和依据。本机关决定：{case.get_decision_kind_display()}。理由：{case.no_penalty_reason}"
                          + (f"依据：{basis}。" if case.decision_basis else ""))
    if case.is_fine:
        paragraphs.append(
            f"四、行政处罚的履行方式和期限。你（单位）应当自收到本决定书之日起{days}日内，到指定的银行或者通过电子支付系统"
            f"缴纳罚款（《中华人民共和国行政处罚法》第六十七条第三款）；到期不缴纳罚款的，本机关每日按罚款数额的百分之{percent}"
            "加处罚款，加处罚款的数额不超出罚款的数额，并可依法申请人民法院强制执行（第七十二条）。")
    elif case.decision_kind == DecisionKind.WARNING:
        paragraphs.append("四、行政处罚的履行方式和期限。本决定书送达即为执行。")
    else:
        paragraphs.append("四、履行方式和期限。本决定不设定履行义务；你（单位）应当对存在的问题及时改正。")
    if case.correction_ordered_on:
        paragraphs.append(f"同时责令你（单位）自{date_text(case.correction_ordered_on)}起改正违法行为；拒不改正的，"
                          "依照《中华人民共和国安全生产法》第一百一十二条可以按日连续处罚。")
    paragraphs.append("五、申请行政复议、提起行政诉讼的途径和期限。" + appeal_sentence(department=organ)
                      + "复议或者诉讼期间，本决定不停止执行（《中华人民共和国行政处罚法》第七十三条）。")
    paragraphs.append(f"六、作出决定的行政机关和日期。作出决定的行政机关：{organ.name}；决定日期：{date_text(case.decision_on)}。")
    return title, case.party_name, paragraphs, None


def _receipt(case: Case):
    served = [d for d in (_live(case, DocumentKind.PENALTY_DECISION).first(), _live(case, DocumentKind.PENALTY_NOTICE).first()) if d]
    rows = [
        ["送达文书名称及文号", "；".join(f"{d.title}（{d.number}）" for d in served)],
        ["受送达人", case.party_name], ["送达地点", _address(case)],
        ["送达方式", case.get_service_method_display() if case.service_method else BLANK],
        ["送达时间", date_text(case.served_on) if case.served_on else BLANK],
        ["送达人", _name(case.served_by) if case.served_by_id else _inspectors(case)],
        ["受送达人签名或盖章", f"{BLANK}　　{BLANK}年{BLANK}月{BLANK}日"], ["备注", BLANK],
    ]
    paragraphs = [f"{_opening(case)}的下列文书依照《中华人民共和国行政处罚法》第六十一条送达受送达人：",
                  "受送达人拒绝签收的，送达人注明情况后留置送达。"]
    return "送达回证", case.party_name, paragraphs, _table(rows)


def _closing(case: Case):
    from .services.cases import amounts_owed

    decision = _live(case, DocumentKind.PENALTY_DECISION).first()
    owed = amounts_owed(case) if case.is_fine else None
    execution = (f"罚款{_money(owed['fine'])}，加处罚款{_money(owed['late_fee'])}，已缴{_money(owed['paid'])}，"
                 f"余额{_money(owed['balance'])}") if owed else case.get_decision_kind_display()
    rows = [
        ["案由", case.cause], ["当事人", case.party_name], ["立案日期", date_text(case.filed_on)],
        ["处罚决定", f"{case.get_decision_kind_display()}{('，' + _money(case.fine_amount)) if case.is_fine else ''}；"
                     f"决定日期{date_text(case.decision_on)}" + (f"；决定书文号{decision.number}" if decision else "")],
        ["送达", f"{date_text(case.served_on)}（{case.get_service_method_display() or '—'}）"],
        ["执行情况", execution], ["结案说明", case.closure_note or "—"], ["承办人员", _inspectors(case)],
        ["负责人审批意见", f"同意结案。审批人：{_name(case.closed_by)}；结案时间：{time_text(case.closed_at)}"],
    ]
    paragraphs = [f"{_opening(case)}，行政处罚决定已执行完毕（或已依法申请强制执行），经负责人批准结案。"]
    return f"结案审批表（{case.party_name}{case.cause}）", "", paragraphs, _table(rows)


BUILDERS = {"filing": _filing, "notice": _notice, "hearing": _hearing, "decision": _decision, "receipt": _receipt,
            "closing": _closing}


def issue_case_document(actor, case: Case, slug: str, *, evidence_id=None, client_key: str = "") -> OfficialDocument:
    """Issue the case document ``slug`` (a key of ``KINDS``) in the case organ's name.

    NotFound when the case is out of the actor's scope; Forbidden when the actor may not issue in the organ's name;
    Invalid for an unknown kind or evidence; Conflict at the wrong step or when a live one of the kind exists."""
    if slug not in KINDS:
        raise Invalid({"kind": ["请选择文书种类：" + "、".join(str(k.label) for k in KINDS.values())]})
    kind = KINDS[slug]
    issuing_assignment(actor, about=case, issuer_department=case.organ, kind=kind)  # 404/403 before saying more
    if client_key:  # the same form sent twice: the document already issued, never a Conflict nor a second number
        done = OfficialDocument.objects.filter(issued_by=actor, client_key=client_key).first()
        if done is not None:
            return done
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("organ", "unit", "enterprise", "site").get(pk=case.pk)
        refusal = _step_refusal(case, slug)
        if refusal:
            raise Conflict(refusal)
        if slug == "inquiry":
            evidence = _inquiries(case).filter(pk=safe_id(evidence_id) or 0).first()
            if evidence is None:
                raise Invalid({"evidence": ["请选择本案登记的询问笔录类证据"]})
            if evidence not in _pending_inquiries(case):
                raise Conflict("该证据已生成询问笔录；如需重新生成，请先作废原笔录")
            title, recipients, paragraphs, build = _inquiry(case, evidence)
        else:
            existing = _live(case, kind).first()
            if existing is not None:
                raise Conflict(f"本案已生成{kind.label}（{existing.number}）；如需重新生成，请先作废原文书")
            title, recipients, paragraphs, build = BUILDERS[slug](case)
        return issue_document(actor, kind=kind, about=case, issuer_department=case.organ, title=title,
                              recipients=recipients, paragraphs=paragraphs, build=build, client_key=client_key,
                              audit_after={"case": case.pk, "case_status": case.status})


__all__ = ["KINDS", "case_documents", "issuable", "issue_case_document"]
