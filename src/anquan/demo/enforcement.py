"""The demo's administrative enforcement (``load_demo --inspections``, as ``make demo`` runs it): a year of
行政处罚案件 of 示范区应急管理局, every one opened from a performed inspection of the bureau (with its 不符合 item
where the visit recorded answers) and moved on through the enforcement services at past moments (time_machine,
not ticking), so statuses, clocks, audit, publication and the §113 proposal are what real use would leave.

Deterministic: ``random.Random(f"anquan-demo:{seed}:enforcement")`` and dates relative to the as-of date (d).

Scripted, besides the drawn fined-and-paid cases:

- one case with a hearing: a proposed fine at the 听证 threshold (安全生产法 第一百零一条, ≥ 5万元 for a unit), the
  party's request and the 听证笔录, then a decision below what was proposed;
- one case withdrawn (撤案) after investigation, with the reason;
- one fined case served and not paid (the §72 late fee runs on its page);
- cases near d stop where d finds them (under investigation, 待告知, 已告知);
- one enterprise with an open 重大事故隐患 penalised three times within 180 days, and the §113 proposal recorded
  for the 负责人's decision (never decided here).

People: the services need the bureau's 负责人 (approval, review, decision, closure) and a 法制审核 reviewer. They are
demo-internal accounts (``yingji_fzr``, ``yingji_fzsh``) with unusable passwords: not demo users, not in
``people.DEMO_USERS`` nor in the permission matrices (their demo logins and ~35 matrix rows are later work).
The 执法人员 are the demo's ``zhifa_a`` and ``zhifa_b`` (both hold a 执法证号).
"""
from __future__ import annotations

import datetime
import random

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.accounts.scope import active_assignments
from anquan.enterprises.models import Site
from anquan.inspections.models import Inspection
from anquan.inspections.models.record import Answer, AnswerResult
from anquan.rules.calendar import SHANGHAI, local_date

from .inspections import at_moment

#: Fined-and-paid cases drawn over the year (besides the scripted ones).
DRAWN = 9
REVIEW_ORGAN = "示范区人民政府"
COURT = "示范区人民法院"
#: (violation code, cause, facts) — what the bureau's inspections find.
CAUSES = [
    ("AQ-99-1", "未在危险场所设置明显的安全警示标志", "现场检查发现，当事人储存区、配电室等有较大危险因素的场所未设置明显的安全警示标志。"),
    ("AQ-101-1", "生产、储存危险物品未建立专门安全管理制度", "现场检查发现，当事人危险化学品仓库未建立专门的安全管理制度，未采取可靠的安全措施。"),
    ("AQ-102", "未采取措施消除事故隐患", "现场检查发现，当事人对责令整改的事故隐患未采取措施消除，逾期仍未整改。"),
    ("AQ-99-1", "安全设备未经常性维护保养", "现场检查发现，当事人可燃气体报警装置失效，未进行经常性维护、保养和定期检测。"),
]


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def _staff(username: str, name: str, post: str, role: str, department, since: datetime.datetime) -> User:
    person = Person.objects.create(name=name, post=post, department=department, unit=department.unit)
    user = User(username=username, person=person)
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=role, department=department, valid_from=since)
    return user


class _Cases:
    def __init__(self, demo, rng: random.Random, as_of: datetime.date):
        from anquan.enforcement.discretion_data import seed_catalogue
        from anquan.enforcement.models import Violation

        seed_catalogue()  # the migration's catalogue (missing after a flush, as the checklists are)
        self.demo, self.rng, self.as_of = demo, rng, as_of
        self.dept = demo.departments["yingji"]
        since = _moment(as_of - datetime.timedelta(days=400), 0)
        self.head = _staff("yingji_fzr", "孙建国", "示范区应急管理局局长（执法部门负责人）", RoleCode.DEPT_HEAD, self.dept, since)
        self.legal = _staff("yingji_fzsh", "周立平", "示范区应急管理局法规科科长（法制审核人员）", RoleCode.LEGAL_REVIEWER, self.dept, since)
        self.a, self.b = demo.users["zhifa_a"], demo.users["zhifa_b"]
        self.violations = {v.code: v for v in Violation.objects.filter(code__in={c[0] for c in CAUSES})}
        assignment = next(a for a in active_assignments(self.a) if a.department_id == self.dept.pk and a.permits("case.open"))
        covered = Site.objects.filter(Site.objects.assignment_q(assignment), enterprise__isnull=False, voided_at__isnull=True)
        self.visits = list(Inspection.objects.filter(department=self.dept, performed_at__isnull=False,
                                                     site__in=covered.values("pk")).select_related("site", "site__enterprise")
                           .order_by("performed_at", "pk"))
        self.counts = {"cases": 0, "closed": 0, "withdrawn": 0, "hearings": 0, "proposals": 0}

    # ------------------------------------------------------------ one case, step by step at past moments

    def _at(self, day: datetime.date, hour: int):
        return at_moment(_moment(day, hour, self.rng.randint(0, 50)))

    def play(self, visit: Inspection, *, amount: int, code: str, cause: str, facts: str, circumstance="general",
             hearing=False, withdraw=False, pay=True, start=2, source_hazard=None, on=None):
        """Open a case from ``visit`` (or from ``source_hazard``) and move it on while the days stay ≤ d."""
        from anquan.enforcement import services
        from anquan.enforcement.models import Case

        base = local_date(visit.performed_at) if visit is not None else local_date(source_hazard.found_at)
        day = on or base + datetime.timedelta(days=start)

        def when(n):
            return day + datetime.timedelta(days=n)

        if when(0) > self.as_of:
            return None
        finding = None
        if visit is not None:
            finding = Answer.objects.filter(part__inspection=visit, result=AnswerResult.NONCONFORM).order_by("pk").first()
            data = {"source_kind": "inspection", "inspection": visit.pk, "finding": finding.pk if finding else ""}
        else:
            data = {"source_kind": "hazard", "hazard": source_hazard.pk}
        with self._at(when(0), 9):
            case = services.case_open(actor=self.a, data={**data, "cause": cause, "facts": facts,
                                                          "violation": self.violations[code].pk})
        self.counts["cases"] += 1

        def step(n, hour, fn):
            nonlocal case
            if when(n) > self.as_of:
                return False
            with self._at(when(n), hour):
                case = Case.objects.get(pk=case.pk)
                fn(case)
            case = Case.objects.get(pk=case.pk)
            return True

        ok = step(1, 10, lambda c: services.case_approve(actor=self.head, case=c, version=c.version))
        ok = ok and step(3, 9, lambda c: services.case_add_inspector(actor=self.a, case=c, version=c.version,
                                                                     person_id=self.b.person_id))
        ok = ok and step(3, 11, lambda c: services.case_add_evidence(actor=self.a, case=c, version=c.version, data={
            "kind": "inspection_record", "description": "现场检查记录一份（含不符合项及现场照片）" if finding else "现场检查记录一份"}))
        ok = ok and step(6, 15, lambda c: services.case_add_evidence(actor=self.a, case=c, version=c.version, data={
            "kind": "inquiry", "description": "对当事人安全管理人员的询问笔录一份"}))
        if withdraw:
            ok = ok and step(9, 16, lambda c: services.case_withdraw(actor=self.head, case=c, version=c.version, data={
                "reason": "经调查，该场所实际经营者为另一单位，违法主体认定有误，撤销立案，另行移送处理"}))
            self.counts["withdrawn"] += int(case.status == "withdrawn")
            return case
        ok = ok and step(10, 10, lambda c: services.case_submit_review(actor=self.a, case=c, version=c.version))
        legal = hearing or amount >= 30000
        ok = ok and step(12, 10, lambda c: services.case_review(actor=self.head, case=c, version=c.version, data={
            "opinion": "事实清楚，证据确凿，程序合法", "needs_legal_review": legal}))
        if legal:
            ok = ok and step(14, 15, lambda c: services.case_legal_review(actor=self.legal, case=c, version=c.version, data={
                "opinion": "主体适格，事实清楚，适用依据正确，裁量适当，程序合法", "passed": True}))
        basis = f"《中华人民共和国安全生产法》{self.violations[code].article}"
        ok = ok and step(16, 10, lambda c: services.case_notify(actor=self.a, case=c, version=c.version, data={
            "proposed_kind": "fine", "proposed_amount": str(amount), "violation": self.violations[code].pk,
            "circumstance": circumstance, "proposed_basis": basis}))
        decided_amount, decide_on = amount, 22
        if hearing:
            ok = ok and step(18, 14, lambda c: services.case_record_statement(actor=self.a, case=c, version=c.version, data={
                "kind": "hearing_request", "text": "当事人于告知后五日内书面申请听证，认为罚款数额过高，已部分整改。"}))
            ok = ok and step(26, 9, lambda c: services.case_record_statement(actor=self.a, case=c, version=c.version, data={
                "kind": "hearing_record", "text": "听证会由法规科主持，当事人委托代理人到场陈述申辩，承认违法事实，提交了整改材料。"}))
            decided_amount, decide_on = amount - 5000, 30
            self.counts["hearings"] += int(ok)
        else:
            ok = ok and step(19, 11, lambda c: services.case_record_statement(actor=self.a, case=c, version=c.version, data={
                "kind": "statement", "text": "当事人当面陈述：承认违法事实，已安排整改，请求从轻处罚。"}))
        ok = ok and step(decide_on, 10, lambda c: services.case_decide(actor=self.head, case=c, version=c.version, data={
            "decision_kind": "fine", "fine_amount": str(decided_amount), "decision_basis": basis,
            "review_organ": REVIEW_ORGAN, "court": COURT}))
        ok = ok and step(decide_on, 15, lambda c: services.case_serve(actor=self.a, case=c, version=c.version,
                                                                      data={"service_method": "in_person"}))
        ok = ok and step(decide_on + 3, 10, lambda c: services.publication_create(actor=self.head, case=c))
        if not pay:
            return case
        ok = ok and step(decide_on + 12, 10, lambda c: services.case_record_payment(actor=self.a, case=c, version=c.version, data={
            "amount": str(decided_amount), "receipt_no": f"FK{when(decide_on + 12):%Y%m%d}{case.pk:04d}"}))
        ok = ok and step(decide_on + 15, 16, lambda c: services.case_close(actor=self.head, case=c, version=c.version, data={}))
        self.counts["closed"] += int(ok)
        return case

    def _cause(self):
        return self.rng.choice([c for c in CAUSES if c[0] == "AQ-99-1" or c[0] == "AQ-102"])

    # ------------------------------------------------------------ the year

    def build(self) -> dict:
        if not self.visits:
            return self.counts
        repeat = self._repeat_enterprise()
        used = set()
        pool = [v for v in self.visits if (self.as_of - local_date(v.performed_at)).days >= 45
                and (repeat is None or v.site.enterprise_id != repeat[0].pk)]
        drawn = sorted(self.rng.sample(pool, min(DRAWN + 3, len(pool))), key=lambda v: (v.performed_at, v.pk))
        for i, visit in enumerate(drawn):
            code, cause, facts = self._cause()
            amount = self.rng.choice([20000, 22000, 25000, 28000, 30000])
            if i == 2:  # the hearing
                code, cause, facts = CAUSES[1]
                self.play(visit, amount=60000, code=code, cause=cause, facts=facts, hearing=True)
            elif i == 4:
                self.play(visit, amount=amount, code=code, cause=cause, facts=facts, withdraw=True)
            elif i == 6:
                self.play(visit, amount=amount, code=code, cause=cause, facts=facts, pay=False)
            else:
                self.play(visit, amount=amount, code=code, cause=cause, facts=facts)
            used.add(visit.pk)
        # the latest visits (the 行业 plan's, with their 不符合 items): cases still in progress at d
        rest = [v for v in self.visits if v.pk not in used and (repeat is None or v.site.enterprise_id != repeat[0].pk)]
        for visit in rest[-3:]:
            code, cause, facts = self._cause()
            self.play(visit, amount=20000, code=code, cause=cause, facts=facts, start=1)
        if repeat is not None:
            self._play_repeat(*repeat)
        return self.counts

    def _repeat_enterprise(self):
        """(enterprise, its open major hazard) for §113: an enterprise of the bureau's sites with an open 重大事故隐患
        (most visits by the bureau first), or None."""
        from anquan.hazards.choices import HazardLevel, HazardStatus
        from anquan.hazards.models import Hazard

        visits: dict[int, int] = {}
        for v in self.visits:
            visits[v.site.enterprise_id] = visits.get(v.site.enterprise_id, 0) + 1
        majors = (Hazard.objects.filter(level=HazardLevel.MAJOR, voided_at__isnull=True, enterprise_id__in=list(visits) or [0])
                  .exclude(status=HazardStatus.CLOSED).select_related("enterprise").order_by("pk"))
        best = min(majors, key=lambda h: (-visits[h.enterprise_id], h.found_at, h.pk), default=None)
        return (best.enterprise, best) if best else None

    def _play_repeat(self, enterprise, hazard):
        """Three penalties 40 days apart from d−150, each from the bureau's latest earlier visit of the enterprise not
        yet used (or, when there is none, from the open major hazard once found), then the proposal at d−5."""
        from anquan.enforcement import services

        code, cause, facts = CAUSES[2]
        start = self.as_of - datetime.timedelta(days=150)
        used = set()
        for i in range(3):
            day = start + datetime.timedelta(days=40 * i)
            visit = next((v for v in reversed(self.visits) if v.site.enterprise_id == enterprise.pk and v.pk not in used
                          and (day - local_date(v.performed_at)).days >= 1), None)
            if visit is not None:
                used.add(visit.pk)
            elif local_date(hazard.found_at) >= day:
                day = local_date(hazard.found_at) + datetime.timedelta(days=1)
            self.play(visit, amount=25000, code=code, cause=cause, facts=facts, source_hazard=None if visit else hazard, on=day)
        with at_moment(_moment(self.as_of - datetime.timedelta(days=5), 10)):
            if services.repeat_status(enterprise).met:
                services.closure_propose(actor=self.head, enterprise_id=enterprise.pk)
                self.counts["proposals"] += 1


def build_enforcement(demo, *, seed: int, as_of: datetime.date) -> dict[str, int]:
    """A year of cases in 示范区 (the caller holds the transaction); returns counts for the progress line."""
    return _Cases(demo, random.Random(f"anquan-demo:{seed}:enforcement"), as_of).build()
