"""Document numbers (文号) and the names of issuing organs.

Format (GB/T 9704 7.2.4): 机关代字 + 代字 + 〔年份〕 + 序号 + 号, e.g. ``示应急责改〔2026〕12号``;
no leading zeros, the year in 六角括号.

The 机关代字 (abbreviation) follows one simple rule, stored on the counter the first time an
organ issues in a year and series (so a later rename never changes numbers already issued):

- a department: the first character of its territory's name + the department's short name
  (示范区 + 应急管理局 → ``示应急``; 住房和城乡建设局 → ``示住建``; 安委办 → ``示安委办``);
- a district, city or province (its 安委办 issuing in the territory's name): first character + 安委办
  (示范区 → ``示安委办``);
- a street, town or community: its name without the level suffix + 街/镇/乡/社区
  (东湖街道 → ``东湖街``).

Two organs may come out with the same 代字 by this rule (示范区 and 示范市 are both ``示安委办``);
the database keeps 代字 unique per year and series, so the organ that comes second takes the next
candidate: more of the territory's name (``示范安委办``), then all of it (``示范市安委办``), then the
organ's full name. An organ keeps the 代字 it already used when it starts a new year or series,
unless another organ holds it there.

Numbers are taken in ``next_number`` under ``SELECT … FOR UPDATE`` of the counter row; the row is
created race-free with INSERT … ON CONFLICT DO NOTHING first, so two first issues of a year wait
for each other instead of failing. Call it only inside the transaction that saves the document.
"""
from __future__ import annotations

from django.db import transaction

from anquan.orgs.models import DepartmentKind, UnitKind

from .models import DocumentCounter

DEPARTMENT_SHORT = {
    DepartmentKind.SAFETY_COMMITTEE: "安委办",
    DepartmentKind.EMERGENCY: "应急",
    DepartmentKind.CONSTRUCTION: "住建",
    DepartmentKind.TRANSPORT: "交通",
    DepartmentKind.FIRE: "消防",
    DepartmentKind.MARKET: "市监",
    DepartmentKind.EDUCATION: "教育",
    DepartmentKind.POLICE: "公安",
}
LOCAL_SUFFIXES = (("街道", "街"), ("镇", "镇"), ("乡", "乡"), ("社区", "社区"), ("村", "村"), ("网格", "网格"))
HIGH_KINDS = (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT)


def issuer_key(unit=None, department=None) -> str:
    return f"department:{department.pk}" if department is not None else f"unit:{unit.pk}"


def organ_name(unit=None, department=None) -> str:
    """The issuing organ's full name for the 版头 and 落款."""
    if department is not None:
        if department.name.startswith(department.unit.name):
            return department.name
        if department.kind == DepartmentKind.SAFETY_COMMITTEE:
            return f"{department.unit.name}安全生产委员会办公室"
        return f"{department.unit.name}{department.name}"
    if unit.kind in HIGH_KINDS:
        return f"{unit.name}安全生产委员会办公室"
    if unit.kind == UnitKind.STREET:
        return f"{unit.name}办事处" if unit.name.endswith("街道") else f"{unit.name}人民政府"
    if unit.kind == UnitKind.COMMUNITY:
        return f"{unit.name}委员会"
    return unit.name


def _stem(name: str) -> str:
    for suffix, short in LOCAL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + short
    return name


def abbreviation(unit=None, department=None) -> str:
    """The 机关代字 by the rule in this module's docstring."""
    if department is not None:
        short = DEPARTMENT_SHORT.get(department.kind)
        if short is None:
            short = department.name[:2]
        territory = department.unit
        if territory.kind in HIGH_KINDS:
            return territory.name[:1] + short
        return _stem(territory.name) + short
    if unit.kind in HIGH_KINDS:
        return unit.name[:1] + "安委办"
    return _stem(unit.name)


def candidates(unit=None, department=None) -> list[str]:
    """The 代字 to try, in order (see the module docstring)."""
    territory = department.unit if department is not None else unit
    rule = abbreviation(unit, department)
    if department is not None:
        short = DEPARTMENT_SHORT.get(department.kind) or department.name[:2]
        longer = [territory.name[:2] + short, territory.name + short]
    elif territory.kind in HIGH_KINDS:
        longer = [territory.name[:2] + "安委办", territory.name + "安委办"]
    else:
        longer = [territory.name]
    out: list[str] = []
    for c in [rule, *longer, organ_name(unit, department)]:
        c = c[:20]
        if c not in out:
            out.append(c)
    return out


def format_number(abbrev: str, series: str, year: int, seq: int) -> str:
    return f"{abbrev}{series}〔{year}〕{seq}号"


def next_number(*, unit=None, department=None, year: int, series: str) -> tuple[DocumentCounter, int, str]:
    """Take the next number of an organ's year and series: (counter, seq, 文号). Inside a transaction only."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("文号必须在保存公文的事务内取得")
    key = issuer_key(unit, department)
    mine = DocumentCounter.objects.filter(issuer_key=key)
    if not mine.filter(year=year, series=series).exists():
        used = list(mine.order_by("-year", "-id").values_list("abbreviation", flat=True)[:1])
        for abbrev in [*used, *candidates(unit, department)]:
            # ON CONFLICT DO NOTHING on either constraint: this organ's row already made by a racing issue,
            # or the 代字 held by another organ this year and series (then the next candidate).
            DocumentCounter.objects.bulk_create(
                [DocumentCounter(issuer_key=key, issuer_unit=None if department is not None else unit,
                                 issuer_department=department, year=year, series=series, abbreviation=abbrev)],
                ignore_conflicts=True,
            )
            if mine.filter(year=year, series=series).exists():
                break
        else:
            raise RuntimeError(f"no free 机关代字 for {key}")
    counter = DocumentCounter.objects.select_for_update().get(issuer_key=key, year=year, series=series)
    counter.last_seq += 1
    DocumentCounter.objects.filter(pk=counter.pk).update(last_seq=counter.last_seq)
    return counter, counter.last_seq, format_number(counter.abbreviation, series, year, counter.last_seq)
