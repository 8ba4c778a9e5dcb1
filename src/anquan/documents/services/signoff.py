"""拟稿 → 核稿 → 签发: the one sign-off service for whatever an organ issues in its own name.

Why one service: a 通报 drafted by a street's staff, a campaign report signed by the leader in
charge (分管领导签发) and a responsibility agreement all pass through the same hands in the same
order, and the same rules hold — the drafter never reviews or signs his own draft, only a leader
of the issuing organ signs for it, and every step is attributable. Each subject model keeps its
own content; the sign-off keeps who did what, when, with which opinion.

Reusable interface (``anquan.documents.services.signoff``)::

    register(MyModel, label="工作报告", on_signed=fn, url=fn)   # once, e.g. in AppConfig.ready()
        on_signed(signoff=, subject=, signer=, assignment=)  runs in the signing transaction
                                                             (e.g. number and issue the document; may
                                                             return what it issued, for the drafter's notice)
        url(subject) -> str                                  the page that shows the subject
    signoff_start(actor=, subject=, title=, issuer_unit=None, issuer_department=None, opinion="")
        拟稿: call inside the transaction that creates the subject; the actor must hold
        ``signoff.draft`` in the issuing organ (default: his own unit/department) → 待核稿
    signoff_review(actor=, signoff=, version=, opinion="")     核稿通过 → 待签发
    signoff_sign(actor=, signoff=, version=, opinion="")       签发 → 已签发, then on_signed
    signoff_return(actor=, signoff=, version=, opinion=)       退回修改 (reviewer or signer, opinion required)
    signoff_resubmit(actor=, signoff=, version=, opinion="")   the drafter, after changes → 待核稿
    signoff_withdraw(actor=, signoff=, version=, opinion="")   the drafter, before it is signed → 已撤回
    waiting_for(user)                                          sign-offs the user may act on now
    allowed_verbs(user, signoff)                               which of the verbs above he may use

Who may act is the single-assignment rule applied to the issuing organ itself (not the scope
above it: a district's leader does not sign a street's document): ``signoff.review`` (staff and
leaders) or ``signoff.sign`` (leaders, ``accounts/roles.py``) in an assignment whose unit — or
department, for a department's document — is the issuer. The moves are ``TRANSITIONS``; a refused
move is a Conflict (409) naming the state. Each step writes a ``SignOffStep`` and one audit event, and
tells the next actor after commit (``documents/notice_kinds.py``: 待核稿, 待签发, 退回, 已签发).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.roles import SIGNOFF_DRAFT, SIGNOFF_REVIEW, SIGNOFF_SIGN, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import bump_version

from ..models import SignOff, SignOffState, SignOffStep, SignOffStepKind
from ..numbering import organ_name

S = SignOffState
#: verb → {from state: to state}. Anything else is refused with 409.
TRANSITIONS = {
    "review": {S.REVIEWING: S.SIGNING},
    "sign": {S.SIGNING: S.SIGNED},
    "return": {S.REVIEWING: S.RETURNED, S.SIGNING: S.RETURNED},
    "resubmit": {S.RETURNED: S.REVIEWING},
    "withdraw": {S.REVIEWING: S.WITHDRAWN, S.RETURNED: S.WITHDRAWN},
}
VERBS = {"review": "核稿", "sign": "签发", "return": "退回", "resubmit": "重新提交", "withdraw": "撤回"}
STEP_OF = {"review": SignOffStepKind.REVIEW, "sign": SignOffStepKind.SIGN, "return": SignOffStepKind.RETURN,
           "resubmit": SignOffStepKind.RESUBMIT, "withdraw": SignOffStepKind.WITHDRAW}
MAX_OPINION = 1000


@dataclass(frozen=True)
class Signable:
    label: str
    on_signed: Callable
    url: Callable


_REGISTRY: dict[str, Signable] = {}


def register(model, *, label: str, on_signed: Callable, url: Callable) -> None:
    """Declare a model whose rows pass through sign-off (idempotent: re-registering replaces)."""
    _REGISTRY[model._meta.label_lower] = Signable(label, on_signed, url)


def signable_of(signoff: SignOff) -> Signable:
    key = f"{signoff.subject_type.app_label}.{signoff.subject_type.model}"
    if key not in _REGISTRY:
        raise RuntimeError(f"sign-off subject {key} is not registered")
    return _REGISTRY[key]


# --- who ---------------------------------------------------------------------------------------

def _of_organ(assignment, unit, department) -> bool:
    """Whether the assignment is held in the issuing organ itself."""
    if department is not None:
        return assignment.department_id == department.pk
    return assignment.scope_kind == ScopeKind.TERRITORY and unit is not None and assignment.unit_id == unit.pk


def organ_assignment(user, action: str, *, unit=None, department=None):
    """The first active assignment of ``user`` that permits ``action`` in the organ (unit or department)."""
    for assignment in active_assignments(user):
        if assignment.permits(action) and _of_organ(assignment, unit, department):
            return assignment
    return None


def _acting_actions(verb: str, state: str) -> tuple[str, ...]:
    if verb == "return":  # whoever holds it now: the reviewer (待核稿) or the signer (待签发)
        return {S.REVIEWING: (SIGNOFF_REVIEW,), S.SIGNING: (SIGNOFF_SIGN,)}.get(state, (SIGNOFF_REVIEW, SIGNOFF_SIGN))
    return ({"review": SIGNOFF_REVIEW, "sign": SIGNOFF_SIGN, "resubmit": SIGNOFF_DRAFT, "withdraw": SIGNOFF_DRAFT}[verb],)


def _why_not(user, signoff: SignOff, verb: str):
    """(assignment, None) when ``user`` may ``verb`` now; else (None, (status, Chinese reason)) — 403 when he
    may never do it here (the who-rules come first), 409 when he may but the state refuses."""
    drafter = signoff.drafted_by_id == user.pk
    if verb in ("resubmit", "withdraw") and not drafter:
        return None, (403, f"只有拟稿人可以{VERBS[verb]}")
    if verb in ("review", "sign", "return") and drafter:
        return None, (403, "拟稿人不能核稿或签发本人拟写的稿件")
    assignment = None
    for action in _acting_actions(verb, signoff.state):
        assignment = organ_assignment(user, action, unit=signoff.issuer_unit, department=signoff.issuer_department)
        if assignment is not None:
            break
    if assignment is None:
        if verb == "sign" or (verb == "return" and signoff.state == S.SIGNING):
            return None, (403, f"只有{signoff.issuer_name}的领导可以签发")
        return None, (403, f"只有{signoff.issuer_name}的工作人员可以{VERBS[verb]}")
    if TRANSITIONS[verb].get(signoff.state) is None:
        return None, (409, f"当前状态为“{signoff.get_state_display()}”，不能{VERBS[verb]}")
    return assignment, None


def allowed_verbs(user, signoff: SignOff) -> list[str]:
    return [verb for verb in TRANSITIONS if _why_not(user, signoff, verb)[0] is not None]


def waiting_for(user):
    """Sign-offs ``user`` may act on now: 待核稿 in an organ where he reviews, 待签发 where he signs —
    never his own drafts; plus his own drafts sent back to him (退回修改)."""
    q = Q(pk__in=[])
    for assignment in active_assignments(user):
        organ = Q(issuer_department_id=assignment.department_id) if assignment.department_id else Q(pk__in=[])
        if assignment.scope_kind == ScopeKind.TERRITORY:
            organ |= Q(issuer_department__isnull=True, issuer_unit_id=assignment.unit_id)
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            organ = Q(issuer_department_id=assignment.department_id)
        if assignment.permits(SIGNOFF_REVIEW):
            q |= organ & Q(state=S.REVIEWING)
        if assignment.permits(SIGNOFF_SIGN):
            q |= organ & Q(state=S.SIGNING)
    waiting = SignOff.objects.visible_to(user).filter(q).exclude(drafted_by=user)
    returned = SignOff.objects.visible_to(user).filter(drafted_by=user, state=S.RETURNED)
    return (waiting | returned).order_by("submitted_at", "id")


# --- moves -------------------------------------------------------------------------------------

def _opinion(opinion, *, required: bool) -> str:
    opinion = (opinion or "").strip()
    if required and not opinion:
        raise Invalid({"opinion": ["请填写退回意见，说明需要修改的内容"]})
    if len(opinion) > MAX_OPINION:
        raise Invalid({"opinion": [f"意见不能超过{MAX_OPINION}个字"]})
    return opinion


def _step(signoff, kind, actor, assignment, at, opinion) -> None:
    SignOffStep.objects.create(signoff=signoff, kind=kind, actor=actor, role=assignment.role, at=at, opinion=opinion)


def signoff_start(*, actor, subject, title: str, issuer_unit=None, issuer_department=None, opinion: str = "") -> SignOff:
    """拟稿: open the sign-off of ``subject`` (saved, registered model) → 待核稿. See the module docstring."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("拟稿须在保存稿件的事务内提交")
    if subject._meta.label_lower not in _REGISTRY:
        raise RuntimeError(f"{subject._meta.label_lower} is not registered for sign-off")
    opinion = _opinion(opinion, required=False)
    assignment = None
    for candidate in active_assignments(actor):
        if not candidate.permits(SIGNOFF_DRAFT):
            continue
        if issuer_unit is None and issuer_department is None:
            if candidate.scope_kind == ScopeKind.DEPARTMENT:
                assignment, issuer_department = candidate, candidate.department
            elif candidate.scope_kind == ScopeKind.TERRITORY:
                assignment, issuer_unit = candidate, candidate.unit
            if assignment is not None:
                break
        elif _of_organ(candidate, issuer_unit, issuer_department):
            assignment = candidate
            break
    if assignment is None:
        raise Forbidden("您不能以该机关名义拟稿：拟稿人须是发文机关的工作人员")
    now = timezone.now()
    signoff = SignOff.objects.create(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk, title=title[:200],
        issuer_unit=None if issuer_department is not None else issuer_unit, issuer_department=issuer_department,
        issuer_name=organ_name(None if issuer_department is not None else issuer_unit, issuer_department),
        state=S.REVIEWING, drafted_by=actor, drafted_at=now, submitted_at=now,
    )
    _step(signoff, SignOffStepKind.DRAFT, actor, assignment, now, opinion)
    record(actor=actor, assignment=assignment, obj=signoff, action="signoff_draft",
           after=snapshot(signoff, ["title", "state", "issuer_unit", "issuer_department", "subject_type", "subject_id"]),
           reason=opinion)
    _tell(signoff, actor)
    return signoff


def _tell(signoff: SignOff, actor, **context) -> None:
    """Tell the next actor (after commit, once per fact: the key names the sign-off, its state and version)."""
    from anquan.notifications.services import notify_event

    kind = {S.REVIEWING: "signoff_review", S.SIGNING: "signoff_sign", S.RETURNED: "signoff_returned",
            S.SIGNED: "signoff_signed"}.get(signoff.state)
    if kind is not None:
        notify_event(kind, signoff, key=f"{kind}:so{signoff.pk}:v{signoff.version}", actor=actor, **context)


def _move(verb: str, *, actor, signoff: SignOff, version, opinion: str, required: bool = False) -> SignOff:
    opinion = _opinion(opinion, required=required)
    given = signoff
    with transaction.atomic():
        signoff = SignOff.objects.select_for_update().filter(pk=signoff.pk).first()
        if signoff is None or not SignOff.objects.visible_to(actor).filter(pk=signoff.pk).exists():
            raise NotFound()
        assignment, refusal = _why_not(actor, signoff, verb)
        if assignment is None:
            status, reason = refusal
            raise Conflict(reason) if status == 409 else Forbidden(reason)
        before = snapshot(signoff, ["state", "reviewed_by", "signed_by"])
        bump_version(signoff, version)
        now = timezone.now()
        signoff.state = TRANSITIONS[verb][signoff.state]
        if verb == "review":
            signoff.reviewed_by, signoff.reviewed_at = actor, now
        elif verb == "sign":
            signoff.signed_by, signoff.signed_at = actor, now
        elif verb == "resubmit":
            signoff.submitted_at = now
            signoff.reviewed_by, signoff.reviewed_at = None, None
        signoff.save(update_fields=["state", "reviewed_by", "reviewed_at", "signed_by", "signed_at", "submitted_at",
                                    "updated_at"])
        _step(signoff, STEP_OF[verb], actor, assignment, now, opinion)
        record(actor=actor, assignment=assignment, obj=signoff, action=f"signoff_{verb}", before=before,
               after=snapshot(signoff, ["state", "reviewed_by", "signed_by"]), reason=opinion)
        context = {"opinion": opinion}
        if verb == "sign":
            issued = signable_of(signoff).on_signed(signoff=signoff, subject=signoff.subject, signer=actor,
                                                    assignment=assignment)
            context["number"] = getattr(issued, "number", "")
        _tell(signoff, actor, **context)
    for field in ("state", "version", "reviewed_by_id", "reviewed_at", "signed_by_id", "signed_at", "submitted_at"):
        setattr(given, field, getattr(signoff, field))  # the caller's instance is current too
    return signoff


def signoff_review(*, actor, signoff: SignOff, version, opinion: str = "") -> SignOff:
    """核稿通过: a member of the issuing organ other than the drafter → 待签发."""
    return _move("review", actor=actor, signoff=signoff, version=version, opinion=opinion)


def signoff_sign(*, actor, signoff: SignOff, version, opinion: str = "") -> SignOff:
    """签发: a leader of the issuing organ other than the drafter; the subject's ``on_signed`` runs in this transaction."""
    return _move("sign", actor=actor, signoff=signoff, version=version, opinion=opinion)


def signoff_return(*, actor, signoff: SignOff, version, opinion: str) -> SignOff:
    """退回修改 with an opinion: by whoever may review (待核稿) or sign (待签发) it."""
    return _move("return", actor=actor, signoff=signoff, version=version, opinion=opinion, required=True)


def signoff_resubmit(*, actor, signoff: SignOff, version, opinion: str = "") -> SignOff:
    """The drafter sends a returned draft back for review (call after saving the subject's changes)."""
    return _move("resubmit", actor=actor, signoff=signoff, version=version, opinion=opinion)


def signoff_withdraw(*, actor, signoff: SignOff, version, opinion: str = "") -> SignOff:
    """The drafter withdraws a draft not yet signed."""
    return _move("withdraw", actor=actor, signoff=signoff, version=version, opinion=opinion)


VERB_SERVICES = {"review": signoff_review, "sign": signoff_sign, "return": signoff_return,
                 "resubmit": signoff_resubmit, "withdraw": signoff_withdraw}
