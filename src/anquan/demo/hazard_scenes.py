"""Scripted hazards in 示范区 so the named demo users always have something true to show.

Relative to the as-of date (d), whatever the seed:

- qiye_a's site in wangge_a's grid (``enterprise_a``), the ``A`` scenes: open (整改中, 待整改), overdue
  (待整改 with a written explanation, 整改中 without), awaiting verification that jiedao_a may do
  (found by wangge_a / by jiedao_a, one sent back and resubmitted), a self-found one awaiting
  qiye_a_fzr's verification, closed on time, closed late (with explanation), closed by
  qiye_a_fzr, an extension approved (deadline in force later than the original), an extension
  request pending jiedao_a's decision, a new one found by zhifa_a and zhifa_b, a 立查立改, and a
  重大 hazard listed by 示范区 (``anweiban``) with an interim control, under rectification.
- jiedao_b's street (``B``): its own hazards at qiye_b's site and at a place without enterprise —
  awaiting its verification, open, overdue, closed.
- Listings elsewhere (``L``/``C``): a district listing closed by 摘牌, a district listing whose
  resume application awaits the on-site review (10-day clock), and a city listing by
  ``shi_anweiban`` at a site under two suspensions, one of them lifted.

Each scene's hazard ends its ``location`` with its scene code (e.g. "配电房（演示A4）"), so tests find it
again with ``scene("A4")`` — see ``SCENES`` for what each one is.
"""
from __future__ import annotations

import datetime

from anquan.hazards.choices import ControlKind, HazardSource, ListingLevel
from anquan.rules.calendar import SHANGHAI

HS = HazardSource
#: Scene code → what it shows (the hazard's ``location`` ends with "（演示<code>）").
SCENES = {
    "A1": "网格员发现，企业整改中，未到期", "A2": "逾期未整改（待整改），企业已提交逾期说明", "A3": "逾期未整改（整改中）",
    "A4": "待验收：网格员发现，jiedao_a可验收", "A5": "待验收：曾被jiedao_a退回后重新提交", "A6": "已销号（按期）",
    "A7": "已销号（逾期整改，有逾期说明）", "A8": "企业自查，待qiye_a_fzr验收", "A9": "企业自查，qiye_a_fzr已验收销号",
    "A10": "延期已批准，现行期限晚于原期限", "A11": "执法人员新发现，待整改", "A12": "立查立改",
    "A13": "延期申请待jiedao_a审批", "A14": "重大事故隐患，区级和街道级（jiedao_a）挂牌督办中，整改中，撤出作业人员",
    "B1": "待jiedao_b验收", "B2": "jiedao_b新发现，待整改", "B3": "逾期未整改", "B4": "已销号", "B5": "无企业场所，待jiedao_b验收",
    "L1": "区级挂牌督办，已摘牌销号", "L3": "区级挂牌督办，已申请复工复产，待现场审查",
    "C1": "市级挂牌督办，责令停产（有效）", "C2": "同一场所，停产措施已解除，已销号",
}


class Scenes:
    def __init__(self, year, demo):
        self.year, self.demo, self.u = year, demo, year.cast.by_username
        self.as_of = year.as_of
        self.entries = {e[1].text: e for e in year.catalogue.entries}
        self.staff_b = year.cast.street_staff[demo.street_b.pk]

    def day(self, n: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(self.as_of - datetime.timedelta(days=n), datetime.time(hour, minute), tzinfo=SHANGHAI)

    @staticmethod
    def rel(day: datetime.date, n: int, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day + datetime.timedelta(days=n), datetime.time(hour, 0), tzinfo=SHANGHAI)

    def hazard(self, code, place, source, recorder, n, days, text, *, found_by=(), major=False, immediate=False):
        return self.year.new(place, source, recorder, self.day(n, 9), self.entries[text], major=major, immediate=immediate,
                             found_by=[a.user.person_id for a in found_by] or [recorder.user.person_id], days=days,
                             location=f"{self.year._location(place.site.kind)}（演示{code}）")

    def place_of(self, enterprise_id, grid_id=None):
        return next(p for p in self.year.places if p.site.enterprise_id == enterprise_id
                    and (grid_id is None or p.site.grid_id == grid_id))

    # ---------------------------------------------------------------- qiye_a's site in wangge_a's grid

    def firm_a(self) -> None:
        u, demo = self.u, self.demo
        place = self.place_of(demo.enterprise_a.pk, demo.grid_a.pk)
        w, j, qa, qf, yj, za, zb, aw = (u[n] for n in ("wangge_a", "jiedao_a", "qiye_a", "qiye_a_fzr", "yingji", "zhifa_a", "zhifa_b", "anweiban"))
        box, cover, guard = "配电箱未设置漏电保护装置", "机械设备皮带、齿轮等传动部位未设防护罩", "作业现场物料堆放杂乱，占用安全通道"
        a1 = self.hazard("A1", place, HS.GRID, w, 8, 15, cover)
        a1.start(self.day(6), qa)
        a2 = self.hazard("A2", place, HS.GRID, w, 40, 20, box)
        a2.explain(self.rel(a2.h.deadline_in_force, 5), qa, "漏电保护器需原厂配件，已下单，预计两周内到货，期间已断电停用该配电箱")
        a3 = self.hazard("A3", place, HS.TERRITORIAL, j, 25, 10, guard)
        a3.start(self.day(23), qa)
        a4 = self.hazard("A4", place, HS.GRID, w, 20, 30, "灭火器压力不足或超过维修期限")
        a4.start(self.day(18), qa)
        a4.submit(self.day(2), qa, "已更换灭火器8具，建立月度检查记录")
        a5 = self.hazard("A5", place, HS.TERRITORIAL, j, 30, 20, "配电箱（柜）门未关闭、无警示标识，箱内线路裸露", found_by=[j])
        a5.submit(self.day(12), qa, "已整理箱内线路并加锁")
        a5.verify(self.day(10), j, False, "整改后照片未反映警示标识张贴情况，请补充")
        a5.submit(self.day(1), qa, "已张贴“当心触电”警示标识，补充整改照片")
        a6 = self.hazard("A6", place, HS.GRID, w, 100, 15, "消防通道被杂物堵塞")
        a6.submit(self.day(92), qa, "已清理通道杂物并划线")
        a6.verify(self.day(90), j, True)
        a7 = self.hazard("A7", place, HS.GRID, w, 150, 10, "岗位安全操作规程缺失或未张贴上墙")
        deadline = a7.h.deadline_in_force
        a7.explain(self.rel(deadline, 2), qa, "操作规程需重新修订并经主要负责人审批，延误数日")
        a7.submit(self.rel(deadline, 10), qa, "已修订操作规程并张贴上墙")
        a7.verify(self.rel(deadline, 12), j, True)
        a8 = self.hazard("A8", place, HS.SELF, qa, 12, 15, "疏散指示标志、应急照明损坏或不亮")
        a8.submit(self.day(1), qa, "已更换应急照明灯具3盏")
        a9 = self.hazard("A9", place, HS.SELF, qa, 60, 10, "电气线路私拉乱接，未穿管保护")
        a9.submit(self.day(55), qa, "已拆除私拉线路，重新穿管敷设")
        a9.verify(self.day(54), qf, True)
        a10 = self.hazard("A10", place, HS.INDUSTRY, yj, 35, 20, "电梯、叉车等特种设备未定期检验，检验过期仍在使用")
        a10.start(self.day(33), qa)
        old = a10.h.deadline_in_force
        ext = a10.request_extension(self.rel(old, -3), qa, self.year.deadline(old, 30), "检验机构排期已满，最早预约到下月")
        a10.decide_extension(self.rel(old, -2), yj, ext, True, "情况属实，同意延期")
        self.hazard("A11", place, HS.INDUSTRY, za, 3, 30, "作业场所通风不良，有毒有害气体浓度未定期检测", found_by=[za, zb])
        self.hazard("A12", place, HS.GRID, w, 50, 0, "有较大危险因素的场所和设备未设置安全警示标志", immediate=True)
        a13 = self.hazard("A13", place, HS.TERRITORIAL, j, 14, 15, "新入职员工未经安全教育培训即上岗作业")
        a13.request_extension(self.day(1), qa, self.year.deadline(a13.h.deadline_in_force, 15), "培训机构下期开班时间在期限之后")
        a14 = self.hazard("A14", place, HS.INDUSTRY, yj, 30, 60, "有限空间作业未执行“先通风、再检测、后作业”", major=True)
        a14.control_start(self.day(30, 15), za, ControlKind.EVACUATE, "有限空间作业条件不具备，责令撤出作业人员")
        a14.start(self.day(28), qa)
        a14.list(self.day(25), aw, ListingLevel.DISTRICT, self.document("示安委办督", 25, 3), self.as_of + datetime.timedelta(days=35))

    def document(self, prefix: str, n: int, number: int) -> str:
        return f"{prefix}〔{(self.as_of - datetime.timedelta(days=n)).year}〕{number}号"

    # ---------------------------------------------------------------- jiedao_b's street

    def street_b(self) -> None:
        u, demo = self.u, self.demo
        jb, qb = u["jiedao_b"], u["qiye_b"]
        jb2 = next(a for a in self.staff_b if a.user.pk != jb.user.pk)
        place = self.place_of(demo.enterprise_b.pk)
        b1 = self.hazard("B1", place, HS.TERRITORIAL, jb, 15, 20, "室内消火栓箱内水带、水枪缺失")
        b1.submit(self.day(2), qb, "已补齐水带、水枪")
        self.hazard("B2", place, HS.TERRITORIAL, jb, 5, 20, "楼道、楼梯间停放电动自行车或飞线充电")
        self.hazard("B3", place, HS.TERRITORIAL, jb, 30, 10, "未建立消防安全管理制度，未开展防火检查巡查")
        b4 = self.hazard("B4", place, HS.TERRITORIAL, jb, 80, 15, "安全出口上锁或被封闭")
        b4.submit(self.day(70), qb, "已拆除锁具，更换推闩式门锁")
        b4.verify(self.day(68), jb, True)
        bare = [p for p in self.year.places if p.street.pk == demo.street_b.pk and not p.site.enterprise_id]
        if bare:
            b5 = self.hazard("B5", bare[0], HS.TERRITORIAL, jb, 10, 20, "电气线路私拉乱接，未穿管保护")
            b5.submit(self.day(1), jb2, "已督促房东拆除私拉线路")

    # ---------------------------------------------------------------- listed supervision elsewhere

    def listed_firms(self):
        """Firms using the platform (not the named ones) whose main site has 重大 criteria, with a regulator."""
        year, skip = self.year, {self.demo.enterprise_a.pk, self.demo.enterprise_b.pk}
        seen = set()
        for place in year.places:
            ent_id = place.site.enterprise_id
            if ent_id in year.online and ent_id not in skip and ent_id not in seen and place.regulator_ids \
                    and year.catalogue.majors(year.catalogue.codes.get(place.industry_id)):
                seen.add(ent_id)
                yield place

    def listings(self) -> None:
        year, aw, city = self.year, self.u["anweiban"], self.year.cast.city_anweiban
        firms = self.listed_firms()
        for code, place in zip(("L1", "L3", "C"), firms, strict=False):
            majors = year.catalogue.majors(year.catalogue.codes.get(place.industry_id))
            dept = place.department_id if place.department_id in place.regulator_ids else place.regulator_ids[0]
            finder, firm = year.cast.dept_staff[dept], year.cast.ent_staff[place.site.enterprise_id][0]
            if code == "L1":
                life = self.hazard("L1", place, HS.INDUSTRY, finder, 200, 60, majors[0][1].text, major=True)
                life.start(self.day(198), firm)
                listing = life.list(self.day(195), aw, ListingLevel.DISTRICT, self.document("示安委办督", 195, 1), self.as_of - datetime.timedelta(days=105))
                life.submit(self.day(145), firm, life.h.measures)
                life.apply_resume(self.day(144), firm, listing, "隐患已整改完毕，经专家评估合格，申请恢复生产")
                life.review(self.day(136), aw, listing, True, "现场审查：隐患已消除，同意恢复生产")
                life.delist(self.day(135), aw, listing, "摘牌销号")
            elif code == "L3":
                life = self.hazard("L3", place, HS.EXPERT, finder, 70, 60, majors[0][1].text, major=True)
                life.start(self.day(68), firm)
                listing = life.list(self.day(65), aw, ListingLevel.DISTRICT, self.document("示安委办督", 65, 2), self.as_of + datetime.timedelta(days=20))
                life.submit(self.day(12), firm, life.h.measures)
                life.apply_resume(self.day(5), firm, listing, "隐患已整改完毕，委托安全评价机构评估合格，申请恢复生产")
            elif city is not None:
                c2 = self.hazard("C2", place, HS.INDUSTRY, finder, 120, 30, majors[-1][1].text, major=True)
                control = c2.control_start(self.day(119), finder, ControlKind.SUSPEND, "重大事故隐患排除前无法保证安全，责令局部停产整改")
                c2.start(self.day(118), firm)
                c2.submit(self.rel(c2.h.deadline_in_force, -3), firm, c2.h.measures)
                c2.verify(self.rel(c2.h.deadline_in_force, -1), finder, True)
                c2.control_end(self.rel(c2.h.deadline_in_force, 0), finder, control, "隐患已整改销号，经复查解除停产措施")
                c1 = self.hazard("C1", place, HS.INDUSTRY, finder, 50, 60, majors[0][1].text, major=True)
                c1.control_start(self.day(49), finder, ControlKind.SUSPEND, "重大火灾隐患未消除，责令停产停业整改")
                c1.start(self.day(47), firm)
                c1.list(self.day(45), city, ListingLevel.CITY, self.document("示市安委办督", 45, 1), self.as_of + datetime.timedelta(days=30))


def scene(code: str):
    """The scripted hazard ``code`` (see SCENES) of the loaded demo."""
    from anquan.hazards.models import Hazard

    return Hazard.objects.get(location__endswith=f"（演示{code}）")


def play_scenes(year, demo) -> None:
    scenes = Scenes(year, demo)
    scenes.firm_a()
    scenes.street_b()
    scenes.listings()
