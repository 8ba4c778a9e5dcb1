"""Supervision pages (督查问责): groups, a group's checks, the check form with the standard questions,
findings (overdue first) with report/confirm/send-back, warning interviews and circulars.

Thin: reads through ``selectors`` / ``get_visible`` (404 for anything out of scope), writes
through ``services``; a service's Invalid (422) re-renders the form with the Chinese messages
under the fields and what was typed kept; NotFound/Forbidden/Conflict are answered by
``core.middleware`` (404/403/409), except on the finding page, where a refused transition is
shown as a message on the page.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import get_visible, safe_id
from anquan.core.views import login_required, paginate, post_data, query_without
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, OrgUnit, UnitKind
from anquan.rules.calendar import today

from . import questions, selectors, services
from .models import (
    CheckStatus,
    Circular,
    CircularKind,
    Finding,
    FindingStatus,
    GroupStatus,
    Interview,
    MemberRole,
    SupervisionCheck,
    SupervisionGroup,
    finding_is_overdue,
    finding_overdue_q,
)


def permits_any(user, action: str) -> bool:
    return any(a.permits(action) for a in active_assignments(user))


def _may(user, obj, action: str, rule=None) -> bool:
    try:
        services._authorize_obj(user, obj, action, rule)
    except Exception:  # noqa: BLE001 - any refusal means "do not offer the button"
        return False
    return True


def _nav(active: str, user) -> dict:
    return {"tab": active, "can_manage": permits_any(user, services.MANAGE),
            "can_record": permits_any(user, services.ACCOUNTABILITY)}


# ---------------------------------------------------------------- groups


@login_required
def group_list(request):
    user = request.user
    groups = selectors.group_list(user).annotate(n_checks=Count("checks", distinct=True)).order_by("-period_start", "-id")
    page = paginate(request, groups, 30)
    overdue = selectors.finding_list(user, {"overdue": "1"}).count()
    return render(request, "supervision/groups.html", {
        "page": page, "query": query_without(request), "overdue": overdue, **_nav("groups", user)})


def _group_form_context(user, group=None):
    assignment = services.manage_assignment(user)
    path = assignment.unit.path
    return {
        "streets": OrgUnit.objects.filter(kind=UnitKind.STREET, path__startswith=path, voided_at__isnull=True).order_by("path"),
        "departments": Department.objects.filter(unit__path__startswith=path, voided_at__isnull=True)
        .exclude(kind="anweiban").select_related("unit").order_by("unit__path", "id"),
        "group": group,
    }


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    user = request.user
    context = _group_form_context(user)
    values, errors = {"streets": [], "departments": []}, {}
    if request.method == "POST":
        data = post_data(request, multi=("streets", "departments"))
        try:
            group = services.group_create(actor=user, data=data)
        except Invalid as exc:
            values, errors = data, exc.errors
        else:
            messages.success(request, f"督查组“{group.name}”已组建，请添加成员。")
            return redirect("supervision:group", pk=group.pk)
    return render(request, "supervision/group_form.html", {**context, "values": values, "errors": errors},
                  status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    user = request.user
    group = get_visible(SupervisionGroup.objects.select_related("formed_by_unit"), user, pk)
    services.authorize_group(user, group, services.MANAGE)
    context = _group_form_context(user, group)
    values = {"name": group.name, "task": group.task, "period_start": group.period_start.isoformat(),
              "period_end": group.period_end.isoformat(), "version": group.version,
              "streets": [str(p) for p in group.streets.values_list("pk", flat=True)],
              "departments": [str(p) for p in group.departments.values_list("pk", flat=True)]}
    errors = {}
    if request.method == "POST":
        data = post_data(request, multi=("streets", "departments"))
        version = data.pop("version", None)
        try:
            services.group_update(actor=user, group=group, version=version, data=data)
        except Invalid as exc:
            values, errors = {**data, "version": version}, exc.errors
        else:
            messages.success(request, "督查组已修改。")
            return redirect("supervision:group", pk=group.pk)
    return render(request, "supervision/group_form.html", {**context, "values": values, "errors": errors},
                  status=422 if errors else 200)


@login_required
def group_detail(request, pk, posted=None, status=200):
    user = request.user
    group = get_visible(SupervisionGroup.objects.select_related("formed_by_unit", "created_by__person"), user, pk)
    can_manage = _may(user, group, services.MANAGE, services._formed_here(group))
    can_check = _may(user, group, services.CHECK, services._formed_here(group)) and group.status == GroupStatus.ACTIVE
    candidates = services.member_candidates(user)[:300] if can_manage else []
    checks = selectors.check_list(user, group.pk).annotate(
        n_findings=Count("findings", distinct=True),
        n_open=Count("findings", filter=~Q(findings__status=FindingStatus.CONFIRMED), distinct=True)).order_by("-checked_on", "-id")
    return render(request, "supervision/group_detail.html", {
        "group": group, "members": group.members.filter(removed_at__isnull=True).select_related("person"),
        "streets": group.streets.all(), "departments": group.departments.select_related("unit"),
        "checks": checks, "can_manage": can_manage, "can_check": can_check, "candidates": candidates,
        "roles": MemberRole.choices, "posted": posted or {}, "tab": "groups",
    }, status=status)


def _group_action(request, pk, fn, success: str):
    user = request.user
    group = get_visible(SupervisionGroup.objects.select_related("formed_by_unit"), user, pk)
    try:
        fn(user, group)
    except Invalid as exc:
        return group_detail(request, pk, posted={"values": post_data(request), "errors": exc.errors}, status=422)
    except Conflict as exc:
        return group_detail(request, pk, posted={"conflict": exc.message}, status=409)
    messages.success(request, success)
    return redirect("supervision:group", pk=pk)


@login_required
@require_POST
def member_add(request, pk):
    return _group_action(request, pk, lambda user, group: services.member_add(
        actor=user, group=group, version=request.POST.get("version"),
        data={"person": request.POST.get("person"), "role": request.POST.get("role")}), "成员已加入督查组。")


@login_required
@require_POST
def member_remove(request, pk, member_id):
    return _group_action(request, pk, lambda user, group: services.member_remove(
        actor=user, group=group, member_id=member_id, version=request.POST.get("version"),
        reason=request.POST.get("reason")), "成员已退出督查组，其授权已收回。")


@login_required
@require_POST
def group_close(request, pk):
    return _group_action(request, pk, lambda user, group: services.group_update(
        actor=user, group=group, version=request.POST.get("version"), data={"status": GroupStatus.CLOSED}),
        "督查组已结束，成员的授权已收回。")


# ---------------------------------------------------------------- checks


def _answers_from_post(request, version: str) -> dict:
    return {q.key: {"answer": request.POST.get(f"answer_{q.key}", ""), "note": request.POST.get(f"note_{q.key}", "")}
            for q in questions.questions(version)}


def _question_rows(version: str, answers: dict, errors: dict) -> list[dict]:
    return [{"q": q, "answer": (answers.get(q.key) or {}).get("answer", ""), "note": (answers.get(q.key) or {}).get("note", ""),
             "errors": errors.get(f"answers.{q.key}", [])} for q in questions.questions(version)]


@login_required
@require_http_methods(["GET", "POST"])
def check_new(request, pk):
    user = request.user
    group = get_visible(SupervisionGroup.objects.select_related("formed_by_unit"), user, pk)
    services.authorize_group(user, group, services.CHECK)
    version = questions.CURRENT_VERSION
    values, errors, answers = {"checked_on": today().isoformat()}, {}, {}
    if request.method == "POST":
        data = post_data(request)
        target = data.get("target", "")
        kind, _, target_id = target.partition(":")
        data["unit" if kind == "unit" else "department"] = target_id if kind in ("unit", "department") else None
        answers = _answers_from_post(request, version)
        data["answers"] = answers
        try:
            check = services.check_create(actor=user, group=group, data=data)
        except Invalid as exc:
            values, errors = data, exc.errors
        else:
            messages.success(request, "督查记录已保存。可继续记录发现的问题，答完全部问题后点“完成督查”。")
            return redirect("supervision:check", pk=check.pk)
    return render(request, "supervision/check_form.html", {
        "group": group, "check": None, "values": values, "errors": errors, "answer_choices": questions.ANSWERS.items(),
        "rows": _question_rows(version, answers, errors), "tab": "groups",
        "targets": [(f"unit:{s.pk}", s.name) for s in group.streets.order_by("path")]
        + [(f"department:{d.pk}", d.name) for d in group.departments.order_by("id")],
    }, status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def check_edit(request, pk):
    user = request.user
    check = get_visible(SupervisionCheck.objects.select_related("group__formed_by_unit", "unit", "department"), user, pk)
    services._authorize_check(user, check)
    values = {"checked_on": check.checked_on.isoformat(), "summary": check.summary, "version": check.version}
    answers, errors = check.answers, {}
    if request.method == "POST":
        data = post_data(request)
        answers = _answers_from_post(request, check.questions_version)
        data["answers"] = answers
        version = data.pop("version", None)
        try:
            services.check_update(actor=user, check=check, version=version, data=data)
        except Invalid as exc:
            values, errors = {**data, "version": version}, exc.errors
        else:
            messages.success(request, "督查记录已保存。")
            return redirect("supervision:check", pk=check.pk)
    return render(request, "supervision/check_form.html", {
        "group": check.group, "check": check, "values": values, "errors": errors,
        "answer_choices": questions.ANSWERS.items(), "rows": _question_rows(check.questions_version, answers, errors),
        "tab": "groups",
    }, status=422 if errors else 200)


@login_required
def check_detail(request, pk, posted=None, status=200):
    user = request.user
    check = get_visible(SupervisionCheck.objects.select_related("group__formed_by_unit", "unit", "department",
                                                                "recorded_by__person"), user, pk)
    can_check = _may(user, check, services.CHECK, services._formed_here(check.group))
    day = today()
    findings = list(check.findings.order_by("number"))
    for f in findings:
        f.overdue = finding_is_overdue(f, day)
    return render(request, "supervision/check_detail.html", {
        "check": check, "rows": _question_rows(check.questions_version, check.answers, {}),
        "answer_labels": questions.ANSWERS, "findings": findings, "figures": selectors.supervised_figures(check, day),
        "can_check": can_check, "posted": posted or {}, "questions": questions.questions(check.questions_version),
        "tab": "groups",
    }, status=status)


@login_required
@require_POST
def check_complete(request, pk):
    user = request.user
    check = get_visible(SupervisionCheck.objects.select_related("group__formed_by_unit"), user, pk)
    try:
        services.check_complete(actor=user, check=check, version=request.POST.get("version"))
    except Invalid as exc:
        return check_detail(request, pk, posted={"complete_errors": [m for ms in exc.errors.values() for m in ms]}, status=422)
    messages.success(request, "督查已完成。")
    return redirect("supervision:check", pk=pk)


@login_required
@require_POST
def finding_add(request, pk):
    user = request.user
    check = get_visible(SupervisionCheck.objects.select_related("group__formed_by_unit", "unit", "department"), user, pk)
    try:
        finding = services.finding_add(actor=user, check=check, data=post_data(request))
    except Invalid as exc:
        return check_detail(request, pk, posted={"values": post_data(request), "errors": exc.errors}, status=422)
    messages.success(request, f"问题{finding.number}已记录，整改期限至{finding.deadline:%Y-%m-%d}。")
    return redirect("supervision:check", pk=pk)


# ---------------------------------------------------------------- findings


@login_required
def finding_list(request):
    user = request.user
    params = {k: request.GET.get(k, "") for k in selectors.FINDING_FILTERS}
    qs = selectors.finding_list(user, params)
    page = paginate(request, qs, 50)
    day = today()
    for f in page.object_list:
        f.overdue = finding_is_overdue(f, day)
    return render(request, "supervision/findings.html", {
        "page": page, "query": query_without(request), "params": params, "statuses": FindingStatus.choices,
        **_nav("findings", user)})


@login_required
def finding_detail(request, pk, posted=None, status=200):
    user = request.user
    finding = get_visible(Finding.objects.select_related("group__formed_by_unit", "unit", "department", "check_record",
                                                         "issued_by__person"), user, pk)
    finding.overdue = finding_is_overdue(finding, today())
    return render(request, "supervision/finding_detail.html", {
        "finding": finding, "rounds": finding.rounds.select_related("reported_by__person", "verified_by__person"),
        "can_report": _may(user, finding, services.RESPOND, lambda a: services.may_respond(a, finding)),
        "can_verify": _may(user, finding, services.CHECK, services._formed_here(finding.group)),
        "can_record": permits_any(user, services.ACCOUNTABILITY),
        "question": next((q for q in questions.questions(finding.check_record.questions_version) if q.key == finding.question), None),
        "posted": posted or {}, "tab": "findings",
    }, status=status)


def _finding_action(request, pk, fn, success: str, action: str):
    user = request.user
    finding = get_visible(Finding.objects.select_related("group__formed_by_unit", "unit", "department"), user, pk)
    try:
        fn(user, finding)
    except Invalid as exc:
        return finding_detail(request, pk, posted={"action": action, "values": post_data(request), "errors": exc.errors}, status=422)
    except Conflict as exc:
        return finding_detail(request, pk, posted={"action": action, "conflict": exc.message}, status=409)
    messages.success(request, success)
    return redirect("supervision:finding", pk=pk)


@login_required
@require_POST
def finding_report(request, pk):
    return _finding_action(request, pk, lambda user, f: services.finding_report(
        actor=user, finding=f, version=request.POST.get("version"), measures=request.POST.get("measures")),
        "整改情况已报告，等待督查组确认。", "report")


@login_required
@require_POST
def finding_confirm(request, pk):
    return _finding_action(request, pk, lambda user, f: services.finding_confirm(
        actor=user, finding=f, version=request.POST.get("version")), "已确认整改到位。", "confirm")


@login_required
@require_POST
def finding_send_back(request, pk):
    return _finding_action(request, pk, lambda user, f: services.finding_send_back(
        actor=user, finding=f, version=request.POST.get("version"), reason=request.POST.get("reason")),
        "已退回整改。", "send_back")


# ---------------------------------------------------------------- interviews and circulars


#: How many matches of each kind the 对象 picker shows for one search.
TARGET_MATCHES = 10
TARGET_GROUPS = {"unit": "区划单位", "department": "部门", "enterprise": "企业"}


def _target_querysets(user) -> dict:
    """What a 约谈/通报 may be addressed to, by kind: the streets (and districts) below the user's
    territorial posts, the departments there, and the enterprises the user may hold to account.
    A district has thousands of enterprises, so the page searches these (``target_search``)
    instead of listing them in one select."""
    territorial = [a for a in active_assignments(user) if a.permits(services.ACCOUNTABILITY) and a.scope_kind == "territory"]
    units = OrgUnit.objects.filter(pk__in=_own_units(user))  # one's own territory: for an industry interview (行业约谈)
    depts = Department.objects.none()
    for a in territorial:
        units = units | OrgUnit.objects.filter(path__startswith=a.unit.path, kind__in=[UnitKind.DISTRICT, UnitKind.STREET]).exclude(pk=a.unit_id)
        depts = depts | Department.objects.filter(unit__path__startswith=a.unit.path).exclude(pk=a.department_id)
    return {
        "unit": units.filter(voided_at__isnull=True).order_by("path", "id"),
        "department": depts.filter(voided_at__isnull=True).select_related("unit").order_by("unit__path", "id"),
        "enterprise": Enterprise.objects.visible_to(user, services.ACCOUNTABILITY).filter(voided_at__isnull=True).order_by("name", "id"),
    }


def _own_units(user) -> set[int]:
    """The user's own territory (a 安委办's unit, a department's district): offered as the region of a 行业约谈 of
    one's own territory; services refuse it as the object of any other 约谈/通报 (only units below)."""
    out = set()
    for a in active_assignments(user):
        if a.permits(services.ACCOUNTABILITY):
            if a.scope_kind == "territory":
                out.add(a.unit_id)
            elif a.scope_kind == "department" and a.department_id:
                out.add(a.department.unit_id)
    return out


def _target_label(kind: str, obj, own=()) -> str:
    if kind == "unit" and obj.pk in own:
        return f"{obj.name}（本级辖区，仅用于行业约谈）"
    return f"{obj.name}（{obj.unit.name}）" if kind == "department" else obj.name


def _target_options(user, q: str) -> list[tuple[str, str, str]]:
    """``[(value, label, group)]`` of the targets whose name contains ``q`` (an enterprise also by
    its credit code), at most TARGET_MATCHES of each kind."""
    out, own = [], _own_units(user)
    for kind, qs in _target_querysets(user).items():
        match = Q(name__icontains=q) | (Q(credit_code__icontains=q.upper()) if kind == "enterprise" else Q(pk__in=[]))
        out += [(f"{kind}:{o.pk}", _target_label(kind, o, own), TARGET_GROUPS[kind]) for o in qs.filter(match)[:TARGET_MATCHES]]
    return out


def _chosen_target(user, value: str) -> tuple[str, str, str] | None:
    """The picked target as an option, if it is one the user may address (else nothing is shown)."""
    kind, _, pk = (value or "").partition(":")
    if kind not in TARGET_GROUPS or not safe_id(pk):
        return None
    obj = _target_querysets(user)[kind].filter(pk=safe_id(pk)).first()
    return (value, _target_label(kind, obj, _own_units(user)), TARGET_GROUPS[kind]) if obj else None


@login_required
def target_search(request):
    """htmx: the 对象 picker of the 约谈/通报 form — matches of the typed name as radio buttons."""
    if not permits_any(request.user, services.ACCOUNTABILITY):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有安委办和行业部门可以登记约谈、通报")
    q = request.GET.get("target_q", "").strip()[:50]
    chosen = request.GET.get("target", "")
    options = [o for o in _target_options(request.user, q) if o[0] != chosen] if q else []
    return render(request, "supervision/_target_results.html", {"options": options, "q": q})


def _record_form_context(user, target: str = "") -> dict:
    from anquan.orgs.models import Industry

    return {
        "industries": Industry.objects.order_by("sort", "id"),
        "chosen_target": _chosen_target(user, target),
        "open_findings": selectors.finding_list(user).exclude(status=FindingStatus.CONFIRMED)[:100],
    }


def _record_data(request) -> dict:
    from anquan.hazards.models import Hazard

    data = post_data(request, multi=("findings", "inspections"))
    data.pop("target_q", None)  # the picker's search box
    kind, _, target_id = (data.pop("target", "") or "").partition(":")
    if kind in ("unit", "department", "enterprise"):
        data[f"target_{kind}"] = target_id
    numbers = [n for n in (data.pop("hazard_numbers", "") or "").replace("，", " ").replace(",", " ").split() if n][:50]
    hazards = list(Hazard.objects.visible_to(request.user).filter(number__in=numbers).values_list("pk", "number"))
    missing = set(numbers) - {n for _, n in hazards}
    data["hazards"] = [pk for pk, _ in hazards]
    if missing:
        # Let the service validate everything else too; its message for this field is replaced below.
        data["hazards"].append("?")
        data["_missing_hazards"] = "找不到这些隐患编号（或不在您的管辖范围内）：" + "、".join(sorted(missing))
    return data


def _record_new(request, kind: str):
    user = request.user
    if not permits_any(user, services.ACCOUNTABILITY):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有安委办和行业部门可以登记约谈、通报")
    values = {"target": request.GET.get("target", ""), "findings": request.GET.getlist("finding"),
              "inspections": request.GET.getlist("inspection"), "hazard_numbers": request.GET.get("hazards", "")}
    errors = {}
    if request.method == "POST":
        values = post_data(request, multi=("findings", "inspections"))
        data = _record_data(request)
        try:
            if kind == "interview":
                obj = services.interview_create(actor=user, data=data)
            else:
                obj = services.circular_create(actor=user, data=data)
        except Invalid as exc:
            errors = dict(exc.errors)
            if data.get("_missing_hazards"):
                errors["hazards"] = [data["_missing_hazards"]]
        else:
            if kind == "interview":
                messages.success(request, "警示约谈已登记。")
                return redirect("supervision:interview", pk=obj.pk)
            note = f"，公文{obj.document_number}已生成" if obj.document_number else ""
            messages.success(request, f"通报已登记{note}。")
            return redirect("supervision:circular", pk=obj.pk)
    values.setdefault("held_on", today().isoformat())
    values.setdefault("issued_on", today().isoformat())
    from anquan.inspections.models import Inspection

    wanted = [i for i in (safe_id(v) for v in values.get("inspections") or []) if i][:50]
    linked = Inspection.objects.visible_to(user).filter(pk__in=wanted).select_related("site") if wanted else []
    return render(request, "supervision/record_form.html", {
        "kind": kind, "values": values, "errors": errors, "circular_kinds": CircularKind.choices, "linked_inspections": linked,
        "tab": f"{kind}s", **_record_form_context(user, values.get("target") or "")}, status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request):
    return _record_new(request, "interview")


@login_required
@require_http_methods(["GET", "POST"])
def circular_new(request):
    return _record_new(request, "circular")


@login_required
def interview_list(request):
    page = paginate(request, selectors.interview_list(request.user), 50)
    return render(request, "supervision/records.html", {"page": page, "query": query_without(request), "kind": "interview",
                                                        **_nav("interviews", request.user)})


@login_required
def circular_list(request):
    page = paginate(request, selectors.circular_list(request.user), 50)
    return render(request, "supervision/records.html", {"page": page, "query": query_without(request), "kind": "circular",
                                                        **_nav("circulars", request.user)})


def _record_detail(request, model, pk, kind, errors=None, values=None, status=200):
    user = request.user
    obj = get_visible(model.objects.select_related("target_unit", "target_department", "target_enterprise",
                                                   "recorder_unit", "recorder_department", "recorded_by__person"), user, pk)
    from anquan.hazards.models import Hazard
    from anquan.inspections.models import Inspection

    # Linked records are listed only where the reader can see them.
    return render(request, "supervision/record_detail.html", {
        "obj": obj, "kind": kind, "tab": f"{kind}s",
        "hazards": Hazard.objects.visible_to(user).filter(pk__in=obj.hazards.values("pk")),
        "inspections": Inspection.objects.visible_to(user).filter(pk__in=obj.inspections.values("pk")).select_related("site"),
        "findings": Finding.objects.visible_to(user).filter(pk__in=obj.findings.values("pk")).select_related("unit", "department"),
        "can_document": kind == "circular" and not obj.document_id and not obj.voided_at and _may(user, obj, services.ACCOUNTABILITY),
        "can_void": not obj.voided_at and _may(user, obj, services.ACCOUNTABILITY, services._recorder_rule(obj)),
        "errors": errors or {}, "values": values or {},
    }, status=status)


@login_required
def interview_detail(request, pk):
    return _record_detail(request, Interview, pk, "interview")


@login_required
def circular_detail(request, pk):
    return _record_detail(request, Circular, pk, "circular")


def _void(request, model, pk, kind):
    user = request.user
    obj = get_visible(model.objects.all(), user, pk)
    try:
        services.record_void(actor=user, obj=obj, version=request.POST.get("version"), reason=request.POST.get("reason"))
    except Invalid as exc:
        return _record_detail(request, model, pk, kind, errors=exc.errors, values=post_data(request), status=422)
    messages.success(request, "记录已作废。" if kind == "interview" else "通报已作废，其公文一并作废。")
    return redirect(f"supervision:{kind}", pk=pk)


@login_required
@require_POST
def interview_void(request, pk):
    return _void(request, Interview, pk, "interview")


@login_required
@require_POST
def circular_void(request, pk):
    return _void(request, Circular, pk, "circular")


@login_required
@require_POST
def circular_document(request, pk):
    user = request.user
    circular = get_visible(Circular.objects.all(), user, pk)
    services.circular_issue_document(actor=user, circular=circular, version=request.POST.get("version"))
    messages.success(request, "通报公文已生成。")
    return redirect("supervision:circular", pk=pk)


__all__ = ["CheckStatus", "finding_overdue_q"]
