from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "anquan.documents"
    verbose_name = "公文"
