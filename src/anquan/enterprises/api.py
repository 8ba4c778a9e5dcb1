"""API: enterprises and sites. Thin: reads go through selectors, writes through services."""

from datetime import date
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from anquan.core.api_support import AUTH, Id, Pages, Version
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
    version: Version
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
    unit: Id | None = None
    industry: Id | None = None
    status: str | None = None
    risk_colour: str | None = None
    standard_grade: str | None = None
    regulator: Id | None = None


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    legal_representative: str
    principal_name: str
    principal_phone: str = ""
    safety_manager_name: str = ""
    safety_manager_phone: str = ""
    address: str
    unit: Id
    industries: list[Id]
    scale: str = "small"
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    status: str = "normal"
    risk_colour: str = "blue"
    standard_grade: str = ""
    standard_cert_no: str = ""
    standard_cert_expiry: date | None = None


class EnterprisePatch(Schema):
    """Fields to change, with the version the client last read (a stale version answers 409)."""

    version: Version
    name: str | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    principal_name: str | None = None
    principal_phone: str | None = None
    safety_manager_name: str | None = None
    safety_manager_phone: str | None = None
    address: str | None = None
    unit: Id | None = None
    industries: list[Id] | None = None
    scale: str | None = None
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    status: str | None = None
    risk_colour: str | None = None
    standard_grade: str | None = None
    standard_cert_no: str | None = None
    standard_cert_expiry: date | None = None


class VoidIn(Schema):
    version: Version
    reason: str


def _changes(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return {k: ("" if v is None and k not in ("employees",) else v) for k, v in data.items()}


def _enterprise(request, pk):
    qs = Enterprise.objects.select_related("unit").prefetch_related("industries", "regulators", "sites")
    return get_visible(qs, request.auth, pk)


@router.get("/enterprises", response=list[EnterpriseOut], tags=["企业"], summary="企业列表（一企一档）")
@paginate(Pages)
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors.enterprise_list(request.auth, params).prefetch_related("industries")


@router.get("/enterprises/{enterprise_id}", response=EnterpriseDetailOut, tags=["企业"], summary="企业详情")
def get_enterprise(request, enterprise_id: Id):
    return _enterprise(request, enterprise_id)


@router.post("/enterprises", response={201: EnterpriseDetailOut}, tags=["企业"], summary="新建企业")
def create_enterprise(request, payload: EnterpriseIn):
    enterprise = services.enterprise_create(actor=request.auth, data=payload.dict())
    return Status(201, _enterprise(request, enterprise.pk))


@router.patch("/enterprises/{enterprise_id}", response=EnterpriseDetailOut, tags=["企业"], summary="修改企业（需提交版本号）")
def update_enterprise(request, enterprise_id: Id, payload: EnterprisePatch):
    enterprise = _enterprise(request, enterprise_id)
    services.enterprise_update(actor=request.auth, enterprise=enterprise, version=payload.version, data=_changes(payload))
    return _enterprise(request, enterprise_id)


@router.post("/enterprises/{enterprise_id}/void", response=EnterpriseDetailOut, tags=["企业"], summary="作废企业记录")
def void_enterprise(request, enterprise_id: Id, payload: VoidIn):
    enterprise = _enterprise(request, enterprise_id)
    services.enterprise_void(actor=request.auth, enterprise=enterprise, version=payload.version, reason=payload.reason)
    return _enterprise(request, enterprise_id)


class RegulatorAdd(Schema):
    department: Id
    kind: str = "direct"


class RegulatorsIn(Schema):
    add: list[RegulatorAdd] = []
    end: list[Id] = []
    reason: str


@router.post("/enterprises/{enterprise_id}/regulators", response=EnterpriseDetailOut, tags=["企业"], summary="调整监管部门（需填写理由）")
def change_regulators(request, enterprise_id: Id, payload: RegulatorsIn):
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
    version: Version


class SiteFilter(Schema):
    q: str | None = None
    unit: Id | None = None
    enterprise: Id | None = None
    industry: Id | None = None
    kind: str | None = None


class SiteIn(Schema):
    name: str
    kind: str = "plant"
    enterprise: Id | None = None
    grid: Id
    industry: Id | None = None
    address: str
    contact_name: str = ""
    contact_phone: str = ""


class SitePatch(Schema):
    version: Version
    name: str | None = None
    kind: str | None = None
    enterprise: Id | None = None
    grid: Id | None = None
    industry: Id | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


@router.get("/sites", response=list[SiteOut], tags=["场所"], summary="场所列表")
@paginate(Pages)
def list_sites(request, filters: Query[SiteFilter]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors.site_list(request.auth, params)


@router.get("/sites/{site_id}", response=SiteOut, tags=["场所"], summary="场所详情")
def get_site(request, site_id: Id):
    return get_visible(Site.objects, request.auth, site_id)


@router.post("/sites", response={201: SiteOut}, tags=["场所"], summary="新建场所")
def create_site(request, payload: SiteIn):
    return Status(201, services.site_create(actor=request.auth, data=payload.dict()))


@router.patch("/sites/{site_id}", response=SiteOut, tags=["场所"], summary="修改场所（需提交版本号）")
def update_site(request, site_id: Id, payload: SitePatch):
    site = get_visible(Site.objects, request.auth, site_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version")
    return services.site_update(actor=request.auth, site=site, version=payload.version, data=data)


@router.post("/sites/{site_id}/void", response=SiteOut, tags=["场所"], summary="作废场所记录")
def void_site(request, site_id: Id, payload: VoidIn):
    site = get_visible(Site.objects, request.auth, site_id)
    return services.site_void(actor=request.auth, site=site, version=payload.version, reason=payload.reason)
