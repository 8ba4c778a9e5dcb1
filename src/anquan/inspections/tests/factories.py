"""Test factories for inspection tasks: a task (Inspection) at a site with parts built from published
inspection checklists, its inspectors, and the grants a planned or drawn inspector receives.

    checklist = inspection_checklist(items=3)          # a small published 检查表 (made when asked)
    task = make_task(site, inspectors=[user_a, user_b], kind="unannounced", department=dept,
                     unannounced=True, enforcement=True, grant=True)

``grant=True`` gives each inspector's active assignment a time-bounded Grant of the task and of
its site (model keys "inspection" and "site"), as planning does for drawn/assigned inspectors.
"""
from __future__ import annotations

import datetime
import io
import itertools

from django.utils import timezone
from PIL import Image

from anquan.accounts.models import Grant, RoleAssignment
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, HazardCategory
from anquan.inspections.models import Inspection, InspectionPart

_seq = itertools.count(1)

ITEMS = [
    ("1", "消防通道、安全出口是否畅通，有无占用、堵塞、封闭", "《消防法》第二十八条"),
    ("2", "灭火器是否按规定配置且在有效期内", "GB 50140"),
    ("3", "配电箱是否完好，线路有无私拉乱接", "GB 50194"),
    ("4", "特种作业人员是否持证上岗", "《安全生产法》第三十条"),
    ("5", "安全警示标志是否按规定设置", "《安全生产法》第三十五条"),
]


def inspection_checklist(items: int = 3, *, name: str = "通用安全检查表（测试）", department=None, major_item: bool = False) -> Checklist:
    """A published inspection checklist of ``items`` items (the first with a category, the last a 重大 criterion when asked)."""
    n = next(_seq)
    checklist = Checklist.objects.create(code=f"TEST-INSP-{n}", version=1, name=f"{name}{n}", kind=ChecklistKind.INSPECTION,
                                         owner_department=department, status=ChecklistStatus.PUBLISHED,
                                         published_at=timezone.now())
    category = HazardCategory.objects.filter(active=True, parent__isnull=False).order_by("path").first()
    criterion = None
    if major_item:
        # a plain 工贸 item (no "并且" conditions): it applies at 工贸 sites only (criteria by industry and date)
        criterion = ChecklistItem.objects.filter(checklist__kind=ChecklistKind.MAJOR_CRITERIA, checklist__code="gm_major",
                                                 checklist__status=ChecklistStatus.PUBLISHED, conditions=[],
                                                 industries=[]).order_by("pk").first()
    for i in range(items):
        _, text, basis = ITEMS[i % len(ITEMS)]
        ChecklistItem.objects.create(
            checklist=checklist, number=str(i + 1), text=text, basis=basis, how_to_check="现场查看", sort=i,
            category=category, suggested_level=HazardLevel.GENERAL,
            major_criterion=criterion if (major_item and i == items - 1) else None,
        )
    return checklist


def grant_task(user, task: Inspection, days: int = 30) -> None:
    assignment = RoleAssignment.objects.active().filter(user=user).first()
    for key, pk in (("inspection", task.pk), ("site", task.site_id)):
        Grant.objects.create(assignment=assignment, model_key=key, object_id=pk, reason="检查任务指派（测试）",
                             valid_from=timezone.now() - datetime.timedelta(hours=1),
                             valid_to=timezone.now() + datetime.timedelta(days=days))


def make_task(site, *, inspectors=(), kind: str = "industry", department=None, unannounced: bool = False,
              enforcement: bool = False, checklists=None, items: int = 3, grant: bool = True, planned_on=None) -> Inspection:
    """An inspection task at ``site`` for the given inspector users, with one part per checklist."""
    task = Inspection.objects.create(
        site=site, kind=kind, department=department, unannounced=unannounced, enforcement=enforcement,
        planned_on=planned_on or timezone.localdate(),
    )
    task.inspectors.set([u.person_id for u in inspectors])
    for sort, checklist in enumerate(checklists or [inspection_checklist(items, department=department)]):
        InspectionPart.objects.create(inspection=task, checklist=checklist, department=department, sort=sort)
    if grant:
        for user in inspectors:
            grant_task(user, task)
    return task


def png_bytes(colour=(30, 120, 200), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(colour=(200, 60, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()
