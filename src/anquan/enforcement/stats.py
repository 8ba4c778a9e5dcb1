"""行政执法统计: cases, penalty decisions, fines decided and collected, suspensions and §113 closure proposals, by
period, department and industry — every number linking to the list of exactly the records it counts.

Why one module: the page, the xlsx export and the list behind each number read the same ``records(...)``, so a
number and its list can never disagree. Everything is read through ``visible_to(user)`` (a territory and the
enterprise see a case only from 告知 on, as everywhere else).

Definitions (period = ``from``…``to``, dates in Asia/Shanghai, both ends included):

- 立案: cases whose 立案日期 (approved filing) lies in the period (withdrawn ones included: they were filed).
- 处罚决定: decisions in force (not withdrawn) of 罚款 or 警告 whose 决定日期 lies in the period.
- 罚款决定金额: the fines of those decisions that are 罚款 (元).
- 罚款收缴: payments recorded with a 缴纳日期 in the period (元, late fees included as paid); the list shows the
  cases they were paid on.
- 责令停产停业: 停工停产 controls started in the period (hazards' interim controls; the §70 measures of
  enforcement are later work and will be added here). Department: the deciding person's department.
- 提请关闭: §113 proposals recorded in the period (for a human decision; the proposal, not the closure).

Industry: a case's (or control's) site's 行业领域; "未明确行业" where there is none. A proposal is counted under
the industry of each site of its enterprise that has one, so industry rows of proposals may add up to more than
the total (stated on the page).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse

from anquan.core.services import safe_id
from anquan.orgs.models import Department, Industry
from anquan.rules.calendar import SHANGHAI, today

from .models import Case, CaseStatus, ClosureProposal, DecisionKind, Payment

METRICS = ("filed", "decided", "fines_decided", "fines_collected", "suspensions", "closures")
LABELS = {"filed": "立案（件）", "decided": "处罚决定（件）", "fines_decided": "罚款决定金额（元）",
          "fines_collected": "罚款收缴（元）", "suspensions": "责令停产停业（次）", "closures": "提请关闭（件）"}
MONEY = ("fines_decided", "fines_collected")
NO_INDUSTRY = "none"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def params(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def moments(self):
        """[start 00:00, day after end 00:00) in Asia/Shanghai."""
        lo = datetime.datetime.combine(self.start, datetime.time(), tzinfo=SHANGHAI)
        hi = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)
        return lo, hi


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def period_of(params) -> Period:
    """``from``/``to``; default 1 January of this year to today; reversed ends swapped; at most five years."""
    now = today()
    start = _date(params.get("from")) or datetime.date(now.year, 1, 1)
    end = _date(params.get("to")) or now
    if end < start:
        start, end = end, start
    if (end - start).days > 366 * 5:
        start = end - datetime.timedelta(days=366 * 5)
    return Period(start, end)


def clean_filters(params) -> dict[str, str]:
    """``organ`` (a department id) and ``industry`` (an industry id or ``none``), unreadable values dropped."""
    out = {}
    organ = safe_id(params.get("organ"))
    if organ:
        out["organ"] = str(organ)
    industry = str(params.get("industry") or "")
    if industry == NO_INDUSTRY:
        out["industry"] = NO_INDUSTRY
    elif safe_id(industry):
        out["industry"] = str(safe_id(industry))
    return out


def _industry_q(prefix: str, industry: str) -> Q:
    if industry == NO_INDUSTRY:
        return Q(**{f"{prefix}__isnull": True})
    return Q(**{prefix: int(industry)})


def records(user, metric: str, period: Period, filters: dict | None = None) -> QuerySet:
    """The records ``metric`` counts for ``user`` in ``period`` (Case, Payment, InterimControl or ClosureProposal)."""
    from anquan.hazards.choices import ControlKind
    from anquan.hazards.models import InterimControl

    filters = filters or {}
    organ, industry = filters.get("organ"), filters.get("industry")
    lo, hi = period.moments()
    if metric in ("filed", "decided", "fines_decided"):
        qs = Case.objects.visible_to(user).filter(voided_at__isnull=True)
        if metric == "filed":
            qs = qs.filter(filed_on__gte=period.start, filed_on__lte=period.end)
        else:
            kinds = (DecisionKind.FINE,) if metric == "fines_decided" else (DecisionKind.FINE, DecisionKind.WARNING)
            qs = qs.decided().filter(decision_kind__in=kinds, decision_on__gte=period.start, decision_on__lte=period.end)
        if organ:
            qs = qs.filter(organ_id=int(organ))
        if industry:
            qs = qs.filter(_industry_q("site__industry", industry))
        return qs
    if metric == "fines_collected":
        cases = Case.objects.visible_to(user).filter(voided_at__isnull=True).exclude(status=CaseStatus.WITHDRAWN)
        if organ:
            cases = cases.filter(organ_id=int(organ))
        if industry:
            cases = cases.filter(_industry_q("site__industry", industry))
        return Payment.objects.filter(case__in=cases.values("pk"), paid_on__gte=period.start, paid_on__lte=period.end)
    if metric == "suspensions":
        qs = InterimControl.objects.visible_to(user).filter(kind=ControlKind.SUSPEND, started_at__gte=lo, started_at__lt=hi)
        if organ:
            qs = qs.filter(started_by__person__department_id=int(organ))
        if industry:
            qs = qs.filter(_industry_q("site__industry", industry))
        return qs
    if metric == "closures":
        qs = ClosureProposal.objects.visible_to(user).filter(created_at__gte=lo, created_at__lt=hi)
        if organ:
            qs = qs.filter(organ_id=int(organ))
        if industry == NO_INDUSTRY:
            qs = qs.exclude(enterprise__sites__industry__isnull=False)
        elif industry:
            qs = qs.filter(enterprise__sites__industry_id=int(industry)).distinct()
        return qs
    raise ValueError(metric)


def value_of(metric: str, qs: QuerySet):
    if metric == "fines_decided":
        return qs.aggregate(total=Sum("fine_amount"))["total"] or Decimal("0.00")
    if metric == "fines_collected":
        return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return qs.order_by().values("pk").distinct().count()


def listed_cases(user, metric: str, period: Period, filters: dict) -> QuerySet | None:
    """The cases a case metric's number stands for (None for suspensions and proposals: they list themselves)."""
    qs = records(user, metric, period, filters)
    if metric == "fines_collected":
        return Case.objects.filter(pk__in=qs.values("case_id")).select_related("organ", "enterprise", "site")
    if metric in ("filed", "decided", "fines_decided"):
        return qs.select_related("organ", "enterprise", "site")
    return None


@dataclass
class Figure:
    metric: str
    value: object
    url: str


@dataclass
class Row:
    label: str
    figures: list


def _url(metric: str, period: Period, filters: dict) -> str:
    return f"{reverse('enforcement:stats_list')}?{urlencode({'metric': metric, **period.params(), **filters})}"


def row(user, label: str, period: Period, filters: dict) -> Row:
    return Row(label, [Figure(m, value_of(m, records(user, m, period, filters)), _url(m, period, filters)) for m in METRICS])


def by_department(user, period: Period) -> list[Row]:
    """One row per department that has any record in the period (the departments come from the records)."""
    ids = set()
    for m in ("filed", "decided", "closures"):
        ids |= set(records(user, m, period).values_list("organ_id", flat=True))
    ids |= set(records(user, "fines_collected", period).values_list("case__organ_id", flat=True))
    ids |= {i for i in records(user, "suspensions", period).values_list("started_by__person__department_id", flat=True) if i}
    departments = Department.objects.filter(pk__in=ids).order_by("pk")
    return [row(user, d.name, period, {"organ": str(d.pk)}) for d in departments]


def by_industry(user, period: Period) -> list[Row]:
    ids, none = set(), False
    for m in ("filed", "decided", "suspensions"):
        found = set(records(user, m, period).values_list("site__industry_id", flat=True))
        none |= None in found
        ids |= found - {None}
    paid = set(records(user, "fines_collected", period).values_list("case__site__industry_id", flat=True))
    none |= None in paid
    ids |= paid - {None}
    rows = [row(user, i.name, period, {"industry": str(i.pk)}) for i in Industry.objects.filter(pk__in=ids).order_by("sort", "pk")]
    if none:
        rows.append(row(user, "未明确行业", period, {"industry": NO_INDUSTRY}))
    return rows


def totals(user, period: Period) -> Row:
    return row(user, "合计", period, {})


def table_rows(rows: list[Row]) -> list[list]:
    """Rows for the xlsx sheet: the label and each figure as a number (amounts in 元 with two decimals)."""
    return [[r.label, *[(Decimal(f.value).quantize(Decimal("0.01")) if f.metric in MONEY else f.value) for f in r.figures]]
            for r in rows]
