from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "anquan.accidents"
    verbose_name = "生产安全事故"
