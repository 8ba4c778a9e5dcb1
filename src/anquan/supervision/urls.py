"""Supervision pages (督查问责): groups, checks, findings, warning interviews, circulars."""
from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.group_list, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/close/", views.group_close, name="group_close"),
    path("groups/<int:pk>/members/", views.member_add, name="member_add"),
    path("groups/<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("groups/<int:pk>/checks/new/", views.check_new, name="check_new"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/edit/", views.check_edit, name="check_edit"),
    path("checks/<int:pk>/complete/", views.check_complete, name="check_complete"),
    path("checks/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/report/", views.finding_report, name="finding_report"),
    path("findings/<int:pk>/confirm/", views.finding_confirm, name="finding_confirm"),
    path("findings/<int:pk>/send-back/", views.finding_send_back, name="finding_send_back"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("targets/", views.target_search, name="target_search"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/void/", views.interview_void, name="interview_void"),
    path("circulars/", views.circular_list, name="circulars"),
    path("circulars/new/", views.circular_new, name="circular_new"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular"),
    path("circulars/<int:pk>/document/", views.circular_document, name="circular_document"),
    path("circulars/<int:pk>/void/", views.circular_void, name="circular_void"),
]
