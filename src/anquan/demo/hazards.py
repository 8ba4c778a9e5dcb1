"""A realistic year of hazards (as_of − 365 days … as_of) at the demo's sites, in bulk.

Why: every hazard page needs something true to show — open, overdue, awaiting verification,
sent back and resubmitted, extended, closed on time and late, 立查立改, major hazards with
their report and 治理方案, interim controls and listed supervision at district and city
level — and the named demo users need their own (see ``hazard_scenes``). Hazards are found
from the sources in ``SOURCES`` (自查 40% …) by the people whose role finds them
(``hazard_cast``), and each one lives through ``hazard_life.Life``, which mirrors the
services; nothing happens on or after the as-of date, so "overdue" falls out of the data.

Speed: rows are built in memory and bulk-inserted with pre-assigned ids; the audit events are
appended to each district's hash chain in time order with correct seq / prev_hash / hash, so
``verify_audit`` passes. Deterministic by seed: each district draws from its own
``random.Random(seed, "hazards", index)``.
"""
from __future__ import annotations

import bisect
import datetime
import random
from contextlib import contextmanager
from itertools import accumulate

from django.db import transaction

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import ROLES, ScopeKind
from anquan.audit.hashing import event_hash
from anquan.audit.models import AuditChain, AuditEvent
from anquan.audit.services import record
from anquan.enterprises.models import Enterprise
from anquan.hazards.catalogue_data import DESCRIPTIONS, current_criterion, seed_catalogue
from anquan.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anquan.hazards.models import (
    ChecklistItem,
    DeadlineExtension,
    Hazard,
    InterimControl,
    ListedSupervision,
    OverdueExplanation,
    RectificationRound,
    StandardDescription,
)
from anquan.hazards.services.judgement import record_for
from anquan.orgs.models import Industry
from anquan.rules.calendar import SHANGHAI, WorkCalendar, local_date

from . import names
from .bulk import Ids, insert, reset_sequences
from .hazard_cast import Cast, Place
from .hazard_life import Actor, Life, Rows, money
from .hazard_story import play_random

#: Default size: hazards per enterprise of a district (示范区: 2,000 firms → 5,000 hazards).
HAZARDS_PER_ENTERPRISE = 2.5
HS = HazardSource
SOURCES = [(HS.SELF, 40), (HS.GRID, 18), (HS.TERRITORIAL, 14), (HS.INDUSTRY, 14), (HS.EXPERT, 5),
           (HS.SUPERVISION, 4), (HS.PUBLIC, 4), (HS.MEDIA, 1)]
#: Chance that a hazard from a source is 重大 where the site's industry has criteria (≈3% overall).
MAJOR_ODDS = {HS.SELF: 0.02, HS.GRID: 0.0, HS.TERRITORIAL: 0.04, HS.INDUSTRY: 0.12, HS.EXPERT: 0.18,
              HS.SUPERVISION: 0.12, HS.PUBLIC: 0.05, HS.MEDIA: 0.15}
ON_THE_SPOT = (HS.GRID, HS.TERRITORIAL, HS.INDUSTRY, HS.SUPERVISION)
GENERAL_DAYS = [(7, 15), (10, 20), (15, 25), (20, 15), (30, 20), (45, 3), (60, 2)]
MAJOR_DAYS = [(30, 30), (45, 35), (60, 35)]
RISK_WEIGHT = {"red": 3.0, "orange": 2.0, "yellow": 1.2, "blue": 0.7}
MODELS = (Person, User, RoleAssignment, Hazard, RectificationRound, DeadlineExtension, OverdueExplanation,
          InterimControl, ListedSupervision)
LOCATIONS = {
    "plant": ["一号车间", "二号车间", "配电房", "原料仓库", "成品仓库", "空压机房", "锅炉房", "厂区道路", "危废暂存间"],
    "construction": ["1#楼", "2#楼", "基坑北侧", "塔吊作业区", "钢筋加工棚", "生活区", "临时配电房"],
    "warehouse": ["A区货架", "装卸平台", "仓库北门", "叉车充电区"],
    "station": ["站房", "充装区", "停车区", "维修车间"],
    "school": ["教学楼", "学生宿舍", "食堂后厨", "实验室"],
    "rental": ["一楼楼道", "楼梯间", "三楼走廊", "屋顶"],
}
SHOP_LOCATIONS = ["一楼大厅", "后厨", "二楼走道", "消防控制室", "地下车库", "库房"]


@contextmanager
def keep_timestamps(*models):
    """Insert the historical created_at/updated_at we set (auto_now would stamp the load time)."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


class Catalogue:
    """The standard descriptions (with the demo's typical fix and matching criterion) by industry code."""

    def __init__(self):
        stored = {d.text: d for d in StandardDescription.objects.select_related("category")}
        items = {(i.checklist.code, i.number): i for i in ChecklistItem.objects.select_related("checklist")
                 .filter(checklist__status="published")}
        self.entries = [(stored[d.text], d, items.get(current_criterion(d.criterion)) if d.criterion else None)
                        for d in DESCRIPTIONS]
        self.codes = dict(Industry.objects.values_list("pk", "code"))
        self._general: dict[str | None, tuple[list, list]] = {}

    def general(self, rng: random.Random, code: str | None):
        if code not in self._general:
            fits = [e for e in self.entries if e[1].level == "general" and e[1].industry in (None, code)]
            self._general[code] = (fits, list(accumulate(3.0 if e[1].industry else 1.0 for e in fits)))
        fits, cum = self._general[code]
        return rng.choices(fits, cum_weights=cum)[0]

    def majors(self, code: str | None) -> list:
        wanted = "crowded" if code == "fire_key" else code
        return [e for e in self.entries if e[1].level == "major" and e[1].industry == wanted and e[2] is not None]


class Year:
    """One district's year: the cast, the places, and every hazard's life until the as-of date."""

    def __init__(self, district, rng: random.Random, as_of: datetime.date, start: datetime.datetime,
                 catalogue: Catalogue, pinned: list[int]):
        self.district, self.rng, self.as_of, self.catalogue = district, rng, as_of, catalogue
        self.cutoff = datetime.datetime.combine(as_of, datetime.time.min, tzinfo=SHANGHAI)
        self.first_day = max(local_date(start), as_of - datetime.timedelta(days=364))
        self.ids = {m: Ids(m) for m in MODELS}
        self.cast = Cast(district, rng, start, self.ids)
        self.places = self.cast.places()
        online = self.cast.online_enterprises(self.places, pinned)
        self.cast.staff_everywhere(online)
        self.online = {e.pk for e in online}
        self.self_places = [p for p in self.places if p.site.enterprise_id in self.online]
        self.cum = list(accumulate(self._weight(p) for p in self.places))
        self.self_cum = list(accumulate(self._weight(p) for p in self.self_places))
        self.experts, self.groups = self.cast.outside_people()
        self.rows = Rows(self.ids)
        self.lives: list[Life] = []
        self.calendar = WorkCalendar()

    @staticmethod
    def _weight(place: Place) -> float:
        ent = place.site.enterprise
        return RISK_WEIGHT.get(ent.risk_colour, 1.0) if ent else 0.8

    def pick(self, own: bool = False) -> Place:
        places, cum = (self.self_places, self.self_cum) if own else (self.places, self.cum)
        return places[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    # ---------------------------------------------------------------- time

    def moment(self, day: datetime.date, after: datetime.datetime | None = None) -> datetime.datetime:
        """A working-hours moment on ``day`` (later than ``after`` when given)."""
        at = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=SHANGHAI) + datetime.timedelta(minutes=self.rng.randint(0, 540))
        if after is not None and at <= after:
            at = after + datetime.timedelta(minutes=self.rng.randint(10, 90))
        return at

    def found_day(self) -> datetime.date:
        span = (self.as_of - self.first_day).days
        for _ in range(3):
            day = self.first_day + datetime.timedelta(days=self.rng.randrange(span))
            if day.weekday() < 5:
                break
        return day

    def deadline(self, found_on: datetime.date, days: int) -> datetime.date:
        return self.calendar.add_days(found_on, days)

    # ---------------------------------------------------------------- who

    def finder(self, source: str) -> tuple[Place, Actor, list[int], str]:
        """Where a hazard from ``source`` is found, who records it and who found it."""
        rng, cast = self.rng, self.cast
        if source == HS.SELF:
            place = self.pick(own=True)
            staff = cast.ent_staff[place.site.enterprise_id]
            recorder = staff[0] if rng.random() < 0.8 else staff[-1]
            return place, recorder, [recorder.user.person_id], source
        place = self.pick()
        if source in (HS.INDUSTRY, HS.EXPERT):
            for _ in range(10):
                if place.regulator_ids:
                    break
                place = self.pick()
            else:
                return self.finder(HS.TERRITORIAL)
            dept = place.department_id if place.department_id in place.regulator_ids else rng.choice(place.regulator_ids)
            inspectors = cast.inspectors.get(dept, [])
            if source == HS.INDUSTRY and inspectors and rng.random() < 0.5:
                return place, rng.choice(inspectors), [i.user.person_id for i in inspectors], source
            recorder = cast.dept_staff[dept]
            extra = rng.sample(self.experts, rng.randint(1, 2)) if source == HS.EXPERT else []
            return place, recorder, [recorder.user.person_id, *extra], source
        if source == HS.GRID:
            recorder = cast.grid_workers[place.site.grid_id]
            return place, recorder, [recorder.user.person_id], source
        if source == HS.SUPERVISION:
            return place, cast.anweiban, [cast.anweiban.user.person_id, *rng.sample(self.groups, 2)], source
        staff = cast.street_staff[place.street.pk]
        recorder = rng.choice(staff)
        found_by = [a.user.person_id for a in staff] if source == HS.TERRITORIAL and rng.random() < 0.5 else [recorder.user.person_id]
        return place, recorder, found_by, source

    def rectifier(self, h: Hazard, place: Place) -> Actor:
        """The firm's staff when it uses the platform, else a street staff member on its behalf."""
        staff = self.cast.ent_staff.get(h.enterprise_id) if h.enterprise_id in self.online else None
        if staff:
            return staff[0] if self.rng.random() < 0.85 else staff[-1]
        return self.rng.choice(self.cast.street_staff[place.street.pk])

    def overseer(self, h: Hazard, place: Place, rectifier: Actor) -> Actor:
        """Who verifies and decides (services.common.may_oversee), never the rectifier."""
        cast = self.cast
        if h.finder_enterprise_id and h.level == HazardLevel.GENERAL:
            return next(a for a in cast.ent_staff[h.enterprise_id] if a.user.pk != rectifier.user.pk)
        if h.finder_enterprise_id:
            return cast.dept_staff.get(h.department_id) or cast.anweiban
        if h.finder_department_id:
            return cast.dept_staff[h.finder_department_id]
        if h.finder_unit_id == self.district.pk:
            return cast.anweiban
        return next(a for a in cast.street_staff[place.street.pk] if a.user.pk != rectifier.user.pk)

    def official(self, actor: Actor, action: str = "hazard.control") -> Actor:
        """``actor`` if its role may do ``action`` (controls, escalation), else the district's 安委办."""
        return actor if actor.assignment.permits(action) else self.cast.anweiban

    # ---------------------------------------------------------------- a new hazard

    def new(self, place: Place, source: str, recorder: Actor, found_at: datetime.datetime, entry, *, major: bool = False,
            immediate: bool = False, found_by=(), plan: bool = True, days: int | None = None,
            location: str | None = None) -> Life:
        """Record a hazard (as hazard_record would) and return its life."""
        stored, desc, item = entry
        rng, site = self.rng, place.site
        found_on = local_date(found_at)
        if days is None:
            days = names.weighted(rng, MAJOR_DAYS if major else GENERAL_DAYS)
        kind = ROLES[recorder.role].scope_kind
        h = Hazard(
            id=self.ids[Hazard].take(), site=site, enterprise_id=site.enterprise_id, grid=site.grid, grid_path=site.grid.path,
            district_id=site.grid.district_id, industry_id=place.industry_id, department_id=place.department_id,
            category_id=stored.category_id, description=desc.text, location=location or self._location(site.kind), source=source,
            found_at=found_at, found_on=found_on, recorded_by=recorder.user, recorded_role=recorder.role,
            finder_unit=recorder.assignment.unit if kind == ScopeKind.TERRITORY else None,
            finder_department_id=recorder.assignment.department_id if kind == ScopeKind.DEPARTMENT else None,
            finder_enterprise_id=recorder.assignment.enterprise_id if kind == ScopeKind.ENTERPRISE else None,
            level=HazardLevel.MAJOR if major else HazardLevel.GENERAL, criterion=item if major else None,
            judgement=record_for(item, found_on) if major and item is not None else {},
            immediate=immediate, responsible_person_id=self.cast.responsible(place), measures=desc.measure,
            funds=money(rng.uniform(50_000, 800_000) if major else (0 if rng.random() < 0.2 else rng.uniform(200, 20_000))),
            deadline=found_on if immediate else self.deadline(found_on, days), contingency_plan=self._contingency(major),
            status=HazardStatus.PENDING, version=1,
        )
        h.deadline_in_force = h.deadline
        h.number = f"YH{found_on:%Y}{h.pk:08d}"
        if major and plan:
            self.fill_plan(h, place)
        life = Life(h, sorted(set(found_by) or {recorder.user.person_id}), self.rows)
        life.last = found_at - datetime.timedelta(seconds=1)
        delay = rng.randint(3, 40) if source in (HS.SELF, HS.GRID) or immediate else rng.randint(20, 240)
        at = min(found_at + datetime.timedelta(minutes=delay), datetime.datetime.combine(found_on, datetime.time(23, 0), tzinfo=SHANGHAI))
        life.record(max(at, found_at), recorder)
        self.lives.append(life)
        return life

    def _location(self, kind: str) -> str:
        return self.rng.choice(LOCATIONS.get(kind, SHOP_LOCATIONS))

    def _contingency(self, major: bool) -> str:
        if major:
            return "停止相关区域作业，撤离无关人员，设置警戒区，配备应急器材，发生险情立即启动专项应急预案"
        return self.rng.choice(["整改期间设置警戒标识，安排专人巡查", "整改完成前暂停相关设备使用", "落实专人看护，配备灭火器材"])

    def plan_texts(self, h: Hazard, place: Place) -> dict:
        ent = place.site.enterprise
        head = ent.principal_name if ent else (place.site.contact_name or "场所负责人")
        return {
            "report_situation": f"{h.location}存在“{h.description}”问题。原因：{self.rng.choice(CAUSES)}。",
            "report_harm": f"可能引发{self.rng.choice(HARMS)}，造成群死群伤；需局部停产整改，整改难度较大，单位可自行完成。",
            "plan_goal": f"{h.deadline:%Y年%m月%d日}前彻底消除该重大事故隐患，经评估合格后恢复生产。",
            "plan_methods": f"{h.measures}；整改期间落实临时管控措施。",
            "plan_funds": f"整改资金约{h.funds}元，由单位自筹，列入安全生产费用，物资已落实。",
            "plan_org": f"成立隐患治理工作组，{head}任组长，安全管理人员具体负责，外聘专家技术指导。",
            "plan_timeline": f"{h.found_on:%Y年%m月%d日}至{h.deadline:%Y年%m月%d日}：排查评估、组织整改、自评验收三个阶段。",
            "plan_safety": "整改期间停止相关作业，设置警戒区，配备应急器材，明确应急处置和人员撤离程序。",
        }

    def fill_plan(self, h: Hazard, place: Place) -> None:
        for name, text in self.plan_texts(h, place).items():
            setattr(h, name, text)

    def random_hazard(self) -> None:
        rng = self.rng
        place, recorder, found_by, source = self.finder(names.weighted(rng, SOURCES))
        majors = self.catalogue.majors(self.catalogue.codes.get(place.industry_id))
        major = bool(majors) and rng.random() < MAJOR_ODDS[source]
        entry = rng.choice(majors) if major else self.catalogue.general(rng, self.catalogue.codes.get(place.industry_id))
        judged_later = major and source not in (HS.SELF, HS.INDUSTRY, HS.EXPERT) and rng.random() < 0.5
        immediate = not major and source in ON_THE_SPOT and rng.random() < 0.06
        found_at = self.moment(self.found_day())
        life = self.new(place, source, recorder, found_at, entry, major=major and not judged_later, immediate=immediate,
                        found_by=found_by, plan=rng.random() < 0.7)
        if not immediate:
            play_random(self, life, place, entry[2] if judged_later else None)

    # ---------------------------------------------------------------- saving

    def save(self) -> dict:
        cast, rows = self.cast, self.rows
        hazards = [life.h for life in sorted(self.lives, key=lambda x: x.h.pk)]
        through = Hazard.found_by.through
        links = [through(hazard_id=life.h.pk, person_id=p) for life in self.lives for p in life.found_by]
        with keep_timestamps(Person, Hazard):
            insert(Person, cast.new_people)
            insert(User, cast.new_users)
            insert(RoleAssignment, cast.new_assignments)
            insert(Hazard, hazards)
        counts = {"hazards": len(hazards), "accounts": len(cast.new_users), "people": len(cast.new_people),
                  "rounds": insert(RectificationRound, rows.rounds), "extensions": insert(DeadlineExtension, rows.extensions),
                  "explanations": insert(OverdueExplanation, rows.explanations), "controls": insert(InterimControl, rows.controls),
                  "listings": insert(ListedSupervision, rows.listings)}
        insert(through, links)
        record(actor=None, assignment=None, obj=self.district, action="demo_hazards", after=dict(counts))
        counts["audit_events"] = self.append_events()
        return counts

    def append_events(self) -> int:
        """Every life's events, in time order, onto the district's chain (seq, prev_hash, hash as record() does)."""
        key = f"district:{self.district.pk}"
        chain = AuditChain.objects.select_for_update().get(key=key)
        ordered = sorted(((e.at, life.h.pk, i, life, e) for life in self.lives for i, e in enumerate(life.events)),
                         key=lambda t: t[:3])
        seq, prev, events = chain.last_seq, chain.last_hash, []
        for _, _, _, life, e in ordered:
            seq += 1
            event = AuditEvent(chain=chain, seq=seq, at=e.at, actor=e.actor.user, actor_name=e.actor.name,
                               acting_role=e.actor.role, acting_unit=e.actor.unit_label, model_key="hazard",
                               object_id=life.h.pk, object_repr=str(life.h)[:255], action=e.action, before=e.before,
                               after=e.after, reason=e.reason, prev_hash=prev)
            event.hash = prev = event_hash(event, key)
            events.append(event)
        insert(AuditEvent, events)
        AuditChain.objects.filter(pk=chain.pk).update(last_seq=seq, last_hash=prev)
        return len(events)


CAUSES = ["安全管理制度执行不到位，日常检查流于形式", "设备设施老化，未及时维护更新", "从业人员安全意识淡薄，违规作业",
          "外包单位安全管理缺失", "安全投入不足"]
HARMS = ["火灾、爆炸事故", "中毒窒息事故", "坍塌事故", "人员伤亡事故"]


def build_hazards(demo, *, seed: int, as_of: datetime.date, start: datetime.datetime, per_enterprise: float,
                  progress) -> None:
    """The hazard catalogue (again, after a flush), then a year of hazards in 示范区 (with the named users'
    scenes) and 邻区, each district in its own transaction (none when ``per_enterprise`` is 0)."""
    from .hazard_scenes import play_scenes

    seed_catalogue()
    catalogue = Catalogue()
    for index, district in enumerate((demo.district, demo.linqu)):
        count = round(per_enterprise * Enterprise.objects.filter(unit__path__startswith=district.path).count())
        if count <= 0:
            continue
        pinned = [demo.enterprise_a.pk, demo.enterprise_b.pk] if index == 0 else []
        with transaction.atomic(), progress.step(f"{district.name}隐患") as counts:
            year = Year(district, random.Random(f"anquan-demo:{seed}:hazards:{index}"), as_of, start, catalogue, pinned)
            if index == 0:
                play_scenes(year, demo)
            while len(year.lives) < count:
                year.random_hazard()
            counts.update(year.save())
    reset_sequences(*MODELS, AuditEvent)
    if scenes_played(demo):
        with transaction.atomic(), progress.step("街道级与区域挂牌督办") as counts:
            counts.update(build_area_listings(demo, as_of))


def scenes_played(demo) -> bool:
    from .hazard_scenes import scene

    try:
        scene("A14")
    except Hazard.DoesNotExist:
        return False
    return True


def build_area_listings(demo, as_of: datetime.date) -> dict[str, int]:
    """Through the services, at fixed moments (the same every run): jiedao_a's street lists scene A14 (重大, already
    listed by the district) at 街道（乡镇）级, and the district's 安委办 lists 乙街道 as a region (区域挂牌督办),
    each with its notice and gap-free 文号."""
    from anquan.hazards.services.area_listing import area_list
    from anquan.hazards.services.supervision import hazard_list

    from .hazard_scenes import scene
    from .inspections import at_moment

    def moment(days_before: int) -> datetime.datetime:
        return datetime.datetime.combine(as_of - datetime.timedelta(days=days_before), datetime.time(10, 0), tzinfo=SHANGHAI)

    hazard = scene("A14")
    with at_moment(moment(20)):
        hazard_list(actor=demo.users["jiedao_a"], hazard=hazard, version=hazard.version,
                    deadline=as_of + datetime.timedelta(days=40), client_key="demo-street-listing-A14")
    with at_moment(moment(15)):
        area_list(actor=demo.users["anweiban"], target_unit_id=demo.street_b.pk,
                  problems="辖区内出租厂房、“三合一”场所消防安全隐患集中，多处安全出口被封闭、电动自行车违规充电，整改进度滞后",
                  requirements="全面排查辖区出租厂房和“三合一”场所，逐一建立隐患台账，按期整改并书面报告",
                  deadline=as_of + datetime.timedelta(days=45), client_key="demo-area-listing-street-b")
    return {"street_listings": 1, "area_listings": 1}


