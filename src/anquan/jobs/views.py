"""Pages of a person's own export jobs: ask for an export, follow it, download the file.

Thin: writes go through ``services.export_request``; reads are the person's own jobs
(``ExportJob.objects.visible_to``), so another user's job answers 404 like a missing one.
"""
from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from anquan.core.errors import Conflict
from anquan.core.services import safe_id
from anquan.core.views import login_required, paginate, wants_fragment
from anquan.enterprises.exporter import XLSX_TYPE, xlsx_response

from . import services
from .models import ExportJob, ExportKind, JobStatus


def _mine(request, pk) -> ExportJob:
    job = ExportJob.objects.visible_to(request.user).filter(pk=safe_id(pk) or 0).first()
    if job is None:
        raise Http404("导出任务不存在或无权查看")
    return job


@require_GET
@login_required
def export_list(request):
    """我的导出: the person's export jobs, newest first."""
    page = paginate(request, ExportJob.objects.visible_to(request.user), 20)
    return render(request, "jobs/list.html", {"page": page, "nav_active": "exports"})


@require_POST
@login_required
def export_create(request, kind: str):
    """Queue an export of list ``kind`` with the list's filters (the query string of this form's action)."""
    if kind not in ExportKind.values:
        raise Http404("不支持的导出内容")
    try:
        job = services.export_request(actor=request.user, kind=kind, params=request.GET)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@login_required
def export_detail(request, pk):
    """One job: its state and progress (htmx refreshes it until finished), then the download link."""
    job = _mine(request, pk)
    context = {"job": job, "nav_active": "exports"}
    if wants_fragment(request):
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/detail.html", context)


@require_GET
@login_required
def export_download(request, pk):
    """The finished file, to its requester only (404 for anyone else, 409 while not ready)."""
    job = _mine(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        return HttpResponse("导出尚未完成，请稍后再下载。", status=409, content_type="text/plain; charset=utf-8")
    ascii_name = job.file.name.rsplit("/", 1)[-1]
    prefix = getattr(settings, "MEDIA_X_ACCEL_PREFIX", "")
    if prefix:  # nginx streams the file from its internal location (docs/deploy.md); the app only decides who
        response = HttpResponse(content_type=XLSX_TYPE)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(job.file.name)
        response["Content-Disposition"] = (f"attachment; filename=\"{ascii_name}\"; "
                                           f"filename*=utf-8''{quote(job.filename or ascii_name)}")
        response["Cache-Control"] = "no-store"
        return response
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("导出文件已清理，请重新导出") from None
    return xlsx_response(handle, job.filename or ascii_name, ascii_name)
