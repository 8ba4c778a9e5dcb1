from django.urls import path

from . import document_views, views, views_stats

app_name = "enforcement"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/step/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/publish/", views.case_publish, name="case_publish"),
    path("cases/<int:pk>/documents/issue/<slug:kind>/", document_views.case_document_issue, name="case_document_issue"),
    path("cases/<int:pk>/documents/<int:doc>/<str:fmt>/", document_views.case_document_download, name="case_document"),
    path("statistics/", views_stats.stats_page, name="stats"),
    path("statistics/cases/", views_stats.stats_list, name="stats_list"),
    path("statistics/download.xlsx", views_stats.stats_download, name="stats_download"),
]
