from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "anquan.accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="anquan.accounts.stamp_sign_in")
