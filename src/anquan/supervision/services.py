"""Every change in supervision and accountability, one function per verb (docs/architecture.md, rule 1).

Each service authorizes with one single assignment, validates (Chinese messages per field),
applies the change against the version the caller read and writes exactly one audit event.

Rules on top of the role table:

- Only the 安委办 that formed a group (its unit or above) manages it or records its checks; a
  group member (督查组成员/专家) acts through the group's grants. A 安委办 that merely sees a group
  (it supervises a street of its district) does not manage it.
- A check is of one of the group's assigned streets or departments, within the group's period.
- The supervised unit reports the fix (``supervision.respond``): the street's staff for a street's
  findings (its own unit or below covering it), the department's staff for a department's.
- Finding states are the table ``TRANSITIONS``; anything else is a 409 naming the current state.
- Members' grants (``accounts.Grant``) are kept in step with the group by ``sync_grants``:
  the group itself (``supervisiongroup``), each assigned street (``orgunit``) and department
  (``department``), from assignment to the end of the group's last day (Asia/Shanghai);
  removing a member, a target, or closing the group revokes them.
"""
from __future__ import annotations

import datetime

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anquan.accounts.models import Grant, Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode, ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import bump_version, safe_id
from anquan.notifications.services import notify_event
from anquan.orgs.models import Department, OrgUnit, UnitKind
from anquan.rules.calendar import SHANGHAI, WorkCalendar, today

from . import questions
from .models import (
    GROUP_KEY,
    CheckStatus,
    Circular,
    CircularKind,
    Finding,
    FindingRound,
    FindingStatus,
    GroupMember,
    GroupStatus,
    Interview,
    MemberRole,
    SupervisionCheck,
    SupervisionGroup,
    Verdict,
)

MANAGE = "supervision.manage"
CHECK = "supervision.check"
RESPOND = "supervision.respond"
ACCOUNTABILITY = "accountability.record"

F = FindingStatus
#: verb → {from status: to status}. Anything else is refused with 409.
TRANSITIONS = {
    "report": {F.PENDING: F.REPORTED},
    "confirm": {F.REPORTED: F.CONFIRMED},
    "send_back": {F.REPORTED: F.PENDING},
}
VERBS = {"report": "报告整改情况", "confirm": "确认整改", "send_back": "退回整改"}
MAX_DEADLINE_DAYS = 365
MAX_LINKS = 50
#: Roles whose accounts can be linked to a member and receive the group's grants.
MEMBER_ROLES = (RoleCode.SUPERVISOR, RoleCode.EXPERT)


def next_status(finding: Finding, verb: str) -> str:
    target = TRANSITIONS[verb].get(finding.status)
    if target is None:
        raise Conflict(f"该问题当前状态为“{finding.get_status_display()}”，不能{VERBS[verb]}")
    return target


# ---------------------------------------------------------------- input helpers


def _text(data: dict, field: str, label: str, errors: dict, *, max_length: int, required: bool = True) -> str:
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(f"{label}应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors.setdefault(field, []).append(f"请填写{label}")
    elif len(value) > max_length:
        errors.setdefault(field, []).append(f"{label}不能超过{max_length}字")
    return value


def _date(data: dict, field: str, label: str, errors: dict, *, required: bool = True) -> datetime.date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(f"请填写{label}")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return forms.DateField().clean(str(value)[:40])
    except (forms.ValidationError, OverflowError, ValueError):
        errors.setdefault(field, []).append(f"{label}不是有效日期，应如 2026-12-31")
        return None


def _ids(data: dict, field: str, label: str, errors: dict) -> list[int]:
    value = data.get(field)
    if value in (None, ""):
        return []
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        errors.setdefault(field, []).append(f"{label}应为编号列表")
        return []
    if len(value) > MAX_LINKS:
        errors.setdefault(field, []).append(f"{label}最多{MAX_LINKS}项")
        return []
    ids = []
    for item in value:
        if isinstance(item, bool) or safe_id(item) is None:
            errors.setdefault(field, []).append(f"{label}的编号无效")
            return []
        ids.append(safe_id(item))
    return sorted(set(ids))


def _one_id(data: dict, field: str, label: str, errors: dict) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or safe_id(value) is None:
        errors.setdefault(field, []).append(f"{label}无效")
        return None
    return safe_id(value)


def _raise(errors: dict) -> None:
    if errors:
        raise Invalid(errors)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in Asia/Shanghai (a grant for a period runs to its last day's end)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)


# ---------------------------------------------------------------- authorization


def _first(actor, action: str, rule) -> RoleAssignment:
    reasons = []
    for assignment in active_assignments(actor):
        if not assignment.permits(action):
            continue
        reason = rule(assignment)
        if reason is None:
            return assignment
        reasons.append(reason)
    raise Forbidden(reasons[0] if reasons else "您没有执行此操作的权限")


def _authorize_obj(actor, obj, action: str, rule=None) -> RoleAssignment:
    """The one assignment that permits ``action``, covers ``obj`` and passes ``rule`` (404 if invisible, else 403)."""
    manager = type(obj).objects
    if not manager.visible_to(actor).filter(pk=obj.pk).exists():
        raise NotFound()

    def covers(assignment):
        if not manager.filter(manager.assignment_q(assignment), pk=obj.pk).exists():
            return "您没有执行此操作的权限"
        return rule(assignment) if rule else None

    return _first(actor, action, covers)


def _formed_here(group: SupervisionGroup):
    """Rule: a territory assignment acts for a group only when the group was formed at or below its unit;
    a member acts through the group's grant (already in scope)."""
    def rule(assignment):
        if assignment.scope_kind == ScopeKind.TERRITORY:
            if group.formed_by_unit.path.startswith(assignment.unit.path):
                return None
            return "只有组建该督查组的安委办可以操作"
        if assignment.scope_kind == ScopeKind.GRANTS:
            return None
        return "您没有执行此操作的权限"
    return rule


def authorize_group(actor, group: SupervisionGroup, action: str) -> RoleAssignment:
    """For a group member the group itself is the granted object; for the 安委办 its territory."""
    return _authorize_obj(actor, group, action, _formed_here(group))


def may_respond(assignment, finding: Finding) -> str | None:
    """Why this assignment may *not* report the fix of ``finding`` (None when it may): the supervised unit itself."""
    if assignment.scope_kind == ScopeKind.TERRITORY and finding.unit_id:
        return None if finding.unit.path.startswith(assignment.unit.path) else "只能由被督查单位报告整改情况"
    if assignment.scope_kind == ScopeKind.DEPARTMENT and finding.department_id == assignment.department_id:
        return None
    return "只能由被督查单位报告整改情况"


def manage_assignment(actor) -> RoleAssignment:
    """The 安委办 assignment that forms groups (the first that permits it)."""
    return _first(actor, MANAGE, lambda a: None if a.scope_kind == ScopeKind.TERRITORY else "只有安委办可以组建督查组")


# ---------------------------------------------------------------- groups


def _targets(assignment, data: dict, errors: dict) -> tuple[list[OrgUnit], list[Department]]:
    street_ids = _ids(data, "streets", "督查的街道", errors)
    dept_ids = _ids(data, "departments", "督查的部门", errors)
    path = assignment.unit.path
    streets = list(OrgUnit.objects.filter(pk__in=street_ids, kind=UnitKind.STREET, path__startswith=path, voided_at__isnull=True))
    if len(streets) != len(street_ids):
        errors.setdefault("streets", []).append("只能选择本辖区内的街道（乡镇）")
    depts = list(Department.objects.filter(pk__in=dept_ids, unit__path__startswith=path, voided_at__isnull=True)
                 .exclude(kind="anweiban"))
    if len(depts) != len(dept_ids):
        errors.setdefault("departments", []).append("只能选择本辖区内的部门（安委办除外）")
    return streets, depts


def _group_fields(data: dict, errors: dict, group: SupervisionGroup | None = None) -> dict:
    out = {}
    if group is None or "name" in data:
        out["name"] = _text(data, "name", "督查组名称", errors, max_length=100)
    if group is None or "task" in data:
        out["task"] = _text(data, "task", "督查任务", errors, max_length=5000, required=False)
    for field, label in (("period_start", "督查开始日期"), ("period_end", "督查结束日期")):
        if group is None or field in data:
            out[field] = _date(data, field, label, errors)
    start = out.get("period_start", group.period_start if group else None)
    end = out.get("period_end", group.period_end if group else None)
    if start and end and end < start:
        errors.setdefault("period_end", []).append("结束日期不能早于开始日期")
    if start and end and (end - start).days > 366:
        errors.setdefault("period_end", []).append("督查期不能超过一年")
    return out


@transaction.atomic
def group_create(*, actor, data: dict) -> SupervisionGroup:
    assignment = manage_assignment(actor)
    errors: dict = {}
    fields = _group_fields(data, errors)
    streets, depts = _targets(assignment, data, errors)
    _raise(errors)
    group = SupervisionGroup.objects.create(
        formed_by_unit=assignment.unit, formed_by_department=assignment.department, created_by=actor, **fields)
    group.streets.set(streets)
    group.departments.set(depts)
    record(actor=actor, assignment=assignment, obj=group, action="supervision.group_create", after=snapshot(group))
    return group


@transaction.atomic
def group_update(*, actor, group: SupervisionGroup, version, data: dict) -> SupervisionGroup:
    """Name, task, period, targets (``streets``/``departments`` when given) and status (``closed`` ends it)."""
    assignment = authorize_group(actor, group, MANAGE)
    errors: dict = {}
    fields = _group_fields(data, errors, group)
    if "status" in data:
        if data["status"] not in GroupStatus.values:
            errors.setdefault("status", []).append("状态只能是“工作中”或“已结束”")
        else:
            fields["status"] = data["status"]
    targets = None
    if "streets" in data or "departments" in data:
        targets = _targets(assignment, {"streets": data.get("streets", list(group.streets.values_list("pk", flat=True))),
                                        "departments": data.get("departments", list(group.departments.values_list("pk", flat=True)))},
                           errors)
        if group.checks.exists():
            checked_units = set(group.checks.exclude(unit=None).values_list("unit_id", flat=True))
            checked_depts = set(group.checks.exclude(department=None).values_list("department_id", flat=True))
            if not checked_units <= {s.pk for s in targets[0]}:
                errors.setdefault("streets", []).append("已有督查记录的街道（乡镇）不能从督查范围中移除")
            if not checked_depts <= {d.pk for d in targets[1]}:
                errors.setdefault("departments", []).append("已有督查记录的部门不能从督查范围中移除")
    _raise(errors)
    bump_version(group, version)
    before = snapshot(group)
    for key, value in fields.items():
        setattr(group, key, value)
    group.save()
    if targets is not None:
        group.streets.set(targets[0])
        group.departments.set(targets[1])
    sync_grants(group)
    record(actor=actor, assignment=assignment, obj=group, action="supervision.group_update", before=before, after=snapshot(group))
    return group


def member_candidates(actor):
    """People a 安委办 may put in a group: those of its territory and those holding a supervisor/expert post."""
    assignment = manage_assignment(actor)
    path = assignment.unit.path
    from django.db.models import Q

    experts = RoleAssignment.objects.active().filter(role__in=MEMBER_ROLES).values("user__person_id")
    return (Person.objects.filter(voided_at__isnull=True)
            .filter(Q(unit__path__startswith=path) | Q(department__unit__path__startswith=path) | Q(pk__in=experts))
            .order_by("name", "pk"))


def _member_assignment(person: Person) -> RoleAssignment | None:
    """The person's active supervisor/expert assignment (their account's), if any."""
    users = User.objects.filter(person=person, is_active=True)
    return RoleAssignment.objects.active().filter(user__in=users, role__in=MEMBER_ROLES).order_by("pk").first()


@transaction.atomic
def member_add(*, actor, group: SupervisionGroup, version, data: dict) -> GroupMember:
    assignment = authorize_group(actor, group, MANAGE)
    errors: dict = {}
    person_id = _one_id(data, "person", "人员", errors)
    if person_id is None and "person" not in errors:
        errors["person"] = ["请选择人员"]
    role = data.get("role")
    if role not in MemberRole.values:
        errors.setdefault("role", []).append("组内角色只能是组长、成员或专家")
    person = None
    if person_id:
        person = member_candidates(actor).filter(pk=person_id).first()
        if person is None:
            errors.setdefault("person", []).append("人员不存在或不在您的管辖范围内")
        elif group.members.filter(person=person, removed_at__isnull=True).exists():
            errors.setdefault("person", []).append("此人已是本组成员")
    if role == MemberRole.LEADER and group.members.filter(role=MemberRole.LEADER, removed_at__isnull=True).exists():
        errors.setdefault("role", []).append("本组已有组长，请先调整原组长")
    _raise(errors)
    if group.status != GroupStatus.ACTIVE:
        raise Conflict("督查组已结束，不能再调整成员")
    bump_version(group, version)
    member = GroupMember.objects.create(group=group, person=person, role=role, assignment=_member_assignment(person),
                                        added_at=timezone.now())
    sync_grants(group)
    record(actor=actor, assignment=assignment, obj=group, action="supervision.member_add",
           after={"member": member.pk, "person": person.pk, "role": role, "assignment": member.assignment_id})
    return member


@transaction.atomic
def member_remove(*, actor, group: SupervisionGroup, member_id, version, reason) -> GroupMember:
    assignment = authorize_group(actor, group, MANAGE)
    member = group.members.filter(pk=safe_id(member_id) or 0, removed_at__isnull=True).first()
    if member is None:
        raise NotFound()
    errors: dict = {}
    reason = _text({"reason": reason}, "reason", "退出原因", errors, max_length=200)
    _raise(errors)
    bump_version(group, version)
    member.removed_at = timezone.now()
    member.remove_reason = reason
    member.save(update_fields=["removed_at", "remove_reason"])
    sync_grants(group)
    record(actor=actor, assignment=assignment, obj=group, action="supervision.member_remove",
           before={"member": member.pk, "person": member.person_id}, reason=reason)
    return member


def grant_reason(group: SupervisionGroup) -> str:
    return f"督查组#{group.pk}：{group.name}"[:200]


def sync_grants(group: SupervisionGroup) -> None:
    """Make the members' grants match the group now (called inside the caller's transaction)."""
    now = timezone.now()
    prefix = f"督查组#{group.pk}："
    wanted: set[tuple[int, str, int]] = set()
    until = end_of_day(group.period_end)
    if group.status == GroupStatus.ACTIVE and until > now:
        objects = [(GROUP_KEY, group.pk)]
        objects += [("orgunit", pk) for pk in group.streets.values_list("pk", flat=True)]
        objects += [("department", pk) for pk in group.departments.values_list("pk", flat=True)]
        for assignment_id in group.members.filter(removed_at__isnull=True, assignment__isnull=False).values_list("assignment_id", flat=True):
            wanted |= {(assignment_id, key, pk) for key, pk in objects}
    existing = Grant.objects.active(now).filter(reason__startswith=prefix)
    have = {}
    for grant in existing:
        have[(grant.assignment_id, grant.model_key, grant.object_id)] = grant
    for key, grant in have.items():
        if key not in wanted:
            Grant.objects.filter(pk=grant.pk).update(revoked_at=now)
        elif grant.valid_to != until:
            Grant.objects.filter(pk=grant.pk).update(valid_to=until, reason=grant_reason(group))
    Grant.objects.bulk_create([
        Grant(assignment_id=a, model_key=k, object_id=o, valid_from=now, valid_to=until, reason=grant_reason(group))
        for (a, k, o) in sorted(wanted - set(have))
    ])


# ---------------------------------------------------------------- checks


def _check_fields(group: SupervisionGroup, data: dict, errors: dict, check: SupervisionCheck | None = None) -> dict:
    out: dict = {}
    if check is None or "checked_on" in data:
        checked_on = _date(data, "checked_on", "督查日期", errors)
        if checked_on:
            if checked_on > today():
                errors.setdefault("checked_on", []).append("督查日期不能晚于今天")
            elif not group.period_start <= checked_on <= group.period_end:
                errors.setdefault("checked_on", []).append(
                    f"督查日期应在督查期内（{group.period_start:%Y-%m-%d}至{group.period_end:%Y-%m-%d}）")
            out["checked_on"] = checked_on
    if check is None or "summary" in data:
        out["summary"] = _text(data, "summary", "督查情况", errors, max_length=10000, required=False)
    if check is None or "answers" in data:
        version = check.questions_version if check else questions.CURRENT_VERSION
        answers, answer_errors = questions.clean_answers(version, data.get("answers"), complete=False)
        for key, messages in answer_errors.items():
            errors.setdefault(key, []).extend(messages)
        out["answers"] = answers
    return out


@transaction.atomic
def check_create(*, actor, group: SupervisionGroup, data: dict) -> SupervisionCheck:
    assignment = authorize_group(actor, group, CHECK)
    if group.status != GroupStatus.ACTIVE:
        raise Conflict("督查组已结束，不能再新建督查记录")
    errors: dict = {}
    unit_id = _one_id(data, "unit", "被督查街道", errors)
    dept_id = _one_id(data, "department", "被督查部门", errors)
    unit = dept = None
    if (unit_id is None) == (dept_id is None) and not errors:
        errors["unit"] = ["请选择一个被督查的街道（乡镇）或部门"]
    elif unit_id:
        unit = group.streets.filter(pk=unit_id).first()
        if unit is None:
            errors.setdefault("unit", []).append("该街道（乡镇）不在本组的督查范围内")
    elif dept_id:
        dept = group.departments.filter(pk=dept_id).first()
        if dept is None:
            errors.setdefault("department", []).append("该部门不在本组的督查范围内")
    fields = _check_fields(group, data, errors)
    _raise(errors)
    check = SupervisionCheck.objects.create(
        group=group, unit=unit, department=dept, questions_version=questions.CURRENT_VERSION,
        recorded_by=actor, recorded_role=assignment.role, **fields)
    record(actor=actor, assignment=assignment, obj=check, action="supervision.check_create", after=snapshot(check))
    return check


def _authorize_check(actor, check: SupervisionCheck) -> RoleAssignment:
    return _authorize_obj(actor, check, CHECK, _formed_here(check.group))


@transaction.atomic
def check_update(*, actor, check: SupervisionCheck, version, data: dict) -> SupervisionCheck:
    assignment = _authorize_check(actor, check)
    errors: dict = {}
    fields = _check_fields(check.group, data, errors, check)
    _raise(errors)
    if check.status != CheckStatus.DRAFT:
        raise Conflict("督查已完成，记录不能再修改")
    bump_version(check, version)
    before = snapshot(check)
    for key, value in fields.items():
        setattr(check, key, value)
    check.save()
    record(actor=actor, assignment=assignment, obj=check, action="supervision.check_update", before=before, after=snapshot(check))
    return check


@transaction.atomic
def check_complete(*, actor, check: SupervisionCheck, version) -> SupervisionCheck:
    assignment = _authorize_check(actor, check)
    if check.status != CheckStatus.DRAFT:
        raise Conflict("督查已完成，不能重复完成")
    _, errors = questions.clean_answers(check.questions_version, check.answers, complete=True)
    if errors:
        raise Invalid(errors, "还有问题未回答，请答完全部问题后再完成督查")
    bump_version(check, version)
    before = snapshot(check)
    check.status = CheckStatus.COMPLETED
    check.completed_at = timezone.now()
    check.save()
    record(actor=actor, assignment=assignment, obj=check, action="supervision.check_complete", before=before, after=snapshot(check))
    return check


# ---------------------------------------------------------------- findings


def deadline_for(start: datetime.date, days: int) -> datetime.date:
    """A period of ``days`` from ``start`` by the 民法典 rule (rules.calendar.add_days: end moved off holidays)."""
    return WorkCalendar().add_days(start, days)


@transaction.atomic
def finding_add(*, actor, check: SupervisionCheck, data: dict) -> Finding:
    assignment = _authorize_check(actor, check)
    errors: dict = {}
    description = _text(data, "description", "发现的问题", errors, max_length=5000)
    demand = _text(data, "demand", "整改要求", errors, max_length=5000)
    raw_days = data.get("deadline_days")
    days = None
    if raw_days in (None, ""):
        errors["deadline_days"] = ["请填写整改期限（天数）"]
    else:
        try:
            days = None if isinstance(raw_days, (bool, float)) else int(str(raw_days).strip()[:6])
        except ValueError:
            days = None
        if days is None or not 1 <= days <= MAX_DEADLINE_DAYS:
            days = None
            errors["deadline_days"] = [f"整改期限应为1至{MAX_DEADLINE_DAYS}之间的整数天数"]
    question = data.get("question") or ""
    known = {q.key for q in questions.questions(check.questions_version)}
    if question and question not in known:
        errors.setdefault("question", []).append("对应问题不存在")
    _raise(errors)
    # Lock the check so two findings added at once get distinct numbers.
    SupervisionCheck.objects.select_for_update().filter(pk=check.pk).first()
    number = (check.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    issued = today()
    finding = Finding.objects.create(
        check_record=check, group=check.group, unit=check.unit, department=check.department, number=number,
        question=question, description=description, demand=demand, deadline_days=days,
        deadline=deadline_for(issued, days), issued_by=actor, issued_role=assignment.role, issued_at=timezone.now())
    record(actor=actor, assignment=assignment, obj=finding, action="supervision.finding_add", after=snapshot(finding))
    notify_event("finding_raised", finding, key=f"finding:f{finding.pk}", actor=actor)
    return finding


@transaction.atomic
def finding_report(*, actor, finding: Finding, version, measures) -> Finding:
    """The supervised unit reports what it did (待整改 → 已报整改); a new round each time."""
    assignment = _authorize_obj(actor, finding, RESPOND, lambda a: may_respond(a, finding))
    errors: dict = {}
    measures = _text({"measures": measures}, "measures", "整改情况", errors, max_length=5000)
    _raise(errors)
    target = next_status(finding, "report")
    bump_version(finding, version)
    before = snapshot(finding)
    number = (finding.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    FindingRound.objects.create(finding=finding, number=number, measures=measures, reported_by=actor,
                                reported_role=assignment.role, reported_at=timezone.now(),
                                on_time=today() <= finding.deadline)
    finding.status = target
    finding.save()
    record(actor=actor, assignment=assignment, obj=finding, action="supervision.finding_report", before=before, after=snapshot(finding))
    notify_event("finding_reported", finding, key=f"finding_reported:f{finding.pk}:r{number}", actor=actor)
    return finding


def _verdict(actor, finding: Finding, version, verb: str, reason: str = "") -> Finding:
    assignment = _authorize_obj(actor, finding, CHECK, _formed_here(finding.group))
    errors: dict = {}
    if verb == "send_back":
        reason = _text({"reason": reason}, "reason", "退回理由", errors, max_length=1000)
    _raise(errors)
    target = next_status(finding, verb)
    bump_version(finding, version)
    before = snapshot(finding)
    last = finding.rounds.filter(verdict=Verdict.PENDING).order_by("-number").first()
    if last is not None:
        last.verdict = Verdict.CONFIRMED if verb == "confirm" else Verdict.SENT_BACK
        last.verified_by = actor
        last.verified_role = assignment.role
        last.verified_at = timezone.now()
        last.verdict_reason = reason
        last.save()
    finding.status = target
    finding.confirmed_at = timezone.now() if verb == "confirm" else None
    finding.save()
    record(actor=actor, assignment=assignment, obj=finding, action=f"supervision.finding_{verb}", before=before,
           after=snapshot(finding), reason=reason)
    if verb == "send_back":
        notify_event("finding_sent_back", finding, key=f"finding_sent_back:f{finding.pk}:v{finding.version}", actor=actor,
                     reason=reason[:60])
    return finding


@transaction.atomic
def finding_confirm(*, actor, finding: Finding, version) -> Finding:
    """The group (or the 安委办 that formed it) confirms the fix (已报整改 → 已确认)."""
    return _verdict(actor, finding, version, "confirm")


@transaction.atomic
def finding_send_back(*, actor, finding: Finding, version, reason) -> Finding:
    """Not good enough: back to 待整改 with the reason; the original deadline still runs."""
    return _verdict(actor, finding, version, "send_back", reason)


# ---------------------------------------------------------------- interviews and circulars


def _industry_target(actor, data: dict, errors: dict):
    """行业约谈: the industry (within ``target_unit``) and the assignment that may call it in — a 安委办 whose
    territory holds the unit (its own included), or a department regulating the industry there."""
    from anquan.orgs.models import Industry

    unit_id = _one_id(data, "target_unit", "约谈对象（区域）", errors)
    industry_id = _one_id(data, "target_industry", "约谈对象（行业）", errors)
    if errors:
        return None, {}
    industry = Industry.objects.filter(pk=industry_id).first()
    if industry is None:
        errors["target_industry"] = ["请选择有效的行业领域"]
        return None, {}
    if not unit_id or data.get("target_department") or data.get("target_enterprise"):
        errors["target_unit"] = ["行业约谈须选择行业所在的区域（区划单位），不能同时选择部门或企业"]
        return None, {}
    unit = OrgUnit.objects.filter(pk=unit_id, voided_at__isnull=True).first()
    permitted = [a for a in active_assignments(actor) if a.permits(ACCOUNTABILITY)]
    if not permitted:
        raise Forbidden()
    for a in permitted:
        if unit is None:
            break
        if a.scope_kind == ScopeKind.TERRITORY and unit.path.startswith(a.unit.path):
            return a, {"target_unit": unit, "target_industry": industry}
        if (a.scope_kind == ScopeKind.DEPARTMENT and unit.path.startswith(a.department.unit.path)
                and a.department.industries.filter(pk=industry.pk).exists()):
            return a, {"target_unit": unit, "target_industry": industry}
    errors["target_unit"] = ["只能约谈本辖区内、本部门主管的行业"]
    return None, {}


def _accountability_assignment(actor, data: dict, errors: dict):
    """The assignment recording against the target, and the target fields (exactly one of unit/department/enterprise).

    An enterprise: any assignment that permits ``accountability.record`` and covers it (安委办 of its
    territory, a department regulating it). A unit below the 安委办's own, or a department of its
    territory: the 安委办 only. An out-of-scope target answers 422.
    """
    from anquan.enterprises.models import Enterprise

    unit_id = _one_id(data, "target_unit", "约谈/通报对象（单位）", errors)
    dept_id = _one_id(data, "target_department", "约谈/通报对象（部门）", errors)
    ent_id = _one_id(data, "target_enterprise", "约谈/通报对象（企业）", errors)
    given = [x for x in (unit_id, dept_id, ent_id) if x]
    if errors:
        return None, {}
    if len(given) != 1:
        errors["target_enterprise"] = ["请选择一个对象：区划单位、部门或企业，只能选一个"]
        return None, {}
    permitted = [a for a in active_assignments(actor) if a.permits(ACCOUNTABILITY)]
    if not permitted:
        raise Forbidden()
    if ent_id:
        for a in permitted:
            if Enterprise.objects.filter(Enterprise.objects.assignment_q(a), pk=ent_id, voided_at__isnull=True).exists():
                return a, {"target_enterprise": Enterprise.objects.get(pk=ent_id)}
        errors["target_enterprise"] = ["企业不存在或不在您的管辖范围内"]
        return None, {}
    territorial = [a for a in permitted if a.scope_kind == ScopeKind.TERRITORY]
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id, voided_at__isnull=True).first()
        for a in territorial:
            if unit is not None and unit.path.startswith(a.unit.path) and unit.pk != a.unit_id:
                return a, {"target_unit": unit}
        errors["target_unit"] = ["只能约谈或通报本辖区内的下级单位"]
        return None, {}
    dept = Department.objects.filter(pk=dept_id, voided_at__isnull=True).select_related("unit").first()
    for a in territorial:
        if dept is not None and dept.unit.path.startswith(a.unit.path) and dept.pk != a.department_id:
            return a, {"target_department": dept}
    errors["target_department"] = ["只能约谈或通报本辖区内的部门"]
    return None, {}


def _links(actor, data: dict, errors: dict) -> dict:
    from anquan.hazards.models import Hazard
    from anquan.inspections.models import Inspection

    out = {}
    for field, label, model in (("inspections", "相关检查", Inspection), ("hazards", "相关隐患", Hazard),
                                ("findings", "相关督查问题", Finding)):
        ids = _ids(data, field, label, errors)
        found = list(model.objects.visible_to(actor).filter(pk__in=ids)) if ids else []
        if len(found) != len(ids):
            errors.setdefault(field, []).append(f"{label}中有不存在或不在您的管辖范围内的记录")
        out[field] = found
    return out


def _recorded(model, actor, data: dict, fields: dict, action: str):
    errors: dict = {}
    if model is Interview and data.get("target_industry") not in (None, ""):
        assignment, target = _industry_target(actor, data, errors)
    else:
        assignment, target = _accountability_assignment(actor, data, errors)
    links = _links(actor, data, errors)
    fields = fields(errors)
    _raise(errors)
    obj = model.objects.create(
        recorder_unit=assignment.territory, recorder_department=assignment.department, recorded_by=actor,
        recorded_role=assignment.role, **target, **fields)
    for field, objs in links.items():
        getattr(obj, field).set(objs)
    return obj, assignment


@transaction.atomic
def interview_create(*, actor, data: dict) -> Interview:
    """Record a 警示约谈 against a unit (a region), a department, an enterprise, or an industry within a region
    (``target_industry`` with ``target_unit``)."""
    def fields(errors):
        held_on = _date(data, "held_on", "约谈日期", errors)
        if held_on and held_on > today():
            errors.setdefault("held_on", []).append("约谈日期不能晚于今天（请在约谈后登记）")
        return {
            "held_on": held_on,
            "place": _text(data, "place", "约谈地点", errors, max_length=200, required=False),
            "participants": _text(data, "participants", "参加人员", errors, max_length=2000),
            "content": _text(data, "content", "约谈内容", errors, max_length=10000),
            "commitments": _text(data, "commitments", "整改承诺", errors, max_length=5000, required=False),
        }

    interview, assignment = _recorded(Interview, actor, data, fields, ACCOUNTABILITY)
    record(actor=actor, assignment=assignment, obj=interview, action="accountability.interview_create", after=snapshot(interview))
    return interview


@transaction.atomic
def circular_create(*, actor, data: dict) -> Circular:
    """Record a 通报 and, when the documents app is available, generate its official document."""
    def fields(errors):
        kind = data.get("kind") or CircularKind.CRITICISM
        if kind not in CircularKind.values:
            errors.setdefault("kind", []).append("通报类别只能是通报批评、情况通报或通报表扬")
        issued_on = _date(data, "issued_on", "通报日期", errors)
        if issued_on and issued_on > today():
            errors.setdefault("issued_on", []).append("通报日期不能晚于今天")
        return {
            "title": _text(data, "title", "标题", errors, max_length=200),
            "kind": kind,
            "issued_on": issued_on,
            "content": _text(data, "content", "通报内容", errors, max_length=20000),
            "requirements": _text(data, "requirements", "工作要求", errors, max_length=10000, required=False),
            "recipients": _text(data, "recipients", "主送", errors, max_length=500, required=False),
        }

    circular, assignment = _recorded(Circular, actor, data, fields, ACCOUNTABILITY)
    _generate_document(actor, circular, assignment)
    record(actor=actor, assignment=assignment, obj=circular, action="accountability.circular_create", after=snapshot(circular))
    return circular


def documents_available() -> bool:
    try:
        from anquan.documents.services import issue_document  # noqa: F401
    except ImportError:
        return False
    return True


def _generate_document(actor, circular: Circular, assignment) -> None:
    """The 通报 as an official document (documents.services.issue_document), issued in the name of the
    recording organ: the 安委办's unit, or the department for a department's 通报."""
    if not documents_available():
        return
    from anquan.documents.services import issue_document

    recipients = circular.recipients or str(circular.target)
    paragraphs = [p.strip() for p in circular.content.splitlines() if p.strip()]
    paragraphs += [p.strip() for p in circular.requirements.splitlines() if p.strip()]
    organ = ({"issuer_department": assignment.department} if assignment.scope_kind == ScopeKind.DEPARTMENT
             else {"issuer_unit": assignment.unit})
    document = issue_document(actor, kind="circular", about=circular, title=circular.title, recipients=recipients,
                              paragraphs=paragraphs, **organ)
    circular.document_id = document.pk
    circular.document_number = document.number[:60]
    circular.save(update_fields=["document_id", "document_number", "updated_at"])


@transaction.atomic
def circular_issue_document(*, actor, circular: Circular, version) -> Circular:
    """Generate the document of a 通报 recorded before the documents app was available (once)."""
    assignment = _authorize_obj(actor, circular, ACCOUNTABILITY)
    if circular.document_id:
        raise Conflict("该通报已生成公文")
    if not documents_available():
        raise Conflict("公文生成功能尚未启用，请稍后再试")
    bump_version(circular, version)
    before = snapshot(circular)
    _generate_document(actor, circular, assignment)
    record(actor=actor, assignment=assignment, obj=circular, action="accountability.circular_document", before=before,
           after=snapshot(circular))
    return circular


def _recorder_rule(obj):
    """Only the recording organ itself voids its record: the same 安委办 unit, or the same department."""
    def rule(assignment):
        if assignment.scope_kind == ScopeKind.DEPARTMENT:
            ok = obj.recorder_department_id is not None and assignment.department_id == obj.recorder_department_id
        else:
            ok = assignment.scope_kind == ScopeKind.TERRITORY and assignment.unit_id == obj.recorder_unit_id
        return None if ok else "只有登记该记录的单位可以作废"
    return rule


@transaction.atomic
def record_void(*, actor, obj: Interview | Circular, version, reason) -> Interview | Circular:
    """Void (作废) a 警示约谈 or 通报 recorded in error, with a reason; a 通报's document is voided with it."""
    assignment = _authorize_obj(actor, obj, ACCOUNTABILITY, _recorder_rule(obj))
    errors: dict = {}
    reason = _text({"reason": reason}, "reason", "作废原因", errors, max_length=500)
    _raise(errors)
    if obj.voided_at:
        raise Conflict("该记录已作废")
    bump_version(obj, version)
    before = snapshot(obj, ["voided_at", "void_reason"])
    obj.voided_at = timezone.now()
    obj.void_reason = reason
    obj.save(update_fields=["voided_at", "void_reason", "version", "updated_at"])
    if isinstance(obj, Circular) and obj.document_id and documents_available():
        from anquan.documents.models import OfficialDocument
        from anquan.documents.services import document_void

        document = OfficialDocument.objects.filter(pk=obj.document_id, voided_at__isnull=True).first()
        if document is not None:
            document_void(actor=actor, document=document, version=document.version, reason=f"通报作废：{reason}"[:500])
    record(actor=actor, assignment=assignment, obj=obj, action=f"accountability.{obj._meta.model_name}_void", before=before,
           after=snapshot(obj, ["voided_at", "void_reason"]), reason=reason)
    return obj
