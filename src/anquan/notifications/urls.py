"""Notification pages, mounted at /notifications/."""
from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.read, name="read"),
    path("preference/", views.preference, name="preference"),
    path("<int:pk>/open/", views.open_notification, name="open"),
]
