from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "anquan.enterprises"
    verbose_name = "企业与场所"
