from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "anquan.demo"
    verbose_name = "示范数据"
