from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anquan.core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import pre_save

        from .text import guard_columns

        # Every model of the project: no text longer than its column reaches PostgreSQL (core/text.py).
        pre_save.connect(guard_columns, dispatch_uid="anquan.core.text.guard_columns")
