"""One demo hazard's life, replayed in memory exactly as ``hazards.services`` would have written it.

Why not call the services: a year of hazards (thousands) through the services takes minutes;
the demo must load in seconds. So each verb below mirrors its service — the same state
change, the same child rows (rounds, extensions, explanations, controls, listings), the same
version bumps and the same audit event (action, before → after diff, reason, acting role and
unit) — and refuses what the service would refuse (``Refused``: a bug in the demo script, not
data). ``Life.events`` are appended to the district chain later, in time order, by
``demo.hazards``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from anquan.audit.services import diff, snapshot
from anquan.hazards.choices import (
    ControlKind,
    ExtensionStatus,
    HazardLevel,
    HazardSource,
    HazardStatus,
    ListingStatus,
    Verdict,
)
from anquan.hazards.models import (
    REPORT_FIELDS,
    DeadlineExtension,
    Hazard,
    InterimControl,
    ListedSupervision,
    OverdueExplanation,
    RectificationRound,
)
from anquan.hazards.services.judgement import describe, record_for
from anquan.rules.calendar import local_date

S = HazardStatus
#: Hazard fields in a snapshot (``found_by`` is added to the record event only: it never changes).
FIELDS = [f.name for f in Hazard._meta.concrete_fields]


class Refused(Exception):
    """The demo script asked for something the services would refuse."""


@dataclass
class Actor:
    """A user acting in one role assignment (what ``authorize`` would have returned)."""

    user: object
    assignment: object
    name: str

    @property
    def role(self) -> str:
        return self.assignment.role

    @property
    def unit_label(self) -> str:
        a = self.assignment
        return str(a.department or a.enterprise or a.unit or "")


@dataclass
class Event:
    at: datetime.datetime
    actor: Actor
    action: str
    before: dict | None
    after: dict | None
    reason: str = ""


@dataclass
class Rows:
    """Child rows of all lives of a district, with pre-assigned ids (see ``demo.bulk.Ids``)."""

    ids: dict
    rounds: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    explanations: list = field(default_factory=list)
    controls: list = field(default_factory=list)
    listings: list = field(default_factory=list)

    def new(self, model, **values):
        obj = model(id=self.ids[model].take(), **values)
        {RectificationRound: self.rounds, DeadlineExtension: self.extensions, OverdueExplanation: self.explanations,
         InterimControl: self.controls, ListedSupervision: self.listings}[model].append(obj)
        return obj


class Life:
    """The hazard ``h`` (already numbered, in its recorded state) and everything that happens to it."""

    def __init__(self, h: Hazard, found_by: list[int], rows: Rows):
        self.h, self.found_by, self.rows = h, found_by, rows
        self.events: list[Event] = []
        self.rounds: list[RectificationRound] = []
        self.last = h.found_at

    # ---------------------------------------------------------------- plumbing

    def snap(self) -> dict:
        return snapshot(self.h, FIELDS)

    def _at(self, at: datetime.datetime) -> None:
        if at <= self.last:
            raise Refused(f"{self.h.number}: 时间倒流 {at} <= {self.last}")
        self.last = at
        self.h.updated_at = at

    def _event(self, at, actor: Actor, action: str, before=None, after=None, reason: str = "") -> None:
        before, after = diff(before, after if after is not None else self.snap())
        self.events.append(Event(at, actor, action, before, after, reason[:500]))

    def _bump(self) -> dict:
        before = self.snap()
        self.h.version += 1
        return before

    def _need(self, ok: bool, why: str) -> None:
        if not ok:
            raise Refused(f"{self.h.number}: {why}")

    def _plan_ok(self) -> None:
        self._need(self.h.level != HazardLevel.MAJOR or not self.h.plan_missing(), "重大隐患缺治理方案")

    # ---------------------------------------------------------------- recording

    def record(self, at, actor: Actor, immediate_measures: str = "") -> None:
        """hazard_record (and, for 立查立改, _close_on_the_spot) + the ``record`` event."""
        self._at(at)
        h = self.h
        h.created_at = at
        if h.level == HazardLevel.MAJOR:
            h.reported_to_regulators_at = at
        if h.immediate:
            self._need(h.level == HazardLevel.GENERAL, "重大隐患不能立查立改")
            rnd = self._round(at, actor, immediate_measures or h.measures or "现场立即整改")
            rnd.verdict, rnd.verified_by, rnd.verified_role, rnd.verified_at = Verdict.PASSED, actor.user, actor.role, at
            rnd.verdict_reason = "立查立改，现场确认"
            h.status, h.submitted_at = S.CLOSED, at
            h.closed_at, h.closed_on, h.closed_by, h.closed_on_time = at, local_date(at), actor.user, True
        after = {**self.snap(), "found_by": sorted(self.found_by)}
        self._event(at, actor, "record", None, after)

    def update_plan(self, at, actor: Actor, texts: dict) -> None:
        """hazard_update of the report and 治理方案 fields."""
        self._at(at)
        self._need(self.h.status != S.CLOSED, "已销号不能修改")
        before = self.snap()
        for name in REPORT_FIELDS:
            setattr(self.h, name, texts[name])
        self.h.version += 1
        self._event(at, actor, "update", before)

    def judge(self, at, actor: Actor, item) -> None:
        """hazard_judge_major."""
        self._at(at)
        self._need(self.h.status != S.CLOSED, "已销号不能定级")
        before = self._bump()
        h = self.h
        h.level, h.criterion, h.immediate = HazardLevel.MAJOR, item, False
        h.judgement = record_for(item, h.found_on)
        h.reported_to_regulators_at = h.reported_to_regulators_at or at
        self._event(at, actor, "judge_major", before, reason=describe(h.judgement))

    # ---------------------------------------------------------------- the loop

    def _round(self, at, actor: Actor, measures: str) -> RectificationRound:
        rnd = self.rows.new(
            RectificationRound, hazard_id=self.h.pk, number=len(self.rounds) + 1, measures_taken=measures,
            submitted_by=actor.user, submitted_role=actor.role, submitted_at=at,
            deadline_at_submission=self.h.deadline_in_force, on_time=local_date(at) <= self.h.deadline_in_force,
        )
        self.rounds.append(rnd)
        return rnd

    def start(self, at, actor: Actor) -> None:
        self._at(at)
        self._need(self.h.status == S.PENDING, "只有待整改可以开始整改")
        self._plan_ok()
        before = self._bump()
        self.h.status = S.RECTIFYING
        self._event(at, actor, "start", before)

    def submit(self, at, actor: Actor, measures: str) -> None:
        self._at(at)
        self._need(self.h.status in (S.PENDING, S.RECTIFYING), "当前状态不能提交验收")
        self._plan_ok()
        before = self._bump()
        rnd = self._round(at, actor, measures)
        self.h.status, self.h.submitted_at = S.AWAITING, at
        self._event(at, actor, "submit", before, {"status": S.AWAITING.value, "round": rnd.number})

    def _close(self, at, actor: Actor, rnd, reason: str) -> None:
        rnd.verdict, rnd.verified_by, rnd.verified_role, rnd.verified_at, rnd.verdict_reason = (
            Verdict.PASSED, actor.user, actor.role, at, reason)
        h = self.h
        h.status, h.closed_at, h.closed_on, h.closed_by, h.closed_on_time = S.CLOSED, at, local_date(at), actor.user, rnd.on_time

    def verify(self, at, actor: Actor, passed: bool, reason: str = "") -> None:
        """hazard_verify: pass → 已销号; fail → 退回 (整改中)."""
        self._at(at)
        self._need(self.h.status == S.AWAITING, "没有待验收的整改")
        rnd = self.rounds[-1]
        self._need(rnd.submitted_by.pk != actor.user.pk, "提交人不能验收自己的整改")
        self._need(not (passed and self.active_listings()), "挂牌督办的隐患须摘牌销号")
        self._need(passed or bool(reason), "退回须写理由")
        before = self._bump()
        if passed:
            self._close(at, actor, rnd, reason)
        else:
            rnd.verdict, rnd.verified_by, rnd.verified_role, rnd.verified_at, rnd.verdict_reason = (
                Verdict.SENT_BACK, actor.user, actor.role, at, reason)
            self.h.status = S.RECTIFYING
        self._event(at, actor, "verify" if passed else "send_back", before, reason=reason)

    # ---------------------------------------------------------------- deadlines

    def request_extension(self, at, actor: Actor, new_deadline: datetime.date, reason: str) -> DeadlineExtension:
        self._at(at)
        h = self.h
        self._need(h.status in (S.PENDING, S.RECTIFYING), "当前状态不能申请延期")
        self._need(local_date(at) <= h.deadline_in_force < new_deadline, "延期须在期限内申请、延至更晚日期")
        self._need(not any(e.hazard_id == h.pk and e.status == ExtensionStatus.PENDING for e in self.rows.extensions),
                   "已有待审批的延期申请")
        ext = self.rows.new(DeadlineExtension, hazard_id=h.pk, previous_deadline=h.deadline_in_force,
                            requested_deadline=new_deadline, reason=reason, requested_by=actor.user, requested_at=at)
        self._event(at, actor, "request_extension", None, {"requested_deadline": new_deadline.isoformat()}, reason)
        return ext

    def decide_extension(self, at, actor: Actor, ext: DeadlineExtension, approve: bool, reason: str = "") -> None:
        self._at(at)
        self._need(ext.status == ExtensionStatus.PENDING and ext.requested_by.pk != actor.user.pk, "申请人不能审批")
        self._need(approve or bool(reason), "不予批准须写理由")
        before = self._bump()
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        ext.decided_by, ext.decided_at, ext.decision_reason = actor.user, at, reason
        if approve:
            self.h.deadline_in_force = ext.requested_deadline
        self._event(at, actor, "approve_extension" if approve else "reject_extension", before, reason=reason)

    def explain(self, at, actor: Actor, text: str) -> None:
        """overdue_explain: only while overdue."""
        self._at(at)
        h = self.h
        self._need(h.status in (S.PENDING, S.RECTIFYING) and local_date(at) > h.deadline_in_force, "未逾期")
        row = self.rows.new(OverdueExplanation, hazard_id=h.pk, kind=OverdueExplanation.Kind.EXPLANATION, text=text,
                            submitted_by=actor.user, submitted_role=actor.role, submitted_at=at)
        self._event(at, actor, "explain_overdue", None, {"explanation": row.pk}, text)

    def escalate(self, at, actor: Actor, text: str) -> None:
        self._at(at)
        self._need(self.h.status in (S.PENDING, S.RECTIFYING), "当前状态无需提请研究")
        row = self.rows.new(OverdueExplanation, hazard_id=self.h.pk, kind=OverdueExplanation.Kind.ESCALATION, text=text,
                            submitted_by=actor.user, submitted_role=actor.role, submitted_at=at)
        self._event(at, actor, "escalate", None, {"escalation": row.pk}, text)

    # ---------------------------------------------------------------- interim controls and listing

    def control_start(self, at, actor: Actor, kind: str, reason: str) -> InterimControl:
        self._at(at)
        self._need(self.h.status != S.CLOSED and kind in ControlKind.values, "不能采取管控措施")
        row = self.rows.new(InterimControl, hazard_id=self.h.pk, site_id=self.h.site_id, kind=kind, reason=reason,
                            started_at=at, started_by=actor.user)
        self._event(at, actor, "control_start", None, {"control": row.pk, "kind": kind}, reason)
        return row

    def control_end(self, at, actor: Actor, control: InterimControl, reason: str) -> None:
        self._at(at)
        self._need(control.ended_at is None, "已解除")
        control.ended_at, control.ended_by, control.end_reason = at, actor.user, reason
        self._event(at, actor, "control_end", None, {"control": control.pk}, reason)

    def active_listings(self) -> list[ListedSupervision]:
        return [x for x in self.rows.listings if x.hazard_id == self.h.pk and x.delisted_at is None]

    def list(self, at, actor: Actor, level: str, document_no: str, deadline: datetime.date) -> ListedSupervision:
        """hazard_list by the acting 安委办's level."""
        self._at(at)
        h = self.h
        self._need(h.level == HazardLevel.MAJOR and h.status != S.CLOSED and deadline >= local_date(at), "不能挂牌")
        self._need(actor.role == "anweiban", "挂牌督办由安委办办理")
        before = self._bump()
        row = self.rows.new(ListedSupervision, hazard_id=h.pk, level=level, listing_unit=actor.assignment.unit,
                            document_no=document_no, deadline=deadline, listed_at=at, listed_by=actor.user)
        self._event(at, actor, "list", before, {"listing": row.pk, "document_no": document_no})
        return row

    def apply_resume(self, at, actor: Actor, listing: ListedSupervision, text: str) -> None:
        self._at(at)
        self._need(listing.status == ListingStatus.LISTED and self.h.status == S.AWAITING, "不能申请复工复产")
        listing.status, listing.resume_applied_at, listing.resume_application = ListingStatus.RESUME_APPLIED, at, text
        self._event(at, actor, "apply_resume", None, {"listing": listing.pk}, text)

    def review(self, at, actor: Actor, listing: ListedSupervision, passed: bool, opinion: str) -> None:
        self._at(at)
        self._need(listing.status == ListingStatus.RESUME_APPLIED and listing.listing_unit == actor.assignment.unit, "不能审查")
        listing.reviewed_at, listing.reviewed_by, listing.review_opinion = at, actor.user, opinion
        listing.status = ListingStatus.REVIEWED if passed else ListingStatus.LISTED
        self._event(at, actor, "review_listing", None, {"listing": listing.pk, "passed": passed}, opinion)

    def delist(self, at, actor: Actor, listing: ListedSupervision, reason: str) -> None:
        """hazard_delist: the listing level's sign-off closes the hazard (close_by_listing_level)."""
        self._at(at)
        self._need(listing.status == ListingStatus.REVIEWED and listing.listing_unit == actor.assignment.unit, "不能摘牌")
        before = self._bump()
        listing.status, listing.delisted_at, listing.delisted_by = ListingStatus.DELISTED, at, actor.user
        if not self.active_listings():
            rnd = self.rounds[-1]
            self._need(self.h.status == S.AWAITING and rnd.verdict == Verdict.PENDING, "须先提交整改")
            self._need(rnd.submitted_by.pk != actor.user.pk, "提交人不能验收")
            self._close(at, actor, rnd, reason)
        self._event(at, actor, "delist", before, reason=reason)


def money(value: float) -> Decimal:
    return Decimal(str(round(value, -1))).quantize(Decimal("0.01"))


def is_self(h: Hazard) -> bool:
    return h.source == HazardSource.SELF
