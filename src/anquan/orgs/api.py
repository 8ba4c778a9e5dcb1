"""API: the territory tree and departments, scoped."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
from anquan.core.services import get_visible

from .models import Department, OrgUnit

router = Router(tags=["行政区划"], auth=AUTH)


class OrgUnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    district_id: int | None
    version: Version


class OrgUnitFilter(Schema):
    kind: str | None = None
    parent: Id | None = None
    within: Id | None = None
    q: str | None = None


class DepartmentOut(Schema):
    id: int
    name: str
    kind: str
    unit_id: int
    industry_ids: list[int]


@router.get("/org-units", response=list[OrgUnitOut], summary="行政区划列表")
@paginate(Pages)
def list_units(request, filters: Query[OrgUnitFilter]):
    qs = OrgUnit.objects.visible_to(request.auth).filter(voided_at__isnull=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.within:
        within = OrgUnit.objects.visible_to(request.auth).filter(pk=filters.within).values_list("path", flat=True).first()
        qs = qs.filter(path__startswith=within or "/none/")
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs.order_by("path")


@router.get("/org-units/{unit_id}", response=OrgUnitOut, summary="行政区划详情")
def get_unit(request, unit_id: Id):
    return get_visible(OrgUnit.objects, request.auth, unit_id)


@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate(Pages)
def list_departments(request):
    qs = Department.objects.visible_to(request.auth).prefetch_related("industries").order_by("unit__path", "id")
    return [
        {"id": d.pk, "name": d.name, "kind": d.kind, "unit_id": d.unit_id, "industry_ids": [i.pk for i in d.industries.all()]}
        for d in qs
    ]
