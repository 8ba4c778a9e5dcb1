"""Export job pages, mounted at /jobs/."""
from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("exports/<str:kind>/", views.export_create, name="export"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/download/", views.export_download, name="download"),
]
