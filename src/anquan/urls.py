"""URL map: pages per app, the API under /api/v1/, health checks."""
from django.urls import include, path

urlpatterns = [
    path("", include("anquan.accounts.urls")),
    path("", include("anquan.workbench.urls")),
    path("", include("anquan.core.urls")),
    path("enterprises/", include("anquan.enterprises.urls")),
    path("sites/", include("anquan.enterprises.site_urls")),
    path("hazards/", include("anquan.hazards.urls")),
    path("org-units/", include("anquan.orgs.urls")),
    path("inspections/", include("anquan.inspections.urls")),
    path("inspection-plans/", include("anquan.inspections.plan_urls")),
    path("checklists/", include("anquan.inspections.checklist_urls")),
    path("coverage/", include("anquan.inspections.coverage_urls")),
    path("supervision/", include("anquan.supervision.urls")),
    path("enforcement/", include("anquan.enforcement.urls")),
    path("public/", include("anquan.enforcement.public_urls")),
    path("documents/", include("anquan.documents.urls")),
    path("audit/", include("anquan.audit.urls")),
    path("rules/", include("anquan.rules.urls")),
    path("lookback/", include("anquan.hazards.lookback_urls")),
    path("accidents/", include("anquan.accidents.urls")),
    path("notifications/", include("anquan.notifications.urls")),
    path("jobs/", include("anquan.jobs.urls")),
    path("api/v1/", include("anquan.api_urls")),
]

# Errors in Chinese with a way back, JSON under /api/ (CSRF failures: settings.CSRF_FAILURE_VIEW).
handler403 = "anquan.core.error_pages.forbidden"
handler404 = "anquan.core.error_pages.not_found"
handler500 = "anquan.core.error_pages.server_error"
