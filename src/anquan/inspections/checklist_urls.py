"""Pages of checklist templates (检查表)."""
from django.urls import path

from . import views_checklists as v

app_name = "checklists"
urlpatterns = [
    path("", v.checklist_list, name="list"),
    path("new/", v.checklist_create, name="create"),
    path("<int:pk>/", v.checklist_detail, name="detail"),
    path("<int:pk>/edit/", v.checklist_edit, name="edit"),
    path("<int:pk>/publish/", v.checklist_publish, name="publish"),
    path("<int:pk>/new-version/", v.checklist_new_version, name="new_version"),
    path("<int:pk>/retire/", v.checklist_retire, name="retire"),
]
