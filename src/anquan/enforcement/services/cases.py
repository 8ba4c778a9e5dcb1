"""Every step of a case, from 立案 to 结案 or 撤案 (行政处罚法 第五章; the state table in ``common``).

Each service: find the one assignment that permits the step on this case (``authorize``: 404 when the
case is not visible, 403 when only visible), check the state table, validate (Chinese messages naming the
field and, for amounts, the article), apply against the version the caller read (409 when stale) and write
one audit event. "Today" is ``rules.calendar.today()`` (Asia/Shanghai).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anquan.accounts.models import Person
from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import authorize, bump_version, safe_id
from anquan.core.text import clean_text
from anquan.documents.services import is_enforcement_body
from anquan.enterprises.models import Enterprise, Site
from anquan.rules import values
from anquan.rules.calendar import today

from .. import clocks
from ..models import (
    NOT_PUNISHED,
    Case,
    CaseInspector,
    CaseStatus,
    Circumstance,
    DecisionKind,
    Evidence,
    EvidenceKind,
    PartyKind,
    Payment,
    Procedure,
    ServiceMethod,
    SourceKind,
    Statement,
    StatementKind,
    Violation,
)
from .common import TRANSITIONS, a_date, choice, flag, money, next_status

TEXT = 20000
MIN_INSPECTORS = 2  # 行政处罚法 第四十二条：执法人员不得少于两人


def _plain(values: dict | None) -> dict | None:
    """Amounts and dates as text, so every audit value is plain JSON."""
    if values is None:
        return None
    return {k: (str(v) if isinstance(v, (Decimal, datetime.date)) else v) for k, v in values.items()}


def _audit(actor, assignment, case, action, before=None, after=None, reason=""):
    record(actor=actor, assignment=assignment, obj=case, action=action, before=_plain(before), after=_plain(after),
           reason=reason)


def _step(actor, case, action: str, step: str, version, to=None):
    """Lock in the step: the permitting assignment, the table's answer, the version; returns (assignment, new status)."""
    assignment = authorize(actor, case, action)
    status = next_status(case.status, step, to)
    bump_version(case, version)
    return assignment, status


def _gate(actor, case, action: str, step: str):
    """Before validating: 404/403 for who may not, 409 for a step the case's status refuses."""
    authorize(actor, case, action)
    if case.status not in TRANSITIONS[step][0]:
        next_status(case.status, step)


def _text(data, field, label, max_length=TEXT, required=False):
    return clean_text(data.get(field), field=field, label=label, max_length=max_length, required=required)


# ---------------------------------------------------------------- discretion


def check_range(violation: Violation | None, party_kind: str, circumstance: str, amount: Decimal, *, field="fine_amount"):
    """Refuse an amount outside the article's range or outside the band of the case's circumstances."""
    if violation is None:
        raise Invalid({"violation": ["罚款须对应裁量基准中的违法行为，请选择违法行为"]})
    rng = violation.range_for(party_kind)
    party = PartyKind(party_kind).label
    if rng is None:
        raise Invalid({field: [f"{violation.citation}未规定对{party}的罚款"]})
    low, high = rng
    if not low <= amount <= high:
        raise Invalid({field: [f"罚款{amount}元超出{violation.citation}规定的范围（{party}：{low}–{high}元）"]})
    band_low, band_high = violation.band(party_kind, circumstance)
    if not band_low <= amount <= band_high:
        raise Invalid({field: [f"罚款{amount}元不在{violation.citation}的{Circumstance(circumstance).label}裁量档次内"
                               f"（{band_low}–{band_high}元），请调整金额或裁量情节"]})


def _violation(data, required: bool):
    vid = data.get("violation")
    if vid in (None, ""):
        if required:
            raise Invalid({"violation": ["请选择违法行为（裁量基准）"]})
        return None
    violation = Violation.objects.filter(pk=safe_id(vid), active=True, voided_at__isnull=True).first()
    if violation is None:
        raise Invalid({"violation": ["请选择在用的违法行为（裁量基准）"]})
    return violation


# ---------------------------------------------------------------- 立案


def _covers(assignment, obj) -> bool:
    manager = type(obj).objects
    return manager.filter(manager.assignment_q(assignment), pk=obj.pk).exists()


def _may_open(actor, action: str) -> None:
    """403 before anything else for whoever holds no role that opens cases (a street: only where authorised)."""
    if not any(a.permits(action) for a in active_assignments(actor)):
        raise Forbidden("您没有立案的权限（街道、乡镇仅在依法受委托时可以立案）")


def _opening_assignment(actor, target, action="case.open"):
    """The department assignment that may open a case about ``target`` (a site or an enterprise)."""
    permitted = [a for a in active_assignments(actor) if a.permits(action)]
    if not permitted:
        raise Forbidden("您没有立案的权限（街道、乡镇仅在依法受委托时可以立案）")
    for a in permitted:
        if a.scope_kind != ScopeKind.DEPARTMENT or not is_enforcement_body(department=a.department):
            continue
        if _covers(a, target):
            return a
    raise Invalid({"site": ["该场所或企业不在本部门的监管范围内"]})


def _target(actor, data):
    """(site, enterprise, inspection, finding, hazard) from the source the caller named, all within scope."""
    from anquan.hazards.models import Hazard
    from anquan.inspections.models import Inspection
    from anquan.inspections.models.record import Answer, AnswerResult

    source = choice(data.get("source_kind"), SourceKind, field="source_kind", label="案件来源")
    site = enterprise = inspection = finding = hazard = None
    if source == SourceKind.INSPECTION:
        inspection = Inspection.objects.visible_to(actor).filter(pk=safe_id(data.get("inspection"))).first()
        if inspection is None:
            raise Invalid({"inspection": ["请选择本部门可见的检查"]})
        if inspection.performed_at is None:
            raise Invalid({"inspection": ["该检查尚未实施，不能据此立案"]})
        site = inspection.site
        if data.get("finding") not in (None, ""):
            finding = Answer.objects.filter(pk=safe_id(data.get("finding")), part__inspection=inspection,
                                            result=AnswerResult.NONCONFORM).first()
            if finding is None:
                raise Invalid({"finding": ["请选择该检查中判定为“不符合”的检查项"]})
    elif source == SourceKind.HAZARD:
        hazard = Hazard.objects.visible_to(actor).filter(pk=safe_id(data.get("hazard"))).first()
        if hazard is None:
            raise Invalid({"hazard": ["请选择可见的隐患"]})
        site = hazard.site
    else:
        if data.get("site") not in (None, ""):
            site = Site.objects.visible_to(actor).filter(pk=safe_id(data.get("site"))).first()
            if site is None:
                raise Invalid({"site": ["请选择可见的场所"]})
        elif data.get("enterprise") not in (None, ""):
            enterprise = Enterprise.objects.visible_to(actor).filter(pk=safe_id(data.get("enterprise"))).first()
            if enterprise is None:
                raise Invalid({"enterprise": ["请选择可见的企业"]})
        else:
            raise Invalid({"site": ["请选择案件涉及的场所或企业"]})
    if site is not None:
        enterprise = site.enterprise
    return source, site, enterprise, inspection, finding, hazard


def _add_inspector_row(case, person):
    if not person.enforcement_cert_no:
        raise Invalid({"person": [f"{person.name}没有执法证号，不能作为承办人员（行政处罚法第四十二条）"]})
    if person.department_id != case.organ_id:
        raise Invalid({"person": [f"{person.name}不是本机关的执法人员"]})
    if case.inspectors.filter(person=person).exists():
        raise Invalid({"person": [f"{person.name}已是承办人员"]})
    return CaseInspector.objects.create(case=case, person=person, cert_no=person.enforcement_cert_no, added_at=timezone.now())


@transaction.atomic
def case_open(*, actor, data: dict) -> Case:
    """立案申请 (行政处罚法 第五十四条) from an inspection's 不符合, a hazard, a report, an accident or a transfer;
    the opener (with a 执法证) is the first inspector. Awaits the 负责人's approval."""
    _may_open(actor, "case.open")
    source, site, enterprise, inspection, finding, hazard = _target(actor, data)
    assignment = _opening_assignment(actor, site or enterprise)
    party_kind = choice(data.get("party_kind") or PartyKind.UNIT, PartyKind, field="party_kind", label="当事人类型")
    party_name = _text(data, "party_name", "当事人", 200)
    if not party_name:
        if enterprise is None:
            raise Invalid({"party_name": ["请填写当事人"]})
        party_name = enterprise.name
    cause = _text(data, "cause", "案由", 300, required=True)
    case = Case.objects.create(
        organ=assignment.department, unit=site.grid if site else enterprise.unit, enterprise=enterprise, site=site,
        party_kind=party_kind, party_name=party_name, procedure=Procedure.GENERAL, status=CaseStatus.PENDING_APPROVAL,
        cause=cause, facts=_text(data, "facts", "违法事实"), violation=_violation(data, required=False),
        source_kind=source, inspection=inspection, finding=finding, hazard=hazard,
        source_ref=_text(data, "source_ref", "来源编号或说明", 200), opened_by=actor, opened_at=timezone.now(),
    )
    person = getattr(actor, "person", None)
    if person is not None and person.enforcement_cert_no and person.department_id == case.organ_id:
        _add_inspector_row(case, person)
    _audit(actor, assignment, case, "case.open", after={"status": case.status, "cause": cause, "source": source})
    return case


@transaction.atomic
def case_approve(*, actor, case: Case, version) -> Case:
    """立案审批 by the department's 负责人: the 立案日期 starts the 90-day clock (第六十条)."""
    assignment, status = _step(actor, case, "case.approve", "approve", version)
    case.status, case.approved_by, case.filed_on = status, actor, today()
    case.save()
    _audit(actor, assignment, case, "case.approve", before={"status": CaseStatus.PENDING_APPROVAL},
           after={"status": status, "filed_on": case.filed_on})
    return case


@transaction.atomic
def case_add_inspector(*, actor, case: Case, version, person_id) -> Case:
    assignment, _ = _step(actor, case, "case.investigate", "add_inspector", version)
    person = Person.objects.filter(pk=safe_id(person_id)).first()
    if person is None:
        raise Invalid({"person": ["请选择本机关的执法人员"]})
    row = _add_inspector_row(case, person)
    case.save()
    _audit(actor, assignment, case, "case.add_inspector", after={"inspector": str(row)})
    return case


@transaction.atomic
def case_add_evidence(*, actor, case: Case, version, data: dict) -> Evidence:
    """调查取证: one piece of evidence (记录人 must be one of the case's inspectors)."""
    assignment, _ = _step(actor, case, "case.investigate", "add_evidence", version)
    if not case.inspectors.filter(person_id=getattr(actor, "person_id", None)).exists():
        raise Forbidden("只有本案承办执法人员可以登记证据")
    kind = choice(data.get("kind"), EvidenceKind, field="kind", label="证据种类")
    collected = a_date(data.get("collected_on") or today(), field="collected_on", label="取证日期")
    if collected > today():
        raise Invalid({"collected_on": ["取证日期不能晚于今天"]})
    evidence = Evidence.objects.create(case=case, kind=kind, description=_text(data, "description", "证据内容", required=True),
                                       collected_on=collected, inspection=case.inspection if kind == EvidenceKind.INSPECTION_RECORD else None,
                                       recorded_by=actor, recorded_at=timezone.now())
    case.save()
    _audit(actor, assignment, case, "case.add_evidence", after={"evidence": str(evidence)})
    return evidence


@transaction.atomic
def case_submit_review(*, actor, case: Case, version, data: dict | None = None) -> Case:
    """调查终结 → 审查 (第五十七条): at least two inspectors with 执法证 (第四十二条) and some evidence."""
    data = data or {}
    assignment, status = _step(actor, case, "case.submit_review", "submit_review", version)
    if case.inspectors.count() < MIN_INSPECTORS:
        raise Invalid({"inspectors": [f"承办执法人员不得少于{MIN_INSPECTORS}人且须持执法证（行政处罚法第四十二条）"]})
    if not case.evidence.filter(voided_at__isnull=True).exists():
        raise Invalid({"evidence": ["尚未登记证据，不能提交审查"]})
    facts = _text(data, "facts", "违法事实") or case.facts
    if not facts:
        raise Invalid({"facts": ["请填写调查认定的违法事实"]})
    case.status, case.facts = status, facts
    case.save()
    _audit(actor, assignment, case, "case.submit_review", before={"status": CaseStatus.INVESTIGATING}, after={"status": status})
    return case


def _after_reviews(case) -> str:
    if case.needs_legal_review and case.legal_reviewed_at is None:
        return CaseStatus.LEGAL_REVIEW
    if case.needs_discussion and case.discussed_at is None:
        return CaseStatus.DISCUSSION
    return CaseStatus.TO_NOTIFY


@transaction.atomic
def case_review(*, actor, case: Case, version, data: dict) -> Case:
    """审查 by the 负责人 (第五十七条): back to investigation, or on — through 法制审核 (第五十八条) and
    集体讨论 (第五十七条第二款) where they are needed."""
    _gate(actor, case, "case.review", "review")
    opinion = _text(data, "opinion", "审查意见", required=True)
    back = flag(data.get("return"))
    case.needs_legal_review = flag(data.get("needs_legal_review"))
    case.needs_discussion = flag(data.get("needs_discussion"))
    case.legal_reviewed_at = None if case.needs_legal_review else case.legal_reviewed_at
    to = CaseStatus.INVESTIGATING if back else _after_reviews(case)
    assignment, status = _step(actor, case, "case.review", "review", version, to)
    case.status, case.reviewed_by, case.reviewed_at, case.review_opinion = status, actor, timezone.now(), opinion
    case.save()
    _audit(actor, assignment, case, "case.review", before={"status": CaseStatus.REVIEWING},
           after={"status": status, "needs_legal_review": case.needs_legal_review, "needs_discussion": case.needs_discussion},
           reason=opinion)
    return case


@transaction.atomic
def case_legal_review(*, actor, case: Case, version, data: dict) -> Case:
    """法制审核 (第五十八条) by a reviewer who did not investigate the case."""
    _gate(actor, case, "case.legal_review", "legal_review")
    opinion = _text(data, "opinion", "法制审核意见", required=True)
    passed = flag(data.get("passed"))
    if case.inspectors.filter(person_id=getattr(actor, "person_id", None)).exists():
        raise Forbidden("承办人员不能对本案进行法制审核")
    case.legal_reviewed_at = timezone.now()
    to = _after_reviews(case) if passed else CaseStatus.INVESTIGATING
    assignment, status = _step(actor, case, "case.legal_review", "legal_review", version, to)
    if not passed:
        case.legal_reviewed_at = None
    case.status, case.legal_reviewed_by, case.legal_opinion = status, actor, opinion
    case.save()
    _audit(actor, assignment, case, "case.legal_review", before={"status": CaseStatus.LEGAL_REVIEW},
           after={"status": status, "passed": passed}, reason=opinion)
    return case


@transaction.atomic
def case_discuss(*, actor, case: Case, version, data: dict) -> Case:
    """集体讨论 of a serious case by the organ's 负责人 (第五十七条第二款), recorded."""
    _gate(actor, case, "case.discuss", "discuss")
    text = _text(data, "record", "集体讨论记录", required=True)
    assignment, status = _step(actor, case, "case.discuss", "discuss", version)
    case.status, case.discussed_at, case.discussion_record = status, timezone.now(), text
    case.save()
    _audit(actor, assignment, case, "case.discuss", before={"status": CaseStatus.DISCUSSION}, after={"status": status})
    return case


def hearing_threshold(party_kind: str, unit=None) -> Decimal:
    key = "penalty.hearing_threshold_person" if party_kind == PartyKind.PERSON else "penalty.hearing_threshold_unit"
    return Decimal(values.get(key, unit))


def _proposal(case, data, field_prefix=""):
    kind = choice(data.get("proposed_kind"), DecisionKind, field="proposed_kind", label="拟处罚种类")
    circumstance = choice(data.get("circumstance") or Circumstance.GENERAL, Circumstance, field="circumstance", label="裁量情节")
    violation = _violation(data, required=kind == DecisionKind.FINE) or case.violation
    amount = None
    if kind == DecisionKind.FINE:
        amount = money(data.get("proposed_amount"), field="proposed_amount", label="拟罚款金额")
        check_range(violation, case.party_kind, circumstance, amount, field="proposed_amount")
    return kind, circumstance, violation, amount


@transaction.atomic
def case_notify(*, actor, case: Case, version, data: dict) -> Case:
    """行政处罚告知 (第四十四条): the proposed penalty, facts and basis, the right to a statement and defence,
    and the right to a hearing where the amount reaches the locality's threshold (第六十三条)."""
    _gate(actor, case, "case.notify", "notify")
    kind, circumstance, violation, amount = _proposal(case, data)
    basis = _text(data, "proposed_basis", "拟处罚依据", required=True)
    facts = _text(data, "facts", "违法事实") or case.facts
    if not facts:
        raise Invalid({"facts": ["请填写违法事实"]})
    assignment, status = _step(actor, case, "case.notify", "notify", version)
    case.status, case.notified_at, case.notified_by = status, timezone.now(), actor
    case.proposed_kind, case.circumstance, case.violation, case.proposed_amount = kind, circumstance, violation, amount
    case.proposed_basis, case.facts = basis, facts
    case.hearing_right = amount is not None and amount >= hearing_threshold(case.party_kind, case.unit)
    case.save()
    _audit(actor, assignment, case, "case.notify", before={"status": CaseStatus.TO_NOTIFY},
           after={"status": status, "proposed_kind": kind, "proposed_amount": amount, "hearing_right": case.hearing_right})
    return case


@transaction.atomic
def case_record_statement(*, actor, case: Case, version, data: dict) -> Statement:
    """陈述申辩, a hearing request or a hearing record (第四十五条, 第六十四条); the party files its own."""
    _gate(actor, case, "case.record_statement", "record_statement")
    assignment, _ = _step(actor, case, "case.record_statement", "record_statement", version)
    kind = choice(data.get("kind"), StatementKind, field="kind", label="类别")
    by_party = assignment.scope_kind == ScopeKind.ENTERPRISE
    if by_party and kind == StatementKind.HEARING_RECORD:
        raise Forbidden("听证笔录由执法机关记录")
    if kind == StatementKind.HEARING_REQUEST and not case.hearing_right:
        raise Invalid({"kind": ["本案拟处罚未达到听证标准，未告知听证权利"]})
    text = _text(data, "text", "内容", required=True)
    statement = Statement.objects.create(case=case, kind=kind, text=text, by_party=by_party, filed_by=actor, filed_at=timezone.now())
    case.save()
    _audit(actor, assignment, case, "case.record_statement", after={"kind": kind, "by_party": by_party})
    return statement


@transaction.atomic
def case_decide(*, actor, case: Case, version, data: dict) -> Case:
    """处罚决定 by the 负责人 (第五十七条), with the contents of 第五十九条; a fine within the discretion range and
    band, never heavier than what was proposed (第四十五条第二款); 不予处罚 with the reason (第三十三条)."""
    _gate(actor, case, "case.decide", "decide")
    kind = choice(data.get("decision_kind"), DecisionKind, field="decision_kind", label="处理结果")
    decision_on = a_date(data.get("decision_on") or today(), field="decision_on", label="决定日期")
    if decision_on > today() or (case.filed_on and decision_on < case.filed_on):
        raise Invalid({"decision_on": ["决定日期须在立案日期之后、不晚于今天"]})
    amount, reason = None, ""
    basis = _text(data, "decision_basis", "处罚依据", required=kind not in NOT_PUNISHED)
    if kind == DecisionKind.FINE:
        amount = money(data.get("fine_amount"), field="fine_amount", label="罚款金额")
        circumstance = choice(data.get("circumstance") or case.circumstance, Circumstance, field="circumstance", label="裁量情节")
        check_range(case.violation, case.party_kind, circumstance, amount)
        if case.proposed_amount is not None and amount > case.proposed_amount:
            raise Invalid({"fine_amount": [f"决定罚款不得高于告知的{case.proposed_amount}元（不得因当事人陈述申辩而加重处罚）；"
                                           "如需加重，请撤回后重新告知"]})
        case.circumstance = circumstance
    if kind in NOT_PUNISHED:
        reason = _text(data, "no_penalty_reason", "不予处罚理由", required=True)
    review_organ = _text(data, "review_organ", "行政复议机关", 200, required=True)
    court = _text(data, "court", "管辖法院", 200, required=True)
    requests = case.statements.filter(kind=StatementKind.HEARING_REQUEST).exists()
    if requests and not case.statements.filter(kind=StatementKind.HEARING_RECORD).exists():
        raise Conflict("当事人已申请听证，请先组织听证并记录听证笔录")
    ordered = a_date(data.get("correction_ordered_on"), field="correction_ordered_on", label="责令改正日期", required=False)
    assignment, status = _step(actor, case, "case.decide", "decide", version)
    case.status, case.decided_at, case.decided_by, case.decision_on = status, timezone.now(), actor, decision_on
    case.decision_kind, case.fine_amount, case.decision_basis, case.no_penalty_reason = kind, amount, basis, reason
    case.review_organ, case.court, case.correction_ordered_on = review_organ, court, ordered
    case.save()
    _audit(actor, assignment, case, "case.decide", before={"status": CaseStatus.NOTIFIED},
           after={"status": status, "decision_kind": kind, "fine_amount": amount, "decision_on": decision_on}, reason=reason)
    return case


@transaction.atomic
def case_decide_on_spot(*, actor, data: dict) -> Case:
    """简易程序 (第五十一条、第五十二条): a fine within the on-the-spot limit (individuals 200元, units 3000元) or a
    warning, decided, handed over and recorded at once."""
    data = {**data, "source_kind": data.get("source_kind") or SourceKind.INSPECTION}
    _may_open(actor, "case.decide_on_spot")
    source, site, enterprise, inspection, finding, hazard = _target(actor, data)
    assignment = _opening_assignment(actor, site or enterprise, "case.decide_on_spot")
    party_kind = choice(data.get("party_kind") or PartyKind.UNIT, PartyKind, field="party_kind", label="当事人类型")
    kind = data.get("decision_kind")
    if kind not in (DecisionKind.FINE, DecisionKind.WARNING):
        raise Invalid({"decision_kind": ["当场处罚只能是警告或者限额内的罚款（行政处罚法第五十一条）"]})
    amount = None
    unit = site.grid if site else enterprise.unit
    if kind == DecisionKind.FINE:
        amount = money(data.get("fine_amount"), field="fine_amount", label="罚款金额")
        key = "penalty.on_the_spot_max_person" if party_kind == PartyKind.PERSON else "penalty.on_the_spot_max_unit"
        limit = Decimal(values.get(key, unit))
        if amount > limit:
            raise Invalid({"fine_amount": [f"当场处罚对{PartyKind(party_kind).label}的罚款不得超过{limit}元"
                                           "（行政处罚法第五十一条），请按普通程序立案"]})
    person = getattr(actor, "person", None)
    if person is None or not person.enforcement_cert_no:
        raise Forbidden("当场处罚须由持执法证的执法人员作出并出示执法证件（行政处罚法第五十二条）")
    now, day = timezone.now(), today()
    case = Case.objects.create(
        organ=assignment.department, unit=unit, enterprise=enterprise, site=site, party_kind=party_kind,
        party_name=_text(data, "party_name", "当事人", 200) or (enterprise.name if enterprise else ""),
        procedure=Procedure.SIMPLE, status=CaseStatus.SERVED, cause=_text(data, "cause", "案由", 300, required=True),
        facts=_text(data, "facts", "违法事实", required=True), violation=_violation(data, required=False),
        source_kind=source, inspection=inspection, finding=finding, hazard=hazard, opened_by=actor, opened_at=now,
        approved_by=actor, filed_on=day, notified_at=now, notified_by=actor, decided_at=now, decided_by=actor,
        decision_on=day, decision_kind=kind, fine_amount=amount, proposed_kind=kind, proposed_amount=amount,
        decision_basis=_text(data, "decision_basis", "处罚依据", required=True),
        review_organ=_text(data, "review_organ", "行政复议机关", 200, required=True),
        court=_text(data, "court", "管辖法院", 200, required=True),
        served_on=day, service_method=ServiceMethod.IN_PERSON, served_by=actor,
    )
    if not case.party_name:
        raise Invalid({"party_name": ["请填写当事人"]})
    if person.department_id == case.organ_id:
        _add_inspector_row(case, person)
    _audit(actor, assignment, case, "case.decide_on_spot", after={"status": case.status, "decision_kind": kind, "fine_amount": amount})
    return case


@transaction.atomic
def case_record_correction(*, actor, case: Case, version, data: dict) -> Case:
    """§112: whether the unit, ordered to correct and fined, refuses (the daily fine runs from the day after the order)."""
    _gate(actor, case, "case.investigate", "record_correction")
    assignment, _ = _step(actor, case, "case.investigate", "record_correction", version)
    if not case.is_fine:
        raise Invalid({"correction_refused": ["只有罚款决定才适用按日连续处罚（安全生产法第一百一十二条）"]})
    ordered = a_date(data.get("correction_ordered_on") or case.correction_ordered_on, field="correction_ordered_on", label="责令改正日期")
    corrected = a_date(data.get("corrected_on"), field="corrected_on", label="改正日期", required=False)
    if corrected and not ordered <= corrected <= today():
        raise Invalid({"corrected_on": ["改正日期须在责令改正日期之后、不晚于今天"]})
    before = {"correction_refused": case.correction_refused, "corrected_on": case.corrected_on}
    case.correction_ordered_on, case.correction_refused, case.corrected_on = ordered, flag(data.get("correction_refused")), corrected
    case.save()
    _audit(actor, assignment, case, "case.record_correction", before=before,
           after={"correction_refused": case.correction_refused, "corrected_on": corrected})
    return case


@transaction.atomic
def case_serve(*, actor, case: Case, version, data: dict) -> Case:
    """送达 (第六十一条): at once on announcement, or within 7 working days when the party was absent."""
    _gate(actor, case, "case.serve", "serve")
    served = a_date(data.get("served_on") or today(), field="served_on", label="送达日期")
    if served > today() or served < case.decision_on:
        raise Invalid({"served_on": ["送达日期须在决定日期之后、不晚于今天"]})
    method = choice(data.get("service_method"), ServiceMethod, field="service_method", label="送达方式")
    assignment, status = _step(actor, case, "case.serve", "serve", version)
    case.status, case.served_on, case.service_method, case.served_by = status, served, method, actor
    case.save()
    due = clocks.service_due(case.decision_on, unit=case.unit)
    _audit(actor, assignment, case, "case.serve", before={"status": CaseStatus.DECIDED},
           after={"status": status, "served_on": served, "on_time": served <= due})
    return case


def amounts_owed(case: Case, on=None) -> dict:
    """What the party owes on ``on`` (today): the fine, the §72 late fee (stopping on the day the fine was paid
    in full), paid so far and the balance."""
    on = on or today()
    fine = case.fine_amount or Decimal(0)
    paid_rows = list(case.payments.order_by("paid_on", "id").values_list("paid_on", "amount"))
    paid = sum((a for _, a in paid_rows), Decimal(0))
    due = clocks.payment_due(case.served_on, unit=case.unit) if case.served_on and case.is_fine else None
    settled_on, running = None, Decimal(0)
    for day, amount in paid_rows:
        running += amount
        if running >= fine:
            settled_on = day
            break
    fee = clocks.late_fee(fine, due, settled_on or on, unit=case.unit) if due else Decimal("0.00")
    return {"fine": fine, "payment_due": due, "late_fee": fee, "paid": paid, "balance": max(fine + fee - paid, Decimal(0))}


@transaction.atomic
def case_record_payment(*, actor, case: Case, version, data: dict) -> Payment:
    _gate(actor, case, "case.record_payment", "record_payment")
    assignment, _ = _step(actor, case, "case.record_payment", "record_payment", version)
    if not case.is_fine:
        raise Invalid({"amount": ["本案没有罚款"]})
    amount = money(data.get("amount"), field="amount", label="缴纳金额")
    paid_on = a_date(data.get("paid_on") or today(), field="paid_on", label="缴纳日期")
    if paid_on > today() or paid_on < case.served_on:
        raise Invalid({"paid_on": ["缴纳日期须在送达日期之后、不晚于今天"]})
    owed = amounts_owed(case, paid_on)
    if amount > owed["balance"]:
        raise Invalid({"amount": [f"缴纳金额超过应缴余额{owed['balance']}元"]})
    payment = Payment.objects.create(case=case, amount=amount, paid_on=paid_on, receipt_no=_text(data, "receipt_no", "票据号", 60),
                                     recorded_by=actor, recorded_at=timezone.now())
    case.save()
    _audit(actor, assignment, case, "case.record_payment", after={"amount": amount, "paid_on": paid_on})
    return payment


@transaction.atomic
def case_close(*, actor, case: Case, version, data: dict) -> Case:
    """结案 by the 负责人: when the fine and any late fee are paid, or with a note (e.g. 申请人民法院强制执行)."""
    _gate(actor, case, "case.close", "close")
    note = _text(data, "note", "结案说明")
    owed = amounts_owed(case)
    if case.is_fine and owed["balance"] > 0 and not note:
        raise Invalid({"note": [f"尚欠{owed['balance']}元未缴清，结案须说明执行情况（如已申请人民法院强制执行）"]})
    assignment, status = _step(actor, case, "case.close", "close", version)
    case.status, case.closed_at, case.closed_by, case.closure_note = status, timezone.now(), actor, note
    case.save()
    _audit(actor, assignment, case, "case.close", before={"status": CaseStatus.SERVED}, after={"status": status}, reason=note)
    return case


@transaction.atomic
def case_withdraw(*, actor, case: Case, version, data: dict) -> Case:
    """撤案 before a decision, with the reason (the case stays on record)."""
    _gate(actor, case, "case.withdraw", "withdraw")
    reason = _text(data, "reason", "撤案理由", required=True)
    before = case.status
    assignment, status = _step(actor, case, "case.withdraw", "withdraw", version)
    case.status, case.withdrawn_at, case.withdrawn_by, case.withdraw_reason = status, timezone.now(), actor, reason
    case.save()
    _audit(actor, assignment, case, "case.withdraw", before={"status": before}, after={"status": status}, reason=reason)
    return case


def get_case(user, pk) -> Case:
    case = Case.objects.visible_to(user).select_related("organ", "unit", "enterprise", "site", "violation").filter(pk=safe_id(pk)).first()
    if case is None:
        raise NotFound()
    return case
