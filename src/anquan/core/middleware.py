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


#: Page areas that show business records (enterprises, hazards, inspections, supervision, documents …).
BUSINESS_PAGES = (
    "/enterprises/", "/sites/", "/hazards/", "/inspections/", "/inspection-plans/", "/coverage/",
    "/supervision/", "/documents/", "/lookback/", "/jobs/",
)
SEPARATION_OF_DUTIES = "系统管理员、安全管理员和审计管理员不查看、不办理业务记录（三权分立）。请使用“系统管理”或“审计日志”。"


class SeparationOfDutiesMiddleware:
    """三权分立: an account holding only system roles (系统管理员/安全管理员/审计管理员) gets a 403 on business pages.

    Their scope already shows them no business record (lists come out empty, details 404); this
    closes the pages themselves, so an administrator never works in a business screen by accident.
    Checklists (检查表) stay open: the 系统管理员 maintains the templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(BUSINESS_PAGES):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from anquan.accounts.roles import ScopeKind
        from anquan.accounts.scope import active_assignments

        assignments = active_assignments(user)
        if assignments and all(a.scope_kind == ScopeKind.SYSTEM for a in assignments):
            raise PermissionDenied(SEPARATION_OF_DUTIES)
        return None
