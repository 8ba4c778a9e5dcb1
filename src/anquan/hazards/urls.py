"""Hazard pages (隐患排查治理): the three lists, record, detail with one POST URL per action, import."""
from django.urls import path

from . import views, views_actions, views_detail, views_import, views_record, views_registers, views_stats

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("stats/", views_stats.stats, name="stats"),
    path("report/", views_stats.enterprise_report, name="report"),
    path("export/<str:kind>.xlsx", views.hazard_export, name="export"),
    path("new/", views_record.hazard_record, name="record"),
    path("new/sites/", views_record.site_search, name="site_search"),
    path("new/descriptions/", views_record.description_search, name="descriptions"),
    path("photos/<int:pk>/", views.hazard_photo, name="photo"),
    path("listings/", views_registers.listing_register, name="listings"),
    path("listings/export.xlsx", views_registers.listing_export, name="listings_export"),
    path("extensions/", views_registers.extension_register, name="extensions"),
    path("extensions/export.xlsx", views_registers.extension_export, name="extensions_export"),
    path("explanations/", views_registers.explanation_register, name="explanations"),
    path("explanations/export.xlsx", views_registers.explanation_export, name="explanations_export"),
    path("import/", views_import.import_start, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<str:import_id>/", views_import.import_preview, name="import_preview"),
    path("import/<str:import_id>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("<int:pk>/", views_detail.hazard_detail, name="detail"),
    path("<int:pk>/edit/", views_actions.hazard_edit, name="edit"),
    path("<int:pk>/start/", views_actions.hazard_start, name="start"),
    path("<int:pk>/submit/", views_actions.hazard_submit, name="submit"),
    path("<int:pk>/verify/", views_actions.hazard_verify, name="verify"),
    path("<int:pk>/send-back/", views_actions.hazard_send_back, name="send_back"),
    path("<int:pk>/recheck/", views_actions.hazard_recheck, name="recheck"),
    path("<int:pk>/extension/", views_actions.extension_request, name="extension_request"),
    path("<int:pk>/extension/<int:ext_id>/decide/", views_actions.extension_decide, name="extension_decide"),
    path("<int:pk>/explain/", views_actions.overdue_explain, name="explain"),
    path("<int:pk>/escalate/", views_actions.hazard_escalate, name="escalate"),
    path("<int:pk>/judge-major/", views_actions.hazard_judge_major, name="judge_major"),
    path("<int:pk>/downgrade/", views_actions.hazard_downgrade, name="downgrade"),
    path("<int:pk>/transfer/", views_actions.hazard_transfer, name="transfer"),
    path("<int:pk>/controls/", views_actions.control_start, name="control_start"),
    path("<int:pk>/controls/<int:control_id>/end/", views_actions.control_end, name="control_end"),
    path("<int:pk>/listing/", views_actions.hazard_list_for_supervision, name="list_supervision"),
    path("<int:pk>/listings/<int:listing_id>/apply-resume/", views_actions.listing_apply_resume, name="apply_resume"),
    path("<int:pk>/listings/<int:listing_id>/review/", views_actions.listing_review, name="review_listing"),
    path("<int:pk>/listings/<int:listing_id>/delist/", views_actions.hazard_delist, name="delist"),
]
