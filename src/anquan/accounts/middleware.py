"""A temporary password is changed before anything else is done with the account.

The administrator hands a temporary password over by telephone or in person, so it may be known
to more than one person; until the holder sets their own, every page leads to /password/.
The API is left alone (tokens are issued to a person who has signed in, hence changed it).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect

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
