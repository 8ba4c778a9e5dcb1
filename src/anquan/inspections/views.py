"""Inspection task pages: the list (my open tasks first), the detail (the full record), and the phone
page on which a task is performed (perform.html + static/inspections/perform.js).

The phone page writes nothing itself: its script keeps every answer, photo and signature in an
IndexedDB outbox on the device and sends them to the task API (``inspections/api.py``), which calls
the same services as everything else. Reads are scoped with ``visible_to`` (404 out of scope; an
unannounced task is invisible to the enterprise and its street/community/grid until performed).
"""
import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.accounts.scope import active_assignments
from anquan.core.services import get_visible
from anquan.hazards.models import Hazard
from anquan.rules.calendar import today
from anquan.workbench.export import register_download

from .api import task_detail, tasks_for
from .models import Answer, Inspection, InspectionKind, InspectionStatus, SignerKind
from .selectors import lateness
from .services import perform

FILTERS = ("status", "kind", "q", "mine", "open", "overdue")


def task_queryset(user, request_params, day=None):
    """The task list's rows for the query string (the page, its export and the workbench count share it)."""
    params = {k: (request_params.get(k) or "").strip() for k in FILTERS}
    qs = tasks_for(user, {**params, "mine": params["mine"] == "1"}, today=day)
    if params["q"]:
        q = params["q"][:100]
        qs = qs.filter(Q(site__name__icontains=q) | Q(site__enterprise__name__icontains=q) | Q(site__address__icontains=q))
    return qs, params


@login_required
def inspection_list(request):
    qs, params = task_queryset(request.user, request.GET)
    day = today()
    mine = []
    if request.user.person_id:
        mine = list(
            Inspection.objects.visible_to(request.user)
            .filter(inspectors=request.user.person_id, status__in=[InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS])
            .select_related("site__enterprise").order_by("planned_on", "id")[:20]
        )
    page = Paginator(qs.select_related("site__enterprise", "department"), 50).get_page(request.GET.get("page"))
    for task in [*mine, *page.object_list]:
        task.lateness = lateness(task, day)
    query = urlencode({k: v for k, v in params.items() if v})
    return render(request, "inspections/list.html", {
        "page": page, "mine": mine, "params": params, "query": query,
        "statuses": InspectionStatus.choices, "kinds": InspectionKind.choices,
        "can_export": any(a.permits("inspection.plan") for a in active_assignments(request.user)),
    })


EXPORT_COLUMNS = [("场所", 26), ("企业", 30), ("检查类型", 12), ("暗访", 6), ("执法检查", 8), ("组织部门", 20),
                  ("计划日期", 12), ("应完成日期", 12), ("状态", 8), ("逾期情况", 11), ("实施时间", 17), ("检查人员", 24)]


@login_required
def inspection_export(request):
    """The task list as filtered (e.g. 逾期未检查: ?overdue=1) as an audited .xlsx."""
    qs, _ = task_queryset(request.user, request.GET)
    day = today()
    rows = ([t.site.name, t.site.enterprise.name if t.site.enterprise_id else "", t.get_kind_display(),
             "是" if t.unannounced else "", "是" if t.enforcement else "", t.department.name if t.department_id else "属地",
             t.planned_on, t.due_on, t.get_status_display(), lateness(t, day),
             timezone.localtime(t.performed_at).replace(tzinfo=None) if t.performed_at else None,
             "、".join(p.name for p in t.inspectors.all())]
            for t in qs.select_related("site__enterprise", "department").prefetch_related("inspectors"))
    return register_download(request, key="inspections", title="检查任务", action="inspection.plan",
                             columns=EXPORT_COLUMNS, rows=rows, params=dict(request.GET.lists()))


def _record_context(request, inspection):
    data = task_detail(request.user, inspection)
    answers = {(a["part_id"], a["item_id"]): a for a in data["answers"]}
    parts = []
    for part in data["parts"]:
        rows = [{"item": item, "answer": answers.get((part["id"], item["id"]))} for item in part["items"]]
        parts.append({**part, "rows": rows})
    hazards = Hazard.objects.visible_to(request.user).filter(inspection=inspection).order_by("pk")
    problems = Answer.objects.filter(part__inspection=inspection, result="nonconform").select_related("item")
    return {
        "inspection": inspection, "data": data, "parts": parts, "hazards": hazards, "problems": problems,
        "inspector_signatures": [s for s in data["signatures"] if s["signer_kind"] == SignerKind.INSPECTOR],
        "representative_signature": next((s for s in data["signatures"] if s["signer_kind"] == SignerKind.REPRESENTATIVE), None),
        "may_perform": data["may_perform"],
    }


@login_required
def inspection_detail(request, pk):
    inspection = get_visible(
        Inspection.objects.select_related("site__grid", "site__enterprise", "department", "completed_by__person"),
        request.user, pk)
    inspection.lateness = lateness(inspection, today())
    return render(request, "inspections/detail.html", _record_context(request, inspection))


@login_required
def inspection_perform(request, pk):
    """The phone page. Only the task's inspectors reach it (403 for others who see the task)."""
    inspection = get_visible(Inspection.objects.select_related("site__grid", "site__enterprise", "department"), request.user, pk)
    if not perform.may_perform(request.user, inspection):
        return render(request, "inspections/not_inspector.html", {"inspection": inspection}, status=403)
    if inspection.status == InspectionStatus.PERFORMED:  # the record is closed: show it, never an editor
        return redirect("inspections:detail", pk=inspection.pk)
    context = _record_context(request, inspection)
    context["default_place"] = inspection.site.address or inspection.site.name
    return render(request, "inspections/perform.html", context)


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    source = (Path(__file__).parent / "service_worker.js").read_text(encoding="utf-8")
    return source.replace("__VERSION__", hashlib.sha256(source.encode()).hexdigest()[:12])


def service_worker(request):
    """The perform page's service worker (service_worker.js), at /inspections/sw.js so its scope can be
    /inspections/. Public on purpose: it is the same code for everybody and holds no data; the pages it
    keeps on the phone are fetched with the inspector's own session."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/inspections/"
    response["Cache-Control"] = "no-cache"
    return response
