"""Accident statistics (事故统计): 起数、死亡、受伤、直接经济损失 by period, level, kind, industry and territory,
each against the same period last year (比上年同期) with the change in percent.

Why one module: the statistics page, its xlsx export, the statutory tables and (later) the dashboard's
upward feed read the same functions, and every number carries the list filter that shows exactly the
records it counts (``Figure.url`` → ``/accidents/?…``; the list page filters with ``filter_accidents``
here, so a number and its list can never disagree).

Definitions (as in the 生产安全事故统计调查制度 and seed 001's "88起、死亡27人、受伤104人……"):

- 起数: live (not voided) accidents whose 发生日期 (Asia/Shanghai) lies in the period.
- 死亡: deaths after 补报 (the stored current figures); 下落不明 is shown apart, not added to deaths.
- 受伤: 重伤（含急性工业中毒）+ 轻伤; 重伤 is also shown on its own (it decides the level).
- 直接经济损失: the sum of the current estimates in 元 (shown in 万元 with two decimals).
- 比上年同期: the same calendar dates one year earlier (02-29 → 02-28). Change = (本期 − 上年同期) ÷ 上年同期,
  in percent rounded half up to one decimal, shown as "下降6.4%" / "上升25%" / "持平"; when last year's
  figure is 0 the change is not a number and shows "上年同期为0".
"""
from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from anquan.core.services import safe_id
from anquan.orgs.models import Industry, OrgUnit

from .choices import AccidentKind, AccidentLevel
from .models import Accident

FILTERS = ("from", "to", "level", "kind", "industry", "unit", "road_fire", "q", "todo")
#: The workbench's to-do lists (``todos.TODOS``; ``selectors.todo_q`` decides what each holds).
TODO_KEYS = ("legs", "investigation_due", "approval_due", "evaluation_due")
MEASURES = ("count", "deaths", "injuries", "serious", "loss")
MEASURE_LABELS = {"count": "事故起数（起）", "deaths": "死亡（人）", "injuries": "受伤（人）", "serious": "其中重伤（人）",
                  "loss": "直接经济损失（万元）"}
TEN_THOUSAND = Decimal(10000)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def clean_params(params) -> dict[str, str]:
    """The filter values that mean something, as strings (unknown codes and unreadable dates are dropped)."""
    get = params.get if hasattr(params, "get") else dict(params).get
    out: dict[str, str] = {}
    for name in ("from", "to"):
        day = _date(get(name))
        if day:
            out[name] = day.isoformat()
    level = str(get("level") or "")
    if level in AccidentLevel.values:
        out["level"] = level
    kind = str(get("kind") or "")
    if kind in AccidentKind.values:
        out["kind"] = kind
    for name in ("industry", "unit"):
        pk = safe_id(get(name))
        if pk:
            out[name] = str(pk)
    if str(get("road_fire") or "") in ("1", "0"):
        out["road_fire"] = str(get("road_fire"))
    q = str(get("q") or "").strip()[:50]
    if q:
        out["q"] = q
    if str(get("todo") or "") in TODO_KEYS:
        out["todo"] = str(get("todo"))
    return out


def filter_accidents(qs: QuerySet[Accident], params: dict[str, str], user=None) -> QuerySet[Accident]:
    """Apply cleaned ``params`` to an already scoped queryset. ``unit`` narrows to a territory the user sees
    (an invisible unit yields nothing, so guessing ids reveals nothing)."""
    from django.db.models import Q

    qs = qs.filter(voided_at__isnull=True)
    if "from" in params:
        qs = qs.filter(occurred_on__gte=params["from"])
    if "to" in params:
        qs = qs.filter(occurred_on__lte=params["to"])
    if "level" in params:
        qs = qs.filter(level=params["level"])
    if "kind" in params:
        qs = qs.filter(kind=params["kind"])
    if "industry" in params:
        qs = qs.filter(industry_id=params["industry"])
    if "unit" in params:
        units = OrgUnit.objects.visible_to(user) if user is not None else OrgUnit.objects.all()
        unit = units.filter(pk=params["unit"]).first()
        qs = qs.filter(unit_path__startswith=unit.path) if unit else qs.none()
    if params.get("road_fire") == "1":
        qs = qs.filter(Q(is_road_traffic=True) | Q(is_fire=True))
    elif params.get("road_fire") == "0":
        qs = qs.filter(is_road_traffic=False, is_fire=False)
    if "q" in params:
        qs = qs.filter(Q(unit_name__icontains=params["q"]) | Q(number__icontains=params["q"]) | Q(place__icontains=params["q"]))
    if "todo" in params:  # what waits on the user (the workbench counts exactly this)
        from anquan.rules.calendar import today

        from .selectors import todo_q

        wait = todo_q(user, params["todo"], today()) if user is not None else None
        qs = qs.filter(wait) if wait is not None else qs.none()
    return qs


def list_url(params: dict[str, str]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "/accidents/" + (f"?{urlencode(clean)}" if clean else "")


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# ---------------------------------------------------------------- totals and the change against last year


@dataclass
class Totals:
    count: int = 0
    deaths: int = 0
    injuries: int = 0
    serious: int = 0
    missing: int = 0
    loss_yuan: Decimal = Decimal(0)

    @property
    def loss(self) -> Decimal:
        """直接经济损失 in 万元, two decimals."""
        return (Decimal(self.loss_yuan) / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def get(self, measure: str):
        return self.loss if measure == "loss" else getattr(self, measure)


def _aggregate_expressions() -> dict:
    zero_money = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
    return {
        "n": Count("id"), "d": Coalesce(Sum("deaths"), 0), "s": Coalesce(Sum("serious_injuries"), 0),
        "i": Coalesce(Sum("injuries"), 0), "m": Coalesce(Sum("missing"), 0),
        "l": Coalesce(Sum("direct_loss_yuan"), zero_money),
    }


def _totals_from(row: dict) -> Totals:
    return Totals(count=row["n"], deaths=row["d"], injuries=row["s"] + row["i"], serious=row["s"], missing=row["m"],
                  loss_yuan=Decimal(row["l"] or 0))


def totals(qs: QuerySet[Accident]) -> Totals:
    """One aggregate over ``qs`` (already filtered)."""
    return _totals_from(qs.aggregate(**_aggregate_expressions()))


def change_percent(current, previous) -> Decimal | None:
    """(本期 − 上年同期) ÷ 上年同期 × 100, rounded half up to one decimal; None when last year is 0."""
    current, previous = Decimal(current), Decimal(previous)
    if previous == 0:
        return None
    return ((current - previous) * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)


def change_text(current, previous) -> str:
    """"下降6.4%" / "上升25%" / "持平" / "上年同期为0" (the way a 通报 reads)."""
    pct = change_percent(current, previous)
    if pct is None:
        return "持平" if Decimal(current) == 0 else "上年同期为0"
    if pct == 0:
        return "持平"
    shown = f"{abs(pct):f}".rstrip("0").rstrip(".")
    return f"{'上升' if pct > 0 else '下降'}{shown}%"


@dataclass
class Cell:
    """One measure of one row: this period, the same period last year, the change, and the two lists."""

    measure: str
    current: int | Decimal
    previous: int | Decimal
    url: str
    previous_url: str

    @property
    def percent(self) -> Decimal | None:
        return change_percent(self.current, self.previous)

    @property
    def change(self) -> str:
        return change_text(self.current, self.previous)


@dataclass
class Row:
    label: str
    params: dict[str, str]
    cells: list[Cell] = field(default_factory=list)

    def cell(self, measure: str) -> Cell:
        return next(c for c in self.cells if c.measure == measure)


@dataclass
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def previous(self) -> Period:
        return Period(year_before(self.start), year_before(self.end))

    def params(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def label(self) -> str:
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"


def _row(label: str, now: Totals, before: Totals, params: dict, period: Period) -> Row:
    cur = {**params, **period.params()}
    prev = {**params, **period.previous.params()}
    return Row(label, cur, [Cell(m, now.get(m), before.get(m), list_url(cur), list_url(prev)) for m in MEASURES])


def headline(scoped: QuerySet[Accident], params: dict[str, str], period: Period, user=None) -> Row:
    """The totals of the period against the same period last year."""
    base = {k: v for k, v in params.items() if k not in ("from", "to")}
    now = totals(filter_accidents(scoped, {**base, **period.params()}, user))
    before = totals(filter_accidents(scoped, {**base, **period.previous.params()}, user))
    return _row("合计", now, before, base, period)


def _grouped(qs: QuerySet[Accident], column: str) -> dict:
    return {row[column]: _totals_from(row) for row in qs.values(column).order_by(column).annotate(**_aggregate_expressions())}


def breakdown(scoped, params, period: Period, dimension: str, user=None) -> list[Row]:
    """Rows by ``level`` / ``kind`` / ``industry`` / ``unit`` (the territory one level below the chosen unit,
    or below the user's highest unit). Each row links to its records, this year and last."""
    base = {k: v for k, v in params.items() if k not in ("from", "to", dimension)}
    now_qs = filter_accidents(scoped, {**base, **period.params()}, user)
    before_qs = filter_accidents(scoped, {**base, **period.previous.params()}, user)
    if dimension == "unit":
        return _by_territory(now_qs, before_qs, base, period, params.get("unit"), user)
    column = {"level": "level", "kind": "kind", "industry": "industry_id"}[dimension]
    now, before = _grouped(now_qs, column), _grouped(before_qs, column)
    if dimension in ("level", "kind"):
        choices = AccidentLevel.choices if dimension == "level" else AccidentKind.choices
        labels = OrderedDict((value, str(label)) for value, label in choices)
        keys = [k for k in labels if k in now or k in before] if dimension == "kind" else list(labels)
        if dimension == "level":
            keys = list(reversed(keys))  # 特别重大 first, as the tables list them
    else:
        ids = [k for k in set(now) | set(before) if k is not None]
        labels = OrderedDict((i.pk, i.name) for i in Industry.objects.filter(pk__in=ids).order_by("sort", "pk"))
        keys = list(labels) + ([None] if None in now or None in before else [])
        labels[None] = "未注明行业"
    rows = []
    for key in keys:
        if key is None:
            continue  # accidents without an industry are in the total; no filter can list them apart
        rows.append(_row(labels[key], now.get(key, Totals()), before.get(key, Totals()),
                         {**base, dimension: str(key)}, period))
    return rows


def _top_unit(user, unit_id) -> OrgUnit | None:
    units = OrgUnit.objects.visible_to(user) if user is not None else OrgUnit.objects.all()
    if unit_id:
        return units.filter(pk=unit_id).first()
    if user is None:
        return None
    from anquan.accounts.scope import active_assignments

    anchored = [a.unit or getattr(a.department, "unit", None) for a in active_assignments(user)]
    anchored = [u for u in anchored if u is not None]
    return min(anchored, key=lambda u: len(u.path)) if anchored else None


def _by_territory(now_qs, before_qs, base, period, unit_id, user) -> list[Row]:
    top = _top_unit(user, unit_id)
    if top is None:
        return []
    children = list(top.children.filter(voided_at__isnull=True).order_by("path"))
    now_by_path, before_by_path = _grouped(now_qs, "unit_path"), _grouped(before_qs, "unit_path")
    rows = []
    for child in children:
        now = _sum_under(now_by_path, child.path)
        before = _sum_under(before_by_path, child.path)
        rows.append(_row(child.name, now, before, {**base, "unit": str(child.pk)}, period))
    return rows


def _sum_under(by_path: dict, prefix: str) -> Totals:
    out = Totals()
    for path, t in by_path.items():
        if path.startswith(prefix):
            out.count += t.count
            out.deaths += t.deaths
            out.injuries += t.injuries
            out.serious += t.serious
            out.missing += t.missing
            out.loss_yuan += t.loss_yuan
    return out


def _sentence_change(cell: Cell, unit: str) -> str:
    """In the sentence a change from 0 last year reads "增加3起" (no percent exists), not the table's "上年同期为0"."""
    if cell.percent is None and Decimal(cell.current) != 0:
        return f"增加{cell.current}{unit}"
    return cell.change


def summary_sentence(row: Row) -> str:
    """The sentence of a 通报: "共发生事故88起、死亡27人、受伤104人，直接经济损失…万元，同比分别下降6.4%、25%、23.5%和28.6%"."""
    c = {m: row.cell(m) for m in MEASURES}
    changes = [_sentence_change(c[m], unit) for m, unit in (("count", "起"), ("deaths", "人"), ("injuries", "人"), ("loss", "万元"))]
    return (f"共发生生产安全事故{c['count'].current}起、死亡{c['deaths'].current}人、受伤{c['injuries'].current}人，"
            f"直接经济损失{c['loss'].current}万元；与上年同期（{c['count'].previous}起、死亡{c['deaths'].previous}人、"
            f"受伤{c['injuries'].previous}人、直接经济损失{c['loss'].previous}万元）相比分别"
            f"{changes[0]}、{changes[1]}、{changes[2]}和{changes[3]}。")


# ---------------------------------------------------------------- the statutory tables

#: The statutory tables. The 生产安全事故统计调查制度 in force was issued by 应急管理部 on 2020-11-25 (replacing the
#: 2012 生产安全事故统计报表制度); its forms' exact columns were not at hand when this was written, so the tables
#: follow the 2012 制度's structure that it continued: the per-accident 事故情况 (A1/A2: 单位情况 — 单位地址、
#: 统一社会信用代码 (2012: 组织机构代码)、从业人员数、单位规模 — and 事故情况 — 发生地点、日期时间、所属行业、事故类别、伤亡、直接经济损失),
#: and the 综合情况 by 行业 (B1) and by 地区 (B2). Columns the platform does not hold (登记注册类型、主管部门、事故原因 …)
#: are left to the statistician.
#:
#: NOT CONFIRMED against the current forms (search of 2026-12-03, helper L). Searched the stored public pages, docs,
#: code and issue threads for 生产安全事故统计调查制度 / 生产安全事故统计报表制度 / 生产安全事故登记表 / 事故登记表 /
#: A1表 / 综合统计表 / 国统制 / 调查表式 / 报表目录. Found, and relied on:
#:   - 应急管理部's notice of 2020-11-25: the original 《生产安全事故统计报表制度》 was revised, "已经国家统计局审批同意",
#:     and issued as 附件1 《生产安全事故统计调查制度》 (with 《安全生产行政执法统计调查制度》 as 附件2). So the name, the
#:     issuing organ (应急管理部) and the approving organ (国家统计局) are certain.
#:   - the 2012 制度 (国家安全监管总局制定、国家统计局批准, 安监总统计〔2012〕98号, 有效期至2014-06-25): its 报表目录
#:     (工矿商贸A1/A2表, 综合B1/B2表, 行业C表) and its 填表说明 (单位地址、通讯地址、组织机构代码、从业人员数、单位规模、
#:     登记注册类型、主管部门、管理分类; 发生地点、日期、时间、所属行业、事故类别 …) — the layout followed here.
#:   - a 2016 revision of the 报表制度 is mentioned by a 2018 journal article; its forms were not found.
#: NOT found: the 2020 制度's 报表目录, its forms' names/表号 and columns, the notice's 文号, the 国家统计局 approval
#: number (国统制〔…〕) and its period of validity, or any later revision. Hence the columns below stay as they were, and
#: no 表号/批准文号/有效期 is printed on the export; before filing from these tables, set them against the 制度's
#: forms as the 应急管理部 statistics system (直报系统) shows them.
REGISTER_COLUMNS = ("事故编号", "事故发生单位", "统一社会信用代码", "从业人员数", "单位规模", "所属行业", "事故发生地（区划）",
                    "发生地点", "发生时间", "事故类别", "道路交通/火灾", "死亡（人）", "下落不明（人）", "重伤（人）",
                    "轻伤（人）", "直接经济损失（万元）", "事故等级", "负责调查的层级")
#: The summary tables (综合情况): one row per 行业 or 地区, the same measures with 较大及以上 split out.
SUMMARY_COLUMNS = ("起数", "死亡（人）", "受伤（人）", "其中重伤（人）", "直接经济损失（万元）", "较大及以上事故起数",
                   "较大及以上死亡（人）")


def register_rows(qs: QuerySet[Accident]) -> list[list]:
    from .rules import BODY_NAMES, investigating_body

    rows = []
    for a in qs.select_related("enterprise", "industry", "unit").order_by("occurred_at", "id"):
        flags = "、".join(x for x, on in (("道路交通", a.is_road_traffic), ("火灾", a.is_fire)) if on)
        firm = a.enterprise
        rows.append([a.number, a.unit_name, firm.credit_code if firm else "", firm.employees if firm else None,
                     firm.get_scale_display() if firm else "", a.industry.name if a.industry else "", a.unit.name, a.place,
                     timezone.localtime(a.occurred_at).replace(tzinfo=None), a.get_kind_display(), flags, a.deaths, a.missing, a.serious_injuries, a.injuries,
                     (Decimal(a.direct_loss_yuan) / TEN_THOUSAND).quantize(Decimal("0.01")), a.level_name,
                     BODY_NAMES.get(investigating_body(a.level), "")])
    return rows


def summary_rows(qs: QuerySet[Accident], column: str) -> list[tuple[str, list]]:
    """综合情况 by ``industry`` or ``unit`` (the accident's place unit's name): one GROUP BY each for all and for 较大及以上."""
    from django.db.models import Q

    key = {"industry": "industry__name", "unit": "unit__name"}[column]
    grouped = qs.values(key).order_by(key).annotate(
        **_aggregate_expressions(),
        big=Count("id", filter=~Q(level=AccidentLevel.GENERAL)),
        big_d=Coalesce(Sum("deaths", filter=~Q(level=AccidentLevel.GENERAL)), 0))
    out = []
    for row in grouped:
        t = _totals_from(row)
        out.append((row[key] or "未注明", [t.count, t.deaths, t.injuries, t.serious, t.loss, row["big"], row["big_d"]]))
    return out
