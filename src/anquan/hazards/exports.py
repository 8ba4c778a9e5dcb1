"""Excel exports of the three lists (隐患清单、整改清单、责任清单), streamed.

Rows stream from the database (``iterator``) into ``jobs.xlsx``, which writes the sheet XML
straight into the zip, so memory stays flat and a 100,000-row ledger takes seconds
(docs/performance.md); a sheet holds at most 1,048,576 rows (one is the header), and the view
and the export job refuse more before writing anything. Columns are declared once per list here.

The 隐患清单 (``hazards``) reads only the columns it shows, as tuples (``values_list``: no model
instances, no related objects); its cells are computed by ``LEDGER_CELLS`` from those tuples and
must say exactly what ``COLUMNS["hazards"]`` says for a model row (test_exports checks both).
"""
from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable

from anquan.enterprises.exporter import MAX_ROWS, xlsx_response
from anquan.jobs.xlsx import write_xlsx

from .choices import OPEN_FOR_RECTIFIER, HazardLevel, HazardSource, HazardStatus

__all__ = ["COLUMNS", "MAX_ROWS", "export", "response", "verifier_of"]


def _name(user) -> str:
    if user is None:
        return ""
    return user.person.name if user.person_id else user.username


def _person(person) -> str:
    return person.name if person else ""


def finder_unit_of(h) -> str:
    """The unit that found it: a street/grid, a department, or the enterprise itself (自查)."""
    for obj in (h.finder_department, h.finder_unit, h.finder_enterprise):
        if obj is not None:
            return obj.name
    return ""


def verifier_of(h) -> str:
    """Who verified (or closed) it; empty while nobody has."""
    if h.closed_by_id:
        return _name(h.closed_by)
    for rnd in reversed(list(h.rounds.all())):
        if rnd.verified_by_id:
            return _name(rnd.verified_by)
    return ""


def _overdue_days(h, on: datetime.date):
    if h.status in OPEN_FOR_RECTIFIER and on > h.deadline_in_force:
        return (on - h.deadline_in_force).days
    return None


def _latest(h):
    rounds = list(h.rounds.all())
    return rounds[-1] if rounds else None


def _original(h):
    return h.deadline if h.deadline != h.deadline_in_force else None


Column = tuple[str, int, Callable]
COMMON_HEAD: list[Column] = [
    ("隐患编号", 18, lambda h, on: h.number),
    ("场所", 26, lambda h, on: h.site.name),
    ("企业", 30, lambda h, on: h.enterprise.name if h.enterprise_id else ""),
]
COLUMNS: dict[str, list[Column]] = {
    "hazards": [
        *COMMON_HEAD,
        ("所在网格", 16, lambda h, on: h.grid.name),
        ("发现日期", 12, lambda h, on: h.found_on),
        ("隐患类别", 16, lambda h, on: h.category.name if h.category_id else ""),
        ("隐患描述", 50, lambda h, on: h.description),
        ("具体位置", 20, lambda h, on: h.location),
        ("隐患来源", 10, lambda h, on: h.get_source_display()),
        ("隐患等级", 14, lambda h, on: h.get_level_display()),
        ("状态", 10, lambda h, on: h.get_status_display()),
        ("逾期天数", 9, _overdue_days),
        ("现行整改期限", 13, lambda h, on: h.deadline_in_force),
        ("原定整改期限（已延期时）", 13, lambda h, on: _original(h)),
        ("销号日期", 12, lambda h, on: h.closed_on),
    ],
    "rectification": [
        *COMMON_HEAD,
        ("隐患描述", 46, lambda h, on: h.description),
        ("隐患等级", 14, lambda h, on: h.get_level_display()),
        ("整改责任人", 12, lambda h, on: _person(h.responsible_person)),
        ("责任人电话", 14, lambda h, on: h.responsible_person.phone if h.responsible_person else ""),
        ("整改措施", 40, lambda h, on: h.measures),
        ("整改资金（元）", 12, lambda h, on: h.funds),
        ("现行整改期限", 13, lambda h, on: h.deadline_in_force),
        ("原定整改期限（已延期时）", 13, lambda h, on: _original(h)),
        ("应急预案/防范措施", 36, lambda h, on: h.contingency_plan),
        ("状态", 10, lambda h, on: h.get_status_display()),
        ("逾期天数", 9, _overdue_days),
        ("最近整改轮次", 8, lambda h, on: _latest(h).number if _latest(h) else None),
        ("最近提交时间", 17, lambda h, on: _local(_latest(h).submitted_at) if _latest(h) else None),
        ("最近验收结论", 10, lambda h, on: _latest(h).get_verdict_display() if _latest(h) else ""),
    ],
    "responsibility": [
        *COMMON_HEAD,
        ("隐患描述", 40, lambda h, on: h.description),
        ("隐患等级", 14, lambda h, on: h.get_level_display()),
        ("责任单位", 30, lambda h, on: h.enterprise.name if h.enterprise_id else f"{h.site.name}（无所属企业）"),
        ("整改责任人", 12, lambda h, on: _person(h.responsible_person)),
        ("责任人电话", 14, lambda h, on: h.responsible_person.phone if h.responsible_person else ""),
        ("发现人", 18, lambda h, on: "、".join(p.name for p in h.found_by.all())),
        ("发现单位", 22, lambda h, on: finder_unit_of(h)),
        ("登记人", 12, lambda h, on: _name(h.recorded_by)),
        ("验收人", 12, lambda h, on: verifier_of(h)),
        ("行业主管部门", 22, lambda h, on: h.department.name if h.department_id else ""),
        ("所在网格", 16, lambda h, on: h.grid.name),
        ("状态", 10, lambda h, on: h.get_status_display()),
    ],
}


def _local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


#: What the 隐患清单 reads from the database, in this order (``ledger_rows``).
LEDGER_FIELDS = ("number", "site__name", "enterprise__name", "grid__name", "found_on", "category__name", "description",
                 "location", "source", "level", "status", "deadline_in_force", "deadline", "closed_on")


def ledger_rows(queryset, on: datetime.date):
    """The 隐患清单's cells from tuples of LEDGER_FIELDS, in ``COLUMNS["hazards"]`` order."""
    sources, levels, statuses = ({k: str(v) for k, v in c.choices} for c in (HazardSource, HazardLevel, HazardStatus))
    open_ = set(OPEN_FOR_RECTIFIER)
    for (number, site, enterprise, grid, found_on, category, description, location, source, level, status,
         in_force, deadline, closed_on) in queryset.values_list(*LEDGER_FIELDS).iterator(chunk_size=2000):
        yield (number, site, enterprise or "", grid, found_on, category or "", description, location,
               sources.get(source, source), levels.get(level, level), statuses.get(status, status),
               (on - in_force).days if status in open_ and on > in_force else None, in_force,
               deadline if deadline != in_force else None, closed_on)


def export(kind: str, title: str, queryset, on: datetime.date):
    """Write ``queryset`` (already scoped and filtered) as the list ``kind``; the open temp file, at its start."""
    columns = COLUMNS[kind]
    if kind == "hazards":
        rows = ledger_rows(queryset, on)
    else:
        rows = ([getter(hazard, on) for _, _, getter in columns] for hazard in queryset.iterator(chunk_size=2000))
    return write_xlsx(title, [c[0] for c in columns], [c[1] for c in columns], rows,
                      out=tempfile.TemporaryFile(suffix=".xlsx"))


def response(kind: str, title: str, queryset, on: datetime.date):
    stream = export(kind, title, queryset, on)
    return xlsx_response(stream, f"{title}_{on:%Y%m%d}.xlsx", f"hazards_{kind}_{on:%Y%m%d}.xlsx")
