from django.urls import include, path

from . import views
from .views import console

console_patterns = [
    path("", console.index, name="index"),
    path("users/", console.user_list, name="users"),
    path("users/new/", console.user_new, name="user_new"),
    path("users/<int:pk>/", console.user_detail, name="user"),
    path("sign-in-locks/", console.sign_in_locks, name="sign_in_locks"),
    path("people/", console.person_list, name="people"),
    path("people/new/", console.person_form, name="person_new"),
    path("people/<int:pk>/edit/", console.person_form, name="person_edit"),
]

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    # 系统管理 (not Django's /admin/): accounts, people and role assignments; units under /org-units/.
    path("admin-console/", include((console_patterns, "console"))),
]
