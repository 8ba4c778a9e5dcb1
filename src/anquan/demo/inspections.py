"""Demo inspections in 示范区: a year of visits behind the coverage page, and scripted plans and tasks
played through the inspection services so every new screen has something true to show.

Relative to the as-of date (d), whatever the seed:

- History (bulk, like the enterprises): every visit a hazard of the demo year implies (a hazard found
  by an industry, territorial, expert or supervision inspection was found on a visit of its site that
  day, by the people who found it), plus visits drawn per site by risk colour (a red site about
  monthly, a blue one every other year or so), so coverage shows both coverage and shortfall. These
  rows carry no answers (like look-back's recorded visits) and are summarised in one ``demo_load``
  audit event (``demo_inspections``) of the district's chain, as the bulk-loaded enterprises are.
- Scenes (through the services, on the dates below, so the audit trail and the grants are theirs):
  ``HANG``  应急管理局's 行业 plan (执法检查, 双随机 with a recorded seed from a pool of seven certified
            执法 officers: zhifa_a, zhifa_b and five colleagues with background accounts ``zf<dept id>_<n>``),
            issued at d−35; the first three tasks in drawn order performed, each completed by one of its
            drawn pair (zhifa_a where drawn; answers, photos, both inspectors' signatures, the
            representative signing once and refusing once, hazards raised, the 现场检查记录 and, where
            hazards were found, the 责令限期整改指令书 issued the same afternoon), the others planned;
  ``SHU``   街道甲's 属地 plan for wangge_a's grid (jiedao_a + wangge_a), one task performed, the rest planned;
  ``LIAN``  the 安委办's 联合检查 (消防救援大队 + 住建局, one visit, each department owning its part) at
            qiye_b's site, performed;
  ``ZI``    qiye_a's monthly 企业自查 of its own sites (qiye_a + qiye_a_fzr), the first performed;
  ``AN``    a planned 暗访 (四不两直) at qiye_a's site for zhifa_a and zhifa_b, made by hand (a task of no plan)
            — in zhifa_a's list, never in qiye_a's or jiedao_a's until performed.

Checklist templates are the seeded ones (``inspections.checklist_data.seed``: 工贸, 消防, 燃气).
The scenes run under ``time_machine`` at their dates when it is installed (it is in requirements/lock.txt,
installed by ``make``); without it they happen at load time.
"""
from __future__ import annotations

import datetime
import io
import random
import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from PIL import Image, ImageDraw

from anquan.accounts.models import Person, RoleAssignment
from anquan.audit.services import record, snapshot
from anquan.enterprises.models import EnterpriseRegulator, EnterpriseStatus, Site
from anquan.hazards.choices import HazardSource
from anquan.hazards.models import Checklist, ChecklistStatus, Hazard
from anquan.hazards.wording import finding_of
from anquan.inspections.models import Inspection, InspectionKind, InspectionPart, InspectionPlan, InspectionStatus
from anquan.orgs.models import Department, OrgUnit, UnitKind
from anquan.rules.calendar import SHANGHAI

from . import names
from .bulk import Ids, insert, reset_sequences

#: Visits a year per site, by risk colour (weights of 0, 1, 2 … visits), before the visits hazards imply.
VISITS_BY_COLOUR = {
    "red": [(8, 2), (9, 3), (10, 3), (11, 2), (12, 2)],
    "orange": [(1, 1), (2, 2), (3, 3), (4, 3), (5, 1)],
    "yellow": [(0, 2), (1, 4), (2, 4), (3, 1)],
    "blue": [(0, 5), (1, 4), (2, 1)],
}
KIND_OF_SOURCE = {HazardSource.INDUSTRY: InspectionKind.INDUSTRY, HazardSource.TERRITORIAL: InspectionKind.TERRITORIAL,
                  HazardSource.EXPERT: InspectionKind.EXPERT, HazardSource.SUPERVISION: InspectionKind.SUPERVISION}
SUMMARIES = ["检查未发现明显问题，企业安全管理台账基本齐全", "现场检查发现的问题已当场指出，要求限期整改",
             "重点检查了动火作业、消防设施和安全培训情况", "对企业主要负责人进行了安全生产约谈提醒",
             "检查了隐患排查治理台账和整改落实情况"]

#: The seeded templates the scenes use (``inspections.checklist_data``), by the word the scenes know them by.
TEMPLATE_CODES = {"工贸": "jc_gm", "消防": "jc_fire", "燃气": "jc_gas"}


@contextmanager
def at_moment(moment: datetime.datetime):
    """Run the services as if it were ``moment`` (time_machine, not ticking: the demo is the same every run),
    or now when it is not installed. Yields ``step(seconds)``, which moves the clock on (a tap takes time)."""
    try:
        import time_machine
    except ImportError:  # pragma: no cover - production installs without the test requirements
        yield lambda seconds: None
        return
    with time_machine.travel(moment, tick=False) as traveller:
        yield lambda seconds: traveller.shift(datetime.timedelta(seconds=seconds))


def _day(d: datetime.date, n: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(d - datetime.timedelta(days=n), datetime.time(hour, minute), tzinfo=SHANGHAI)


# ---------------------------------------------------------------- checklist templates


def templates() -> dict[str, Checklist]:
    """The published 工贸 / 消防 / 燃气 templates (seeded by ``checklist_data.seed``, again after a flush)."""
    from anquan.inspections import checklist_data

    checklist_data.seed()
    found = {}
    for word, code in TEMPLATE_CODES.items():
        found[word] = (Checklist.objects.filter(kind="inspection", code=code, status=ChecklistStatus.PUBLISHED)
                       .order_by("-version").first())
        if found[word] is None:
            raise RuntimeError(f"示范数据需要已发布的检查表 {code}（inspections.checklist_data）")
    return found


# ---------------------------------------------------------------- a year of visits (bulk)


class History:
    """A year of performed visits in the district, bulk-inserted (see the module doc)."""

    def __init__(self, district: OrgUnit, rng: random.Random, as_of: datetime.date):
        self.district, self.rng, self.as_of = district, rng, as_of
        self.first = as_of - datetime.timedelta(days=365)
        self.ids = Ids(Inspection)
        self.rows: list[Inspection] = []
        self.people: list[tuple[int, int]] = []  # (inspection id, person id)
        self._load_people()

    def _load_people(self) -> None:
        assignments = (RoleAssignment.objects.active().filter(user__person__isnull=False)
                       .select_related("user", "unit", "department").order_by("id"))
        self.dept_staff: dict[int, list] = defaultdict(list)
        self.street_staff: dict[int, list] = defaultdict(list)
        self.anweiban = None
        for a in assignments:
            if a.role in ("dept_staff", "inspector") and a.department and a.department.unit_id == self.district.pk:
                self.dept_staff[a.department_id].append(a)
            elif a.role == "street_staff" and a.unit and a.unit.path.startswith(self.district.path):
                self.street_staff[a.unit_id].append(a)
            elif a.role == "anweiban" and a.unit_id == self.district.pk and self.anweiban is None:
                self.anweiban = a
        self.experts = list(Person.objects.filter(unit=self.district, post__startswith="安全生产专家库专家").values_list("pk", flat=True))
        self.groups = list(Person.objects.filter(unit=self.district, post__contains="督查组成员").values_list("pk", flat=True))

    def moment(self, day: datetime.date | None = None) -> datetime.datetime:
        if day is None:
            for _ in range(3):
                day = self.first + datetime.timedelta(days=self.rng.randrange(365))
                if day.weekday() < 5:
                    break
        return datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=SHANGHAI) + datetime.timedelta(minutes=self.rng.randint(0, 510))

    def add(self, site_id: int, kind: str, at: datetime.datetime, recorder, people: list[int], *, department_id=None,
            organiser_id=None) -> None:
        pk = self.ids.take()
        self.rows.append(Inspection(
            id=pk, site_id=site_id, kind=kind, status=InspectionStatus.PERFORMED, department_id=department_id,
            organiser_unit_id=organiser_id, planned_on=at.date(), due_on=at.date(), started_at=at, performed_at=at,
            summary=self.rng.choice(SUMMARIES), recorded_by=recorder.user if recorder else None,
            recorded_role=recorder.role if recorder else "", completed_by=recorder.user if recorder else None,
            created_at=at, updated_at=at,
        ))
        self.people += [(pk, p) for p in dict.fromkeys(people)]

    def from_hazards(self) -> int:
        """One visit per (site, day, source) of the hazards found by inspections, by the people who found them."""
        through = Hazard.found_by.through
        found_by: dict[int, list[int]] = defaultdict(list)
        hazards = Hazard.objects.filter(district=self.district, source__in=list(KIND_OF_SOURCE), found_at__lt=self._cutoff())
        for hazard_id, person_id in through.objects.filter(hazard__in=hazards).values_list("hazard_id", "person_id"):
            found_by[hazard_id].append(person_id)
        by_user = {a.user_id: a for staff in (*self.dept_staff.values(), *self.street_staff.values()) for a in staff}
        if self.anweiban:
            by_user[self.anweiban.user_id] = self.anweiban
        seen = set()
        for h in hazards.order_by("found_at", "pk").values("pk", "site_id", "found_at", "source", "recorded_by_id",
                                                           "finder_department_id", "finder_unit_id"):
            day = h["found_at"].astimezone(SHANGHAI).date()
            key = (h["site_id"], day, h["source"])
            if key in seen:
                continue
            seen.add(key)
            self.add(h["site_id"], KIND_OF_SOURCE[h["source"]], h["found_at"] - datetime.timedelta(minutes=30),
                     by_user.get(h["recorded_by_id"]), found_by[h["pk"]] or [], department_id=h["finder_department_id"],
                     organiser_id=h["finder_unit_id"] or (self.district.pk if h["source"] == HazardSource.SUPERVISION else None))
        return len(seen)

    def _cutoff(self) -> datetime.datetime:
        return datetime.datetime.combine(self.as_of, datetime.time.min, tzinfo=SHANGHAI)

    def by_colour(self) -> int:
        """Further visits so that each site's count follows its colour (``VISITS_BY_COLOUR``)."""
        sites = list(Site.objects.filter(grid__path__startswith=self.district.path, voided_at__isnull=True)
                     .exclude(enterprise__status=EnterpriseStatus.CLOSED)
                     .values_list("pk", "grid__path", "enterprise_id", "enterprise__risk_colour", "industry_id").order_by("pk"))
        regulators: dict[int, list[int]] = defaultdict(list)
        for ent, dept in (EnterpriseRegulator.objects.active().filter(department__unit=self.district)
                          .values_list("enterprise_id", "department_id").order_by("pk")):
            regulators[ent].append(dept)
        by_industry: dict[int, list[int]] = defaultdict(list)
        for dept_id, industry_id in Department.industries.through.objects.filter(
                department__unit=self.district).values_list("department_id", "industry_id").order_by("pk"):
            by_industry[industry_id].append(dept_id)
        streets = {u.path: u.pk for u in OrgUnit.objects.filter(path__startswith=self.district.path, kind=UnitKind.STREET)}
        already: dict[int, int] = defaultdict(int)
        for row in self.rows:
            already[row.site_id] += 1
        added = 0
        for site_id, grid_path, ent_id, colour, industry_id in sites:
            weights = VISITS_BY_COLOUR[colour or "blue"]
            wanted = self.rng.choices([n for n, _ in weights], weights=[w for _, w in weights])[0]
            depts = [d for d in (regulators.get(ent_id, []) if ent_id else by_industry.get(industry_id, [])) if self.dept_staff.get(d)]
            street_id = next((pk for path, pk in streets.items() if grid_path.startswith(path)), None)
            for _ in range(max(0, wanted - already[site_id])):
                at = self.moment()
                if depts and self.rng.random() < 0.6:
                    dept = self.rng.choice(depts)
                    staff = self.dept_staff[dept]
                    people = self.rng.sample(staff, min(2, len(staff)))
                    kind = InspectionKind.EXPERT if self.experts and self.rng.random() < 0.1 else InspectionKind.INDUSTRY
                    extra = [self.rng.choice(self.experts)] if kind == InspectionKind.EXPERT else []
                    self.add(site_id, kind, at, people[0], [a.user.person_id for a in people] + extra, department_id=dept)
                elif self.street_staff.get(street_id):
                    staff = self.street_staff[street_id]
                    people = self.rng.sample(staff, min(2, len(staff)))
                    self.add(site_id, InspectionKind.TERRITORIAL, at, people[0], [a.user.person_id for a in people],
                             organiser_id=street_id)
                elif self.anweiban:
                    extra = self.rng.sample(self.groups, min(2, len(self.groups)))
                    self.add(site_id, InspectionKind.SUPERVISION, at, self.anweiban,
                             [self.anweiban.user.person_id, *extra], organiser_id=self.district.pk)
                else:
                    continue
                added += 1
        return added

    def save(self) -> dict:
        derived = self.from_hazards()
        extra = self.by_colour()
        self.rows.sort(key=lambda r: r.pk)
        from .hazards import keep_timestamps

        with keep_timestamps(Inspection):
            insert(Inspection, self.rows)
        through = Inspection.inspectors.through
        insert(through, [through(inspection_id=i, person_id=p) for i, p in self.people])
        reset_sequences(Inspection)
        counts = {"visits": len(self.rows), "from_hazards": derived, "by_colour": extra}
        record(actor=None, assignment=None, obj=self.district, action="demo_inspections", after=dict(counts))
        return counts


# ---------------------------------------------------------------- scenes (through the services)


def _jpeg(rng: random.Random, label: int) -> bytes:
    """A small photo-like JPEG (a wall, a floor, an object) — deterministic for the seed."""
    image = Image.new("RGB", (320, 240), (rng.randint(150, 210), rng.randint(150, 200), rng.randint(140, 190)))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 160, 320, 240], fill=(rng.randint(90, 130),) * 3)
    for _ in range(4):
        x, y = rng.randint(10, 260), rng.randint(20, 170)
        draw.rectangle([x, y, x + rng.randint(20, 60), y + rng.randint(20, 60)], fill=(rng.randint(0, 255), rng.randint(0, 120), 0))
    draw.text((8, 8), f"IMG {label:04d}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _signature(rng: random.Random) -> bytes:
    """A hand-drawn-looking signature (a random stroke) as PNG."""
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    x, y = 20, 70
    points = [(x, y)]
    for _ in range(14):
        x += rng.randint(12, 26)
        y = max(15, min(105, y + rng.randint(-28, 28)))
        points.append((x, y))
    draw.line(points, fill=(10, 20, 90, 255), width=4, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Scenes:
    """The scripted plans and tasks (see the module doc); each returns what it made."""

    def __init__(self, demo, rng: random.Random, as_of: datetime.date, lists: dict[str, Checklist], seed: int):
        self.demo, self.rng, self.as_of, self.lists, self.seed = demo, rng, as_of, lists, seed
        self.u = dict(demo.users)  # plus the background accounts the scenes add (enforcement_team)
        self.made: dict[str, list[int]] = {}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def person(self, username: str) -> int:
        return self.u[username].person_id

    # -- performing one task --------------------------------------------------------------------

    def perform(self, task: Inspection, when: datetime.datetime, answerers: dict, completer: str, *,
                nonconform: int = 1, refuse: bool = False, representative: tuple[str, str] | None = None) -> Inspection:
        """Answer every item (``nonconform`` 不符合 with a photo each), sign, complete — as the services do on a phone.
        ``answerers``: part id → username (each department answers its own part in a 联合检查)."""
        from anquan.inspections.services.perform import (
            answer_save,
            inspection_complete,
            inspection_start,
            photo_add,
            signature_add,
        )

        rng = self.rng
        with at_moment(when) as step:
            task = Inspection.objects.get(pk=task.pk)
            inspection_start(actor=self.u[completer], inspection=task)
            parts = list(task.parts.select_related("checklist").order_by("sort", "pk"))
            candidates = [(p, i) for p in parts for i in p.checklist.items.order_by("sort", "pk")
                          if not i.major_criterion_id and i.suggested_level == "general"]
            bad = set(rng.sample(range(len(candidates)), min(nonconform, len(candidates))))
            n = 0
            for part in parts:
                actor = self.u[answerers.get(part.pk, completer)]
                for item in part.checklist.items.order_by("sort", "pk"):
                    wrong = (part, item) in [candidates[k] for k in bad]
                    data = {"client_id": self.uid(), "part": part.pk, "item": item.pk,
                            "result": "nonconform" if wrong else ("na" if rng.random() < 0.08 else "conform")}
                    if wrong:
                        data.update(note="现场检查发现，已拍照取证", rectify_days=rng.choice([7, 15, 30]),
                                    hazard_description=finding_of(item),
                                    hazard_location=rng.choice(["一楼", "仓库", "配电房", "后厨", "车间", "楼梯间"]))
                    step(rng.randint(30, 150))
                    answer, _ = answer_save(actor=actor, inspection=task, data=data)
                    if wrong:
                        n += 1
                        photo_add(actor=actor, inspection=task, answer=answer, client_id=self.uid(), content=_jpeg(rng, n))
            for person in task.inspectors.order_by("pk"):
                step(rng.randint(20, 60))
                signature_add(actor=self.u[completer], inspection=task, image=_signature(rng),
                              data={"client_id": self.uid(), "signer_kind": "inspector", "person": person.pk})
            site = task.site
            name, post = representative or ((site.enterprise.safety_manager_name or site.enterprise.principal_name, "安全管理人员")
                                            if site.enterprise_id else (site.contact_name or "现场负责人", "现场负责人"))
            rep = {"client_id": self.uid(), "signer_kind": "representative", "name": name, "post": post}
            if refuse:
                rep.update(refused=True, note="检查记录经当场宣读后，被检查单位代表拒绝签字，两名检查人员在场见证")
            step(rng.randint(60, 180))
            signature_add(actor=self.u[completer], inspection=task, data=rep, image=None if refuse else _signature(rng))
            step(rng.randint(30, 90))
            task.refresh_from_db()
            return inspection_complete(actor=self.u[completer], inspection=task, version=task.version, data={
                "summary": f"依据检查表逐项检查，发现问题{nonconform}项" if nonconform else "依据检查表逐项检查，未发现问题",
                "handling": "已当场告知问题，责令限期整改，整改情况将组织复查" if nonconform else "无",
            })

    def documents(self, task: Inspection, when: datetime.datetime, issuer: str = "zhifa_a") -> None:
        """The afternoon after the visit the inspector issues the 现场检查记录 and, when it found hazards, the
        责令限期整改指令书 (the documents app's generators: numbered per unit and year, audited)."""
        from anquan.documents.actions import generate

        with at_moment(when):
            task = Inspection.objects.get(pk=task.pk)
            generate(self.u[issuer], "inspection_record", task)
            if task.hazards.exists():
                generate(self.u[issuer], "rectification_order", task)

    #: The 应急管理局's certified 执法 officers besides zhifa_a and zhifa_b.
    ENFORCEMENT_COLLEAGUES = 5

    def enforcement_team(self) -> list[int]:
        """The 应急管理局's enforcement pool: zhifa_a, zhifa_b and five colleagues, each with a 执法证号 in
        their series. With two people a 双随机 draw always picked the same pair; with seven it does not.
        The colleagues are background accounts (``zf<dept id>_<n>``, unusable passwords: they carry
        records, they are not demo logins), inspectors of the bureau since the demo's start."""
        from django.contrib.auth.hashers import make_password

        from anquan.accounts.models import User
        from anquan.accounts.roles import RoleCode

        dept = self.demo.departments["yingji"]
        lead = RoleAssignment.objects.get(user=self.u["zhifa_a"])
        series = self.u["zhifa_a"].person.enforcement_cert_no[:-4]
        rng = random.Random(f"anquan-demo:{self.seed}:enforcement-team")
        taken = {p.enforcement_cert_no for p in Person.objects.filter(enforcement_cert_no__startswith=series)}
        password = make_password(None)
        for n in range(1, self.ENFORCEMENT_COLLEAGUES + 1):
            cert = next(c for c in (f"{series}{rng.randint(1, 9999):04d}" for _ in range(100)) if c not in taken)
            taken.add(cert)
            person = Person.objects.create(name=names.person_name(rng), post=f"{dept.name}综合行政执法大队执法人员",
                                           phone=names.phone(rng), enforcement_cert_no=cert, unit=dept.unit, department=dept)
            user = User.objects.create(username=f"zf{dept.pk}_{n}", password=password, person=person)
            RoleAssignment.objects.create(user=user, role=RoleCode.INSPECTOR, department=dept, valid_from=lead.valid_from)
            self.u[user.username] = user
        return [self.person("zhifa_a"), self.person("zhifa_b"),
                *(self.person(f"zf{dept.pk}_{n}") for n in range(1, self.ENFORCEMENT_COLLEAGUES + 1))]

    # -- the scenes ----------------------------------------------------------------------------

    def industry_plan(self) -> InspectionPlan:
        from anquan.inspections.services.plans import plan_create, plan_draw, plan_issue

        d, yingji, district = self.as_of, self.u["yingji"], self.demo.district
        with at_moment(_day(d, 36, 9)):
            team = self.enforcement_team()
        with at_moment(_day(d, 35, 9)):
            plan = plan_create(actor=yingji, data={
                "name": f"{d.year}年工贸和危险化学品企业安全生产执法检查（双随机）", "kind": "industry",
                "period_start": (d - datetime.timedelta(days=35)).isoformat(),
                "period_end": (d + datetime.timedelta(days=25)).isoformat(), "territory": district.pk,
                "industries": ["industry_trade", "hazchem"], "checklists": [self.lists["工贸"].pk], "enforcement": True,
                "inspectors_per_task": 2, "notes": "随机抽取检查对象和执法人员，检查结果向社会公开",
            })
            draw = plan_draw(actor=yingji, plan=plan, version=plan.version, seed=self.seed * 1000 + 35, target_count=6,
                             pool=team, inspectors_per_target=2)
            plan.refresh_from_db()
            tasks = plan_issue(actor=yingji, plan=plan, version=plan.version)
        order = {r["site"]: i for i, r in enumerate(draw.result)}
        tasks.sort(key=lambda t: order[t.site_id])
        username = {u.person_id: name for name, u in self.u.items()}
        for n, (task, days) in enumerate(zip(tasks[:3], (28, 16, 6), strict=False)):
            drawn = [username[p] for p in order_inspectors(task)]
            completer = "zhifa_a" if "zhifa_a" in drawn else drawn[0]
            self.perform(task, _day(d, days, 9, 30), {}, completer, nonconform=(2, 1, 0)[n], refuse=(n == 1))
            self.documents(task, _day(d, days, 16, 30), issuer=completer)
        self.made["HANG"] = [t.pk for t in tasks]
        return plan

    def street_plan(self) -> InspectionPlan:
        from anquan.inspections.services.plans import plan_create, plan_issue

        d, jiedao, grid = self.as_of, self.u["jiedao_a"], self.demo.grid_a
        colours = self._top_colours(jiedao, grid)
        with at_moment(_day(d, 20, 10)):
            plan = plan_create(actor=jiedao, data={
                "name": f"{grid.name}{d.month}月属地安全检查", "kind": "territorial",
                "period_start": (d - datetime.timedelta(days=20)).isoformat(),
                "period_end": (d + datetime.timedelta(days=40)).isoformat(), "territory": grid.pk,
                "risk_colours": colours, "checklists": [self.lists["消防"].pk],
                "notes": "街道、网格联合开展的属地检查，重点检查消防安全和疏散通道",
            })
            tasks = plan_issue(actor=jiedao, plan=plan, version=plan.version,
                               inspectors=[self.person("jiedao_a"), self.person("wangge_a")])
        tasks.sort(key=lambda t: t.pk)
        self.perform(tasks[0], _day(d, 9, 14), {}, "jiedao_a", nonconform=1)
        self.made["SHU"] = [t.pk for t in tasks]
        return plan

    def _top_colours(self, user, grid) -> list[str]:
        """The two highest risk colours present among the street's sites in the grid (the plan then has targets)."""
        present = set(Site.objects.visible_to(user).filter(grid=grid, voided_at__isnull=True)
                      .exclude(enterprise__status=EnterpriseStatus.CLOSED).values_list("enterprise__risk_colour", flat=True))
        ordered = [c for c in ("red", "orange", "yellow", "blue") if c in present or (c == "blue" and None in present)]
        return ordered[:2]

    def joint_plan(self) -> InspectionPlan:
        from anquan.inspections.services.plans import plan_create, plan_issue

        d, anweiban = self.as_of, self.u["anweiban"]
        site = Site.objects.filter(enterprise=self.demo.enterprise_b, voided_at__isnull=True).order_by("pk").first()
        depts = self.demo.departments
        fire, gas = self.lists["消防"], self.lists["燃气"]
        with at_moment(_day(d, 12, 9)):
            plan = plan_create(actor=anweiban, data={
                "name": f"{site.grid.name}人员密集场所消防和燃气联合检查", "kind": "joint",
                "period_start": (d - datetime.timedelta(days=12)).isoformat(),
                "period_end": (d + datetime.timedelta(days=18)).isoformat(), "territory": site.grid_id,
                "industries": [site.industry.code] if site.industry_id else ["crowded"], "checklists": [fire.pk, gas.pk],
                "joint_departments": [depts["xiaofang"].pk, depts["zhujian"].pk],
                "part_departments": {str(fire.pk): depts["xiaofang"].pk, str(gas.pk): depts["zhujian"].pk},
                "notes": "多部门一次进门，减少对企业的打扰（联合检查）",
            })
            tasks = plan_issue(actor=anweiban, plan=plan, version=plan.version,
                               inspectors=[self.person("xiaofang"), self.person("zhujian")])
        task = next(t for t in tasks if t.site_id == site.pk)
        answerers = {p.pk: ("xiaofang" if p.department_id == depts["xiaofang"].pk else "zhujian") for p in task.parts.all()}
        self.perform(task, _day(d, 4, 14, 30), answerers, "xiaofang", nonconform=2)
        self.made["LIAN"] = [t.pk for t in tasks]
        return plan

    def self_plan(self) -> InspectionPlan:
        """qiye_a's own monthly self-inspection (企业自查) of all its sites; the first one performed."""
        from anquan.inspections.services.plans import plan_create, plan_issue

        d, qiye = self.as_of, self.u["qiye_a"]
        ent = self.demo.enterprise_a
        with at_moment(_day(d, 15, 8, 30)):
            plan = plan_create(actor=qiye, data={
                "name": f"{ent.name}{d.year}年{d.month}月安全生产自查", "kind": "self",
                "period_start": (d - datetime.timedelta(days=15)).isoformat(),
                "period_end": (d + datetime.timedelta(days=15)).isoformat(),
                "checklists": [self.lists["工贸"].pk], "notes": "每月一次全面自查，主要负责人带队",
            })
            tasks = plan_issue(actor=qiye, plan=plan, version=plan.version,
                               inspectors=[self.person("qiye_a"), self.person("qiye_a_fzr")])
        tasks.sort(key=lambda t: t.pk)
        self.perform(tasks[0], _day(d, 8, 15), {}, "qiye_a", nonconform=1,
                     representative=(ent.principal_name, "主要负责人"))
        self.made["ZI"] = [t.pk for t in tasks]
        return plan

    def unannounced(self) -> Inspection:
        """A 暗访 at qiye_a's site for zhifa_a and zhifa_b, made by hand (no plan), audited like an issued task."""
        d, yingji = self.as_of, self.u["yingji"]
        site = Site.objects.filter(enterprise=self.demo.enterprise_a, grid=self.demo.grid_a, voided_at__isnull=True).order_by("pk").first()
        dept = self.demo.departments["yingji"]
        with at_moment(_day(d, 2, 16)), transaction.atomic():
            assignment = RoleAssignment.objects.active().get(user=yingji)
            task = Inspection.objects.create(
                status=InspectionStatus.PLANNED, enforcement=True, organiser_unit=dept.unit, department=dept,
                kind=InspectionKind.UNANNOUNCED, unannounced=True, site=site, place=site.address[:255],
                planned_on=d + datetime.timedelta(days=3), due_on=d + datetime.timedelta(days=10),
            )
            InspectionPart.objects.create(inspection=task, checklist=self.lists["工贸"], department=dept, sort=10)
            task.inspectors.set([self.person("zhifa_a"), self.person("zhifa_b")])
            record(actor=yingji, assignment=assignment, obj=task, action="create", reason="四不两直暗访（根据群众举报线索）",
                   after={**snapshot(task), "parts": list(task.parts.values("checklist_id", "department_id"))})
        self.made["AN"] = [task.pk]
        return task

    def play(self) -> dict:
        self.industry_plan()
        self.street_plan()
        self.joint_plan()
        self.self_plan()
        self.unannounced()
        return {k: len(v) for k, v in self.made.items()}


def order_inspectors(task: Inspection) -> list[int]:
    """The task's inspectors' person ids, ascending (as the draw lists them)."""
    return sorted(task.inspectors.values_list("pk", flat=True))


def build_inspections(demo, *, seed: int, as_of: datetime.date, progress) -> dict:
    """Templates, a year of visits in 示范区, then the scenes — each in its own transaction."""
    with progress.step("示范区检查") as counts:
        with transaction.atomic():
            lists = templates()
            history = History(demo.district, random.Random(f"anquan-demo:{seed}:inspections"), as_of)
            counts.update(history.save())
        scenes = Scenes(demo, random.Random(f"anquan-demo:{seed}:inspection-scenes"), as_of, lists, seed)
        with transaction.atomic():
            counts.update(scenes.play())
    with progress.step("示范区督查问责") as counts_s, transaction.atomic():
        from .supervision import build_supervision

        counts_s.update(build_supervision(demo, as_of=as_of))
    with progress.step("街道甲公文签发") as counts_d, transaction.atomic():
        from .signoffs import build_signoffs

        counts_d.update(build_signoffs(demo, as_of=as_of))
    return counts
