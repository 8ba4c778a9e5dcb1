from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "anquan.supervision"
    verbose_name = "督查与问责"
