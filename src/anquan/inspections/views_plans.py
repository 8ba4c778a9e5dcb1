"""Pages of inspection plans (检查计划) and their random draws (双随机): list, create/edit with a preview of
the matched sites, detail with tasks and progress, issue, draw (seed, pool, 抽取) and the draw record with
its 复核 (recomputed from the stored seed, frame and pool).

Reads: ``InspectionPlan.objects.visible_to`` (an unannounced plan never reaches the inspected enterprise
or its street/community/grid; a plan's tasks are listed through ``Inspection.objects.visible_to``);
writes: ``services.plans``. A bad input re-renders the form with everything typed and Chinese messages.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.accounts.models import Person
from anquan.accounts.roles import DRAW, ScopeKind
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.services import get_visible, safe_id
from anquan.enterprises.models import RiskColour, Site
from anquan.orgs.models import Department, Industry, OrgUnit

from .models import Draw, Inspection, InspectionKind, InspectionPlan, InspectionStatus, PlanStatus
from .services import checklists as cl
from .services import plans

LIST_FIELDS = ("industries", "risk_colours", "checklists", "joint_departments", "target_sites")


def _may(user, fn) -> bool:
    try:
        fn(user)
    except Forbidden:
        return False
    return True


def _permitted(user, plan, action) -> bool:
    return InspectionPlan.objects.authorizing_assignment(user, action, plan.pk) is not None


@login_required
def plan_list(request):
    qs = InspectionPlan.objects.visible_to(request.user).select_related("organiser_unit", "department")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs.order_by("-period_start", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "inspections/plans/list.html", {
        "page": page, "statuses": PlanStatus.choices, "status": status, "q": q,
        "query": urlencode({"status": status, "q": q}),
        "may_create": _may(request.user, plans.planning_assignment),
    })


def _posted(post) -> dict:
    data = {k: post.get(k, "").strip() for k in ("name", "kind", "period_start", "period_end", "territory",
                                                  "inspectors_per_task", "notes")}
    for k in LIST_FIELDS:
        data[k] = [v for v in post.getlist(k) if v]
    data["enforcement"] = post.get("enforcement") == "1"
    data["unannounced"] = post.get("unannounced") == "1"
    data["part_departments"] = {k[5:]: v for k, v in post.items() if k.startswith("part-") and v}
    return data


def _initial(plan: InspectionPlan) -> dict:
    return {
        "name": plan.name, "kind": plan.kind, "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(), "territory": str(plan.territory_id),
        "inspectors_per_task": str(plan.inspectors_per_task), "notes": plan.notes,
        "industries": [str(c) for c in plan.industries.values_list("code", flat=True)],
        "risk_colours": list(plan.risk_colours),
        "checklists": [str(pk) for pk in plan.checklists.values_list("pk", flat=True)],
        "joint_departments": [str(pk) for pk in plan.joint_departments.values_list("pk", flat=True)],
        "target_sites": [str(pk) for pk in plan.target_sites.order_by("name", "pk").values_list("pk", flat=True)],
        "enforcement": plan.enforcement, "unannounced": plan.unannounced,
        "part_departments": {k: str(v) for k, v in plan.part_departments.items()},
    }


def _form_context(user, assignment, data: dict, errors: dict, plan=None, preview=None) -> dict:
    own = plans._territory_of(assignment)
    enterprise = assignment.scope_kind == ScopeKind.ENTERPRISE
    kinds = [(v, label) for v, label in InspectionKind.choices if (v == InspectionKind.SELF) == enterprise]
    checklists = list(cl.usable_checklists(user, assignment).select_related("industry").order_by("name", "-version"))
    parts = data.get("part_departments") or {}
    for c in checklists:
        c.part_value = str(parts.get(str(c.pk), ""))
        c.part_errors = errors.get(f"part_departments.{c.pk}", [])
    string_lists = {k: [str(v) for v in data.get(k) or []] for k in LIST_FIELDS}
    # 指定场所 kept as picked (also on errors); a number the user cannot see is shown as a number only.
    picked = [pk for pk in (safe_id(v) for v in string_lists["target_sites"]) if pk][: plans.MAX_TARGET_SITES + 1]
    names = Site.objects.visible_to(user).select_related("enterprise").in_bulk(picked)
    chosen_sites = [{"pk": pk, "site": names.get(pk)} for pk in dict.fromkeys(picked)]
    return {
        "plan": plan, "data": data, "lists": string_lists, "errors": errors,
        "all_errors": errors.get("__all__", []),
        "kinds": kinds, "enterprise": enterprise,
        "territories": [] if enterprise else OrgUnit.objects.filter(path__startswith=own.path).order_by("path"),
        "own_depth": own.depth,
        "industries": Industry.objects.order_by("sort", "id"), "colours": RiskColour.choices,
        "checklists": checklists,
        "departments": [] if enterprise else Department.objects.filter(
            Q(unit__path__startswith=own.path) | Q(unit_id__in=own.ancestor_ids())).order_by("unit__path", "id"),
        "preview": preview, "chosen_sites": chosen_sites,
    }


def _preview(request, assignment, data, plan=None):
    try:
        return plans.plan_preview(actor=request.user, data=data, plan=plan), {}
    except Invalid as exc:
        return None, exc.errors


def _plan_form(request, plan=None):
    if plan is None:
        assignment = plans.planning_assignment(request.user)
    else:
        assignment = plans.authorize(request.user, plan, plans.PLAN)
    template = "inspections/plans/form.html"
    if request.method != "POST":
        data = _initial(plan) if plan else {"inspectors_per_task": "2"}
        return render(request, template, _form_context(request.user, assignment, data, {}, plan))
    data = _posted(request.POST)
    if "preview" in request.POST:
        preview, errors = _preview(request, assignment, data, plan)
        context = _form_context(request.user, assignment, data, errors, plan, preview)
        if request.headers.get("HX-Request"):
            return render(request, "inspections/plans/_preview.html", context)
        return render(request, template, context)
    try:
        if plan is None:
            plan = plans.plan_create(actor=request.user, data=data)
            messages.success(request, "检查计划已保存（草稿）。可随机抽取检查对象，或直接下达")
        else:
            plans.plan_update(actor=request.user, plan=plan, version=request.POST.get("version"), data=data)
            messages.success(request, "检查计划已修改")
    except Invalid as exc:
        return render(request, template, _form_context(request.user, assignment, data, exc.errors, plan), status=422)
    except Conflict as exc:
        context = _form_context(request.user, assignment, data, {"__all__": [exc.message]}, plan)
        return render(request, template, context, status=409)
    return redirect("plans:detail", plan.pk)


@login_required
def plan_create(request):
    return _plan_form(request)


@login_required
def site_search(request):
    """htmx: sites the organiser may name in a plan (指定场所), by name; at most 20, those already picked left out."""
    plan = None
    if request.GET.get("plan"):
        plan = get_visible(InspectionPlan.objects.all(), request.user, request.GET["plan"])
        assignment = plans.authorize(request.user, plan, plans.PLAN)
    else:
        assignment = plans.planning_assignment(request.user)
    own = plans._territory_of(assignment)
    territory = OrgUnit.objects.filter(pk=safe_id(request.GET.get("territory")) or 0, path__startswith=own.path).first() or own
    q = request.GET.get("site_q", "").strip()[:50]
    picked = {pk for pk in (safe_id(v) for v in request.GET.getlist("target_sites")) if pk}
    sites = [s for s in plans.site_choices(assignment, territory, q, limit=20 + min(len(picked), 200)) if s.pk not in picked][:20]
    return render(request, "inspections/plans/_site_results.html", {"sites": sites, "q": q, "territory": territory})


@login_required
def plan_edit(request, pk):
    plan = get_visible(InspectionPlan.objects.all(), request.user, pk)
    plans.authorize(request.user, plan, plans.PLAN)
    if plan.status != PlanStatus.DRAFT or plan.draws.exists():
        raise Conflict("已抽取或已下达的计划不能修改；如需调整请新建计划")
    return _plan_form(request, plan)


@login_required
def plan_detail(request, pk):
    plan = get_visible(InspectionPlan.objects.select_related("organiser_unit", "department", "territory", "enterprise"),
                       request.user, pk)
    tasks = list(Inspection.objects.visible_to(request.user).filter(plan=plan).select_related("site__enterprise", "site__grid")
                 .prefetch_related("inspectors", "parts__department", "parts__checklist").order_by("status", "site__name", "id"))
    done = sum(1 for t in tasks if t.status == InspectionStatus.PERFORMED)
    draw = plan.draws.order_by("-id").first()
    may_plan = _permitted(request.user, plan, plans.PLAN)
    context = {
        "plan": plan, "tasks": tasks, "done": done, "percent": round(done * 100 / len(tasks)) if tasks else 0,
        "draw": draw, "may_plan": may_plan, "may_draw": _permitted(request.user, plan, DRAW),
        "checklists": plan.checklists.order_by("pk"), "industries": plan.industries.all(),
        "joint_departments": plan.joint_departments.all(), "target_sites": plan.target_sites.order_by("name", "pk"),
        "colour_labels": [RiskColour(c).label for c in plan.risk_colours],
        "pool": plans.pool_people(plan) if may_plan and plan.status == PlanStatus.DRAFT and draw is None else [],
        "chosen": [str(v) for v in request.POST.getlist("inspectors")] if request.method == "POST" else [],
        "issue_errors": [],
    }
    if plan.status == PlanStatus.DRAFT and may_plan:
        context["preview"] = plans.plan_sites(plan).count()
    return render(request, "inspections/plans/detail.html", context)


@login_required
@require_POST
def plan_issue(request, pk):
    plan = get_visible(InspectionPlan.objects.all(), request.user, pk)
    try:
        tasks = plans.plan_issue(actor=request.user, plan=plan, version=request.POST.get("version"),
                                 inspectors=request.POST.getlist("inspectors"))
    except (Invalid, Conflict) as exc:
        text = "；".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.message
        messages.error(request, text)
        response = plan_detail(request, pk)
        response.status_code = 409 if isinstance(exc, Conflict) else 422
        return response
    messages.success(request, f"计划已下达，生成检查任务{len(tasks)}个")
    return redirect("plans:detail", plan.pk)


@login_required
def task_assign(request, pk, task_pk):
    """Change the inspectors of a task not yet started (with a reason when they were drawn)."""
    plan = get_visible(InspectionPlan.objects.all(), request.user, pk)
    plans.authorize(request.user, plan, plans.PLAN)
    task = get_visible(Inspection.objects.filter(plan=plan).select_related("site", "plan"), request.user, task_pk)
    chosen = [str(p) for p in task.inspectors.values_list("pk", flat=True)]
    reason, errors = "", {}
    if request.method == "POST":
        chosen, reason = request.POST.getlist("inspectors"), request.POST.get("reason", "").strip()
        try:
            plans.task_assign(actor=request.user, inspection=task, version=request.POST.get("version"),
                              inspectors=chosen, reason=reason)
        except Invalid as exc:
            errors = exc.errors
        except Conflict as exc:
            errors = {"__all__": [exc.message]}
        else:
            messages.success(request, f"{task.site.name}的检查人员已更换")
            return redirect("plans:detail", plan.pk)
    return render(request, "inspections/plans/assign.html", {
        "plan": plan, "task": task, "pool": plans.pool_people(plan), "chosen": chosen, "reason": reason,
        "errors": errors, "all_errors": errors.get("__all__", []), "drawn": plan.draws.exists(),
    }, status=422 if errors else 200)


@login_required
def plan_draw(request, pk):
    plan = get_visible(InspectionPlan.objects.select_related("territory"), request.user, pk)
    plans.authorize(request.user, plan, DRAW)
    existing = plan.draws.order_by("-id").first()
    if existing is not None:
        return redirect("plans:draw_detail", existing.pk)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"计划当前状态为“{plan.get_status_display()}”，不能再抽取")
    pool = plans.pool_people(plan)
    frame_count = plans.plan_sites(plan).count()
    data = {"seed": "", "target_count": str(min(frame_count, 10) or ""), "inspectors_per_target": str(plan.inspectors_per_task),
            "pool": [str(p.pk) for p, _ in pool]}
    errors: dict = {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("seed", "target_count", "inspectors_per_target")}
        data["pool"] = request.POST.getlist("pool")
        try:
            draw = plans.plan_draw(actor=request.user, plan=plan, version=request.POST.get("version"), seed=data["seed"],
                                   target_count=data["target_count"], pool=data["pool"],
                                   inspectors_per_target=data["inspectors_per_target"])
        except Invalid as exc:
            errors = exc.errors
        except Conflict as exc:
            errors = {"__all__": [exc.message]}
        else:
            messages.success(request, f"抽取完成（随机种子 {draw.seed}），结果已记录并留痕")
            return redirect("plans:draw_detail", draw.pk)
    return render(request, "inspections/plans/draw.html", {
        "plan": plan, "pool": pool, "frame_count": frame_count, "data": data, "errors": errors,
        "all_errors": errors.get("__all__", []),
    }, status=422 if errors else 200)


@login_required
def draw_detail(request, pk):
    pk = safe_id(pk)
    draw = Draw.objects.select_related("plan", "drawn_by").filter(pk=pk).first() if pk else None
    if draw is None or not InspectionPlan.objects.visible_to(request.user).filter(pk=draw.plan_id).exists():
        raise NotFound()
    people = Person.objects.in_bulk(draw.pool)
    sites = Site.objects.select_related("enterprise", "grid").in_bulk([r["site"] for r in draw.result])

    def rows(result):
        return [{"site": sites.get(r["site"]), "site_id": r["site"],
                 "inspectors": [people.get(p) for p in r["inspectors"]]} for r in result]

    verification = None
    if request.GET.get("verify"):
        verification = plans.draw_verify(draw)
        sites.update(Site.objects.select_related("enterprise").in_bulk(
            [r["site"] for r in verification["result"] if r["site"] not in sites]))
    shown = rows(draw.result)
    if verification:
        for row, check in zip(shown, rows(verification["result"]), strict=False):
            row["check"] = check
    return render(request, "inspections/plans/draw_detail.html", {
        "draw": draw, "plan": draw.plan, "rows": shown, "pool": [people.get(p) for p in draw.pool],
        "verification": verification,
    })
