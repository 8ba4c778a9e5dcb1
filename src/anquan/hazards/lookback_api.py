"""API: look-back (倒查), GET /api/v1/lookback — read-only, scoped like the page (lookback_views).

Do not add ``from __future__ import annotations`` here: it breaks ninja's Query schemas.
"""

import datetime

from ninja import Field, Query, Router, Schema

from anquan.core.api_support import AUTH, Id
from anquan.core.openapi import ErrorOut

from .lookback import lookback

router = Router(auth=AUTH, tags=["倒查"])

class LookbackQuery(Schema):
    site: Id | None = None
    enterprise: Id | None = None
    date_from: datetime.date = Field(..., alias="from", description="开始日期 YYYY-MM-DD")
    date_to: datetime.date = Field(..., alias="to", description="结束日期 YYYY-MM-DD（含）")


class LookbackHazardOut(Schema):
    id: int
    number: str
    category_id: int | None
    description: str
    found_on: datetime.date
    recorded_by: str
    status: str


class MissedOut(Schema):
    hazard: LookbackHazardOut
    category_root: str
    days_later: int
    how: str


class InspectorOut(Schema):
    person_id: int
    name: str
    post: str
    enforcement_cert_no: str
    roles_at_the_time: list[str]


class VisitOut(Schema):
    inspection_id: int
    site_id: int
    kind: str
    performed_at: datetime.datetime
    recorded_role: str
    inspectors: list[InspectorOut]
    categories_checked: list[str]
    found: list[LookbackHazardOut]
    missed: list[MissedOut]


class LookbackOut(Schema):
    site_ids: list[int]
    enterprise_id: int | None
    date_from: datetime.date
    date_to: datetime.date
    visits: list[VisitOut]
    missed_count: int


def _lb_hazard(h) -> dict:
    return {"id": h.pk, "number": h.number, "category_id": h.category_id, "description": h.description,
            "found_on": h.found_on, "recorded_by": _name(h.recorded_by), "status": h.status}


def lookback_out(report) -> dict:
    visits = [{
        "inspection_id": v.inspection.pk, "site_id": v.inspection.site_id, "kind": v.inspection.kind,
        "performed_at": v.inspection.performed_at, "recorded_role": v.inspection.recorded_role,
        "inspectors": [{"person_id": i.person.pk, "name": i.person.name, "post": i.person.post,
                        "enforcement_cert_no": i.person.enforcement_cert_no, "roles_at_the_time": i.roles} for i in v.inspectors],
        "categories_checked": [c.name for c in v.categories],
        "found": [_lb_hazard(h) for h in v.found],
        "missed": [{"hazard": _lb_hazard(m.hazard), "category_root": m.root, "days_later": m.days_later, "how": m.how}
                   for m in v.missed],
    } for v in report.visits]
    return {"site_ids": [s.pk for s in report.sites], "enterprise_id": report.enterprise.pk if report.enterprise else None,
            "date_from": report.date_from, "date_to": report.date_to, "visits": visits, "missed_count": report.missed_count}


def _name(user) -> str:
    return user.display_name if user is not None else ""


@router.get("/lookback", response={200: LookbackOut, 404: ErrorOut}, summary="倒查：某场所/企业在时间段内的检查、发现与漏查")
def get_lookback(request, query: Query[LookbackQuery]):
    report = lookback(request.auth, site=query.site, enterprise=query.enterprise, date_from=query.date_from, date_to=query.date_to)
    return lookback_out(report)
