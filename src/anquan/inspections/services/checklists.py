"""Checklist templates (检查表): create a draft, edit it, publish it (then it never changes), make a
new version from a published one, retire one.

Templates are ``hazards.Checklist`` rows of kind ``inspection`` (the same versioned model as the
重大事故隐患判定标准): ``(code, version)`` is one version; an inspection part points at the version
(and its answers at its items) it was performed with, so editing — which always happens on a new
draft version — never changes a past inspection.

Who sees and uses which template (``Checklist`` has no scoped manager of its own, so the rules are
here, as Q objects per assignment, and every page and API call goes through them):

- *usable* (may be put in a plan): published, and owned by the system (no owner unit) or by a unit
  on the chain from the root down to the user's own territory — "a template published by a higher
  level is usable below it". A department's template is owned by the department's unit too, so it
  is usable within that territory (a joint plan of the 安委办 combines several departments' lists).
- *managed* (``checklist.manage``): the system administrator manages system templates; an 安委办
  those of its unit and the units below it (not departments' own); a department its own.
- *visible*: published or retired templates of the chain, plus everything the user manages
  (drafts are seen only by their managers).
"""
from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.roles import CHECKLIST_MANAGE, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.scoping import EVERYTHING, NOTHING
from anquan.core.services import safe_id
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, HazardCategory
from anquan.hazards.wording import is_question
from anquan.orgs.models import Industry

MAX_ITEMS = 300
AUDIT_CHAIN = "system"  # templates belong to no district (a city's template serves every district below it)


def _chain_unit_ids(assignment) -> list[int] | None:
    """Unit ids from the root down to the assignment's territory; None = every unit (system)."""
    kind = assignment.scope_kind
    if kind == ScopeKind.SYSTEM:
        return None
    if kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
        return assignment.territory.ancestor_ids()
    if kind == ScopeKind.ENTERPRISE:
        return assignment.enterprise.unit.ancestor_ids()
    return []


def chain_q(assignment) -> Q:
    ids = _chain_unit_ids(assignment)
    if ids is None:
        return EVERYTHING
    return Q(owner_unit__isnull=True) | Q(owner_unit_id__in=ids)


def usable_q(assignment) -> Q:
    return Q(kind=ChecklistKind.INSPECTION, status=ChecklistStatus.PUBLISHED) & chain_q(assignment)


def manage_q(assignment) -> Q:
    if not assignment.permits(CHECKLIST_MANAGE):
        return NOTHING
    kind = assignment.scope_kind
    base = Q(kind=ChecklistKind.INSPECTION)
    if kind == ScopeKind.SYSTEM:
        return base & Q(owner_unit__isnull=True, owner_department__isnull=True)
    if kind == ScopeKind.TERRITORY:
        return base & Q(owner_department__isnull=True, owner_unit__path__startswith=assignment.unit.path)
    if kind == ScopeKind.DEPARTMENT:
        return base & Q(owner_department_id=assignment.department_id)
    return NOTHING


def view_q(assignment) -> Q:
    if assignment.scope_kind == ScopeKind.GRANTS:
        return NOTHING
    shown = Q(kind=ChecklistKind.INSPECTION, status__in=[ChecklistStatus.PUBLISHED, ChecklistStatus.RETIRED])
    return (shown & chain_q(assignment)) | manage_q(assignment)


def _union(user, make_q):
    q = None
    for assignment in active_assignments(user):
        part = make_q(assignment)
        q = part if q is None else q | part
    return Checklist.objects.filter(q) if q is not None else Checklist.objects.none()


def visible_checklists(user):
    return _union(user, view_q).select_related("industry", "owner_unit", "owner_department")


def usable_checklists(user, assignment=None):
    """Templates ``user`` may put in a plan (through ``assignment`` when given: the one the plan is made under)."""
    if assignment is not None:
        return Checklist.objects.filter(usable_q(assignment))
    return _union(user, usable_q)


def may_manage(user, checklist: Checklist) -> bool:
    return _manage_assignment(user, checklist, raise_=False) is not None


def get_checklist(user, pk) -> Checklist:
    """A template ``user`` may see, or NotFound (404) exactly as if it did not exist."""
    pk = safe_id(pk)
    obj = visible_checklists(user).filter(pk=pk).first() if pk else None
    if obj is None:
        raise NotFound()
    return obj


def _manage_assignment(user, checklist: Checklist, raise_=True):
    for assignment in active_assignments(user):
        if Checklist.objects.filter(manage_q(assignment), pk=checklist.pk).exists():
            return assignment
    if not raise_:
        return None
    if not visible_checklists(user).filter(pk=checklist.pk).exists():
        raise NotFound()
    raise Forbidden("您不能管理该检查表（只能管理本级或本部门发布的检查表）")


def creating_assignment(user):
    """The assignment a new template is made under (its owner level), or Forbidden."""
    for assignment in active_assignments(user):
        if assignment.permits(CHECKLIST_MANAGE) and assignment.scope_kind in (
            ScopeKind.SYSTEM, ScopeKind.TERRITORY, ScopeKind.DEPARTMENT
        ):
            return assignment
    raise Forbidden("您没有管理检查表的权限")


# --- validation (shared by pages and API) ---------------------------------------------------------------


def _text(value, limit: int) -> str:
    return value.strip()[:100000] if isinstance(value, str) else ("" if value is None else str(value).strip())


def major_criteria_items():
    """Published 判定标准 items still in force today (an expired library — GB 35181-2017 after 2025-10-31 —
    is not offered for a new template; at a visit the item's criterion applies only where in force and
    for the site's industry: hazards.services.judgement)."""
    from anquan.rules.calendar import today

    return ChecklistItem.objects.filter(
        checklist__kind=ChecklistKind.MAJOR_CRITERIA, checklist__status=ChecklistStatus.PUBLISHED
    ).filter(Q(checklist__effective_to__isnull=True) | Q(checklist__effective_to__gte=today())).select_related(
        "checklist").order_by("checklist__code", "checklist__version", "sort", "id")


def clean_checklist(data: dict) -> dict:
    """Validated header and items of a template; Invalid with Chinese field messages otherwise.

    ``data``: name, industry (code or id, optional), basis, items: [{number, text, finding, basis, how_to_check,
    category (id or code), suggested_level, major_criterion (item id of a published 判定标准)}].
    """
    if not isinstance(data, dict):
        raise Invalid("提交的数据格式不正确")
    errors: dict[str, list[str]] = {}
    name = _text(data.get("name"), 200)
    if not name:
        errors["name"] = ["请填写检查表名称"]
    elif len(name) > 200:
        errors["name"] = ["名称不能超过200字"]
    basis = _text(data.get("basis"), 300)
    if len(basis) > 300:
        errors["basis"] = ["依据文件不能超过300字"]
    industry = None
    raw_industry = data.get("industry")
    if raw_industry not in (None, ""):
        industry = Industry.objects.filter(code=str(raw_industry)).first()
        if industry is None and safe_id(raw_industry):
            industry = Industry.objects.filter(pk=safe_id(raw_industry)).first()
        if industry is None:
            errors["industry"] = ["请选择有效的行业领域"]
    items_in = data.get("items")
    if items_in is None:
        items_in = []
    if not isinstance(items_in, list):
        errors["items"] = ["检查项应为列表"]
        items_in = []
    if len(items_in) > MAX_ITEMS:
        errors["items"] = [f"检查项不能超过{MAX_ITEMS}项"]
        items_in = []
    categories = {c.code: c for c in HazardCategory.objects.filter(active=True)}
    categories_by_id = {c.pk: c for c in categories.values()}
    criteria = {i.pk: i for i in major_criteria_items()}
    items, numbers = [], set()
    for n, raw in enumerate(items_in):
        prefix = f"items.{n}"
        if not isinstance(raw, dict):
            errors[prefix] = ["检查项格式不正确"]
            continue
        number, text = _text(raw.get("number"), 20), _text(raw.get("text"), 2000)
        item_basis, how = _text(raw.get("basis"), 300), _text(raw.get("how_to_check"), 2000)
        finding = _text(raw.get("finding"), 200)
        if not number:
            errors[f"{prefix}.number"] = [f"第{n + 1}项：请填写序号"]
        elif len(number) > 20:
            errors[f"{prefix}.number"] = [f"第{n + 1}项：序号不能超过20字"]
        elif number in numbers:
            errors[f"{prefix}.number"] = [f"第{n + 1}项：序号“{number}”重复"]
        numbers.add(number)
        if not text:
            errors[f"{prefix}.text"] = [f"第{n + 1}项：请填写检查内容"]
        elif len(text) > 2000:
            errors[f"{prefix}.text"] = [f"第{n + 1}项：检查内容不能超过2000字"]
        if len(item_basis) > 300:
            errors[f"{prefix}.basis"] = [f"第{n + 1}项：依据不能超过300字"]
        if len(how) > 2000:
            errors[f"{prefix}.how_to_check"] = [f"第{n + 1}项：检查方法不能超过2000字"]
        if len(finding) > 200:
            errors[f"{prefix}.finding"] = [f"第{n + 1}项：不符合时的隐患表述不能超过200字"]
        elif is_question(finding):
            errors[f"{prefix}.finding"] = [f"第{n + 1}项：不符合时的隐患表述应写成陈述句（如“动火作业未办理审批”），不要用“是否”“有无”"]
        category = None
        raw_cat = raw.get("category")
        if raw_cat not in (None, ""):
            category = categories.get(str(raw_cat)) or categories_by_id.get(safe_id(raw_cat) or 0)
            if category is None:
                errors[f"{prefix}.category"] = [f"第{n + 1}项：请选择有效的隐患类别"]
        level = raw.get("suggested_level") or HazardLevel.GENERAL
        if level not in HazardLevel.values:
            errors[f"{prefix}.suggested_level"] = [f"第{n + 1}项：隐患等级应为一般或重大"]
        criterion = None
        raw_crit = raw.get("major_criterion")
        if raw_crit not in (None, ""):
            criterion = criteria.get(safe_id(raw_crit) or 0)
            if criterion is None:
                errors[f"{prefix}.major_criterion"] = [f"第{n + 1}项：请选择已发布的重大事故隐患判定标准条款"]
        if criterion is not None:
            level = HazardLevel.MAJOR  # a 不符合 answer to a criterion item is a 重大事故隐患 by definition
            category = category or criterion.category
        items.append({"number": number, "text": text, "finding": finding, "basis": item_basis, "how_to_check": how,
                      "category": category, "suggested_level": level, "major_criterion": criterion,
                      "sort": (n + 1) * 10})
    if errors:
        raise Invalid(errors)
    return {"name": name, "basis": basis, "industry": industry, "items": items}


def _write_items(checklist: Checklist, items: list[dict]) -> None:
    ChecklistItem.objects.bulk_create([ChecklistItem(checklist=checklist, **item) for item in items])


def _snap(checklist: Checklist) -> dict:
    data = snapshot(checklist)
    data["items"] = list(checklist.items.order_by("sort", "id").values_list("number", flat=True))
    return data


# --- services ------------------------------------------------------------------------------------------


@transaction.atomic
def checklist_create(*, actor, data: dict) -> Checklist:
    """A new template (draft, version 1), owned by the actor's level or department."""
    assignment = creating_assignment(actor)
    cleaned = clean_checklist(data)
    owner_unit = owner_department = None
    if assignment.scope_kind == ScopeKind.TERRITORY:
        owner_unit = assignment.unit
    elif assignment.scope_kind == ScopeKind.DEPARTMENT:
        owner_department, owner_unit = assignment.department, assignment.department.unit
    checklist = Checklist.objects.create(
        code=f"jc-{secrets.token_hex(5)}", version=1, name=cleaned["name"], kind=ChecklistKind.INSPECTION,
        industry=cleaned["industry"], basis=cleaned["basis"], owner_unit=owner_unit,
        owner_department=owner_department, status=ChecklistStatus.DRAFT,
    )
    _write_items(checklist, cleaned["items"])
    record(actor=actor, assignment=assignment, obj=checklist, action="create", after=_snap(checklist),
           chain_key=AUDIT_CHAIN)
    return checklist


def _locked(checklist: Checklist) -> Checklist:
    return Checklist.objects.select_for_update().get(pk=checklist.pk)


@transaction.atomic
def checklist_update(*, actor, checklist: Checklist, data: dict) -> Checklist:
    """Edit a draft (header and the whole item list). A published version never changes: make a new version."""
    assignment = _manage_assignment(actor, checklist)
    checklist = _locked(checklist)
    if checklist.status != ChecklistStatus.DRAFT:
        raise Conflict(f"检查表当前状态为“{checklist.get_status_display()}”，不能修改；请先生成新版本再修改")
    cleaned = clean_checklist(data)
    before = _snap(checklist)
    checklist.name, checklist.basis, checklist.industry = cleaned["name"], cleaned["basis"], cleaned["industry"]
    checklist.save(update_fields=["name", "basis", "industry"])
    # A draft's items are referenced by nothing (plans take published versions only), so they are replaced.
    checklist.items.all().delete()
    _write_items(checklist, cleaned["items"])
    record(actor=actor, assignment=assignment, obj=checklist, action="update", before=before, after=_snap(checklist),
           chain_key=AUDIT_CHAIN)
    return checklist


@transaction.atomic
def checklist_publish(*, actor, checklist: Checklist) -> Checklist:
    """Publish a draft; the code's earlier published version is retired (kept for the inspections that used it)."""
    assignment = _manage_assignment(actor, checklist)
    checklist = _locked(checklist)
    if checklist.status != ChecklistStatus.DRAFT:
        raise Conflict(f"检查表当前状态为“{checklist.get_status_display()}”，只有草稿可以发布")
    if not checklist.items.exists():
        raise Invalid({"items": ["检查表至少要有一个检查项才能发布"]})
    before = _snap(checklist)
    retired = list(Checklist.objects.select_for_update().filter(
        code=checklist.code, status=ChecklistStatus.PUBLISHED).exclude(pk=checklist.pk).values_list("pk", flat=True))
    Checklist.objects.filter(pk__in=retired).update(status=ChecklistStatus.RETIRED)
    checklist.status, checklist.published_at = ChecklistStatus.PUBLISHED, timezone.now()
    if checklist.effective_from is None:
        from anquan.rules.calendar import today

        checklist.effective_from = today()
    checklist.save(update_fields=["status", "published_at", "effective_from"])
    after = _snap(checklist)
    after["retired_versions"] = retired
    record(actor=actor, assignment=assignment, obj=checklist, action="publish", before=before, after=after,
           chain_key=AUDIT_CHAIN)
    return checklist


@transaction.atomic
def checklist_new_version(*, actor, checklist: Checklist) -> Checklist:
    """A draft copy of a published (or retired) version, numbered after the code's latest version."""
    assignment = _manage_assignment(actor, checklist)
    checklist = _locked(checklist)
    if checklist.status == ChecklistStatus.DRAFT:
        raise Conflict("该版本还是草稿，直接修改即可，无需生成新版本")
    siblings = Checklist.objects.select_for_update().filter(code=checklist.code)
    if siblings.filter(status=ChecklistStatus.DRAFT).exists():
        raise Conflict("该检查表已有一个未发布的新版本草稿，请先修改或发布它")
    latest = max(siblings.values_list("version", flat=True))
    draft = Checklist.objects.create(
        code=checklist.code, version=latest + 1, name=checklist.name, kind=checklist.kind, industry=checklist.industry,
        basis=checklist.basis, owner_unit=checklist.owner_unit, owner_department=checklist.owner_department,
        status=ChecklistStatus.DRAFT,
    )
    _write_items(draft, [
        {"number": i.number, "text": i.text, "finding": i.finding, "basis": i.basis, "how_to_check": i.how_to_check,
         "category_id": i.category_id, "suggested_level": i.suggested_level, "major_criterion_id": i.major_criterion_id,
         "sort": i.sort}
        for i in checklist.items.order_by("sort", "id")
    ])
    after = _snap(draft)
    after["from_version"] = checklist.version
    record(actor=actor, assignment=assignment, obj=draft, action="new_version", after=after, chain_key=AUDIT_CHAIN)
    return draft


@transaction.atomic
def checklist_retire(*, actor, checklist: Checklist, reason: str = "") -> Checklist:
    """Stop offering a published template for new plans (tasks already issued keep it)."""
    assignment = _manage_assignment(actor, checklist)
    checklist = _locked(checklist)
    if checklist.status != ChecklistStatus.PUBLISHED:
        raise Conflict(f"检查表当前状态为“{checklist.get_status_display()}”，只有已发布的检查表可以废止")
    reason = _text(reason, 200)
    if not reason:
        raise Invalid({"reason": ["请填写废止理由"]})
    if len(reason) > 200:
        raise Invalid({"reason": ["废止理由不能超过200字"]})
    before = _snap(checklist)
    checklist.status = ChecklistStatus.RETIRED
    checklist.save(update_fields=["status"])
    record(actor=actor, assignment=assignment, obj=checklist, action="retire", before=before, after=_snap(checklist),
           reason=reason, chain_key=AUDIT_CHAIN)
    return checklist
