"""Enforcement pages: the case list, the case page with its clocks and the form of the next step, opening a case,
and the public list of published penalty decisions (no sign-in).

Thin: reads through ``selectors`` (404 for anything out of scope), writes through ``services``; a refused step
(Invalid 422, Conflict 409) comes back to the case page as a message saying what to do; NotFound/Forbidden are
answered by ``core.middleware`` (404/403).
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Invalid
from anquan.core.views import login_required, paginate, post_data, query_without
from anquan.enterprises.models import Site
from anquan.rules.calendar import today

from . import selectors, services
from .document_views import case_documents_context
from .models import (
    CaseStatus,
    Circumstance,
    DecisionKind,
    EvidenceKind,
    PartyKind,
    ServiceMethod,
    SourceKind,
    StatementKind,
    Violation,
)
from .services.cases import amounts_owed, get_case, hearing_threshold

#: step → (service, the action that permits it)
STEPS = {
    "approve": (services.case_approve, "case.approve"),
    "add_inspector": (services.case_add_inspector, "case.investigate"),
    "add_evidence": (services.case_add_evidence, "case.investigate"),
    "submit_review": (services.case_submit_review, "case.submit_review"),
    "review": (services.case_review, "case.review"),
    "legal_review": (services.case_legal_review, "case.legal_review"),
    "discuss": (services.case_discuss, "case.discuss"),
    "notify": (services.case_notify, "case.notify"),
    "record_statement": (services.case_record_statement, "case.record_statement"),
    "decide": (services.case_decide, "case.decide"),
    "record_correction": (services.case_record_correction, "case.investigate"),
    "serve": (services.case_serve, "case.serve"),
    "record_payment": (services.case_record_payment, "case.record_payment"),
    "close": (services.case_close, "case.close"),
    "withdraw": (services.case_withdraw, "case.withdraw"),
}


def _may(user, case, action) -> bool:
    from .models import Case

    return Case.objects.authorizing_assignment(user, action, case.pk) is not None


def _messages(err) -> list[str]:
    """The Chinese sentences of a refused step (field errors, else the error's own message)."""
    texts = [text for texts in (getattr(err, "errors", None) or {}).values() for text in texts]
    return texts or [err.message]


def permits_any(user, action: str) -> bool:
    return any(a.permits(action) for a in active_assignments(user))


@login_required
def case_list(request):
    params = {k: request.GET.get(k, "") for k in selectors.FILTERS}
    page = paginate(request, selectors.case_list(request.user, params), 30)
    return render(request, "enforcement/cases.html", {
        "page": page, "params": params, "query": query_without(request), "statuses": CaseStatus.choices,
        "can_open": permits_any(request.user, "case.open"), "today": today()})


def _steps_for(user, case) -> list[str]:
    return [step for step, (_, action) in STEPS.items()
            if case.status in services.TRANSITIONS[step][0] and _may(user, case, action)]


@login_required
def case_detail(request, pk):
    case = get_case(request.user, pk)
    steps = _steps_for(request.user, case)
    return render(request, "enforcement/case.html", {
        "case": case, "clocks": selectors.clocks_of(case), "steps": steps, "owed": amounts_owed(case) if case.is_fine else None,
        "daily_fine": selectors.daily_fine_of(case), "inspectors": case.inspectors.select_related("person"),
        "evidence": case.evidence.filter(voided_at__isnull=True), "statements": case.statements.all(),
        "payments": case.payments.all(), "publications": case.publications.all(),
        "can_publish": _may(request.user, case, "case.publish") and case.is_penalty
        and case.status in (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED)
        and not case.publications.filter(withdrawn_at__isnull=True).exists(),
        "violations": Violation.objects.filter(active=True, voided_at__isnull=True),
        "colleagues": _colleagues(case), "circumstances": Circumstance.choices, "decision_kinds": DecisionKind.choices,
        "evidence_kinds": EvidenceKind.choices, "statement_kinds": _statement_kinds(request.user, case),
        "service_methods": ServiceMethod.choices, "hearing_threshold": hearing_threshold(case.party_kind, case.unit),
        **case_documents_context(request.user, case),
    })


def _statement_kinds(user, case):
    """The party files statements, hearing requests (where it was told of the right) or a waiver; the organ
    also records hearings."""
    party = any(a.scope_kind == "enterprise" for a in active_assignments(user))
    kinds = StatementKind.choices
    if party:
        kinds = [(v, label) for v, label in kinds if v != StatementKind.HEARING_RECORD]
    if not case.hearing_right:
        kinds = [(v, label) for v, label in kinds if v != StatementKind.HEARING_REQUEST]
    return kinds


def _colleagues(case):
    from anquan.accounts.models import Person

    return Person.objects.filter(department_id=case.organ_id, voided_at__isnull=True).exclude(enforcement_cert_no="")\
        .exclude(pk__in=case.inspectors.values("person_id")).order_by("name")


@login_required
@require_POST
def case_step(request, pk, step):
    case = get_case(request.user, pk)
    if step not in STEPS:
        return redirect("enforcement:case", pk=case.pk)
    service = STEPS[step][0]
    data = post_data(request)
    version = data.pop("version", None)
    kwargs = {"actor": request.user, "case": case, "version": version}
    if step == "approve":
        pass
    elif step == "add_inspector":
        kwargs["person_id"] = data.get("person")
    else:
        kwargs["data"] = data
    try:
        service(**kwargs)
    except Invalid as err:
        for text in _messages(err):
            messages.error(request, text)
        return redirect("enforcement:case", pk=case.pk)
    except Conflict as err:
        messages.error(request, err.message)
        return redirect("enforcement:case", pk=case.pk)
    messages.success(request, "已保存")
    return redirect("enforcement:case", pk=case.pk)


@login_required
@require_POST
def case_publish(request, pk):
    case = get_case(request.user, pk)
    try:
        services.publication_create(actor=request.user, case=case)
        messages.success(request, "已在公示系统公开")
    except (Invalid, Conflict) as err:
        messages.error(request, "；".join(_messages(err)))
    return redirect("enforcement:case", pk=case.pk)


@login_required
def case_new(request):
    sites = Site.objects.visible_to(request.user, "view").filter(voided_at__isnull=True).select_related("enterprise")[:500]
    context = {"sources": SourceKind.choices, "party_kinds": PartyKind.choices, "sites": sites, "data": {}}
    if request.method == "POST":
        data = post_data(request)
        try:
            case = services.case_open(actor=request.user, data=data)
        except Invalid as err:
            context.update(data=data, errors=_messages(err))
            return render(request, "enforcement/case_new.html", context, status=422)
        messages.success(request, "已提交立案申请，待负责人审批")
        return redirect("enforcement:case", pk=case.pk)
    context["data"] = {k: request.GET.get(k, "") for k in ("source_kind", "inspection", "finding", "hazard", "site")}
    return render(request, "enforcement/case_new.html", context)


def public_penalties(request):
    """行政处罚信息公示 (安全生产法 第七十八条): no sign-in; only the fields publication requires."""
    page = paginate(request, selectors.public_penalties(request.GET), 30)
    return render(request, "enforcement/public_penalties.html", {"page": page, "q": (request.GET.get("q") or "")[:100]})
