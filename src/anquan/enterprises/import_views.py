"""Excel import pages: template download, upload → preview (with progress) → confirm.

An import belongs to the session that uploaded it (and to its user): another user, or
another browser of the same user, gets 404 for its preview and cannot confirm it.
Nothing is written before confirmation; the writing itself goes through the services.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anquan.core.views import login_required
from anquan.orgs.display import long_names
from anquan.orgs.models import Industry, OrgUnit, UnitKind

from . import exporter, import_jobs, importer
from .views import permits_any

SESSION_KEY = "anquan_imports"
PREVIEW_PER_PAGE = 100
RUNNING = ("validating", "importing")


def _require_import(user) -> None:
    if not permits_any(user, "enterprise.import"):
        raise PermissionDenied("您没有导入企业档案的权限")


def _quiet_session(request) -> None:
    """Do not write the session back for this request.

    Sessions are saved on every request (idle timeout). While an import holds the database's
    write lock (SQLite allows one writer), that save would wait and then fail; the pages that
    watch a running job only read, and polling is not user activity anyway.
    """
    request.session.save = lambda must_create=False: None


def _job(request, import_id) -> dict:
    """The job's state if it belongs to this session and user; 404 otherwise."""
    import_id = import_jobs.clean_id(import_id)
    state = import_jobs.get_state(import_id) if import_id else None
    if not state or import_id not in request.session.get(SESSION_KEY, []) or state.get("user_id") != request.user.pk:
        raise Http404("导入任务不存在或已过期")
    return state


@require_http_methods(["GET", "POST"])
@login_required
def import_start(request):
    user = request.user
    _require_import(user)
    error = ""
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = "请选择要上传的Excel文件（.xlsx）"
        else:
            try:
                import_id = import_jobs.create_job(user, uploaded)
            except importer.FileRefused as refused:
                error = refused.message
            else:
                ids = [i for i in request.session.get(SESSION_KEY, []) if i != import_id][-19:]
                request.session[SESSION_KEY] = [*ids, import_id]
                rows = import_jobs.estimated_rows(import_id)
                inline = rows is not None and rows <= import_jobs.inline_rows() + 1
                import_jobs.start(import_jobs.run_import_validation, import_id, inline=inline)
                return redirect("enterprises:import_job", import_id=import_id)
    recent = []
    for import_id in reversed(request.session.get(SESSION_KEY, [])):
        state = import_jobs.get_state(import_id)
        if state and state.get("user_id") == user.pk:
            recent.append(state)
    return render(request, "enterprises/import_start.html", {
        "nav_active": "enterprises",
        "error": error,
        "recent": recent[:5],
        "max_mb": importer.MAX_BYTES // 1024 // 1024,
        "max_rows": importer.MAX_ROWS,
        "headers": exporter.HEADERS,
        "required": exporter.REQUIRED,
    }, status=200)


@require_GET
@login_required
def import_template(request):
    user = request.user
    _require_import(user)
    units = list(
        OrgUnit.objects.visible_to(user, "enterprise.create").filter(kind=UnitKind.GRID, voided_at__isnull=True)
        .order_by("path")
    )
    labels = long_names(units)
    grids = [(u.pk, u.name, labels.get(u.pk, u.name)) for u in units]
    industries = list(Industry.objects.values_list("code", "name"))
    stream = exporter.template_workbook(grids, industries)
    return exporter.xlsx_response(stream, "企业档案导入模板.xlsx", "enterprise_import_template.xlsx")


def _progress_context(state) -> dict:
    total, done = state.get("total") or 0, state.get("done") or 0
    percent = int(done * 100 / total) if total else 0
    return {"state": state, "percent": percent, "done": done, "total": total}


@require_GET
@login_required
def import_job(request, import_id):
    state = _job(request, import_id)
    context = {"nav_active": "enterprises", "state": state, "import_id": state["id"]}
    status = state.get("status")
    if status in RUNNING:
        _quiet_session(request)
        context.update(_progress_context(state))
        return render(request, "enterprises/import_progress_page.html", context)
    if status == "ready":
        result = import_jobs.get_result(state["id"]) or {"rows": [], "summary": {}}
        show = request.GET.get("show", "all")
        rows = result["rows"] if show == "all" else [r for r in result["rows"] if r["status"] == show]
        page = Paginator(rows, PREVIEW_PER_PAGE).get_page(request.GET.get("page"))
        summary = result["summary"]
        context.update({
            "summary": summary,
            "page": page,
            "show": show,
            "tabs": [("all", "全部", summary.get("total", 0)), ("error", "错误", summary.get("error", 0)),
                     ("create", "新增", summary.get("create", 0)), ("update", "更新", summary.get("update", 0)),
                     ("unchanged", "无变化", summary.get("unchanged", 0))],
            "clean": summary.get("error", 0) == 0,
            "importable": summary.get("create", 0) + summary.get("update", 0),
            "status_labels": importer.RowResult.STATUS_LABELS,
        })
        return render(request, "enterprises/import_preview.html", context)
    return render(request, "enterprises/import_done.html", context)


@require_GET
@login_required
def import_progress(request, import_id):
    """Polled by htmx while the job runs; when it is finished, tells htmx to reload the job page."""
    _quiet_session(request)
    state = _job(request, import_id)
    if state.get("status") not in RUNNING:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("enterprises:import_job", kwargs={"import_id": state["id"]})
        return response
    return render(request, "enterprises/_import_progress.html", {"import_id": state["id"], **_progress_context(state)})


@require_POST
@login_required
def import_confirm(request, import_id):
    user = request.user
    _require_import(user)
    state = _job(request, import_id)
    import_id = state["id"]
    mode = request.POST.get("mode")
    if mode not in ("all", "good"):
        messages.error(request, "请选择“全部导入”或“仅导入无误的行”")
        return redirect("enterprises:import_job", import_id=import_id)
    if state.get("status") != "ready":
        messages.warning(request, "该文件已在导入或已导入，不能重复导入")
        return redirect("enterprises:import_job", import_id=import_id)
    summary = state.get("summary") or {}
    if mode == "all" and summary.get("error"):
        messages.error(request, "文件中还有错误行，不能“全部导入”。请修改后重新上传，或选择“仅导入无误的行”")
        return redirect("enterprises:import_job", import_id=import_id)
    if not import_jobs.claim(import_id):
        messages.warning(request, "该文件正在导入，请稍候")
        return redirect("enterprises:import_job", import_id=import_id)
    import_jobs.set_state(import_id, status="importing", done=0, total=summary.get("create", 0) + summary.get("update", 0),
                          confirmed_at=timezone.now().isoformat())
    inline = summary.get("total", 0) <= import_jobs.inline_rows()
    if not inline:
        _quiet_session(request)  # the background writer may already hold the write lock
    import_jobs.start(import_jobs.run_import_apply, import_id, mode == "good", inline=inline)
    return redirect("enterprises:import_job", import_id=import_id)


@require_POST
@login_required
def import_discard(request, import_id):
    state = _job(request, import_id)
    if state.get("status") in RUNNING:
        messages.warning(request, "任务正在进行，不能取消")
        return redirect("enterprises:import_job", import_id=state["id"])
    try:
        import_jobs.file_path(state["id"]).unlink()
    except OSError:
        pass
    import_jobs.set_state(state["id"], status="discarded")
    request.session[SESSION_KEY] = [i for i in request.session.get(SESSION_KEY, []) if i != state["id"]]
    messages.info(request, "已放弃本次导入，未写入任何数据。")
    return redirect("enterprises:import")
