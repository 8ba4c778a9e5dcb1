"""The hazard loop driven by random actions of random users (hypothesis state machine), checking
the invariants after every step:

- no hazard is closed without a passed round verified by someone other than its submitter
  (立查立改 excepted: the inspector's on-the-spot check);
- no 重大 hazard moves past 待整改 (start or submit) without its report and 治理方案;
- overdue (the SQL of rules.deadlines.overdue_q) iff the deadline in force has passed and the
  hazard is 待整改/整改中 — checked against the definition, as the clock moves, at 23:30 Shanghai;
- every successful service call wrote exactly one audit event for the hazard, refused ones none;
- the original deadline never changes; the deadline in force changes only by an approved extension;
  level only by judge_major/downgrade; a generic update naming those fields is refused.
"""
from __future__ import annotations

import datetime
import io
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from PIL import Image

from anquan.audit.models import AuditEvent
from anquan.core.errors import DomainError
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardLevel, HazardStatus, Verdict
from anquan.hazards.models import PLAN_FIELDS, Checklist, ChecklistItem, Hazard
from anquan.hazards.tests.test_api_supervision import criterion as applicable_criterion
from anquan.rules.calendar import today
from anquan.rules.deadlines import is_overdue, overdue_q

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 11, 20, 23, 30, tzinfo=SHANGHAI)  # late evening: UTC is still the same day - 8h
PLAN = {"report_situation": "现状", "report_harm": "危害分析", **dict.fromkeys(PLAN_FIELDS, "已落实")}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 200)).save(out, "PNG")
    return out.getvalue()


PHOTO = None


def build_world():
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="状态机测试厂", industries=("industry_trade",))
    site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
    checklist = Checklist.objects.create(code="sm-major", name="测试判定标准", kind="major_criteria", status="published")
    ChecklistItem.objects.create(checklist=checklist, number="1", text="测试重大隐患条款", suggested_level="major")
    users = {
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "street2": make_user("street_staff", unit=tree.street_a),
        "street_b": make_user("street_staff", unit=tree.street_b),
        "anweiban": make_user("anweiban", unit=tree.district),
        "yingji": make_user("dept_staff", department=tree.yingji),
        "firm1": make_user("ent_manager", enterprise=firm),
        "firm2": make_user("ent_principal", enterprise=firm),
    }
    return tree, site, users


class HazardLoop(RuleBasedStateMachine):
    world = None  # (tree, site, users), set by the test
    seen: Counter = Counter()  # what the runs actually exercised (asserted after the run)

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.clock = time_machine.travel(START, tick=False)
        self.coordinates = self.clock.start()
        self.tree, self.site, self.users = self.world
        self.expected_events: dict[int, int] = {}
        self.deadlines: dict[int, tuple[datetime.date, datetime.date]] = {}
        self.levels: dict[int, str] = {}
        # a plain criterion that applies to the site's industry on the frozen day (criteria are judged by date and industry)
        self.criterion = applicable_criterion("industry_trade")

    def teardown(self):
        self.clock.stop()
        transaction.savepoint_rollback(self.savepoint)

    # ------------------------------------------------------------------ helpers

    def hazards(self):
        return list(Hazard.objects.filter(pk__in=self.expected_events).order_by("pk"))

    def attempt(self, hazard_id, call, counts=1):
        """Run one service call; a refusal (DomainError) must write nothing, a success exactly ``counts`` events."""
        name = next((n for n in call.__code__.co_names if n.startswith(("hazard_", "extension_", "overdue_"))), "call")
        try:
            call()
        except DomainError:
            self.seen[f"refused:{name}"] += 1
            return False
        self.seen[name] += 1
        if hazard_id is not None:
            self.expected_events[hazard_id] += counts
        return True

    def pick(self, data, prefer=None):
        """Any hazard, or (mostly) one of those matching ``prefer`` so that rare states get exercised."""
        hazards = self.hazards()
        preferred = [h for h in hazards if prefer(h)] if prefer else []
        if preferred and data.draw(st.booleans(), label="prefer"):
            hazards = preferred
        return data.draw(st.sampled_from(hazards), label="hazard")

    # ------------------------------------------------------------------ rules

    @rule(
        who=st.sampled_from(["grid", "street", "anweiban", "yingji", "firm1"]),
        days=st.integers(min_value=0, max_value=20),
        major=st.sampled_from([False, False, False, True]),
        with_plan=st.booleans(),
        immediate=st.booleans(),
    )
    def record(self, who, days, major, with_plan, immediate):
        source = "self" if who.startswith("firm") else {"grid": "grid", "street": "territorial", "yingji": "industry"}.get(who, "territorial")
        deadline = today() + datetime.timedelta(days=days)
        data = {"site": self.site.pk, "description": "随机生成的隐患", "source": source, "deadline": deadline.isoformat(),
                "immediate": immediate and not major}
        if major and self.criterion:
            data["criterion"] = self.criterion.pk
            if with_plan:
                data.update(PLAN)
        try:
            hazard = services.hazard_record(actor=self.users[who], data=data, after_photos=[png()] if data["immediate"] else [])
        except DomainError:
            self.seen["refused:record"] += 1
            return
        self.seen[f"record:{hazard.level}:{hazard.status}"] += 1
        self.expected_events[hazard.pk] = 1
        self.deadlines[hazard.pk] = (hazard.deadline, hazard.deadline_in_force)
        self.levels[hazard.pk] = hazard.level

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "firm2", "street", "grid"]))
    def start(self, data, who):
        hazard = self.pick(data)
        if self.attempt(hazard.pk, lambda: services.hazard_start(actor=self.users[who], hazard=hazard, version=hazard.version)):
            assert hazard.level != HazardLevel.MAJOR or not hazard.plan_missing()

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "firm2", "street", "street2"]))
    def submit(self, data, who):
        hazard = self.pick(data, lambda h: h.status in (HazardStatus.PENDING, HazardStatus.RECTIFYING))
        ok = self.attempt(hazard.pk, lambda: services.hazard_submit(
            actor=self.users[who], hazard=hazard, version=hazard.version, measures_taken="已整改", after_photos=[png()]))
        if ok:
            assert hazard.level != HazardLevel.MAJOR or not hazard.plan_missing()
            self.seen[f"submitted:{hazard.level}"] += 1

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "firm2", "street", "street2", "street_b", "anweiban", "yingji", "grid"]),
          passed=st.booleans())
    def verify(self, data, who, passed):
        hazard = self.pick(data, lambda h: h.status == HazardStatus.AWAITING)
        self.attempt(hazard.pk, lambda: services.hazard_verify(
            actor=self.users[who], hazard=hazard, version=hazard.version, passed=passed, reason="" if passed else "照片不清晰"))

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "street"]), days=st.integers(min_value=1, max_value=30))
    def request_extension(self, data, who, days):
        hazard = self.pick(data)
        self.attempt(hazard.pk, lambda: services.extension_request(
            actor=self.users[who], hazard=hazard, new_deadline=hazard.deadline_in_force + datetime.timedelta(days=days),
            reason="材料采购周期长"))

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "street", "street2", "anweiban", "yingji"]), approve=st.booleans())
    def decide_extension(self, data, who, approve):
        hazard = self.pick(data, lambda h: h.extensions.filter(status="pending").exists())
        pending = hazard.extensions.filter(status="pending").first()
        if pending is None:
            return
        if self.attempt(hazard.pk, lambda: services.extension_decide(
                actor=self.users[who], extension=pending, version=hazard.version, approve=approve, reason="同意" if approve else "理由不充分")):
            if approve:
                self.deadlines[hazard.pk] = (self.deadlines[hazard.pk][0], pending.requested_deadline)

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["street", "anweiban", "yingji", "grid"]))
    def judge_major(self, data, who):
        hazard = self.pick(data)
        if self.criterion and self.attempt(hazard.pk, lambda: services.hazard_judge_major(
                actor=self.users[who], hazard=hazard, version=hazard.version, criterion=self.criterion.pk)):
            self.levels[hazard.pk] = HazardLevel.MAJOR

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["yingji", "anweiban", "street"]))
    def downgrade(self, data, who):
        hazard = self.pick(data)
        if self.attempt(hazard.pk, lambda: services.hazard_downgrade(actor=self.users[who], hazard=hazard, version=hazard.version, reason="复核后不属于重大")):
            self.levels[hazard.pk] = HazardLevel.GENERAL

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "street", "anweiban"]), fill_plan=st.booleans(),
          sneak=st.sampled_from([None, "deadline", "level", "site", "status"]))
    def update(self, data, who, fill_plan, sneak):
        hazard = self.pick(data)
        payload = dict(PLAN) if fill_plan else {"location": "二号车间"}
        if sneak:
            payload[sneak] = {"deadline": "2099-01-01", "level": "general", "site": self.site.pk, "status": "closed"}[sneak]
        ok = self.attempt(hazard.pk, lambda: services.hazard_update(actor=self.users[who], hazard=hazard, version=hazard.version, data=payload))
        assert not (ok and sneak), "a responsibility field slipped through the generic update"

    @precondition(lambda self: self.expected_events)
    @rule(data=st.data(), who=st.sampled_from(["firm1", "street"]))
    def explain_overdue(self, data, who):
        hazard = self.pick(data)
        self.attempt(hazard.pk, lambda: services.overdue_explain(actor=self.users[who], hazard=hazard, text="资金未到位"))

    @rule(days=st.integers(min_value=1, max_value=15))
    def time_passes(self, days):
        self.coordinates.shift(datetime.timedelta(days=days))

    # ------------------------------------------------------------------ invariants

    @invariant()
    def closed_only_after_verification_by_another_person(self):
        for hazard in self.hazards():
            if hazard.status != HazardStatus.CLOSED:
                continue
            last = hazard.rounds.order_by("-number").first()
            assert last is not None and last.verdict == Verdict.PASSED and last.verified_by_id
            # only an official's 立查立改 is confirmed by its recorder; an enterprise's waits for a second person
            assert last.verified_by_id != last.submitted_by_id or (hazard.immediate and hazard.finder_enterprise_id is None)

    @invariant()
    def no_major_past_pending_without_plan(self):
        for hazard in self.hazards():
            if hazard.level == HazardLevel.MAJOR and hazard.status in (HazardStatus.AWAITING, HazardStatus.CLOSED):
                assert not hazard.plan_missing(), hazard.number

    @invariant()
    def overdue_is_derived_from_deadline_and_status(self):
        now = today()
        in_sql = set(Hazard.objects.filter(overdue_q(now), pk__in=self.expected_events).values_list("pk", flat=True))
        by_definition = {
            h.pk for h in self.hazards()
            if now > h.deadline_in_force and h.status in (HazardStatus.PENDING, HazardStatus.RECTIFYING)
        }
        assert in_sql == by_definition
        assert all(is_overdue(h.deadline_in_force, h.status, now) == (h.pk in by_definition) for h in self.hazards())

    @invariant()
    def every_change_audited_exactly_once(self):
        for hazard_id, expected in self.expected_events.items():
            assert AuditEvent.objects.filter(model_key="hazard", object_id=hazard_id).count() == expected

    @invariant()
    def responsibility_fields_change_only_through_their_services(self):
        for hazard in self.hazards():
            assert (hazard.deadline, hazard.deadline_in_force) == self.deadlines[hazard.pk]
            assert hazard.level == self.levels[hazard.pk]
            assert hazard.site_id == self.site.pk


@pytest.mark.slow
@pytest.mark.django_db
def test_hazard_loop_state_machine():
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):  # assignments valid before the run
        HazardLoop.world = build_world()
    HazardLoop.seen.clear()
    run_state_machine_as_test(
        HazardLoop,
        settings=settings(max_examples=100, stateful_step_count=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
    seen = HazardLoop.seen
    # The runs must have exercised the loop, or the invariants above prove nothing.
    for needed in ["hazard_verify", "refused:hazard_verify", "hazard_submit", "extension_decide", "hazard_judge_major",
                   "refused:hazard_update", "refused:hazard_start", "submitted:major", "record:general:closed"]:
        if not seen[needed]:
            pytest.fail(f"the state machine never exercised {needed}: {sorted(seen.items())}")
