from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "anquan.accidents"
    verbose_name = "生产安全事故"

    def ready(self):
        # Register the leg-sweep task in every process (beat's schedule names it; autodiscovery runs only in workers).
        from . import tasks  # noqa: F401
