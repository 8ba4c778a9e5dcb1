"""Site pages (场所/项目)."""
from django.urls import path

from . import site_views

app_name = "sites"

urlpatterns = [
    path("", site_views.site_list, name="list"),
    path("new/", site_views.site_create, name="create"),
    path("<int:pk>/", site_views.site_detail, name="detail"),
    path("<int:pk>/edit/", site_views.site_edit, name="edit"),
    path("<int:pk>/void/", site_views.site_void, name="void"),
]
