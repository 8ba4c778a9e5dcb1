"""The figures of the hazard loop (shared/rules.md, "Deadlines and the figures built on them").

Why this module: each figure is computed by ONE function here and shown the same everywhere —
lists, dashboards, the statutory report, assessments. Every function takes the queryset of
hazards to count (already scoped, e.g. ``selectors.hazard_list(user, params)``) and the
``params`` that produced it, and returns the number *with* the queryset it counts and the
params that find those records again, so a page can link each number to
``/hazards/?<params>`` (``Figure.url``) and the list shows exactly what was counted.

- 整改率 = 已销号 ÷ all, as of a date (closed on or before it ÷ found on or before it); for a
  period, pass the hazards found in the period (``found_from``/``found_to``).
- 按期整改率 = closed hazards whose passed round was submitted by the deadline in force
  (``Hazard.closed_on_time``) ÷ closed hazards.
- 逾期 = ``rules.deadlines.overdue_q(today)``: derived, never stored.
- 平均整改用时 = mean of (closed_on − found_on) in days over hazards closed in the period.
- Counts by status, level, source, top-level category, industry and territory: one GROUP BY
  each (plus at most one query for the names), never a query per row.

A rate or mean over nothing is ``None`` and displays as "—", never a ZeroDivisionError.

Dashboards: each function alone is one COUNT or GROUP BY over the hazards it is given — 18
scans of the scope for a full dashboard. ``prepare(qs, params, today)`` computes every figure
family of a dashboard in ONE scan instead (on PostgreSQL one statement with GROUPING SETS:
status × level × source with the headline measures, industry, category, grid path; elsewhere
one GROUP BY per set) and keeps it on ``qs``; the functions below then read it instead of
querying, with exactly the same results (``test_stats_cube``). Overdue is a measure of that
same scan, evaluated against ``today`` at query time — nothing about today is stored.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, QuerySet

from anquan.orgs.models import Industry, OrgUnit
from anquan.rules.calendar import today as shanghai_today
from anquan.rules.deadlines import OPEN_STATUSES, overdue_q

from .choices import HazardLevel, HazardSource, HazardStatus
from .models import Hazard, HazardCategory
from .selectors import clean_params, filter_hazards, list_url

NONE_SHOWN = "—"


@dataclass
class Figure:
    """A count (or mean) shown on a page, the records behind it and the filter that lists them."""

    label: str
    value: int | float | None
    queryset: QuerySet[Hazard] = field(repr=False)
    params: dict[str, str] = field(default_factory=dict)
    key: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return NONE_SHOWN
        return f"{self.value:.1f}" if isinstance(self.value, float) else str(self.value)

    @property
    def url(self) -> str:
        return list_url(self.params)

    def __str__(self):
        return self.display


@dataclass
class Rate:
    """numerator ÷ denominator as a fraction (0–1), None when the denominator is 0."""

    label: str
    numerator: Figure
    denominator: Figure

    @property
    def value(self) -> float | None:
        if not self.denominator.value:
            return None
        return self.numerator.value / self.denominator.value

    @property
    def display(self) -> str:
        value = self.value
        return NONE_SHOWN if value is None else f"{value * 100:.1f}%"

    @property
    def url(self) -> str:
        return self.numerator.url

    def __str__(self):
        return self.display


def _with(params, **extra) -> dict[str, str]:
    merged = clean_params(params)
    for name, value in extra.items():
        merged[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return merged


def _earlier(params, name: str, day: datetime.date) -> datetime.date:
    """``day``, or the params' own upper bound ``name`` when that is earlier (a link keeps both)."""
    try:
        given = datetime.date.fromisoformat(str(params.get(name) or ""))
    except ValueError:
        return day
    return min(given, day)


# ---------------------------------------------------------------- one scan for a whole dashboard

#: The measures of the status × level × source set, in the order of the SELECT.
MEASURES = ("n", "found", "closed_asof", "closed", "on_time", "days", "days_n", "overdue")
#: The dimensions, in the order of the SELECT and of GROUPING(); a set is named by the one it groups.
DIMENSIONS = ("status", "level", "source", "industry_id", "category_id", "grid_path")
_SETS = {"head": ("status", "level", "source"), "industry": ("industry_id",), "category": ("category_id",),
         "grid": ("grid_path",)}
#: GROUPING(status, industry_id, category_id, grid_path): 0 for a column grouped in that set.
_GROUPING = {0b0111: "head", 0b1011: "industry", 0b1101: "category", 0b1110: "grid"}


@dataclass
class Cube:
    """Every figure family of one queryset, from one scan (``prepare``)."""

    found_to: datetime.date
    closed_to: datetime.date
    today: datetime.date
    head: dict[tuple[str, str, str], dict[str, int]]
    industry: dict[int | None, int]
    category: dict[int | None, int]
    grid: dict[str, int]

    def sum(self, measure: str, **where) -> int:
        keys = ("status", "level", "source")
        return sum(m[measure] for key, m in self.head.items()
                   if all(key[keys.index(k)] == v for k, v in where.items()))

    def by(self, column: str) -> dict[str, int]:
        i = ("status", "level", "source").index(column)
        out: dict[str, int] = {}
        for key, m in self.head.items():
            out[key[i]] = out.get(key[i], 0) + m["n"]
        return out


def _cube_sql(qs, found_to, closed_to, today, vendor: str, groups: list[str]) -> tuple[str, list]:
    inner = qs.order_by().values(*DIMENSIONS, "found_on", "closed_on", "closed_on_time", "deadline_in_force")
    inner_sql, inner_params = inner.query.sql_with_params()
    if vendor == "postgresql":
        days = "(closed_on - found_on)"
        dates = [found_to, found_to, closed_to, today]
    else:  # SQLite: dates are ISO text, days by julianday
        days = "CAST(julianday(closed_on) - julianday(found_on) AS INTEGER)"
        dates = [d.isoformat() for d in (found_to, found_to, closed_to, today)]
    opened = ", ".join(["%s"] * len(OPEN_STATUSES))
    closed = f"status = '{HazardStatus.CLOSED.value}'"
    measures = (
        "COUNT(*)",
        "COUNT(*) FILTER (WHERE found_on <= %s)",
        f"COUNT(*) FILTER (WHERE found_on <= %s AND {closed} AND closed_on <= %s)",
        f"COUNT(*) FILTER (WHERE {closed})",
        f"COUNT(*) FILTER (WHERE {closed} AND closed_on_time)",
        f"SUM({days}) FILTER (WHERE {closed})",
        f"COUNT({days}) FILTER (WHERE {closed})",
        f"COUNT(*) FILTER (WHERE deadline_in_force < %s AND status IN ({opened}))",
    )
    if vendor == "postgresql":
        grouping = "GROUPING(status, industry_id, category_id, grid_path)"
        group_by = "GROUPING SETS (" + ", ".join("(" + ", ".join(_SETS[g]) + ")" for g in groups) + ")"
        columns = ", ".join(DIMENSIONS)
    else:
        (name,) = groups
        grouping = str(next(bits for bits, g in _GROUPING.items() if g == name))
        group_by = ", ".join(_SETS[name])
        columns = ", ".join(d if d in _SETS[name] else f"NULL AS {d}" for d in DIMENSIONS)
    sql = (f"SELECT {grouping}, {columns}, {', '.join(measures)} FROM ({inner_sql}) AS h GROUP BY {group_by}")
    return sql, [*dates, *OPEN_STATUSES, *inner_params]  # in the order of the placeholders


def prepare(qs: QuerySet[Hazard], params=None, today: datetime.date | None = None) -> QuerySet[Hazard]:
    """Compute every figure of a dashboard over ``qs`` in one scan and keep it on ``qs`` (returned).

    Afterwards ``headline``, ``total``, ``rectification_rate`` (as of ``today``), ``on_time_rate``,
    ``overdue`` (for ``today``), ``average_days_to_close`` (no period), ``by_status``, ``by_level``,
    ``by_source``, ``by_industry``, ``by_category`` and ``by_territory`` called with this same
    ``qs`` read the result instead of querying; other arguments fall back to their own query.
    """
    params = params or {}
    today = today or shanghai_today()
    found_to, closed_to = _earlier(params, "found_to", today), _earlier(params, "closed_to", today)
    vendor = connections[qs.db].vendor
    rows = []
    try:
        with connections[qs.db].cursor() as cursor:
            for groups in ([list(_SETS)] if vendor == "postgresql" else [[g] for g in _SETS]):
                cursor.execute(*_cube_sql(qs, found_to, closed_to, today, vendor, groups))
                rows += cursor.fetchall()
    except EmptyResultSet:  # qs.none(): a filter value that matches nothing
        rows = []
    cube = Cube(found_to, closed_to, today, {}, {}, {}, {})
    for row in rows:
        name = _GROUPING[row[0]]
        dims = dict(zip(DIMENSIONS, row[1:1 + len(DIMENSIONS)], strict=True))
        measures = dict(zip(MEASURES, (int(v or 0) for v in row[1 + len(DIMENSIONS):]), strict=True))
        if name == "head":
            cube.head[(dims["status"], dims["level"], dims["source"])] = measures
        elif name == "grid":
            cube.grid[dims["grid_path"]] = measures["n"]
        else:
            getattr(cube, name)[dims[f"{name}_id"]] = measures["n"]
    qs._stats_cube = cube
    return qs


def _cube(qs) -> Cube | None:
    return getattr(qs, "_stats_cube", None)


def total(qs, params=None) -> Figure:
    cube = _cube(qs)
    return Figure("隐患总数", cube.sum("n") if cube else qs.count(), qs, clean_params(params), "total")


def rectification_rate(qs, params=None, as_of: datetime.date | None = None) -> Rate:
    """整改率 as of ``as_of`` (default today): closed on or before it ÷ found on or before it."""
    params = params or {}
    as_of = as_of or shanghai_today()
    found_to = _earlier(params, "found_to", as_of)
    closed_to = _earlier(params, "closed_to", as_of)
    found = qs.filter(found_on__lte=found_to)
    closed = found.filter(status=HazardStatus.CLOSED, closed_on__lte=closed_to)
    cube = _cube(qs)
    if cube and (cube.found_to, cube.closed_to) == (found_to, closed_to):
        n_found, n_closed = cube.sum("found"), cube.sum("closed_asof")
    else:
        n_found, n_closed = found.count(), closed.count()
    denominator = Figure("隐患数", n_found, found, _with(params, found_to=found_to), "found")
    numerator = Figure("已整改（销号）", n_closed, closed,
                       _with(params, found_to=found_to, closed="1", closed_to=closed_to), "closed")
    return Rate("整改率", numerator, denominator)


def on_time_rate(qs, params=None) -> Rate:
    """按期整改率: closed hazards whose passed round was on time (closed_on_time) ÷ closed hazards."""
    closed = qs.filter(status=HazardStatus.CLOSED)
    on_time = closed.filter(closed_on_time=True)
    cube = _cube(qs)
    n_closed, n_on_time = (cube.sum("closed"), cube.sum("on_time")) if cube else (closed.count(), on_time.count())
    denominator = Figure("已销号", n_closed, closed, _with(params, closed="1"), "closed")
    numerator = Figure("按期整改", n_on_time, on_time, _with(params, closed="1", on_time="1"), "on_time")
    return Rate("按期整改率", numerator, denominator)


def overdue(qs, params=None, today: datetime.date | None = None) -> Figure:
    """逾期未整改: deadline in force passed today (Shanghai) and still 待整改/整改中."""
    today = today or shanghai_today()
    rows = qs.filter(overdue_q(today))
    cube = _cube(qs)
    value = cube.sum("overdue") if cube and cube.today == today else rows.count()
    return Figure("逾期未整改", value, rows, _with(params, overdue="1"), "overdue")


def average_days_to_close(qs, params=None, start: datetime.date | None = None, end: datetime.date | None = None) -> Figure:
    """Mean of (closed_on − found_on) in days, over hazards closed in [start, end] (either open-ended)."""
    rows = qs.filter(status=HazardStatus.CLOSED)
    extra = {"closed": "1"}
    if start:
        rows, extra["closed_from"] = rows.filter(closed_on__gte=start), start
    if end:
        rows, extra["closed_to"] = rows.filter(closed_on__lte=end), end
    cube = _cube(qs)
    if cube and not start and not end:
        n = cube.sum("days_n")
        value = round(cube.sum("days") / n, 1) if n else None
    else:
        span = ExpressionWrapper(F("closed_on") - F("found_on"), output_field=DurationField())
        mean = rows.aggregate(mean=Avg(span))["mean"]
        value = None if mean is None else round(mean.total_seconds() / 86400, 1)
    return Figure("平均整改用时（天）", value, rows, _with(params, **extra), "days_to_close")


def headline(qs, params=None, today: datetime.date | None = None) -> dict[str, Figure | Rate]:
    """The four figures every overview shows, for the same hazards."""
    today = today or shanghai_today()
    return {
        "total": total(qs, params),
        "rectification_rate": rectification_rate(qs, params, today),
        "on_time_rate": on_time_rate(qs, params),
        "overdue": overdue(qs, params, today),
        "days_to_close": average_days_to_close(qs, params),
    }


# ---------------------------------------------------------------- breakdowns (one GROUP BY each)


def _counts(qs, column: str) -> dict:
    return {row[column]: row["n"] for row in qs.order_by().values(column).annotate(n=Count("pk"))}


def _by_choice(qs, params, column: str, choices, with_zeros: bool) -> list[Figure]:
    cube = _cube(qs)
    counts = cube.by(column) if cube else _counts(qs, column)
    return [Figure(str(text), counts.get(value, 0), qs.filter(**{column: value}), _with(params, **{column: value}), value)
            for value, text in choices.choices if with_zeros or value in counts]


def by_status(qs, params=None) -> list[Figure]:
    """Every status, in the loop's order (zero rows included)."""
    return _by_choice(qs, params, "status", HazardStatus, True)


def by_level(qs, params=None) -> list[Figure]:
    return _by_choice(qs, params, "level", HazardLevel, True)


def by_source(qs, params=None) -> list[Figure]:
    """The sources that occur, in the choices' order."""
    return _by_choice(qs, params, "source", HazardSource, False)


def by_industry(qs, params=None) -> list[Figure]:
    """Per industry (by count, largest first); hazards without one as "未定行业"."""
    cube = _cube(qs)
    if cube:
        names = dict(Industry.objects.filter(pk__in=[pk for pk in cube.industry if pk]).values_list("pk", "name"))
        rows = [{"industry_id": pk, "industry__name": names.get(pk), "n": n} for pk, n in cube.industry.items()]
    else:
        rows = qs.order_by().values("industry_id", "industry__name").annotate(n=Count("pk"))
    figures = []
    for row in sorted(rows, key=lambda r: (-r["n"], r["industry_id"] or 0)):
        pk = row["industry_id"]
        rows_qs = qs.filter(industry_id=pk) if pk else qs.filter(industry__isnull=True)
        figures.append(Figure(row["industry__name"] or "未定行业", row["n"], rows_qs, _with(params, industry=pk or "none"), str(pk or "none")))
    return figures


def by_category(qs, params=None) -> list[Figure]:
    """Per top-level category (人的因素 / 物的因素 / 环境因素 / 管理因素 …): sub-categories fold into
    their top node by the code path; uncategorised hazards as "未分类"."""
    counts: dict[str, int] = {}
    cube = _cube(qs)
    if cube:
        paths = dict(HazardCategory.objects.filter(pk__in=[pk for pk in cube.category if pk]).values_list("pk", "path"))
        by_path: dict[str | None, int] = {}
        for pk, n in cube.category.items():
            by_path[paths.get(pk)] = by_path.get(paths.get(pk), 0) + n
    else:
        by_path = _counts(qs, "category__path")
    for path, n in by_path.items():
        top = path.strip("/").split("/")[0] if path else ""
        counts[top] = counts.get(top, 0) + n
    figures = []
    for node in HazardCategory.objects.filter(parent__isnull=True).order_by("sort", "code"):
        figures.append(Figure(node.name, counts.get(node.code, 0), qs.filter(category__path__startswith=node.path),
                              _with(params, category=node.pk), node.code))
    if counts.get(""):
        figures.append(Figure("未分类", counts[""], qs.filter(category__isnull=True), _with(params, category="none"), "none"))
    return figures


def by_territory(qs, params, unit: OrgUnit, kind: str | None = None) -> list[Figure]:
    """Per unit under ``unit``: its direct children (streets under a district, communities under a
    street …), or every descendant of ``kind`` (e.g. each grid of a district). Two queries
    whatever the size: the units, and one GROUP BY of grid_path folded onto them by prefix."""
    targets = OrgUnit.objects.filter(voided_at__isnull=True)
    if kind:
        targets = targets.filter(path__startswith=unit.path, kind=kind).exclude(pk=unit.pk)
    else:
        targets = targets.filter(parent=unit)
    targets = list(targets.order_by("path").only("id", "name", "path", "kind"))
    by_path = {t.path: t for t in targets}
    counts: dict[int, int] = {}
    cube = _cube(qs)
    if cube:
        grids = {path: n for path, n in cube.grid.items() if path.startswith(unit.path)}
    else:
        grids = _counts(qs.filter(grid_path__startswith=unit.path), "grid_path")
    for grid_path, n in grids.items():
        prefix = "/"
        for segment in grid_path.strip("/").split("/"):
            prefix += segment + "/"
            target = by_path.get(prefix)
            if target is not None:
                counts[target.pk] = counts.get(target.pk, 0) + n
                break
    return [Figure(t.name, counts.get(t.pk, 0), qs.filter(grid_path__startswith=t.path), _with(params, unit=t.pk), str(t.pk))
            for t in targets]


def figure_for(qs, params, today: datetime.date | None = None) -> QuerySet[Hazard]:
    """The records a figure's ``params`` select within ``qs`` (what its link shows, without scoping again)."""
    return filter_hazards(qs, params, today)
