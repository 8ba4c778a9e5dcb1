from django.urls import path

from . import views

app_name = "public"

urlpatterns = [path("penalties/", views.public_penalties, name="penalties")]
