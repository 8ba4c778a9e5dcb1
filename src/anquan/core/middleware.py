"""Security headers Django does not set by itself, and domain errors turned into HTTP answers for pages."""
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from .errors import Conflict, Forbidden, NotFound


class SecurityHeadersMiddleware:
    """Adds a strict Content-Security-Policy (everything is served locally) and related headers;
    maps NotFound/Forbidden/Conflict raised by services during a page request to 404/403/409."""

    CSP = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message)
        if isinstance(exception, Conflict):
            return HttpResponse(exception.message, status=409, content_type="text/plain; charset=utf-8")
        return None
