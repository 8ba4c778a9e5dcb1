"""Hazard Excel import pages: template → upload → preview with row-numbered errors → confirm.

All or nothing: the confirm button is offered only for a file without errors, and the
import runs every row through ``services.hazard_record`` in one transaction. The uploaded
file is kept under MEDIA_ROOT/imports/ between preview and confirmation and belongs to the
session and user that uploaded it (anyone else gets 404). Files are small (an inspection's
findings), so validation runs within the request.
"""
from __future__ import annotations

import tempfile
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anquan.core.views import login_required
from anquan.enterprises.exporter import xlsx_response
from anquan.enterprises.import_jobs import clean_id, imports_dir

from . import importer
from .choices import HazardLevel, HazardSource
from .models import HazardCategory
from .views import permits_any

SESSION_KEY = "anquan_hazard_imports"
#: Sites listed in the template's "可选场所" sheet.
TEMPLATE_SITES = 5000


def _require_import(user) -> None:
    if not permits_any(user, "hazard.import"):
        raise PermissionDenied("您没有导入隐患的权限")


def _path(import_id: str):
    return imports_dir() / f"hazards-{import_id}.xlsx"


def _owned(request, import_id) -> str:
    import_id = clean_id(import_id)
    owned = request.session.get(SESSION_KEY, {})
    if not import_id or owned.get(import_id) != request.user.pk or not _path(import_id).exists():
        raise Http404("导入文件不存在或已过期，请重新上传")
    return import_id


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
                importer.check_file(uploaded.file, uploaded.size)
                importer.read_rows(uploaded.file)
            except importer.FileRefused as refused:
                error = refused.message
            else:
                import_id = uuid.uuid4().hex
                uploaded.file.seek(0)
                with open(_path(import_id), "wb") as out:
                    for chunk in uploaded.chunks():
                        out.write(chunk)
                owned = dict(list(request.session.get(SESSION_KEY, {}).items())[-9:])
                owned[import_id] = user.pk
                request.session[SESSION_KEY] = owned
                return redirect("hazards:import_preview", import_id=import_id)
    return render(request, "hazards/import_start.html", {
        "nav_active": "hazards", "error": error, "headers": importer.HEADERS, "required": importer.REQUIRED,
        "max_rows": importer.MAX_ROWS,
    }, status=422 if error else 200)


@require_GET
@login_required
def import_preview(request, import_id):
    user = request.user
    _require_import(user)
    import_id = _owned(request, import_id)
    try:
        checks = importer.validate(user, importer.read_rows(_path(import_id)))
    except importer.FileRefused as refused:
        messages.error(request, refused.message)
        return redirect("hazards:import")
    errors = [c for c in checks if c.errors]
    return render(request, "hazards/import_preview.html", {
        "nav_active": "hazards", "import_id": import_id, "checks": checks, "error_rows": errors,
        "clean": bool(checks) and not errors, "show": request.GET.get("show", "all"),
    })


@require_POST
@login_required
def import_confirm(request, import_id):
    user = request.user
    _require_import(user)
    import_id = _owned(request, import_id)
    try:
        hazards = importer.apply(user, importer.read_rows(_path(import_id)))
    except importer.FileRefused as refused:
        messages.error(request, refused.message)
        return redirect("hazards:import")
    except importer.ImportFailed as failed:
        messages.error(request, f"导入未完成，没有写入任何数据。{failed}")
        return redirect("hazards:import_preview", import_id=import_id)
    _path(import_id).unlink(missing_ok=True)
    owned = request.session.get(SESSION_KEY, {})
    owned.pop(import_id, None)
    request.session[SESSION_KEY] = owned
    messages.success(request, f"已导入{len(hazards)}条隐患。")
    return redirect("hazards:list")


@require_GET
@login_required
def import_template(request):
    """The template: headers (required in red), an example row, and sheets of valid values and sites."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from anquan.core.text import text_cells, write_only_cell

    from .views_record import recordable_sites

    user = request.user
    _require_import(user)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患清单")
    head = []
    for title in importer.HEADERS:
        cell = write_only_cell(ws, title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3261E" if title in importer.REQUIRED else "0B3D91")
        head.append(cell)
    for i, width in enumerate([10, 24, 22, 14, 40, 16, 12, 10, 17, 10, 14, 30, 12, 12, 30]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(head)
    ws.append(["（示例，导入前请删除此行）", "某某公司一号厂房", "91310101MA1FL0000A", "电气安全", "配电箱未上锁，线路裸露",
               "一号车间东侧", "专家排查", "一般", "2026-03-01 10:00", "张三", "13800000000", "更换配电箱门锁，线路穿管",
               500, "2026-03-15", "整改前设置警示标志"])
    notes = wb.create_sheet("填写说明")
    notes.append(["栏目", "填写要求"])
    for row in [
        ["场所", "填“场所编号”（见“可选场所”表），或填“场所名称”和企业的“企业统一社会信用代码”；无所属企业的场所只填名称"],
        ["红色表头", "必填：" + "、".join(importer.REQUIRED)],
        ["隐患来源", "、".join(str(label) for _, label in HazardSource.choices)],
        ["隐患等级", "、".join(str(label) for _, label in HazardLevel.choices) + "（不填为一般）"],
        ["整改期限 / 发现时间", "日期，如 2026-03-15；发现时间不填为导入时间"],
        ["全部或全不", "文件中只要有一行有错误，就不能导入；请按预览提示修改后重新上传"],
        [],
        ["隐患类别", "代码 · 名称"],
        *[["", f"{code} · {name}"] for code, name in HazardCategory.objects.filter(active=True).values_list("code", "name")],
    ]:
        notes.append(text_cells(notes, row))
    sites = wb.create_sheet("可选场所")
    sites.append(["场所编号", "场所名称", "所属企业", "企业统一社会信用代码", "所在网格"])
    for site in recordable_sites(user).select_related("enterprise", "grid").order_by("name", "id")[:TEMPLATE_SITES]:
        sites.append(text_cells(sites, [site.pk, site.name, site.enterprise.name if site.enterprise else "",
                                        site.enterprise.credit_code if site.enterprise else "", site.grid.name]))
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return xlsx_response(out, "隐患导入模板.xlsx", "hazard_import_template.xlsx")
