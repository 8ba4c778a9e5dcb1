"""The HTTP API, /api/v1/: routers of each app assembled in one NinjaAPI (OpenAPI at /api/v1/openapi.json)."""
from ninja.renderers import JSONRenderer

from anquan.accidents.api import router as accidents_router
from anquan.accounts.api import router as accounts_router
from anquan.core.api_support import install_error_handlers
from anquan.core.openapi import AnquanAPI
from anquan.documents.api import router as documents_router
from anquan.enforcement.api import router as enforcement_router
from anquan.enterprises.api import router as enterprises_router
from anquan.hazards.api import router as hazards_router
from anquan.hazards.area_listing_api import router as area_listing_router
from anquan.hazards.criteria_api import router as criteria_router
from anquan.hazards.lookback_api import router as lookback_router
from anquan.inspections.api import router as inspections_router
from anquan.inspections.checklist_api import router as checklists_router
from anquan.inspections.plan_api import router as plans_router
from anquan.orgs.api import router as orgs_router
from anquan.supervision.api import router as supervision_router
from anquan.workbench.api import router as workbench_router


class ChineseJSON(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable in responses and logs."""

    json_dumps_params = {"ensure_ascii": False}


# AnquanAPI: ninja's NinjaAPI whose OpenAPI document adds the error answers of every operation
# and records schema-name clashes (core/openapi.py; core/tests/test_openapi.py).
api = AnquanAPI(
    renderer=ChineseJSON(),
    title="安全生产治理平台 API",
    version="1",
    description="所有数据按当前用户的任职范围过滤；超出范围的对象一律返回404。修改需提交版本号，版本过期返回409。",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", orgs_router)
api.add_router("", enterprises_router)
api.add_router("", inspections_router)
api.add_router("", checklists_router)
api.add_router("", plans_router)
api.add_router("", supervision_router)
api.add_router("", enforcement_router)
api.add_router("", documents_router)
api.add_router("", criteria_router)  # before hazards: /hazards/criteria is not a hazard id
api.add_router("", hazards_router)
api.add_router("", lookback_router)
api.add_router("", area_listing_router)
api.add_router("", workbench_router)
api.add_router("", accidents_router)
