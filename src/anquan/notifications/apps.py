from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anquan.notifications"
    verbose_name = "消息提醒"
