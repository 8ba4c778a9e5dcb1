"""The OpenAPI document of /api/v1/ told truly, in one place rather than in every operation.

django-ninja documents only the answers an operation declares in ``response=``; the errors every
operation answers through ``core.api_support``'s handlers (401, 403, 404, 409, 422 in Chinese) were
missing from 105 operations. ``AnquanOpenAPISchema.responses`` adds them, each with the shared
``ErrorOut`` shape, from what the operation itself shows (its authentication, its path parameters,
its method, its inputs), so a new operation is documented without anyone remembering to.

ninja also merges every schema's definitions into one ``components.schemas`` by class name and
silently lets a later class overwrite an earlier one of the same name (two ``PhotoOut`` made the
hazard photos answer the inspection photos' shape). ``add_schema_definitions`` records every such
overwrite in ``clashes``; ``core/tests/test_openapi.py`` fails while any exists.
"""
from __future__ import annotations

from http.client import responses as reason_phrases
from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ErrorOut(Schema):
    """错误回答（所有4xx）：detail 为一句中文说明；提交的数据有误时，errors 按字段列出中文说明。"""

    detail: str
    errors: dict[str, list[str]] | None = None


#: What each error status means to a caller of this API (the OpenAPI description of the answer).
ERROR_DESCRIPTIONS = {
    400: "请求无法处理（请求体不是有效的JSON，或请求方式不适用）",
    401: "未登录或访问令牌无效",
    403: "无权执行此操作（含会话方式提交时CSRF校验失败）",
    404: "对象不存在或不在您的管辖范围内",
    409: "状态不允许此操作，或记录已被他人修改（版本冲突）",
    413: "请求体过大",
    422: "提交的数据有误（errors 中逐字段说明）",
}


def error_statuses(operation) -> list[int]:
    """The error statuses ``operation`` can answer, as far as its declaration shows.

    - 401 and 403: it requires authentication (403: ``authorize`` refuses, a role may not read that
      register, or a session-authenticated write fails its CSRF check);
    - 404: it names an object in its path (out-of-scope objects answer 404 too);
    - 409: it is an authenticated write on an object or with a body (the transition table refuses the
      move, the version is stale, the object's state does not allow it);
    - 422: it takes any input (pydantic, or the service's validation);
    - 400 and 413: it takes a request body (unparseable; larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``).

    An operation that can answer more (``GET /lookback`` answers 404 for the site named in its query)
    declares it in its ``response=``; the declared and these are documented together.
    """
    sources = {getattr(model, "__ninja_param_source__", None) for model in operation.models}
    body = bool(sources & {"body", "form", "file"})
    statuses = []
    if body:
        statuses.append(400)
    if operation.auth_callbacks:
        statuses += [401, 403]
    if "path" in sources:
        statuses.append(404)
    if operation.auth_callbacks and set(operation.methods) - SAFE_METHODS and ("path" in sources or body):
        statuses.append(409)
    if body:
        statuses.append(413)
    if sources:
        statuses.append(422)
    return statuses


class AnquanOpenAPISchema(OpenAPISchema):
    """ninja's OpenAPI document plus the error answers, recording schema-name clashes."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        #: component name → every differing definition written under it (empty when the spec is true)
        self.clashes: dict[str, list[dict]] = {}
        super().__init__(api, path_prefix)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                self.clashes.setdefault(name, [known]).append(definition)
        super().add_schema_definitions(definitions)

    def responses(self, operation) -> dict[int, Any]:
        """The declared answers, plus ``error_statuses`` not declared already."""
        result = super().responses(operation)
        statuses = [status for status in error_statuses(operation) if status not in result]
        if statuses:
            ref = self._error_ref()
            for status in statuses:
                result[status] = {
                    "description": ERROR_DESCRIPTIONS.get(status, reason_phrases.get(status, "")),
                    "content": {self.api.renderer.media_type: {"schema": ref}},
                }
        return dict(sorted(result.items(), key=lambda item: str(item[0])))

    def _error_ref(self) -> dict:
        name = ErrorOut.__name__
        self.add_schema_definitions({name: ErrorOut.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization")})
        return {"$ref": REF_TEMPLATE.format(model=name)}


class AnquanAPI(NinjaAPI):
    """The project's NinjaAPI: its OpenAPI document is ``AnquanOpenAPISchema``."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict | None = None) -> AnquanOpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return AnquanOpenAPISchema(self, path_prefix)
