from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "anquan.workbench"
    verbose_name = "工作台"

    def ready(self):
        # Every app declares its to-do providers in its own ``todos.py`` (like admin.py for the admin):
        # importing them here registers them, so a new module plugs in without touching the workbench.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("todos")
