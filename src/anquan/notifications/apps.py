from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anquan.notifications"
    verbose_name = "消息提醒"

    def ready(self):
        # Every app declares its notification kinds in its own notice_kinds.py (see kinds.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notice_kinds")
