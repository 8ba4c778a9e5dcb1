"""Accident pages: /accidents/ …"""
from django.urls import path

from . import views, views_actions, views_lookback, views_stats

app_name = "accidents"

urlpatterns = [
    path("", views.accident_list, name="list"),
    path("new/", views.accident_new, name="new"),
    path("classify/", views.classify_fragment, name="classify"),
    path("statistics/", views_stats.stats_page, name="stats"),
    path("statistics/<str:table>.xlsx", views_stats.stats_download, name="stats_download"),
    path("<int:pk>/", views.accident_detail, name="detail"),
    path("<int:pk>/lookback/", views_lookback.lookback_page, name="lookback"),
    path("<int:pk>/photos/<int:photo_pk>/", views.accident_photo, name="photo"),
    path("<int:pk>/<str:verb>/", views_actions.accident_action, name="action"),
]
