from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("export.xlsx", views.inspection_export, name="export"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/perform/", views.inspection_perform, name="perform"),
]
