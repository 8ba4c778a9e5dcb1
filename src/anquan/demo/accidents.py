"""The demo's accidents (``load_demo --inspections``, as ``make demo`` runs it): two years of 生产安全事故 in 示范区 —
the year before the as-of date and the year before that, so the statistics can compare with the same period last
year (比上年同期) — all filed and moved on through the accident services at past moments (time_machine), so levels,
legs and their clocks, 补报, audit and notifications are what real use would leave.

Scripted, besides the drawn ones (``random.Random(f"anquan-demo:{seed}:accidents")``, the same every run):

- a construction-site accident like seed 000's (高处坠落 at a 工地, 2 dead): months before it 住建 recorded hazards at
  that site (临边防护, 脚手架) that were not rectified and inspected it once, so its 一案双查 look-back has
  something to show; its investigation has a team and a submitted report;
- a road-traffic accident with a 补报 on day 6 (a seriously injured person died: 7-day window, 第十三条);
- one late leg: the county passed a report on 3 hours after receiving it (2 hours allowed, 第十一条).

Who files: the district 安委办 (``anweiban``) for drawn accidents anywhere in 示范区, ``qiye_a`` for one at its
own site. Legs are recorded by the level that holds them (district by ``anweiban``, city by ``shi_anweiban``).
"""
from __future__ import annotations

import datetime
import random

from anquan.enterprises.models import Site, SiteKind
from anquan.rules.calendar import SHANGHAI

from .inspections import at_moment

#: Accidents drawn for the earlier year and the later one (the later one fewer: the demo's trend is down).
PER_YEAR = (26, 22)
#: (kind, weight, words) — what happens on the district's sites.
KINDS = [("fall", 5, "从作业平台坠落"), ("object_strike", 4, "被坠落的物料击中"), ("machinery", 4, "被设备传动部位卷入"),
         ("vehicle", 3, "在厂区内被倒车的货车撞伤"), ("electric", 2, "检修时触电"), ("collapse", 2, "沟槽边坡坍塌被埋压"),
         ("poisoning", 1, "进入污水井作业中毒窒息"), ("fire", 1, "仓库电气线路短路起火"), ("scald", 1, "被高温物料烫伤"),
         ("lifting", 1, "吊物坠落")]
MEASURES = ["已立即停止作业，组织救援并将伤者送医，保护现场", "已启动应急预案，疏散现场人员，封闭事故区域",
            "已停工整顿，对同类设备设施开展排查"]


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


class _Year:
    def __init__(self, demo, rng: random.Random, as_of: datetime.date):
        self.demo, self.rng, self.as_of = demo, rng, as_of
        self.u = demo.users
        self.sites = list(Site.objects.filter(grid__path__startswith=demo.district.path, voided_at__isnull=True,
                                              enterprise__isnull=False).select_related("enterprise").order_by("pk"))

    def report(self, actor, site, occurred: datetime.datetime, kind: str, words: str, *, deaths=0, serious=0, injuries=0,
               loss=0, road=False, fire=False, place="", learned_after=10, reported_after=40, scene=""):
        from anquan.accidents.services import reporting

        learned = occurred + datetime.timedelta(minutes=learned_after)
        with at_moment(occurred + datetime.timedelta(minutes=reported_after)):
            return reporting.accident_report(actor=actor, data={
                "site": site.pk, "occurred_at": occurred.isoformat(), "learned_at": learned.isoformat(),
                "place": place or f"{site.name}{self.rng.choice(['生产车间', '作业现场', '仓储区', '装卸区'])}",
                "scene": scene or "现场已设置警戒，伤者已送医救治", "account": f"作业人员{words}",
                "kind": kind, "is_road_traffic": road, "is_fire": fire, "deaths": deaths, "missing": 0,
                "serious_injuries": serious, "injuries": injuries, "direct_loss_yuan": str(loss),
                "measures": self.rng.choice(MEASURES), "other": ""}, client_key=f"demo-{occurred:%Y%m%d%H%M}-{site.pk}")

    def pass_on(self, accident, *, late_county=False):
        """The unit's report reached the county-level departments within the hour (for a report filed by the
        district, the filing is the county's receipt); the county passes it on within 2 hours (or 3: late), which
        is the city's receipt (``leg_forward``). Levels above the tree are not recorded (the demo has none)."""
        from anquan.accidents.services import reporting

        legs = {leg.level: leg for leg in accident.legs.filter(required=True)}
        unit = legs.get("unit")
        if unit is not None and unit.forwarded_at is None:
            at_unit = min(accident.learned_at + datetime.timedelta(minutes=self.rng.randint(20, 55)), accident.reported_at)
            with at_moment(accident.reported_at + datetime.timedelta(minutes=1)):
                reporting.leg_forward(actor=self.u["anweiban"], leg=unit, forwarded_at=at_unit)
        county = legs.get("county")
        if county is None or county.is_top:
            return
        county.refresh_from_db()
        start = county.received_at or accident.reported_at
        up = start + datetime.timedelta(minutes=180 if late_county else self.rng.randint(30, 110))
        with at_moment(up + datetime.timedelta(minutes=1)):
            reporting.leg_forward(actor=self.u["anweiban"], leg=county, forwarded_at=up,
                                  note="核实伤亡情况耽误上报" if late_county else "")

    def drawn(self, start: datetime.date, days: int, count: int) -> list[tuple]:
        """``count`` accidents drawn over ``days`` from ``start``: (occurred, site, kind, words, figures) in time order."""
        made = []
        weights = [w for _, w, _ in KINDS]
        for _ in range(count):
            day = start + datetime.timedelta(days=self.rng.randrange(days))
            occurred = _moment(day, self.rng.randint(7, 20), self.rng.choice([0, 10, 20, 30, 40, 50]))
            kind, _, words = self.rng.choices(KINDS, weights=weights)[0]
            roll = self.rng.random()
            deaths = 1 if roll < 0.45 else (2 if roll < 0.52 else 0)
            serious = self.rng.choice([0, 0, 0, 1, 1, 2])
            if deaths == 0 and serious == 0:
                serious = 1
            figures = {"deaths": deaths, "serious": serious, "injuries": self.rng.choice([0, 0, 1, 2, 3]),
                       "loss": self.rng.randint(5, 180) * 10000, "fire": kind == "fire",
                       "learned_after": self.rng.randint(5, 30), "reported_after": self.rng.randint(45, 90)}
            made.append((occurred, self.rng.choice(self.sites), kind, words, figures))
        return sorted(made, key=lambda m: (m[0], m[1].pk))

    def file(self, drawn: list[tuple], *, late_index: int = -1) -> int:
        for i, (occurred, site, kind, words, figures) in enumerate(drawn):
            accident = self.report(self.u["anweiban"], site, occurred, kind, words, **figures)
            self.pass_on(accident, late_county=(i == late_index))
        return len(drawn)


def _construction_story(year: _Year, as_of: datetime.date) -> tuple:
    """Seed 000: an accident at a construction site that 住建 had found hazards at and inspected before."""
    from anquan.accidents.services import investigation as inv_s
    from anquan.hazards.lookback import inspection_record_visit
    from anquan.hazards.models import HazardCategory
    from anquan.hazards.services import hazard_record

    u = year.u
    site = (Site.objects.filter(grid__path__startswith=year.demo.district.path, kind=SiteKind.CONSTRUCTION, voided_at__isnull=True,
                                industry__code="construction").select_related("enterprise", "grid").order_by("pk").first())
    if site is None:
        return None, 0
    accident_day = as_of - datetime.timedelta(days=75)
    officer = u["zhujian"]
    categories = list(HazardCategory.objects.filter(active=True, path__regex=r"^/?[^/]+/[^/]+/$").order_by("path")[:1]) or \
        list(HazardCategory.objects.filter(active=True).order_by("path")[:1])
    hazards = 0
    with at_moment(_moment(accident_day - datetime.timedelta(days=120), 10)):
        inspection_record_visit(actor=officer, site=site, performed_at=_moment(accident_day - datetime.timedelta(days=120), 9, 30),
                                inspectors=[officer.person_id], categories=[c.pk for c in categories],
                                summary="检查施工现场临边洞口防护和脚手架搭设情况")
    findings = [(150, "3号楼第8至12层临边防护栏杆缺失，未挂设安全网"), (110, "外脚手架连墙件设置数量不足，部分拆除后未恢复"),
                (60, "高处作业人员未系挂安全带，安全交底记录缺失")]
    for days_before, text in findings:
        found = _moment(accident_day - datetime.timedelta(days=days_before), 10, 30)
        with at_moment(found + datetime.timedelta(minutes=5)):
            # found on a visit: the visit is recorded first (every 行业 hazard has its visit that day)
            inspection_record_visit(actor=officer, site=site, performed_at=found - datetime.timedelta(minutes=30),
                                    inspectors=[officer.person_id], categories=[c.pk for c in categories],
                                    summary="施工现场安全检查")
            data = {"site": site.pk, "description": text, "source": "industry", "found_at": found.isoformat(),
                    "deadline": (found.date() + datetime.timedelta(days=15)).isoformat(), "location": "3号楼"}
            if categories:
                data["category"] = categories[0].pk
            hazard_record(actor=officer, data=data, found_by=[officer.person_id])
            hazards += 1
    occurred = _moment(accident_day, 14, 20)
    accident = year.report(u["anweiban"], site, occurred, "fall", "在3号楼外脚手架第12层作业时坠落", deaths=2, serious=1,
                           loss=3_200_000, place=f"{site.name}3号楼北侧外脚手架", scene="两名作业人员坠落至地面，一人重伤")
    year.pass_on(accident)
    inv = accident.investigation
    with at_moment(_moment(accident_day + datetime.timedelta(days=2), 9)):
        inv = inv_s.investigation_form_team(actor=u["anweiban"], investigation=inv, version=inv.version, data={
            "team_formed_on": (accident_day + datetime.timedelta(days=2)).isoformat(), "team_leader": "区应急管理局副局长",
            "organized_by": "示范区人民政府", "team_members": [
                {"name": "王建国", "unit": "示范区住房和城乡建设局", "role": "副组长"},
                {"name": "李明", "unit": "示范区公安分局", "role": "成员"},
                {"name": "赵红", "unit": "示范区总工会", "role": "成员"}]})
    return accident, hazards


def build_accidents(demo, *, seed: int, as_of: datetime.date) -> dict[str, int]:
    """Two years of accidents in 示范区 (the caller holds the transaction); returns counts for the progress line."""
    from anquan.accidents.services import reporting

    rng = random.Random(f"anquan-demo:{seed}:accidents")
    year = _Year(demo, rng, as_of)
    if not year.sites:
        return {"accidents": 0}
    earlier = year.file(year.drawn(as_of - datetime.timedelta(days=730), 364, PER_YEAR[0]))
    later = year.file(year.drawn(as_of - datetime.timedelta(days=365), 355, PER_YEAR[1]), late_index=3)  # one late leg
    story, hazards = _construction_story(year, as_of)
    # a road-traffic accident with a 补报 on day 6 (a seriously injured driver died in hospital)
    road_day = as_of - datetime.timedelta(days=40)
    site = year.rng.choice(year.sites)
    road = year.report(demo.users["anweiban"], site, _moment(road_day, 8, 15), "vehicle", "驾驶货车运输途中与对向车辆相撞",
                       serious=2, injuries=1, loss=260_000, road=True, place="园区大道与纬三路交叉口")
    year.pass_on(road)
    with at_moment(_moment(road_day + datetime.timedelta(days=6), 16)):
        road.refresh_from_db()
        reporting.accident_add_casualties(actor=demo.users["anweiban"], accident=road, version=road.version, data={
            "deaths": 1, "missing": 0, "serious_injuries": 1, "injuries": 1, "direct_loss_yuan": "260000",
            "changed_at": _moment(road_day + datetime.timedelta(days=6), 11).isoformat(),
            "note": "一名重伤人员经抢救无效于事故发生后第6日死亡"})
    # qiye_a files one at its own site (the enterprise's account on site)
    own = Site.objects.filter(enterprise=demo.enterprise_a, voided_at__isnull=True).order_by("pk").first()
    mine = 0
    if own is not None:
        filed = year.report(demo.users["qiye_a"], own, _moment(as_of - datetime.timedelta(days=12), 15, 5), "machinery",
                            "清理设备时被传动皮带卷入手臂", serious=1, loss=80_000)
        year.pass_on(filed)
        mine = 1
    return {"accidents": earlier + later + (1 if story else 0) + 1 + mine, "accident_site_hazards": hazards}
