from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "anquan.orgs"
    verbose_name = "行政区划与部门"
