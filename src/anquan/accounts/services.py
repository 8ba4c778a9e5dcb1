"""Signing in (with throttling) and API tokens."""
from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, LoginFailure

GENERIC_FAILURE = "用户名或密码错误"
LOCKED = "登录失败次数过多，该账号在此地址已被暂时锁定，请30分钟后再试"
#: ``ApiToken.last_used_at`` is precise to this interval (one write a minute per token at most).
TOKEN_TOUCH_INTERVAL = datetime.timedelta(seconds=60)


class SignInRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def client_address(request) -> str:
    """The peer address (a deployment behind nginx sets REMOTE_ADDR via the proxy config, never from a header here)."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def is_locked(username: str, address: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.lower(), address=address, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_MAX_FAILURES


def sign_in(request, username: str, password: str):
    """The authenticated user, or SignInRefused with the same words for unknown users and wrong passwords.

    After LOGIN_MAX_FAILURES failures for one (username, address) within LOGIN_LOCK_MINUTES,
    the pair is refused without checking the password until the window has passed.
    """
    username = (username or "").strip()
    address = client_address(request)
    if is_locked(username, address):
        raise SignInRefused(LOCKED)
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        LoginFailure.objects.create(username=username.lower(), address=address)
        if is_locked(username, address):
            raise SignInRefused(LOCKED)
        raise SignInRefused(GENERIC_FAILURE)
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()
    return user


@transaction.atomic
def token_issue(user, label: str = "") -> str:
    """A new random 256-bit token; only its SHA-256 is kept, so the raw value is shown once."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw), label=label[:100])
    return raw


def token_user(raw: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOKEN_TOUCH_INTERVAL:
        # At most one write a minute per token, not one per request: a list read should not write.
        # The condition is repeated in the UPDATE so that concurrent requests write it once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_TOUCH_INTERVAL)).update(last_used_at=now)
    token.user._api_token_id = token.pk
    return token.user


def token_revoke(raw: str) -> bool:
    return bool(ApiToken.objects.filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True).update(revoked_at=timezone.now()))


# ------------------------------------------------------------------ role assignments


@transaction.atomic
def assignment_start(*, actor, user, role: str, unit=None, department=None, enterprise=None, valid_from=None, reason: str = ""):
    """Give ``user`` a role (system administrators only); the assignment is audited and never deleted."""
    from anquan.audit.services import record, snapshot
    from anquan.core.errors import Forbidden, Invalid

    from .models import RoleAssignment
    from .roles import ROLES
    from .scope import active_assignments, forget_assignments

    admin = next((a for a in active_assignments(actor) if a.permits("accounts.manage")), None)
    if admin is None:
        raise Forbidden()
    spec = ROLES.get(role)
    if spec is None:
        raise Invalid({"role": ["未知的角色"]})
    anchors = {"unit": unit, "department": department, "enterprise": enterprise}
    if spec.anchor and anchors[spec.anchor] is None:
        raise Invalid({spec.anchor: ["该角色必须指定所在单位"]})
    assignment = RoleAssignment.objects.create(
        user=user, role=role, unit=unit, department=department, enterprise=enterprise,
        valid_from=valid_from or timezone.now(),
    )
    forget_assignments(user)
    record(actor=actor, assignment=admin, obj=assignment, action="start", after=snapshot(assignment), reason=reason,
           chain_key="system")
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment, reason: str, at=None):
    """End a role assignment (离任/调岗): it stays on record for look-back (倒查)."""
    from anquan.audit.services import record
    from anquan.core.errors import Forbidden, Invalid

    from .scope import active_assignments, forget_assignments

    admin = next((a for a in active_assignments(actor) if a.permits("accounts.manage")), None)
    if admin is None:
        raise Forbidden()
    if not (reason or "").strip():
        raise Invalid({"reason": ["终止任职必须填写原因"]})
    if assignment.valid_to is not None and assignment.valid_to <= timezone.now():
        raise Invalid({"__all__": ["该任职已终止"]})
    assignment.valid_to, assignment.end_reason = at or timezone.now(), reason.strip()
    assignment.save(update_fields=["valid_to", "end_reason"])
    forget_assignments(assignment.user)
    record(actor=actor, assignment=admin, obj=assignment, action="end", after={"valid_to": assignment.valid_to.isoformat()},
           reason=reason, chain_key="system")
    return assignment
