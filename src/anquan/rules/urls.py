"""Rules pages (法定时限与节假日)."""
from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("", views.index, name="index"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/form/", views.holiday_form, name="holiday_form"),
    path("overrides/<int:pk>/end/", views.override_end, name="override_end"),
    path("<str:key>/override/", views.override, name="override"),
]
