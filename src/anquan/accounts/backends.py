"""Authentication backend: the demo password works only in demo mode."""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password

DEMO_PASSWORD = "anquan-demo"


class AnquanBackend(ModelBackend):
    """Django's model backend, refusing the well-known demo password outside demo mode,
    so a database copied from a demo can never be entered with it in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEMO_MODE:
            make_password(password)  # hash once anyway, so the answer takes as long as a real attempt
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
