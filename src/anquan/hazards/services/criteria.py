"""A locality's own 重大事故隐患判定标准, published as a new version — never by editing a published one.

Who: an assignment permitted ``checklist.manage`` — the system administrator (a system-wide library,
no owner unit) or an 安委办 (its unit's own library, applying to sites within its territory:
``judgement.checklists_in_force(..., unit=)``). A statutory library (seeded from
``criteria_libraries``, no owner unit) is versioned by the system administrator only.

How: ``criteria_publish`` creates version ``max + 1`` of the code (a new code ``local-<unit>-<n>`` when
none is given), with its items, conditions and dates, published at once and audited; of one code the
highest version in force is the one that judges, so the earlier version stays for the hazards it
judged. ``criteria_refuse_edit`` is the answer to any attempt to change a published version.
"""
from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from anquan.accounts.roles import CHECKLIST_MANAGE, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.text import clean_text
from anquan.orgs.models import Industry

from ..models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, HazardCategory

AUDIT_CHAIN = "system"
MAX_ITEMS = 300


def _assignment(actor):
    for a in active_assignments(actor):
        if a.permits(CHECKLIST_MANAGE) and a.scope_kind in (ScopeKind.SYSTEM, ScopeKind.TERRITORY):
            return a
    raise Forbidden("只有系统管理员或安委办可以发布本地的重大事故隐患判定标准")


def _t(value, field: str, label: str, max_length: int) -> str:
    return clean_text(value if isinstance(value, (str, int)) or value is None else str(value), field=field, label=label,
                      max_length=max_length)


def _date(value, field: str, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = ["日期格式应为YYYY-MM-DD"]
        return None


def _items(raw, errors: dict) -> list[dict]:
    if not isinstance(raw, (list, tuple)) or not raw:
        errors["items"] = ["至少要有一个条款"]
        return []
    if len(raw) > MAX_ITEMS:
        errors["items"] = [f"条款不能超过{MAX_ITEMS}项"]
        return []
    categories = {c.code: c for c in HazardCategory.objects.filter(active=True)}
    out, numbers = [], set()
    for n, row in enumerate(raw, start=1):
        row = row if isinstance(row, dict) else {}
        number = _t(row.get("number"), f"items.{n}", f"第{n}项条款号", 20)
        text = _t(row.get("text"), f"items.{n}", f"第{n}项内容", 2000)
        basis = _t(row.get("basis"), f"items.{n}", f"第{n}项依据", 300)
        if not number or not text or not basis:
            errors[f"items.{n}"] = [f"第{n}项：条款号、内容和依据（出处）都要填写"]
            continue
        if number in numbers:
            errors[f"items.{n}"] = [f"第{n}项：条款号“{number}”重复"]
            continue
        numbers.add(number)
        category = categories.get(str(row.get("category") or ""))
        conditions = []
        for c in row.get("conditions") or []:
            key, ctext = _t((c or {}).get("key"), f"items.{n}", "情形代号", 10), _t((c or {}).get("text"), f"items.{n}", "情形内容", 300)
            if not key or not ctext or key in {x["key"] for x in conditions}:
                errors[f"items.{n}"] = [f"第{n}项：“并且”情形须各有不同的代号和内容"]
                break
            conditions.append({"key": key, "text": ctext})
        out.append({"number": number, "text": text, "basis": basis, "category": category, "conditions": conditions,
                    "industries": [str(x)[:40] for x in row.get("industries") or []]})
    return out


@transaction.atomic
def criteria_publish(*, actor, data: dict) -> Checklist:
    """Publish a locality's own criteria (or a new version of them) — see the module docstring."""
    assignment = _assignment(actor)
    owner = assignment.unit if assignment.scope_kind == ScopeKind.TERRITORY else None
    errors: dict[str, list[str]] = {}
    name = _t(data.get("name"), "name", "名称", 200)
    basis = _t(data.get("basis"), "basis", "依据文件", 300)
    if not name:
        errors["name"] = ["请填写判定标准名称"]
    if not basis:
        errors["basis"] = ["请填写依据文件（出处和文号）"]
    start = _date(data.get("effective_from"), "effective_from", errors)
    end = _date(data.get("effective_to"), "effective_to", errors)
    if start is None and "effective_from" not in errors:
        errors["effective_from"] = ["请填写施行日期"]
    if start and end and end < start:
        errors["effective_to"] = ["废止日期不能早于施行日期"]
    codes = [str(c) for c in data.get("industries") or []]
    industries = list(Industry.objects.filter(code__in=codes))
    if len(industries) != len(set(codes)):
        errors["industries"] = ["行业代码不存在"]
    items = _items(data.get("items"), errors)
    code = _t(data.get("code"), "code", "代码", 60)
    if code:
        previous = Checklist.objects.select_for_update().filter(code=code).order_by("-version")
        first = previous.first()
        if first is None or first.kind != ChecklistKind.MAJOR_CRITERIA:
            errors["code"] = ["没有该代码的判定标准"]
        elif first.owner_unit_id != (owner.pk if owner else None):
            raise Forbidden("只能为本级发布的判定标准发布新版本")
        version = (first.version + 1) if first else 1
    else:
        code = f"local-{owner.pk if owner else 'sys'}-{secrets.token_hex(3)}"
        version = 1
    if errors:
        raise Invalid(errors)
    checklist = Checklist.objects.create(
        code=code, version=version, name=name, kind=ChecklistKind.MAJOR_CRITERIA, basis=basis,
        industry=industries[0] if industries else None, effective_from=start, effective_to=end,
        owner_unit=owner, status=ChecklistStatus.PUBLISHED, published_at=timezone.now(),
        notes=_t(data.get("notes"), "notes", "说明", 2000), expected_count=len(items),
    )
    checklist.industries.set(industries)
    ChecklistItem.objects.bulk_create([
        ChecklistItem(checklist=checklist, number=i["number"], text=i["text"], basis=i["basis"], category=i["category"],
                      conditions=i["conditions"], industries=i["industries"], suggested_level="major", sort=n * 10)
        for n, i in enumerate(items, start=1)])
    record(actor=actor, assignment=assignment, obj=checklist, action="publish", after={
        "code": code, "version": version, "name": name, "basis": basis, "effective_from": str(start),
        "effective_to": str(end) if end else None, "industries": codes, "items": [i["number"] for i in items]},
        chain_key=AUDIT_CHAIN)
    return checklist


def criteria_refuse_edit(checklist: Checklist) -> None:
    """A published (or retired) version never changes: say what to do instead."""
    if checklist.status != ChecklistStatus.DRAFT:
        raise Conflict(f"《{checklist.name}》第{checklist.version}版已{checklist.get_status_display()}，不能修改；请发布新版本")
