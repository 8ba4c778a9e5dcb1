"""Pages of inspection plans (检查计划) and their random draws (双随机)."""
from django.urls import path

from . import views_plans as v

app_name = "plans"
urlpatterns = [
    path("", v.plan_list, name="list"),
    path("new/", v.plan_create, name="create"),
    path("sites/", v.site_search, name="sites"),
    path("<int:pk>/", v.plan_detail, name="detail"),
    path("<int:pk>/edit/", v.plan_edit, name="edit"),
    path("<int:pk>/issue/", v.plan_issue, name="issue"),
    path("<int:pk>/draw/", v.plan_draw, name="draw"),
    path("<int:pk>/tasks/<int:task_pk>/assign/", v.task_assign, name="assign"),
    path("draws/<int:pk>/", v.draw_detail, name="draw_detail"),
]
