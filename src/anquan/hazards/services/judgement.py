"""Judging a hazard 重大 against the 重大事故隐患判定标准 in force for its site (issue 12).

Which criteria apply: the published libraries (``Checklist`` of kind 判定标准) whose industries include
the site's industry or its parent (a 冶金 site is also 工贸) — or that name no industry — and that were
in force on the day the hazard was found (Asia/Shanghai date: ``effective_from`` ≤ day ≤ ``effective_to``);
of one code only the highest version in force counts (a newer version replaces the older). Within
a library an item naming industries (工贸 §4–§10) applies only to sites of those sub-sectors.

How it is judged is ``criteria_libraries.judge`` (written once, on plain data): the database rows
are turned back into a ``Library`` so that a locality's own version is judged like a statutory one.
A "并且" item holds only when every condition is affirmed; combined elements (GB 35181 ch. 6) count
toward the library's combined rules for the place kind, and the rule that fired is named.

The hazard records the outcome in ``Hazard.judgement`` (and the direct item, or the first element
of the fired rule, in ``Hazard.criterion``), audited with the hazard's change.
"""
from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Prefetch, Q

from anquan.core.errors import Invalid
from anquan.core.services import safe_id

from ..criteria_libraries import CombinedRule as RuleData
from ..criteria_libraries import Condition, Item, Library
from ..criteria_libraries import judge as judging
from ..models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, CombinedRule


def industry_codes(industry) -> tuple[str, ...]:
    """The codes a library may name for ``industry`` (an ``orgs.Industry``, a code or None): its own and its parent's."""
    if industry is None:
        return ()
    if isinstance(industry, str):
        from anquan.orgs.models import Industry

        row = Industry.objects.select_related("parent").filter(code=industry).first()
        return row.codes() if row is not None else (industry,)
    return industry.codes()


def _dates_q(found_on: datetime.date) -> Q:
    return ((Q(effective_from__isnull=True) | Q(effective_from__lte=found_on))
            & (Q(effective_to__isnull=True) | Q(effective_to__gte=found_on)))


def _industry_q(codes) -> Q:
    everyone = Q(industry__isnull=True, industries__isnull=True)
    return everyone | Q(industry__code__in=codes) | Q(industries__code__in=codes)


def _owner_q(unit) -> Q:
    """National libraries, and a locality's own where the site lies within it (``unit``: the site's grid)."""
    national = Q(owner_unit__isnull=True)
    return national | Q(owner_unit_id__in=unit.ancestor_ids()) if unit is not None else national


def checklists_in_force(industry, found_on: datetime.date, unit=None) -> list[Checklist]:
    """The published 判定标准 applicable to a site of ``industry`` (in ``unit``: a locality's own criteria
    apply within its territory) for a hazard found on ``found_on`` (highest version per code), with
    their items and combined rules prefetched."""
    codes = industry_codes(industry)
    ids = (Checklist.objects.filter(kind=ChecklistKind.MAJOR_CRITERIA, status=ChecklistStatus.PUBLISHED)
           .filter(_dates_q(found_on)).filter(_industry_q(codes)).filter(_owner_q(unit))
           .values_list("pk", flat=True).distinct())
    rows = (Checklist.objects.filter(pk__in=list(ids)).prefetch_related(
        "industries", Prefetch("items", queryset=ChecklistItem.objects.select_related("category").order_by("sort", "id")),
        Prefetch("combined_rules", queryset=CombinedRule.objects.prefetch_related("elements")))
        .order_by("code", "-version"))
    newest: dict[str, Checklist] = {}
    for row in rows:
        newest.setdefault(row.code, row)
    return list(newest.values())


def item_applies(item: ChecklistItem, codes) -> bool:
    return not item.industries or bool(set(codes) & set(item.industries))


def applicable_items(industry, found_on: datetime.date, unit=None) -> list[tuple[Checklist, list[ChecklistItem]]]:
    """[(library, its items that apply to the site)] — what the recording form and the checklist offer."""
    codes = industry_codes(industry)
    out = []
    for checklist in checklists_in_force(industry, found_on, unit):
        items = [i for i in checklist.items.all() if item_applies(i, codes)]
        if items:
            out.append((checklist, items))
    return out


def as_library(checklist: Checklist) -> Library:
    """The database version of a library as the plain data ``judge`` reads."""
    industries = tuple(i.code for i in checklist.industries.all()) or (
        (checklist.industry.code,) if checklist.industry_id else ())
    return Library(
        code=checklist.code, version=checklist.version, name=checklist.name, industries=industries,
        basis=checklist.basis, effective_from=checklist.effective_from or datetime.date.min,
        effective_to=checklist.effective_to, expected_count=checklist.expected_count or 0,
        items=tuple(Item(i.number, i.text, i.basis, i.category.code if i.category_id else "",
                         tuple(Condition(c.get("key", ""), c.get("text", "")) for c in i.conditions or ()),
                         tuple(i.industries or ()), i.combined, i.source_note) for i in checklist.items.all()),
        combined_rules=tuple(RuleData(r.number, r.text, r.basis, r.min_elements,
                                      tuple(e.number for e in r.elements.all()), tuple(r.place_kinds or ()))
                             for r in checklist.combined_rules.all()),
        exclusions=tuple(checklist.exclusions or ()), missing=tuple(tuple(m) for m in checklist.missing or ()),
        notes=checklist.notes,
    )


def _span(checklist) -> str:
    start = f"{checklist.effective_from:%Y-%m-%d}" if checklist.effective_from else "—"
    end = f"{checklist.effective_to:%Y-%m-%d}" if checklist.effective_to else "现行有效"
    return f"{start}至{end}" if checklist.effective_to else f"{start}起施行"


def refusal(item: ChecklistItem, industry, found_on: datetime.date, unit=None) -> str | None:
    """Why ``item`` may not judge a hazard of a site of ``industry`` found on ``found_on`` (None: it may)."""
    checklist = item.checklist
    title = f"《{checklist.name}》（第{checklist.version}版）第{item.number}项"
    if checklist.kind != ChecklistKind.MAJOR_CRITERIA or checklist.status != ChecklistStatus.PUBLISHED:
        return f"{title}不是现行有效的重大事故隐患判定标准条款（{checklist.get_status_display()}）"
    in_force = checklists_in_force(industry, found_on, unit)
    if not any(c.pk == checklist.pk for c in in_force):
        if not Checklist.objects.filter(pk=checklist.pk).filter(_owner_q(unit)).exists():
            return f"{title}是{checklist.owner_unit}发布的本地判定标准，只适用于其辖区内的场所"
        if not Checklist.objects.filter(pk=checklist.pk).filter(_dates_q(found_on)).exists():
            return f"{title}的施行期间为{_span(checklist)}，不适用于{found_on:%Y-%m-%d}发现的隐患，请选择当日有效的判定标准"
        if not Checklist.objects.filter(pk=checklist.pk).filter(_industry_q(industry_codes(industry))).distinct().exists():
            names = "、".join(i.name for i in checklist.industries.all()) or (checklist.industry.name if checklist.industry_id else "")
            return f"{title}适用于{names}，不适用于该场所所属行业，请选择该行业的判定标准"
        return f"{title}已有更新版本，请按{found_on:%Y-%m-%d}有效的最新版本判定"
    if not item_applies(item, industry_codes(industry)):
        return f"{title}只适用于特定行业（{'、'.join(item.industries)}），该场所所属行业不适用"
    return None


class Judgement(NamedTuple):
    major: bool
    item: ChecklistItem | None   # stored in Hazard.criterion: the direct item, or the first element of the rule
    record: dict                 # stored in Hazard.judgement
    reasons: tuple[str, ...]


def _item(pk) -> ChecklistItem | None:
    return ChecklistItem.objects.select_related("checklist", "checklist__industry").filter(pk=safe_id(pk) or 0).first()


def judge_items(*, industry, found_on: datetime.date, criterion=None, conditions=None, elements=(),
                place_kind: str | None = None, field: str = "criterion", unit=None) -> Judgement:
    """Judge a finding: ``criterion`` (an item id) with the ``conditions`` affirmed (keys of its "并且"
    conditions; None = the item has none or all are affirmed by the checklist item), and/or combined
    ``elements`` (item ids of one library) for ``place_kind``.

    Raises ``Invalid`` when an item does not exist or may not judge this hazard (date, industry);
    a "并且" item missing a condition or too few combined elements give ``major=False`` with the reasons.
    """
    picked = []
    if criterion:
        item = _item(criterion)
        if item is None:
            raise Invalid({field: ["所选判定标准条款不存在"]})
        picked.append(item)
    element_rows = []
    for pk in elements or ():
        row = _item(pk)
        if row is None:
            raise Invalid({"elements": ["所选综合判定要素不存在"]})
        element_rows.append(row)
    for row in picked + element_rows:
        why = refusal(row, industry, found_on, unit)
        if why:
            raise Invalid({field if row in picked else "elements": [why]})
    libraries = {row.checklist_id for row in picked + element_rows}
    if len(libraries) > 1:
        raise Invalid({"elements": ["一次只能按一个判定标准判定：所选条款和综合判定要素须属于同一判定标准"]})
    if not libraries:
        return Judgement(False, None, {}, ())
    checklist = next(c for c in checklists_in_force(industry, found_on, unit) if c.pk in libraries)
    library = as_library(checklist)
    present: dict[str, object] = {}
    for row in picked:
        present[row.number] = True if conditions is None or not row.conditions else list(conditions)
    for row in element_rows:
        present[row.number] = True
    verdict = judging.judge(library, present, industry=industry_codes(industry), place_kind=place_kind)
    by_number = {i.number: i for i in checklist.items.all()}
    rule = next((r for r in checklist.combined_rules.all() if r.number == verdict.rule), None)
    if verdict.major:
        stored = by_number[verdict.items[0]] if verdict.items else by_number[sorted(
            (n for n in present if by_number[n].combined), key=lambda n: by_number[n].sort)[0]]
    else:
        stored = None
    record = {
        "major": verdict.major,
        "checklist_id": checklist.pk, "code": checklist.code, "version": checklist.version, "library": checklist.name,
        "found_on": found_on.isoformat(),
        "items": list(verdict.items),
        "conditions": {row.number: (sorted(conditions) if conditions is not None else [c["key"] for c in row.conditions])
                       for row in picked if row.conditions},
        "elements": sorted(n for n in present if by_number[n].combined),
        "rule": rule.number if rule else None, "rule_text": rule.text if rule else "",
        "place_kind": place_kind or "",
        "reasons": list(verdict.reasons),
    }
    return Judgement(verdict.major, stored, record, verdict.reasons)


def describe(record: dict) -> str:
    """The judgement in one Chinese sentence (the hazard page, the audit reason)."""
    if not record or not record.get("major"):
        return ""
    head = f"《{record.get('library', '')}》（第{record.get('version', '')}版）"
    if record.get("items"):
        parts = []
        for number in record["items"]:
            keys = record.get("conditions", {}).get(number)
            parts.append(f"第{number}项" + (f"（同时具备情形{'、'.join(keys)}）" if keys else ""))
        return f"符合{head}" + "、".join(parts)
    return f"按{head}综合判定规则{record.get('rule')}判定（具备综合判定要素{'、'.join(record.get('elements', []))}）"


def successor(item: ChecklistItem) -> ChecklistItem | None:
    """The item of the library now used for a retired thin seed's item (an inspection template cites
    the thin GB 35181 seed; GB 35181-2025 gives the mapping ``THIN_V1_TO_2025`` when its module is there)."""
    if item.checklist.status != ChecklistStatus.RETIRED or item.checklist.code != "gb35181" or item.checklist.version != 1:
        return None
    try:
        from ..criteria_libraries.fire_2025 import THIN_V1_TO_2025
    except ImportError:
        return None
    number = THIN_V1_TO_2025.get(item.number)
    if isinstance(number, (list, tuple)):
        number = number[0] if number else None
    if not number:
        return None
    return ChecklistItem.objects.select_related("checklist").filter(
        checklist__code="gb35181", checklist__version=2, number=number).first()


def for_checklist_item(criterion, *, industry, found_on: datetime.date, unit=None) -> Judgement:
    """An inspection item's ``major_criterion`` judges the hazard its 不符合 raises only when in force on the
    day found and applicable to the site's industry (a retired thin seed's item stands for its successor);
    otherwise the hazard stays 一般 and the judgement says why."""
    item = _item(criterion)
    if item is None:
        return Judgement(False, None, {}, ())
    item = successor(item) or item
    why = refusal(item, industry, found_on, unit)
    if why:
        return Judgement(False, None, {"major": False, "refused": why, "found_on": found_on.isoformat()}, (why,))
    return judge_items(industry=industry, found_on=found_on, criterion=item.pk, conditions=None, unit=unit)


def record_for(item: ChecklistItem, found_on: datetime.date) -> dict:
    """The judgement record of a plain item held with all its conditions (the demo generator, which writes
    rows directly; the services build it through ``judge_items``)."""
    checklist = item.checklist
    return {
        "major": True, "checklist_id": checklist.pk, "code": checklist.code, "version": checklist.version,
        "library": checklist.name, "found_on": found_on.isoformat(), "items": [item.number],
        "conditions": {item.number: [c["key"] for c in item.conditions]} if item.conditions else {},
        "elements": [], "rule": None, "rule_text": "", "place_kind": "", "reasons": [],
    }
