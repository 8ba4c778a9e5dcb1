from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anquan.core"
    verbose_name = "基础"
