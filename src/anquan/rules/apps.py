from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "anquan.rules"
    verbose_name = "法定时限与规则"
