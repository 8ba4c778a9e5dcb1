"""API: enterprises and sites. Thin: reads go through selectors, writes through services."""
from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from anquan.core.api_support import AUTH
from anquan.core.services import get_visible

from . import selectors, services
from .models import Enterprise, Site

router = Router(auth=AUTH)


class RegulatorOut(Schema):
    id: int
    kind: str
    department_id: int | None
    unit_id: int | None
    is_default: bool
    reason: str


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    legal_representative: str
    principal_name: str
    principal_phone: str
    safety_manager_name: str
    safety_manager_phone: str
    address: str
    unit_id: int
    industry_ids: list[int]
    scale: str
    employees: int | None
    status: str
    risk_colour: str
    standard_grade: str
    standard_cert_no: str
    standard_cert_expiry: date | None
    version: int
    voided: bool

    @staticmethod
    def resolve_industry_ids(obj):
        return [i.pk for i in obj.industries.all()]

    @staticmethod
    def resolve_voided(obj):
        return obj.voided_at is not None


class EnterpriseDetailOut(EnterpriseOut):
    regulators: list[RegulatorOut]
    site_ids: list[int]

    @staticmethod
    def resolve_regulators(obj):
        return list(obj.regulators.active())

    @staticmethod
    def resolve_site_ids(obj):
        return [s.pk for s in obj.sites.all() if s.voided_at is None]


class EnterpriseFilter(Schema):
    q: str | None = None
    unit: int | None = None
    industry: int | None = None
    status: str | None = None
    risk_colour: str | None = None
    standard_grade: str | None = None
    regulator: int | None = None


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    legal_representative: str
    principal_name: str
    principal_phone: str = ""
    safety_manager_name: str = ""
    safety_manager_phone: str = ""
    address: str
    unit: int
    industries: list[int]
    scale: str = "small"
    employees: int | None = None
    status: str = "normal"
    risk_colour: str = "blue"
    standard_grade: str = ""
    standard_cert_no: str = ""
    standard_cert_expiry: date | None = None


class EnterprisePatch(Schema):
    """Fields to change, with the version the client last read (a stale version answers 409)."""

    version: int
    name: str | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    principal_name: str | None = None
    principal_phone: str | None = None
    safety_manager_name: str | None = None
    safety_manager_phone: str | None = None
    address: str | None = None
    unit: int | None = None
    industries: list[int] | None = None
    scale: str | None = None
    employees: int | None = None
    status: str | None = None
    risk_colour: str | None = None
    standard_grade: str | None = None
    standard_cert_no: str | None = None
    standard_cert_expiry: date | None = None


class VoidIn(Schema):
    version: int
    reason: str


def _changes(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return {k: ("" if v is None and k not in ("employees",) else v) for k, v in data.items()}


def _enterprise(request, pk):
    qs = Enterprise.objects.select_related("unit").prefetch_related("industries", "regulators", "sites")
    return get_visible(qs, request.auth, pk)


@router.get("/enterprises", response=list[EnterpriseOut], tags=["企业"], summary="企业列表（一企一档）")
@paginate(PageNumberPagination, page_size=50)
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors.enterprise_list(request.auth, params).prefetch_related("industries")


@router.get("/enterprises/{enterprise_id}", response=EnterpriseDetailOut, tags=["企业"], summary="企业详情")
def get_enterprise(request, enterprise_id: int):
    return _enterprise(request, enterprise_id)


@router.post("/enterprises", response={201: EnterpriseDetailOut}, tags=["企业"], summary="新建企业")
def create_enterprise(request, payload: EnterpriseIn):
    enterprise = services.enterprise_create(actor=request.auth, data=payload.dict())
    return Status(201, _enterprise(request, enterprise.pk))


@router.patch("/enterprises/{enterprise_id}", response=EnterpriseDetailOut, tags=["企业"], summary="修改企业（需提交版本号）")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = _enterprise(request, enterprise_id)
    services.enterprise_update(actor=request.auth, enterprise=enterprise, version=payload.version, data=_changes(payload))
    return _enterprise(request, enterprise_id)


@router.post("/enterprises/{enterprise_id}/void", response=EnterpriseDetailOut, tags=["企业"], summary="作废企业记录")
def void_enterprise(request, enterprise_id: int, payload: VoidIn):
    enterprise = _enterprise(request, enterprise_id)
    services.enterprise_void(actor=request.auth, enterprise=enterprise, version=payload.version, reason=payload.reason)
    return _enterprise(request, enterprise_id)


class RegulatorAdd(Schema):
    department: int
    kind: str = "direct"


class RegulatorsIn(Schema):
    add: list[RegulatorAdd] = []
    end: list[int] = []
    reason: str


@router.post("/enterprises/{enterprise_id}/regulators", response=EnterpriseDetailOut, tags=["企业"], summary="调整监管部门（需填写理由）")
def change_regulators(request, enterprise_id: int, payload: RegulatorsIn):
    enterprise = _enterprise(request, enterprise_id)
    services.enterprise_change_regulators(
        actor=request.auth, enterprise=enterprise, add=[a.dict() for a in payload.add], end=payload.end, reason=payload.reason
    )
    return _enterprise(request, enterprise_id)


# ------------------------------------------------------------------ sites


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    enterprise_id: int | None
    grid_id: int
    industry_id: int | None
    address: str
    contact_name: str
    contact_phone: str
    version: int


class SiteFilter(Schema):
    q: str | None = None
    unit: int | None = None
    enterprise: int | None = None
    industry: int | None = None
    kind: str | None = None


class SiteIn(Schema):
    name: str
    kind: str = "plant"
    enterprise: int | None = None
    grid: int
    industry: int | None = None
    address: str
    contact_name: str = ""
    contact_phone: str = ""


class SitePatch(Schema):
    version: int
    name: str | None = None
    kind: str | None = None
    enterprise: int | None = None
    grid: int | None = None
    industry: int | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


@router.get("/sites", response=list[SiteOut], tags=["场所"], summary="场所列表")
@paginate(PageNumberPagination, page_size=50)
def list_sites(request, filters: Query[SiteFilter]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors.site_list(request.auth, params)


@router.get("/sites/{site_id}", response=SiteOut, tags=["场所"], summary="场所详情")
def get_site(request, site_id: int):
    return get_visible(Site.objects, request.auth, site_id)


@router.post("/sites", response={201: SiteOut}, tags=["场所"], summary="新建场所")
def create_site(request, payload: SiteIn):
    return Status(201, services.site_create(actor=request.auth, data=payload.dict()))


@router.patch("/sites/{site_id}", response=SiteOut, tags=["场所"], summary="修改场所（需提交版本号）")
def update_site(request, site_id: int, payload: SitePatch):
    site = get_visible(Site.objects, request.auth, site_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version")
    return services.site_update(actor=request.auth, site=site, version=payload.version, data=data)


@router.post("/sites/{site_id}/void", response=SiteOut, tags=["场所"], summary="作废场所记录")
def void_site(request, site_id: int, payload: VoidIn):
    site = get_visible(Site.objects, request.auth, site_id)
    return services.site_void(actor=request.auth, site=site, version=payload.version, reason=payload.reason)
