"""Account rules applied to every request: a session's absolute lifetime; a temporary password first.

A session ends after SESSION_COOKIE_AGE of inactivity (sliding) and, whatever the activity, after
SESSION_ABSOLUTE_HOURS from sign-in: a session kept alive by an open tab is not kept for ever.

A temporary password is changed before anything else is done with the account.

The administrator hands a temporary password over by telephone or in person, so it may be known
to more than one person; until the holder sets their own, every page leads to /password/.
The API is left alone (tokens are issued to a person who has signed in, hence changed it).
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

#: Session key: when the session's holder signed in (seconds since the epoch).
SIGNED_IN_AT = "anquan_signed_in_at"
SESSION_ENDED = "登录已超过{hours}小时，为安全起见请重新登录"


def stamp_sign_in(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: every way of signing in (page, force_login) starts the absolute clock."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """Signs out a session older than SESSION_ABSOLUTE_HOURS since its sign-in, whatever its activity.

    A session from before this rule (no stamp) starts its clock at its first request. Pages then lead to
    the login page (with a message); the API answers 401 as for any unauthenticated request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(SIGNED_IN_AT)
            if not isinstance(started, int):
                request.session[SIGNED_IN_AT] = now
            elif now - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, SESSION_ENDED.format(hours=settings.SESSION_ABSOLUTE_HOURS))
        return self.get_response(request)

#: Paths that stay open while the password is temporary: changing it, leaving, and what pages load.
OPEN = ("/password/", "/logout/", "/login/", "/static/", "/api/", "/healthz", "/readyz")


class TemporaryPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(OPEN)):
            return redirect(f"/password/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
