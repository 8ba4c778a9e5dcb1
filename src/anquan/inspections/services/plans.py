"""Inspection plans (检查计划): create and edit a draft, preview its targets, draw at random (双随机),
issue it as tasks, and the grants that let assigned people reach their tasks.

Decisions (where the issue is silent):

- The organiser is the assignment the plan is made under: an enterprise (自查 only, its own
  sites), a department (its regulated sites within its level) or a territorial unit (the sites of
  its territory). Targets are the organiser's sites within the plan's territory, filtered by
  industry (the site's own industry, else its enterprise's) and risk colour (the enterprise's;
  a site without an enterprise has no rating of its own and is counted as 蓝/低风险, the default
  rating of an enterprise, so "all colours" and "blue" plans still reach shops and public places).
  Sites of 关闭取缔 enterprises and voided sites are never targets.
- A plan is drawn at most once (a redraw would let someone pick a result they like); a wrong
  draw is undone by voiding nothing: make a new plan. Issuing a drawn plan makes the drawn tasks
  with the drawn inspectors; issuing an undrawn plan makes one task per matched site, all with
  the inspectors named at issue.
- The inspector pool is people with accounts whose active assignment permits inspection.perform
  within the organiser's reach (the department's own people; people of the territory and the
  departments at or below it; for a 联合检查 the joint departments' people), plus experts and
  supervision-group members (they hold no territory of their own). For a 执法检查 only people
  with a 执法证 are in the pool, and every task needs at least two of them.
- Grants: after a task is made, each assigned person whose suitable assignment cannot already see
  it (an inspector drawn outside its department's regulated sites, an expert, a supervision-group
  member, or anyone named for a 暗访 of their own territory) gets grants on the task, its site and
  its enterprise, valid until 30 days after the due date.
- 指定场所 (target_sites): a plan may name its targets (a 暗访 after a public tip, an expert visit to
  one site). Each named site must be live and within the organiser's scope and the plan's territory,
  else the plan is refused naming the site; industries and risk colours cannot be combined with named
  sites (refused, so nobody believes a filter applies). Preview and issue then use exactly the named
  sites; a draw draws among them (the frame is the named sites), which is useful for "抽两家".
  A named site voided or closed after saving stops the issue with a message naming it.
"""
from __future__ import annotations

import datetime
import secrets
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.models import Grant, Person, RoleAssignment
from anquan.accounts.roles import DRAW, PERFORM, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version, safe_id
from anquan.enterprises.models import EnterpriseStatus, RiskColour, Site
from anquan.hazards.models import Checklist
from anquan.orgs.models import Department, Industry, OrgUnit

from ..models import (
    CHAIN_KINDS,
    ENFORCEMENT_MIN_INSPECTORS,
    Draw,
    Inspection,
    InspectionKind,
    InspectionPart,
    InspectionPlan,
    InspectionStatus,
    PlanStatus,
)
from . import draw as draw_mod
from .checklists import usable_q

PLAN = "inspection.plan"
#: Grants outlive the due date by this much, so a late task can still be finished and its record read.
GRANT_DAYS_AFTER_DUE = 30
#: More tasks than this in one plan is a mistake (narrow the territory or draw a sample).
MAX_TASKS = 2000
MAX_PERIOD_DAYS = 366
#: More named sites than this is not a "named" visit: use the territory/industry filters or a draw.
MAX_TARGET_SITES = 200
GRANT_ROLES = (ScopeKind.GRANTS,)


# --- the organiser's scope ------------------------------------------------------------------------------


def planning_assignment(user):
    """The assignment a new plan is made under (the first that permits inspection.plan), or Forbidden."""
    for assignment in active_assignments(user):
        if assignment.permits(PLAN) and assignment.scope_kind in (
            ScopeKind.TERRITORY, ScopeKind.DEPARTMENT, ScopeKind.ENTERPRISE
        ):
            return assignment
    raise Forbidden("您没有制定检查计划的权限")


def organiser_scope(plan: InspectionPlan):
    """The plan's organiser as an assignment-like object, for the models' ``scope_q``."""
    if plan.enterprise_id:
        return SimpleNamespace(scope_kind=ScopeKind.ENTERPRISE, enterprise_id=plan.enterprise_id,
                               enterprise=plan.enterprise, unit=None, department=None)
    if plan.department_id:
        dept = plan.department
        return SimpleNamespace(scope_kind=ScopeKind.DEPARTMENT, department_id=dept.pk, department=dept, unit=None,
                               territory=dept.unit)
    return SimpleNamespace(scope_kind=ScopeKind.TERRITORY, unit=plan.organiser_unit, department=None,
                           territory=plan.organiser_unit)


def _territory_of(assignment) -> OrgUnit:
    if assignment.scope_kind == ScopeKind.ENTERPRISE:
        return assignment.enterprise.unit
    return assignment.territory


def match_sites(scope, territory: OrgUnit, industries=(), colours=()):
    """The organiser's live sites within ``territory`` matching the industries and risk colours (see module doc)."""
    qs = Site.objects.filter(Site.objects.scope_q(scope), voided_at__isnull=True)
    if scope.scope_kind != ScopeKind.ENTERPRISE:  # an enterprise inspects all its own sites, wherever they are
        qs = qs.filter(grid__path__startswith=territory.path)
    qs = qs.exclude(enterprise__status=EnterpriseStatus.CLOSED)
    industry_ids = [i.pk if hasattr(i, "pk") else i for i in industries]
    if industry_ids:
        qs = qs.filter(Q(industry_id__in=industry_ids) | Q(industry__isnull=True, enterprise__industries__in=industry_ids))
    if colours:
        q = Q(enterprise__risk_colour__in=list(colours))
        if RiskColour.BLUE in colours:
            q |= Q(enterprise__isnull=True)
        qs = qs.filter(q)
    return qs.distinct()


def named_sites(scope, territory: OrgUnit, site_ids):
    """The named sites (指定场所) that are live and within the organiser's scope and ``territory``."""
    qs = Site.objects.filter(Site.objects.scope_q(scope), pk__in=list(site_ids), voided_at__isnull=True)
    if scope.scope_kind != ScopeKind.ENTERPRISE:
        qs = qs.filter(grid__path__startswith=territory.path)
    return qs.exclude(enterprise__status=EnterpriseStatus.CLOSED).distinct()


def site_choices(scope, territory: OrgUnit, q: str = "", limit: int = 20):
    """Sites the organiser may name in a plan, searched by site, enterprise name or address (for the picker)."""
    qs = Site.objects.filter(Site.objects.scope_q(scope), voided_at__isnull=True)
    if scope.scope_kind != ScopeKind.ENTERPRISE:
        qs = qs.filter(grid__path__startswith=territory.path)
    qs = qs.exclude(enterprise__status=EnterpriseStatus.CLOSED)
    q = str(q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q) | Q(address__icontains=q))
    return qs.distinct().select_related("enterprise", "grid").order_by("name", "pk")[:limit]


def plan_sites(plan: InspectionPlan):
    target_ids = list(plan.target_sites.values_list("pk", flat=True))
    if target_ids:
        return named_sites(organiser_scope(plan), plan.territory, target_ids)
    return match_sites(organiser_scope(plan), plan.territory, list(plan.industries.all()), plan.risk_colours)


# --- validation ------------------------------------------------------------------------------------------


def _date(value, field: str, label: str, errors: dict):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = [f"请填写{label}（格式YYYY-MM-DD）"]
        return None


def _ids(value, field: str, label: str, errors: dict) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        value = [value]
    ids = []
    for raw in value:
        pk = safe_id(raw)
        if pk is None:
            errors[field] = [f"{label}中有无效的编号"]
            return []
        ids.append(pk)
    return list(dict.fromkeys(ids))


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是")
    return bool(value)


def _clean_targets(assignment, data: dict, errors: dict):
    """Territory (within the assignment's own), industries and risk colours of a plan's targets."""
    own = _territory_of(assignment)
    territory = own
    raw_territory = data.get("territory")
    if raw_territory not in (None, ""):
        territory = OrgUnit.objects.filter(pk=safe_id(raw_territory) or 0).first()
        if territory is None or not territory.path.startswith(own.path):
            errors["territory"] = [f"检查范围只能是{own.name}及其下级区划"]
            territory = own
    industries = []
    raw_ind = data.get("industries") or []
    if not isinstance(raw_ind, (list, tuple)):
        raw_ind = [raw_ind]
    for raw in raw_ind:
        found = Industry.objects.filter(code=str(raw)[:40]).first() or Industry.objects.filter(pk=safe_id(raw) or 0).first()
        if found is None:
            errors["industries"] = ["请选择有效的行业领域"]
            break
        industries.append(found)
    colours = data.get("risk_colours") or []
    if not isinstance(colours, (list, tuple)) or any(c not in RiskColour.values for c in colours):
        errors["risk_colours"] = ["风险等级只能是红、橙、黄、蓝"]
        colours = []
    colours = [c for c in RiskColour.values if c in colours]
    targets = _clean_target_sites(assignment, territory, data, errors)
    if targets and (industries or colours) and "target_sites" not in errors:
        errors["target_sites"] = ["已指定检查场所时不再按行业领域、风险等级筛选，请取消所选行业领域和风险等级，或清空指定场所"]
    return territory, industries, colours, targets


def _clean_target_sites(assignment, territory: OrgUnit, data: dict, errors: dict) -> list:
    """指定场所: ids of live sites within the assignment's scope and the plan's territory, in the order given."""
    ids = _ids(data.get("target_sites"), "target_sites", "指定场所", errors)
    if not ids:
        return []
    if len(ids) > MAX_TARGET_SITES:
        errors["target_sites"] = [f"指定场所不能超过{MAX_TARGET_SITES}个，更多场所请按检查范围筛选或随机抽取"]
        return []
    found = named_sites(assignment, territory, ids).in_bulk()
    bad = [pk for pk in ids if pk not in found]
    if bad:
        # Name what the organiser may see (a site out of scope is only its number: no leak of names).
        visible = dict(Site.objects.filter(Site.objects.scope_q(assignment), pk__in=bad).values_list("pk", "name"))
        labels = "、".join(f"“{visible[pk]}”" if pk in visible else f"编号{pk}" for pk in bad[:5])
        more = f"等{len(bad)}个" if len(bad) > 5 else ""
        place = "" if assignment.scope_kind == ScopeKind.ENTERPRISE else f"{territory.name}内"
        errors["target_sites"] = [f"指定场所{labels}{more}不在您可检查的{place}场所中（或已注销、已关闭），请重新选择"]
        return []
    return [found[pk] for pk in ids]


def plan_preview(*, actor, data: dict, plan: InspectionPlan | None = None) -> dict:
    """How many sites a plan with these targets would reach (before it is saved or issued); a read, not audited."""
    if plan is not None:
        scope = organiser_scope(plan)
        assignment = authorize(actor, plan, PLAN)
    else:
        assignment = planning_assignment(actor)
        scope = assignment
    if not isinstance(data, dict):
        raise Invalid("提交的数据格式不正确")
    errors: dict = {}
    territory, industries, colours, targets = _clean_targets(assignment, data, errors)
    if errors:
        raise Invalid(errors)
    if targets:
        sites = named_sites(scope, territory, [s.pk for s in targets])
    else:
        sites = match_sites(scope, territory, industries, colours)
    return {"count": sites.count(), "sample": list(sites.order_by("name", "pk").values_list("name", flat=True)[:10])}


def clean_plan(assignment, data: dict) -> dict:
    """Validated fields of a plan made under ``assignment``; Invalid with Chinese messages otherwise.

    ``data``: name, kind, period_start, period_end, territory (unit id), industries (ids or codes),
    risk_colours, target_sites (site ids, 指定场所), checklists (ids), joint_departments (ids), part_departments ({checklist id: dept id}),
    enforcement, unannounced, inspectors_per_task, notes.
    """
    if not isinstance(data, dict):
        raise Invalid("提交的数据格式不正确")
    errors: dict[str, list[str]] = {}
    out: dict = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = ["请填写计划名称"]
    elif len(name) > 200:
        errors["name"] = ["计划名称不能超过200字"]
    out["name"] = name
    kind = data.get("kind")
    if kind not in InspectionKind.values:
        errors["kind"] = ["请选择检查类型"]
    elif assignment.scope_kind == ScopeKind.ENTERPRISE and kind != InspectionKind.SELF:
        errors["kind"] = ["企业只能制定本企业的自查计划"]
    elif assignment.scope_kind != ScopeKind.ENTERPRISE and kind == InspectionKind.SELF:
        errors["kind"] = ["企业自查计划由企业自行制定，请选择其他检查类型"]
    out["kind"] = kind
    start = _date(data.get("period_start"), "period_start", "开始日期", errors)
    end = _date(data.get("period_end"), "period_end", "结束日期", errors)
    if start and end:
        if end < start:
            errors["period_end"] = ["结束日期不能早于开始日期"]
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["period_end"] = ["计划周期不能超过一年"]
    out["period_start"], out["period_end"] = start, end
    own = _territory_of(assignment)
    out["territory"], out["industries"], out["risk_colours"], out["target_sites"] = _clean_targets(assignment, data, errors)
    checklist_ids = _ids(data.get("checklists"), "checklists", "检查表", errors)
    usable = {c.pk: c for c in Checklist.objects.filter(usable_q(assignment), pk__in=checklist_ids)}
    if any(pk not in usable for pk in checklist_ids):
        errors["checklists"] = ["只能选择本级或上级已发布、现行有效的检查表"]
    out["checklists"] = [usable[pk] for pk in checklist_ids if pk in usable]
    dept_ids = _ids(data.get("joint_departments"), "joint_departments", "联合检查部门", errors)
    from anquan.accounts.scope import department_scope_q

    scope_for_depts = SimpleNamespace(scope_kind=ScopeKind.TERRITORY, territory=own) if assignment.scope_kind != ScopeKind.ENTERPRISE else assignment
    depts = {d.pk: d for d in Department.objects.filter(department_scope_q(scope_for_depts), pk__in=dept_ids)}
    if any(pk not in depts for pk in dept_ids):
        errors["joint_departments"] = ["请选择本辖区内的部门"]
    out["joint_departments"] = [depts[pk] for pk in dept_ids if pk in depts]
    part_departments: dict[str, int] = {}
    if kind == InspectionKind.JOINT:
        if len(out["joint_departments"]) < 2 and "joint_departments" not in errors:
            errors["joint_departments"] = ["联合检查至少要有两个部门参加"]
        raw_parts = data.get("part_departments") or {}
        if not isinstance(raw_parts, dict):
            raw_parts = {}
        for checklist in out["checklists"]:
            dept_id = safe_id(raw_parts.get(str(checklist.pk), raw_parts.get(checklist.pk)))
            if dept_id is None and checklist.owner_department_id in depts:
                dept_id = checklist.owner_department_id
            if dept_id not in depts:
                errors[f"part_departments.{checklist.pk}"] = [f"请为检查表“{checklist.name}”选择负责的参加部门"]
                continue
            part_departments[str(checklist.pk)] = dept_id
        if not errors.get("joint_departments"):
            missing = [d.name for d in out["joint_departments"] if d.pk not in part_departments.values()]
            if missing and out["checklists"]:
                errors["part_departments"] = [f"每个参加部门都要负责至少一个检查表：{'、'.join(missing)}未分配"]
    elif out["joint_departments"]:
        errors["joint_departments"] = ["只有联合检查才需要选择参加部门"]
    out["part_departments"] = part_departments
    out["enforcement"] = _flag(data.get("enforcement"))
    if out["enforcement"] and assignment.scope_kind == ScopeKind.ENTERPRISE:
        errors["enforcement"] = ["企业自查不是执法检查"]
    out["unannounced"] = _flag(data.get("unannounced")) or kind == InspectionKind.UNANNOUNCED
    if out["unannounced"] and kind == InspectionKind.SELF:
        errors["unannounced"] = ["企业自查不能设为暗访"]
    elif out["unannounced"] and assignment.scope_kind == ScopeKind.TERRITORY and assignment.unit.kind in CHAIN_KINDS:
        # The visit is hidden from the street, community and grid until performed: they cannot organise it.
        errors["unannounced"] = ["暗访（四不两直）由区县级及以上或行业部门组织，街道、社区、网格不能组织"]
    per_task = data.get("inspectors_per_task", 2)
    per_task = safe_id(per_task) if per_task not in (None, "") else 2
    if per_task is None or not 1 <= per_task <= 10:
        errors["inspectors_per_task"] = ["每个任务检查人数应为1至10人"]
        per_task = 2
    elif out["enforcement"] and per_task < ENFORCEMENT_MIN_INSPECTORS:
        errors["inspectors_per_task"] = ["执法检查每个任务至少两名持执法证人员"]
    out["inspectors_per_task"] = per_task
    notes = str(data.get("notes") or "").strip()
    if len(notes) > 2000:
        errors["notes"] = ["说明不能超过2000字"]
    out["notes"] = notes
    if errors:
        raise Invalid(errors)
    return out


def _apply(plan: InspectionPlan, cleaned: dict) -> None:
    for field in ("name", "kind", "period_start", "period_end", "territory", "risk_colours", "part_departments",
                  "enforcement", "unannounced", "inspectors_per_task", "notes"):
        setattr(plan, field, cleaned[field])


def _set_m2m(plan: InspectionPlan, cleaned: dict) -> None:
    plan.industries.set(cleaned["industries"])
    plan.checklists.set(cleaned["checklists"])
    plan.joint_departments.set(cleaned["joint_departments"])
    plan.target_sites.set(cleaned["target_sites"])


# --- plan services ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, data: dict) -> InspectionPlan:
    assignment = planning_assignment(actor)
    cleaned = clean_plan(assignment, data)
    plan = InspectionPlan(created_by=actor, status=PlanStatus.DRAFT)
    _apply(plan, cleaned)
    if assignment.scope_kind == ScopeKind.ENTERPRISE:
        plan.enterprise, plan.organiser_unit = assignment.enterprise, assignment.enterprise.unit
    elif assignment.scope_kind == ScopeKind.DEPARTMENT:
        plan.department, plan.organiser_unit = assignment.department, assignment.department.unit
    else:
        plan.organiser_unit = assignment.unit
    plan.save()
    _set_m2m(plan, cleaned)
    record(actor=actor, assignment=assignment, obj=plan, action="create", after=snapshot(plan))
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InspectionPlan, version, data: dict) -> InspectionPlan:
    assignment = authorize(actor, plan, PLAN)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"计划当前状态为“{plan.get_status_display()}”，不能修改")
    if plan.draws.exists():
        raise Conflict("计划已随机抽取，不能再修改检查范围；如需调整请新建计划")
    cleaned = clean_plan(assignment, {**data, "kind": plan.kind if plan.enterprise_id else data.get("kind")})
    before = snapshot(plan)
    bump_version(plan, version)
    _apply(plan, cleaned)
    plan.save()
    _set_m2m(plan, cleaned)
    record(actor=actor, assignment=assignment, obj=plan, action="update", before=before, after=snapshot(plan))
    return plan


# --- the inspector pool ----------------------------------------------------------------------------------


def pool_candidates(plan: InspectionPlan) -> dict[int, RoleAssignment]:
    """Person id → the assignment through which that person would inspect, for everyone the plan may name."""
    candidates: dict[int, RoleAssignment] = {}
    joint = set(plan.joint_departments.values_list("pk", flat=True))
    organiser_path = plan.organiser_unit.path
    qs = (RoleAssignment.objects.active().filter(user__is_active=True, user__person__isnull=False)
          .select_related("user__person", "unit", "department__unit", "enterprise").order_by("id"))
    for a in qs:
        if not a.permits(PERFORM):
            continue
        kind = a.scope_kind
        if plan.enterprise_id:
            fits = kind == ScopeKind.ENTERPRISE and a.enterprise_id == plan.enterprise_id
        elif kind == ScopeKind.GRANTS:
            fits = True
        elif kind == ScopeKind.ENTERPRISE:
            fits = False
        elif plan.department_id and plan.kind != InspectionKind.JOINT:
            fits = a.department_id == plan.department_id
        elif kind == ScopeKind.DEPARTMENT:
            fits = a.department_id in joint if joint else a.department.unit.path.startswith(organiser_path)
            fits = fits or (a.department_id == plan.department_id)
        else:
            fits = a.unit.path.startswith(organiser_path)
        if not fits:
            continue
        person = a.user.person
        if plan.enforcement and not person.enforcement_cert_no.strip():
            continue
        candidates.setdefault(person.pk, a)
    return candidates


def pool_people(plan: InspectionPlan) -> list[tuple[Person, RoleAssignment]]:
    cands = pool_candidates(plan)
    people = Person.objects.in_bulk(list(cands))
    return [(people[pk], cands[pk]) for pk in sorted(cands)]


def _checked_people(plan, raw, field: str, candidates=None) -> list[int]:
    errors: dict = {}
    ids = _ids(raw, field, "检查人员", errors)
    if errors:
        raise Invalid(errors)
    candidates = candidates if candidates is not None else pool_candidates(plan)
    outside = [pk for pk in ids if pk not in candidates]
    if outside:
        hint = "（执法检查只能选择持有执法证的人员）" if plan.enforcement else ""
        raise Invalid({field: [f"所选人员不在本计划的检查人员库内{hint}"]})
    return ids


# --- the draw --------------------------------------------------------------------------------------------


def _conflicts(frame: list[int], pool: list[int]) -> dict[str, list[int]]:
    """Pool members employed by a frame site's enterprise (回避): {"site id": [person ids]}."""
    employers = dict(Person.objects.filter(pk__in=pool, enterprise__isnull=False).values_list("pk", "enterprise_id"))
    if not employers:
        return {}
    out: dict[str, list[int]] = {}
    for site_id, enterprise_id in Site.objects.filter(pk__in=frame, enterprise_id__in=set(employers.values())).values_list("pk", "enterprise_id"):
        out[str(site_id)] = sorted(p for p, e in employers.items() if e == enterprise_id)
    return out


def parse_seed(raw) -> int:
    """The user's seed (an integer 0…2^53−1), or a fresh one from ``secrets`` when left empty."""
    if raw in (None, ""):
        return secrets.randbelow(10**12)
    try:
        seed = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Invalid({"seed": ["随机种子应为非负整数，留空则由系统生成"]}) from None
    if not 0 <= seed <= draw_mod.MAX_SEED:
        raise Invalid({"seed": [f"随机种子应在0至{draw_mod.MAX_SEED}之间"]})
    return seed


@transaction.atomic
def plan_draw(*, actor, plan: InspectionPlan, version, seed=None, target_count=None, pool=None,
              inspectors_per_target=None) -> Draw:
    """双随机: draw targets from the plan's matched sites and inspectors from the chosen pool; stored and audited."""
    assignment = authorize(actor, plan, DRAW)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"计划当前状态为“{plan.get_status_display()}”，不能再抽取")
    if plan.draws.exists():
        raise Conflict("本计划已经抽取过，抽取结果不能更改；可点击“复核”重新计算验证")
    errors: dict[str, list[str]] = {}
    seed = parse_seed(seed)
    count = safe_id(target_count)
    if count is None or count > MAX_TASKS:
        errors["target_count"] = [f"请填写抽取对象数（1至{MAX_TASKS}）"]
    per = plan.inspectors_per_task if inspectors_per_target in (None, "") else safe_id(inspectors_per_target)
    if per is None or not 1 <= per <= 10:
        errors["inspectors_per_target"] = ["每个对象检查人数应为1至10人"]
    elif plan.enforcement and per < ENFORCEMENT_MIN_INSPECTORS:
        errors["inspectors_per_target"] = ["执法检查每个对象至少抽取两名持执法证人员"]
    candidates = pool_candidates(plan)
    people = _checked_people(plan, pool, "pool", candidates) if pool not in (None, "", []) else []
    if not people:
        errors["pool"] = ["请选择检查人员库（至少一人）"]
    elif per and len(set(people)) < per:
        errors["pool"] = [f"检查人员库只有{len(set(people))}人，少于每个对象需要的{per}人"]
    if errors:
        raise Invalid(errors)
    if plan.enforcement and len(set(people)) < ENFORCEMENT_MIN_INSPECTORS:
        raise Invalid({"pool": ["执法检查至少需要两名持有执法证的人员"]})
    frame = draw_mod.normalise(plan_sites(plan).values_list("pk", flat=True))
    _check_named(plan, Site.objects.filter(pk__in=frame).only("pk"))
    if not frame:
        raise Invalid({"target_count": ["计划范围内没有符合条件的检查对象，请调整范围后再抽取"]})
    pool_ids = draw_mod.normalise(people)
    conflicts = _conflicts(frame, pool_ids)
    result = draw_mod.draw(seed, frame, pool_ids, count, per, {int(k): v for k, v in conflicts.items()})
    bump_version(plan, version)
    obj = Draw.objects.create(plan=plan, seed=seed, target_count=count, inspectors_per_target=per, frame=frame,
                              pool=pool_ids, result=result, conflicts=conflicts, drawn_by=actor)
    record(actor=actor, assignment=assignment, obj=obj, action="draw", after={
        "plan": plan.pk, "seed": seed, "frame_size": len(frame), "frame": frame, "pool": pool_ids,
        "target_count": count, "inspectors_per_target": per, "conflicts": conflicts, "result": result,
    })
    return obj


def draw_verify(draw: Draw) -> dict:
    """Recompute the draw from its stored seed, frame and pool; ``same`` says whether it matches the stored result."""
    recomputed = draw_mod.draw(draw.seed, draw.frame, draw.pool, draw.target_count, draw.inspectors_per_target,
                               {int(k): v for k, v in (draw.conflicts or {}).items()})
    return {"same": recomputed == draw.result, "result": recomputed}


# --- issue: tasks, parts, inspectors, grants -------------------------------------------------------------


def _grant_until(due: datetime.date) -> datetime.datetime:
    end = due + datetime.timedelta(days=GRANT_DAYS_AFTER_DUE + 1)
    return datetime.datetime.combine(end, datetime.time.min, tzinfo=timezone.get_current_timezone())


def grant_task(inspection: Inspection, person_id: int, assignment: RoleAssignment, reason: str) -> list[dict]:
    """Grants on the task, its site and enterprise for the assignment, where its own scope does not reach them."""
    made = []
    until = _grant_until(inspection.due_on or inspection.planned_on)
    site = inspection.site
    targets = [(Inspection, "inspection", inspection.pk), (Site, "site", site.pk)]
    if site.enterprise_id:
        from anquan.enterprises.models import Enterprise

        targets.append((Enterprise, "enterprise", site.enterprise_id))
    for model, key, pk in targets:
        assignment.__dict__.pop("_granted", None)
        if model.objects.filter(model.objects.assignment_q(assignment), pk=pk).exists():
            continue
        Grant.objects.create(assignment=assignment, model_key=key, object_id=pk, valid_to=until, reason=reason[:200])
        made.append({"person": person_id, "model": key, "id": pk, "until": until.isoformat()})
    assignment.__dict__.pop("_granted", None)
    return made


def _make_task(plan: InspectionPlan, site: Site, people: list[int], candidates: dict, checklists: list) -> tuple[Inspection, list]:
    inspection = Inspection.objects.create(
        plan=plan, status=InspectionStatus.PLANNED, enforcement=plan.enforcement, organiser_unit=plan.organiser_unit,
        due_on=plan.period_end, site=site, kind=plan.kind, department=plan.department, unannounced=plan.unannounced,
        planned_on=plan.period_start, place=site.address[:255],
    )
    for sort, checklist in enumerate(checklists, start=1):
        dept_id = plan.part_departments.get(str(checklist.pk)) if plan.kind == InspectionKind.JOINT else plan.department_id
        InspectionPart.objects.create(inspection=inspection, checklist=checklist, department_id=dept_id,
                                      unit=None if dept_id else plan.organiser_unit, sort=sort * 10)
    inspection.inspectors.set(people)
    grants = []
    for person_id in people:
        a = candidates[person_id]
        reason = f"检查计划《{plan.name}》第{inspection.pk}号任务（{a.get_role_display()}）"
        grants += grant_task(inspection, person_id, a, reason)
    return inspection, grants


def _check_named(plan: InspectionPlan, sites) -> None:
    """A plan with named sites issues exactly those: one voided, closed or moved out of scope since is an error."""
    named = dict(plan.target_sites.values_list("pk", "name"))
    lost = [name for pk, name in sorted(named.items()) if pk not in {s.pk for s in sites}]
    if lost:
        raise Invalid({"target_sites": [f"指定场所“{'、'.join(lost)}”已注销、关闭或不在检查范围内，请修改计划后再下达"]})


@transaction.atomic
def plan_issue(*, actor, plan: InspectionPlan, version, inspectors=None) -> list[Inspection]:
    """Issue the plan: one task per target (drawn, else matched) with its parts, inspectors and grants."""
    assignment = authorize(actor, plan, PLAN)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"计划当前状态为“{plan.get_status_display()}”，不能再下达")
    checklists = list(plan.checklists.order_by("pk"))
    if not checklists:
        raise Invalid({"checklists": ["请先为计划选择至少一个检查表"]})
    stale = [c.name for c in checklists if not Checklist.objects.filter(usable_q(assignment), pk=c.pk).exists()]
    if stale:
        raise Invalid({"checklists": [f"检查表已废止或不可用，请重新选择：{'、'.join(stale)}"]})
    candidates = pool_candidates(plan)
    draw = plan.draws.order_by("-id").first()
    if draw is not None:
        sites = Site.objects.in_bulk([r["site"] for r in draw.result])
        targets = [(sites[r["site"]], list(r["inspectors"])) for r in draw.result]
        missing = {p for _, people in targets for p in people if p not in candidates}
        if missing:
            raise Conflict("抽中的部分检查人员已不在人员库内（岗位已变动），请新建计划重新抽取")
    else:
        people = _checked_people(plan, inspectors, "inspectors", candidates)
        if not people:
            raise Invalid({"inspectors": ["请选择检查人员"]})
        sites = list(plan_sites(plan).order_by("pk")[: MAX_TASKS + 1])
        _check_named(plan, sites)
        if not sites:
            raise Invalid({"__all__": ["计划范围内没有符合条件的检查对象，请调整检查范围"]})
        if len(sites) > MAX_TASKS:
            raise Invalid({"__all__": [f"符合条件的场所超过{MAX_TASKS}个，请缩小范围或使用随机抽取"]})
        targets = [(site, people) for site in sites]
    if plan.enforcement:
        certified = set(Person.objects.filter(pk__in={p for _, ps in targets for p in ps})
                        .exclude(enforcement_cert_no="").values_list("pk", flat=True))
        if any(len(certified.intersection(ps)) < ENFORCEMENT_MIN_INSPECTORS for _, ps in targets):
            raise Invalid({"inspectors": ["执法检查每个任务至少需要两名持有执法证的检查人员"]})
    before = snapshot(plan)
    bump_version(plan, version)
    tasks, grants = [], []
    for site, people in targets:
        inspection, made = _make_task(plan, site, people, candidates, checklists)
        tasks.append(inspection)
        grants += made
        record(actor=actor, assignment=assignment, obj=inspection, action="create", after={
            **snapshot(inspection), "parts": list(inspection.parts.values("checklist_id", "department_id")),
            "grants": made,
        })
    plan.status = PlanStatus.ISSUED
    plan.save(update_fields=["status", "updated_at"])
    record(actor=actor, assignment=assignment, obj=plan, action="issue", before=before, after={
        **snapshot(plan), "tasks": [t.pk for t in tasks], "draw": draw.pk if draw else None, "grants": len(grants),
    })
    return tasks


# --- reassigning a task ----------------------------------------------------------------------------------


def _task_grants(inspection: Inspection, person_ids):
    """The active grants this task gave to the given people (found by the task's own reason text)."""
    site = inspection.site
    keys = Q(model_key="inspection", object_id=inspection.pk) | Q(model_key="site", object_id=site.pk)
    if site.enterprise_id:
        keys |= Q(model_key="enterprise", object_id=site.enterprise_id)
    return Grant.objects.active().filter(keys, assignment__user__person_id__in=list(person_ids),
                                         reason__contains=f"第{inspection.pk}号任务")


@transaction.atomic
def task_assign(*, actor, inspection: Inspection, version, inspectors, reason: str = "") -> Inspection:
    """Change who inspects a task not yet started: the new people get grants where needed, the removed ones
    lose the grants this task gave them. Changing a drawn task's inspectors needs a reason (回避, illness …),
    which is audited next to the draw."""
    plan = inspection.plan
    if plan is None:
        raise Conflict("该检查不是由检查计划下达的，不能在此更换检查人员")
    assignment = authorize(actor, plan, PLAN)
    if inspection.status != InspectionStatus.PLANNED:
        raise Conflict(f"检查当前状态为“{inspection.get_status_display()}”，已开始的检查不能更换检查人员")
    candidates = pool_candidates(plan)
    people = _checked_people(plan, inspectors, "inspectors", candidates)
    if not people:
        raise Invalid({"inspectors": ["请选择检查人员"]})
    if plan.enforcement:
        certified = Person.objects.filter(pk__in=people).exclude(enforcement_cert_no="").count()
        if certified < ENFORCEMENT_MIN_INSPECTORS:
            raise Invalid({"inspectors": ["执法检查至少需要两名持有执法证的检查人员"]})
    reason = str(reason or "").strip()
    if len(reason) > 200:
        raise Invalid({"reason": ["更换理由不能超过200字"]})
    if plan.draws.exists() and not reason:
        raise Invalid({"reason": ["该任务的检查人员由随机抽取产生，更换须填写理由（如回避、因病）"]})
    old = set(inspection.inspectors.values_list("pk", flat=True))
    bump_version(inspection, version)
    removed, added = old - set(people), [p for p in people if p not in old]
    revoked = _task_grants(inspection, removed).update(revoked_at=timezone.now())
    inspection.inspectors.set(people)
    made = []
    for person_id in added:
        a = candidates[person_id]
        made += grant_task(inspection, person_id, a, f"检查计划《{plan.name}》第{inspection.pk}号任务（{a.get_role_display()}）")
    record(actor=actor, assignment=assignment, obj=inspection, action="assign", before={"inspectors": sorted(old)},
           after={"inspectors": sorted(people), "grants": made, "revoked_grants": revoked}, reason=reason)
    return inspection
