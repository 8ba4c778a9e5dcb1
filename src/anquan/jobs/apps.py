from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "anquan.jobs"
    verbose_name = "后台任务"
