"""The criteria API (/api/v1/hazards/criteria): the 重大事故隐患判定标准 libraries with their items,
"并且" conditions, combined rules, exclusions, missing items, effective dates and sources, and a
judgement of a finding on plain data (the same ``criteria_libraries.judge`` the recording uses).

Registered before the hazard router (anquan/api.py) so that ``/hazards/criteria`` is not read as a
hazard id. The libraries are reference data: any signed-in user may read them.

Do not add ``from __future__ import annotations`` here: ninja reads these annotations at run time.
"""

import datetime
from typing import Annotated

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema

from anquan.core.api_support import AUTH, Id
from anquan.core.errors import Invalid, NotFound
from anquan.orgs.models import Industry
from anquan.rules.calendar import today

from .criteria_libraries import judge as judging
from .models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, CombinedRule
from .services import judgement

router = Router(auth=AUTH, tags=["重大事故隐患判定标准"])

Code = Annotated[str, Field(max_length=40)]


class CriteriaFilter(Schema):
    industry: Code | None = Field(None, description="行业代码（如industry_trade、gm_metallurgy、construction）；子行业同时适用上级行业的判定标准")
    on: datetime.date | None = Field(None, description="发现日期（默认今天）：只列出当日有效的判定标准")


class CriteriaConditionOut(Schema):
    key: str
    text: str


class CriteriaItemOut(Schema):
    id: int
    number: str
    text: str
    basis: str
    category: str | None
    conditions: list[CriteriaConditionOut]
    industries: list[str]
    combined: bool
    source_note: str


class CriteriaRuleOut(Schema):
    number: str
    text: str
    basis: str
    min_elements: int
    elements: list[str]
    place_kinds: list[str]


class CriteriaMissingOut(Schema):
    number: str
    why: str


class CriteriaLibraryOut(Schema):
    id: int
    code: str
    version: int
    name: str
    status: str
    basis: str
    industries: list[str]
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    expected_count: int | None
    exclusions: list[str]
    missing: list[CriteriaMissingOut]
    notes: str
    items: list[CriteriaItemOut]
    combined_rules: list[CriteriaRuleOut]


Answer = bool | Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=20)]


class CriteriaJudgeIn(Schema):
    industry: Code = Field(description="场所所属行业代码")
    found_on: datetime.date = Field(description="隐患发现日期（按当日有效的判定标准判定）")
    present: Annotated[dict[Annotated[str, Field(max_length=20)], Answer], Field(max_length=200)] = Field(
        description="发现的情形：条款号 → true（具备），或“并且”条款已具备的情形代号列表")
    place_kind: Code | None = Field(None, description="综合判定的场所类别（行业代码，如crowded）")
    library: Code | None = Field(None, description="只按该判定标准（code）判定")


class CriteriaVerdictOut(Schema):
    library_id: int
    code: str
    version: int
    name: str
    major: bool
    items: list[str]
    rule: str | None
    rule_text: str
    reasons: list[str]


class CriteriaRefusalOut(Schema):
    number: str
    reason: str


class CriteriaJudgeOut(Schema):
    major: bool
    industry: str
    found_on: datetime.date
    libraries: list[str] = Field(description="当日适用于该行业的判定标准（code:version）")
    verdicts: list[CriteriaVerdictOut]
    refused: list[CriteriaRefusalOut] = Field(description="不能据以判定的条款号及原因（不在适用的判定标准中、未施行或不适用于该行业）")


class CriteriaConditionIn(Schema):
    key: Annotated[str, Field(max_length=10)]
    text: Annotated[str, Field(max_length=300)]


class CriteriaItemIn(Schema):
    number: Annotated[str, Field(max_length=20)]
    text: Annotated[str, Field(max_length=2000)]
    basis: Annotated[str, Field(max_length=300)] = Field(description="出处：文件名称、文号和条款")
    category: Code | None = Field(None, description="隐患类别代码（GB/T 13861或行业子类）")
    conditions: Annotated[list[CriteriaConditionIn], Field(max_length=20)] = Field(
        default_factory=list, description="“并且”：须同时具备的各项情形")
    industries: Annotated[list[Code], Field(max_length=20)] = Field(default_factory=list)


class CriteriaPublishIn(Schema):
    code: Code | None = Field(None, description="为本级已发布的判定标准发布新版本时填其代码；不填则新建")
    name: Annotated[str, Field(max_length=200)]
    basis: Annotated[str, Field(max_length=300)] = Field(description="依据文件（名称、文号、施行日期）")
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    industries: Annotated[list[Code], Field(max_length=30)] = Field(default_factory=list, description="适用行业代码；空为所有行业")
    notes: Annotated[str, Field(max_length=2000)] = ""
    items: Annotated[list[CriteriaItemIn], Field(min_length=1, max_length=300)]


def _industry(code: str | None) -> Industry | None:
    if not code:
        return None
    row = Industry.objects.select_related("parent").filter(code=code).first()
    if row is None:
        raise Invalid({"industry": [f"行业代码“{code}”不存在"]})
    return row


def _library_out(c: Checklist) -> dict:
    return {
        "id": c.pk, "code": c.code, "version": c.version, "name": c.name, "status": c.status, "basis": c.basis,
        "industries": [i.code for i in c.industries.all()] or ([c.industry.code] if c.industry_id else []),
        "effective_from": c.effective_from, "effective_to": c.effective_to, "expected_count": c.expected_count,
        "exclusions": list(c.exclusions or []),
        "missing": [{"number": str(m[0]), "why": str(m[1]) if len(m) > 1 else ""} for m in c.missing or []],
        "notes": c.notes,
        "items": [{"id": i.pk, "number": i.number, "text": i.text, "basis": i.basis,
                   "category": i.category.code if i.category_id else None,
                   "conditions": [{"key": x.get("key", ""), "text": x.get("text", "")} for x in i.conditions or []],
                   "industries": list(i.industries or []), "combined": i.combined, "source_note": i.source_note}
                  for i in c.items.all()],
        "combined_rules": [{"number": r.number, "text": r.text, "basis": r.basis, "min_elements": r.min_elements,
                            "elements": [e.number for e in r.elements.all()], "place_kinds": list(r.place_kinds or [])}
                           for r in c.combined_rules.all()],
    }


def _prefetched(qs):
    return qs.select_related("industry").prefetch_related(
        "industries", Prefetch("items", queryset=ChecklistItem.objects.select_related("category").order_by("sort", "id")),
        Prefetch("combined_rules", queryset=CombinedRule.objects.prefetch_related("elements")))


@router.get("/hazards/criteria", response=list[CriteriaLibraryOut],
            summary="重大事故隐患判定标准（按行业和日期：条款、“并且”情形、综合判定规则、不适用情形、缺失条款、施行日期和出处）")
def list_criteria(request, filters: Query[CriteriaFilter]):
    on = filters.on or today()
    industry = _industry(filters.industry)
    if industry is not None:
        ids = [c.pk for c in judgement.checklists_in_force(industry, on)]
        rows = _prefetched(Checklist.objects.filter(pk__in=ids)).order_by("code", "version")
        codes = industry.codes()
        out = []
        for c in rows:
            data = _library_out(c)
            data["items"] = [i for i, row in zip(data["items"], c.items.all(), strict=True) if judgement.item_applies(row, codes)]
            out.append(data)
        return out
    rows = _prefetched(Checklist.objects.filter(kind=ChecklistKind.MAJOR_CRITERIA, status=ChecklistStatus.PUBLISHED)
                       .filter(judgement._dates_q(on))).order_by("code", "version")
    return [_library_out(c) for c in rows]


@router.post("/hazards/criteria/judge", response=CriteriaJudgeOut,
             summary="按发现日期和行业判定是否构成重大事故隐患（不登记，只给出判定结论和理由）")
def judge_criteria(request, payload: CriteriaJudgeIn):
    industry = _industry(payload.industry)
    checklists = judgement.checklists_in_force(industry, payload.found_on)
    if payload.library:
        checklists = [c for c in checklists if c.code == payload.library]
    codes = industry.codes()
    verdicts, matched = [], set()
    for checklist in checklists:
        library = judgement.as_library(checklist)
        numbers = {i.number for i in library.items}
        present = {n: a for n, a in payload.present.items() if n in numbers}
        if not present:
            continue
        for n in present:
            item = next(i for i in library.items if i.number == n)
            if judging.item_applies(item, codes):
                matched.add(n)
        verdict = judging.judge(library, present, industry=codes, place_kind=payload.place_kind)
        rule = next((r for r in library.combined_rules if r.number == verdict.rule), None)
        verdicts.append({"library_id": checklist.pk, "code": checklist.code, "version": checklist.version,
                         "name": checklist.name, "major": verdict.major, "items": list(verdict.items), "rule": verdict.rule,
                         "rule_text": rule.text if rule else "", "reasons": list(verdict.reasons)})
    refused = [{"number": n, "reason": _why_not(n, industry, payload.found_on, payload.library)}
               for n in payload.present if n not in matched]
    return {"major": any(v["major"] for v in verdicts), "industry": industry.code, "found_on": payload.found_on,
            "libraries": [f"{c.code}:{c.version}" for c in checklists], "verdicts": verdicts, "refused": refused}


@router.post("/hazards/criteria", response={201: CriteriaLibraryOut},
             summary="发布本地的重大事故隐患判定标准（新建或新版本；已发布的版本不能修改；系统管理员或安委办）")
def publish_criteria(request, payload: CriteriaPublishIn):
    from .services.criteria import criteria_publish

    checklist = criteria_publish(actor=request.auth, data=payload.dict())
    return 201, _library_out(_prefetched(Checklist.objects.filter(pk=checklist.pk)).get())


@router.get("/hazards/criteria/{library_id}", response=CriteriaLibraryOut,
            summary="一个判定标准（任一版本，含已废止的）")
def get_criteria(request, library_id: Id):
    row = _prefetched(Checklist.objects.filter(pk=library_id, kind=ChecklistKind.MAJOR_CRITERIA)).first()
    if row is None:
        raise NotFound()
    return _library_out(row)


def _why_not(number: str, industry: Industry, found_on: datetime.date, code: str | None) -> str:
    """Why item ``number`` cannot judge this finding: the reason of the first library that has it."""
    qs = ChecklistItem.objects.filter(number=number, checklist__kind=ChecklistKind.MAJOR_CRITERIA).exclude(
        checklist__status=ChecklistStatus.DRAFT).select_related("checklist", "checklist__industry").order_by("-checklist__version")
    if code:
        qs = qs.filter(checklist__code=code)
    reasons = [judgement.refusal(item, industry, found_on) for item in qs[:10]]
    reasons = [r for r in reasons if r]
    return reasons[0] if reasons else f"适用于该行业、{found_on:%Y-%m-%d}有效的判定标准中没有第{number}项"
