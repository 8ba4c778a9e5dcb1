"""Look-back (倒查) pages, mounted at /lookback/."""
from django.urls import path

from . import lookback_views

app_name = "lookback"

urlpatterns = [
    path("", lookback_views.lookback_page, name="page"),
]
