"""The answers for 403, 404, 500 and a failed CSRF check: in Chinese, with a way back, and JSON under /api/.

Why one module: every refusal of the platform reads the same, whichever app raised it. A page
that wants to say *why* it refused raises ``PermissionDenied("…")`` (or the domain's
``Forbidden``) with a Chinese sentence; the 403 page shows it. Messages that are not Chinese
(Django's own "No Hazard matches the given query.") are never shown to a user. The API answers
``{"detail": "…"}`` as ``core.api_support`` does for errors raised inside a router, so a client
gets JSON even for a path no router knows.
"""
from __future__ import annotations

import re

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .errors import NotFound

NOT_FOUND = "您访问的页面或对象不存在，或不在您的管辖范围内。"
FORBIDDEN = "您没有执行此操作的权限。"
SERVER_ERROR = "系统出现错误，请稍后重试。如问题持续，请联系系统管理员，并告知出错的时间和操作。"
CSRF_FAILED = "页面已过期或安全校验失败（CSRF）：请返回上一页，刷新后重新提交。"

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _message(exception, default: str) -> str:
    """The exception's own sentence when it is Chinese (a page's reason), else the default."""
    text = ""
    if exception is not None:
        text = getattr(exception, "message", "") or (str(exception.args[0]) if getattr(exception, "args", None) else "")
    return text if isinstance(text, str) and _CJK.search(text) else default


def _back(request) -> str:
    """Where "返回" goes: the page the user came from on this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host() if hasattr(request, "get_host") else ""
    try:
        same_site = bool(referer) and referer.split("/")[2] == host
    except (IndexError, ValueError):
        same_site = False
    return referer if same_site and referer.rstrip("/") != request.build_absolute_uri().rstrip("/") else "/"


def _page(request, status: int, title: str, message: str):
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/error.html", {
        "status": status, "error_title": title, "message": message, "back_url": _back(request),
    }, status=status)


def unavailable(request, title: str, message: str):
    """503 for a resource busy right now (e.g. every PDF conversion slot taken): try again later."""
    return _page(request, 503, title, message)


def not_found(request, exception=None):
    if _is_api(request):  # the same words as a router's own 404 (core.api_support)
        return _page(request, 404, "", NotFound().message)
    return _page(request, 404, "页面不存在", _message(exception, NOT_FOUND))


def forbidden(request, exception=None):
    return _page(request, 403, "无权访问", _message(exception, FORBIDDEN))


@requires_csrf_token
def csrf_failure(request, reason=""):
    """Django's CSRF_FAILURE_VIEW: the usual cause is a page left open past the session or a second tab."""
    return _page(request, 403, "安全校验失败", CSRF_FAILED)


def server_error(request):
    """500: a template of its own without the navigation (which reads the database that may have failed)."""
    if _is_api(request):
        return JsonResponse({"detail": SERVER_ERROR}, status=500, json_dumps_params={"ensure_ascii": False})
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"message": SERVER_ERROR, "back_url": _back(request)}))
