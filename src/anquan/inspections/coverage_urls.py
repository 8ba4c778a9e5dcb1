"""排查覆盖 (coverage) pages."""
from django.urls import path

from . import views_coverage

app_name = "coverage"
urlpatterns = [
    path("", views_coverage.coverage, name="index"),
    path("export.xlsx", views_coverage.coverage_export, name="export"),
]
