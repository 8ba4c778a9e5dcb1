"""Enterprise registry pages (一企一档), Excel export and import."""
from django.urls import path

from . import import_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("import/", import_views.import_start, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<str:import_id>/", import_views.import_job, name="import_job"),
    path("import/<str:import_id>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<str:import_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<str:import_id>/discard/", import_views.import_discard, name="import_discard"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/void/", views.enterprise_void, name="void"),
    path("<int:pk>/regulators/", views.enterprise_regulators, name="regulators"),
]
