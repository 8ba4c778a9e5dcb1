"""Every read of hazard lists: scoped with ``visible_to``, filtered by one set of query-string names.

Why one filter function: a number on a dashboard links to ``/hazards/?<params>``, and the list
page must then show exactly the records that number counted. Pages, the API, exports, the
statistics (``stats``) and the statutory report all filter through ``filter_hazards``, so a
figure and its list cannot drift apart.

The params convention (query-string names; every one optional, values are strings as in
``request.GET``; a dict or a QueryDict both work; unknown names such as ``page`` or ``q`` are
ignored here — free-text search is the list page's own)::

    status        pending | rectifying | awaiting_verification | closed, several joined by
                  commas ("pending,rectifying"), or "open" (= not closed)
    level         general | major
    source        self | industry | territorial | grid | expert | supervision | public | media
    overdue       1 = overdue today (rules.deadlines.overdue_q: deadline in force passed and
                  still 待整改/整改中); 0 = not overdue
    closed        1 = 已销号; 0 = not closed
    on_time       1 = closed on time (Hazard.closed_on_time); 0 = closed late
    listed        1 = under listed supervision now (a listing not yet 摘牌); 0 = not
    immediate     1 = 立查立改; 0 = not
    unit          OrgUnit id: hazards whose grid lies in that unit's subtree (grid_path prefix);
                  a unit the user cannot see matches nothing
    industry      Industry id, or "none" (no industry)
    category      HazardCategory id: that category and its subtree (path prefix); or "none"
    department    Department id of the responsible (行业主管) department
    enterprise    Enterprise id;  site: Site id
    found_from, found_to     YYYY-MM-DD, inclusive, on the finding date (found_on)
    closed_from, closed_to   YYYY-MM-DD, inclusive, on the closing date (closed_on)
    include_voided           1 = include voided (作废) records; by default they are left out
    verifiable    1 = 待验收 that waits on the user: awaiting verification, one of the user's
                  assignments may verify it and it waits on that assignment (who-found-it rule;
                  the 安委办 only for what its own level found: ``services.common.waiting_q``), and
                  the user did not submit the pending round; needs ``user`` (without: nothing)

A value that cannot mean anything (an unknown status, a malformed date or id) matches
nothing rather than being ignored: a wrong link shows an empty list, never everything.
"""
from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from anquan.core.services import safe_id
from anquan.orgs.models import OrgUnit
from anquan.rules.calendar import today as shanghai_today
from anquan.rules.deadlines import overdue_q

from .choices import HazardLevel, HazardSource, HazardStatus
from .models import Hazard, HazardCategory, ListedSupervision

#: Every query-string name ``filter_hazards`` understands (pages build their forms from it).
HAZARD_FILTERS = (
    "status", "level", "source", "overdue", "closed", "on_time", "listed", "immediate", "unit", "industry",
    "category", "department", "enterprise", "site", "found_from", "found_to", "closed_from", "closed_to",
    "include_voided", "verifiable",
)
#: Columns the lists show, fetched with the rows (no query per row).
LIST_RELATED = ("site", "enterprise", "grid", "category", "industry", "department", "responsible_person")


class _Nothing(Exception):
    """A filter value that cannot match anything."""


def _flag(value) -> bool:
    if value in ("1", 1, True, "true"):
        return True
    if value in ("0", 0, False, "false"):
        return False
    raise _Nothing


def _id(value) -> int:
    pk = safe_id(value)
    if pk is None:
        raise _Nothing
    return pk


def _date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _Nothing from None


def _choice(value, choices) -> str:
    if value not in choices.values:
        raise _Nothing
    return value


def _statuses(value) -> Q:
    if value == "open":
        return ~Q(status=HazardStatus.CLOSED)
    return Q(status__in=[_choice(v.strip(), HazardStatus) for v in str(value).split(",")])


def _unit_path(value, user) -> str:
    units = OrgUnit.objects.visible_to(user) if user is not None else OrgUnit.objects.all()
    path = units.filter(pk=_id(value)).values_list("path", flat=True).first()
    if path is None:
        raise _Nothing
    return path


def _category_q(value) -> Q:
    if value == "none":
        return Q(category__isnull=True)
    path = HazardCategory.objects.filter(pk=_id(value)).values_list("path", flat=True).first()
    if path is None:
        raise _Nothing
    return Q(category__path__startswith=path)


def _nullable_fk(field: str, value) -> Q:
    return Q(**{f"{field}__isnull": True}) if value == "none" else Q(**{f"{field}_id": _id(value)})


def _q(name: str, value, today: datetime.date, user) -> Q:
    """The condition one query-string name stands for (raises _Nothing for a meaningless value)."""
    if name == "status":
        return _statuses(value)
    if name == "level":
        return Q(level=_choice(value, HazardLevel))
    if name == "source":
        return Q(source=_choice(value, HazardSource))
    if name == "overdue":
        return overdue_q(today) if _flag(value) else ~overdue_q(today)
    if name == "closed":
        return Q(status=HazardStatus.CLOSED) if _flag(value) else ~Q(status=HazardStatus.CLOSED)
    if name == "on_time":
        return Q(status=HazardStatus.CLOSED, closed_on_time=_flag(value))
    if name == "listed":
        active = Exists(ListedSupervision.objects.filter(hazard=OuterRef("pk"), delisted_at__isnull=True))
        return Q(active) if _flag(value) else ~Q(active)
    if name == "immediate":
        return Q(immediate=_flag(value))
    if name == "unit":
        return Q(grid_path__startswith=_unit_path(value, user))
    if name in ("industry", "department"):
        return _nullable_fk(name, value)
    if name == "category":
        return _category_q(value)
    if name in ("enterprise", "site"):
        return Q(**{f"{name}_id": _id(value)})
    if name == "verifiable":
        return _verifiable_q(user) if _flag(value) else Q()
    if name in ("found_from", "closed_from"):
        return Q(**{f"{name[:-5]}_on__gte": _date(value)})
    if name in ("found_to", "closed_to"):
        return Q(**{f"{name[:-3]}_on__lte": _date(value)})
    return Q()


def _verifiable_q(user) -> Q:
    from .models import RectificationRound
    from .services.common import overseen_q

    if user is None:
        raise _Nothing
    mine = RectificationRound.objects.filter(hazard=OuterRef("pk"), verdict="pending", submitted_by=user)
    return Q(status=HazardStatus.AWAITING) & overseen_q(user, "hazard.verify", waiting=True) & ~Q(Exists(mine))


def filter_hazards(qs: QuerySet[Hazard], params, today: datetime.date | None = None, *, user=None) -> QuerySet[Hazard]:
    """``qs`` narrowed by ``params`` (the convention in this module's docstring).

    ``today`` (Asia/Shanghai, default now) decides ``overdue``; ``user``, when given, limits
    ``unit`` to units the user can see. Does not scope by itself: pass a scoped queryset
    (``hazard_list`` does) — statistics pass the queryset they already count.
    """
    params = params or {}
    today = today or shanghai_today()
    if not _flag_or_false(params.get("include_voided")):
        qs = qs.filter(voided_at__isnull=True)
    try:
        for name in HAZARD_FILTERS:
            value = params.get(name)
            if value in (None, "") or name == "include_voided":
                continue
            qs = qs.filter(_q(name, value, today, user))
    except _Nothing:
        return qs.none()
    return qs


def _flag_or_false(value) -> bool:
    try:
        return _flag(value)
    except _Nothing:
        return False


#: The order of every hazard list, by urgency: overdue first, then the other open hazards, then the
#: closed ones (a hazard closed in 2025 must not sit above one due next week), each by the deadline in
#: force, then by id. ``overdue_rank`` is that group (0, 1, 2; ``_overdue_rank``).
LIST_ORDER = ("overdue_rank", "deadline_in_force", "id")
#: Counts stop here: beyond it a list says "10000+" (``capped_count``).
COUNT_CAP = 10_000


def _groups(today: datetime.date) -> tuple[Q, Q, Q]:
    """The three groups of the list order: overdue, open but not overdue, closed."""
    closed = Q(status=HazardStatus.CLOSED)
    return overdue_q(today), ~overdue_q(today) & ~closed, closed


def _overdue_rank(today: datetime.date) -> Case:
    overdue, _open, closed = _groups(today)
    return Case(When(overdue, then=Value(0)), When(closed, then=Value(2)), default=Value(1), output_field=IntegerField())


def hazard_list(user, params=None, action: str = "view", today: datetime.date | None = None) -> QuerySet[Hazard]:
    """The hazards ``user`` may see (or do ``action`` on), filtered by ``params``, by urgency
    (``LIST_ORDER``: overdue, other open, closed; each by deadline), with the list columns' related rows selected."""
    today = today or shanghai_today()
    qs = filter_hazards(Hazard.objects.visible_to(user, action), params, today, user=user)
    return qs.annotate(overdue_rank=_overdue_rank(today)).select_related(*LIST_RELATED).order_by(*LIST_ORDER)


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """``(n, capped)``: the number of rows of ``qs``, counting at most ``cap + 1`` of them.

    An exact ``count(*)`` of a province's open hazards walks every one of them; nobody pages
    past a few hundred, so a list counts ``SELECT count(*) FROM (SELECT 1 … LIMIT cap+1)`` and,
    when there are more than ``cap``, answers ``(cap, True)`` — shown as "10000+".
    """
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


class CappedPaginator(Paginator):
    """A Django paginator whose ``count`` stops at COUNT_CAP (``capped`` tells; pages show "10000+")."""

    capped = False

    @cached_property
    def count(self) -> int:
        n, self.capped = capped_count(self.object_list)
        return n


#: From this offset on, a page is cut from one of the two halves of the order (see ``page_rows``).
DEEP_OFFSET = 1000


def _page_ids(qs: QuerySet[Hazard], offset: int, limit: int, today: datetime.date) -> QuerySet:
    """The ids of rows ``offset … offset+limit`` of ``qs`` in the list order, as a sub-select.

    The order is overdue first, then the other open hazards, then the closed ones, each by
    (deadline in force, id). Near the top that is one top-N sort over the ids (of the open
    hazards, for open lists). Deep pages of long lists (page 200 of all a district's hazards)
    would sort tens of thousands of ids to skip most of them, so from DEEP_OFFSET on the order
    is taken as what it is — three groups one after the other, each by (deadline, id) — and a
    page that lies inside one group is cut from it alone, which an index on (deadline in force,
    id) returns already sorted; counting the groups before it costs one or two small queries
    (overdue on the open-hazard index, closed by status). A page across two groups is sorted whole.
    """
    ordered = ("deadline_in_force", "id")
    if offset >= DEEP_OFFSET:
        start = 0
        for n, group in enumerate(_groups(today)):
            part = qs.filter(group)
            size = part.order_by().count() if n < 2 else None  # the last group is the rest
            if size is not None and offset >= start + size:
                start += size
                continue
            if size is None or offset + limit <= start + size:
                return part.order_by(*ordered).values("pk")[offset - start: offset - start + limit]
            break
    return qs.order_by(*LIST_ORDER).values("pk")[offset: offset + limit]


def page_rows(qs: QuerySet[Hazard], offset: int, limit: int, related=LIST_RELATED,
              today: datetime.date | None = None, only: tuple[str, ...] | None = None) -> list[Hazard]:
    """Rows ``offset … offset+limit`` of a ``hazard_list`` queryset, by a deferred join.

    Sorting whole rows (every column and the joined rows) to skip 9,950 of them for page 200
    spills to disk; sorting only the ids does not. So ONE statement: the ids of the page,
    sorted and sliced in a sub-select of ``qs`` (its scope and filters; ``_page_ids``), and the
    full rows with their related rows fetched by primary key, sorted again (only ``limit`` rows)
    in the same order. ``qs`` must be annotated with ``overdue_rank`` for ``today`` (``hazard_list``).
    ``only``: the fields to load (``Hazard`` fields and ``related__field``), when the caller knows
    exactly what it reads — fewer columns to transfer, parse and turn into objects.
    """
    today = today or shanghai_today()
    ids = _page_ids(qs, offset, limit, today)
    page = (Hazard.objects.filter(pk__in=ids).annotate(overdue_rank=_overdue_rank(today))
            .select_related(*related).order_by(*LIST_ORDER))
    if only:
        page = page.only(*only)
    return list(page)


def clean_params(params) -> dict[str, str]:
    """Only the filter names, without empty values, as strings (what a link carries)."""
    params = params or {}
    out = {}
    for name in HAZARD_FILTERS:
        value = params.get(name)
        if value not in (None, ""):
            out[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return out


def list_url(params) -> str:
    """``/hazards/?<params>`` for a figure's records (names in HAZARD_FILTERS order, so links are stable)."""
    try:
        base = reverse("hazards:list")
    except NoReverseMatch:  # before the pages are mounted
        base = "/hazards/"
    query = urlencode(clean_params(params))
    return f"{base}?{query}" if query else base
