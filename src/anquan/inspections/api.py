"""API: inspections (read-only in the foundation; planning and performing come with the inspections issue)."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.services import get_visible

from .models import Inspection

router = Router(tags=["检查"], auth=AUTH)


class InspectionOut(Schema):
    id: int
    site_id: int
    kind: str
    department_id: int | None
    unannounced: bool
    planned_on: date
    performed_at: datetime | None
    version: Version


@router.get("/inspections", response=list[InspectionOut], summary="检查列表")
@paginate(Pages)
def list_inspections(request):
    return Inspection.objects.visible_to(request.auth).order_by("-planned_on", "id")


@router.get("/inspections/{inspection_id}", response=InspectionOut, summary="检查详情")
def get_inspection(request, inspection_id: Id):
    return get_visible(Inspection.objects, request.auth, inspection_id)
