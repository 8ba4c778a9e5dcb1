"""Territory tree pages (行政区划) and their administration (系统管理员)."""
from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/children/", views.children, name="children"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.unit_form, name="unit_new"),
    path("<int:pk>/edit/", views.unit_form, name="unit_edit"),
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_form, name="department_new"),
    path("departments/<int:pk>/edit/", views.department_form, name="department_edit"),
]
