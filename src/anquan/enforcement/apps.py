from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "anquan.enforcement"
    verbose_name = "行政执法"
