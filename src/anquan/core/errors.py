"""Domain errors raised by services; pages and the API map them to responses.

One error per outcome, so every entry point answers the same way:
NotFound → 404 (also for out-of-scope objects), Forbidden → 403 (visible but the
action is not permitted), Invalid → 422 with field messages in Chinese,
Conflict → 409 (stale version).
"""
from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str = "", errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "对象不存在或无权访问"):
        super().__init__(message)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限"):
        super().__init__(message)


class Invalid(DomainError):
    status = 422

    def __init__(self, errors: dict[str, list[str]] | str, message: str = "提交的数据有误，请检查后重试"):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        super().__init__(message, errors)


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重试（版本冲突）"):
        super().__init__(message)
