from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "anquan.documents"
    verbose_name = "公文"

    def ready(self):
        # Registers DocumentDraft with the sign-off service (拟稿 → 核稿 → 签发).
        from .services import drafts  # noqa: F401
