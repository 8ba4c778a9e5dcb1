"""Helpers every service uses: find an object in scope, find the assignment that permits an action,
and apply a change against the version the user saw."""
from __future__ import annotations

from django.db.models import F

from .errors import Conflict, Forbidden, NotFound


def safe_id(value) -> int | None:
    """``value`` as a primary key, or None when it cannot be one (text, ≤ 0, beyond 64 bits)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**63 else None


def get_visible(queryset, user, pk):
    """The object if ``user`` may see it; NotFound (404) otherwise, exactly as if it did not exist."""
    pk = safe_id(pk)
    if pk is None:
        raise NotFound()
    obj = queryset.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def authorize(user, obj, action: str):
    """The single assignment that permits ``action`` on ``obj`` (404 when invisible, 403 when only visible)."""
    manager = type(obj).objects
    assignment = manager.authorizing_assignment(user, action, obj.pk)
    if assignment is None:
        if not manager.visible_to(user).filter(pk=obj.pk).exists():
            raise NotFound()
        raise Forbidden()
    return assignment


def authorize_in(user, queryset, action: str, pk):
    """The assignment permitting ``action`` within the scope object ``pk`` of ``queryset`` (e.g. creating in a grid)."""
    assignment = queryset.authorizing_assignment(user, action, pk)
    if assignment is None:
        raise Forbidden()
    return assignment


def bump_version(obj, expected_version) -> None:
    """Compare-and-set the version (also locks the row until commit); Conflict (409) if someone saved first."""
    try:
        expected_version = int(expected_version)
    except (TypeError, ValueError):
        raise Conflict("缺少或无效的版本号，请刷新后重试") from None
    if not 0 <= expected_version < 2**31:
        raise Conflict("缺少或无效的版本号，请刷新后重试")
    updated = type(obj).objects.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
    if updated != 1:
        raise Conflict()
    obj.version = expected_version + 1
