"""What every API router shares: authentication (session or bearer token), error answers in
Chinese, the input rule for text (``TextRuleParser``), and page-number pagination returning
``{"items": [...], "count": N}``."""
from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from .errors import DomainError, Invalid
from .text import illegal_paths

MAX_ID = 2**63 - 1

#: A primary key as the API accepts it: anything else is a 422, never a database overflow.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: An optimistic-lock version.
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


class Pages(PageNumberPagination):
    """Page-number pagination (``?page=&page_size=``, at most 200 a page) answering ``{"items", "count"}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=200, **kwargs)


#: Chinese wording for pydantic's error types; anything else falls back to a generic phrase.
PYDANTIC_MESSAGES = {
    "missing": "此字段为必填项",
    "int_parsing": "请输入整数",
    "int_type": "请输入整数",
    "int_from_float": "请输入整数",
    "float_parsing": "请输入数字",
    "string_type": "请输入文字",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "bool_parsing": "请输入是或否（true/false）",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "请求体不是有效的JSON",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "extra_forbidden": "不允许的字段",
}


def translate_validation(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "data")]
        name = ".".join(loc) or "__all__"
        message = PYDANTIC_MESSAGES.get(err.get("type", ""), "格式不正确")
        limit = (err.get("ctx") or {}).get("max_length")
        if err.get("type") == "string_too_long" and limit:
            message = f"内容过长（不超过{limit}个字）"  # the column's limit, said before PostgreSQL would refuse it
        fields.setdefault(name, []).append(message)
    return fields


class TextRuleParser(Parser):
    """The input rule for text (``core.text``), once for every operation: a JSON body, a query string or a
    form body holding a control character or a lone surrogate anywhere is refused with 422 and the path of
    each offending field (``{"paragraphs.1": ["包含无法识别的控制字符…"]}``) before any schema or service
    sees it. Without it, ``\\u0003`` in a 通报 paragraph reached the .docx writer and answered 500, and NUL
    passed PATCH /hazards/{id} (only Django's forms refuse NUL, and PATCH writes without one)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_illegal(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_illegal(result)
        return result


def _refuse_illegal(data) -> None:
    found = illegal_paths(data)
    if found:
        raise Invalid(found)


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: a token from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        from anquan.accounts.services import token_user

        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The browser's session (CSRF-checked for writes, as every cookie-authenticated request)."""


AUTH = [BearerToken(), Session()]


def install_error_handlers(api) -> None:
    """Chinese JSON answers for every error an operation can meet; also installs the input rule's parser."""
    api.parser = TextRuleParser()

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        body = {"detail": exc.message}
        if exc.errors:
            body["errors"] = exc.errors
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        # Django answers this with its HTML 400 page; an API client gets JSON like every other answer.
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        detail = f"请求体过大（不超过{limit} MB），请减少照片数量或压缩后分批提交" if limit else "请求体过大，请分批提交"
        return api.create_response(request, {"detail": detail}, status=413)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        body = {"detail": "提交的数据有误，请检查后重试", "errors": translate_validation(exc.errors)}
        return api.create_response(request, body, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "对象不存在或无权访问"}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": "请先登录或提供有效的访问令牌"}, status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja wraps whatever the body parser raised into a 400 "Cannot parse request body".
        if isinstance(exc.__cause__, DomainError):
            return domain_error(request, exc.__cause__)
        if isinstance(exc.__cause__, RequestDataTooBig):
            return too_big(request, exc.__cause__)
        if isinstance(exc.__cause__, ValueError):  # JSONDecodeError, UnicodeDecodeError
            return api.create_response(request, {"detail": "请求体不是有效的JSON"}, status=400)
        message = str(exc)
        if "CSRF" in message:
            message = "CSRF校验失败，请刷新页面后重试"
        return api.create_response(request, {"detail": message}, status=exc.status_code)


__all__ = ["AUTH", "MAX_ID", "APIKeyCookie", "Id", "Pages", "TextRuleParser", "Version", "install_error_handlers",
           "translate_validation"]
