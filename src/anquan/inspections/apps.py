from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anquan.inspections"
    verbose_name = "检查"
