from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "anquan.audit"
    verbose_name = "审计"
