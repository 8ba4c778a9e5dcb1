"""Pages every user sees, and the health probes (no login): /healthz alive, /readyz ready to serve."""
from django.urls import path

from . import health, views

urlpatterns = [
    path("overview/", views.home, name="overview"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
