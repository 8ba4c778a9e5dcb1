"""The workbench (工作台) is the home page."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.workbench, name="home"),
]
