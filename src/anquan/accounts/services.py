"""Signing in (with throttling) and API tokens."""
from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import ApiToken, LoginFailure

GENERIC_FAILURE = "用户名或密码错误"
LOCKED = f"登录失败次数过多，该账号在此地址已被暂时锁定，请{settings.LOGIN_LOCK_MINUTES}分钟后再试或联系系统管理员解除锁定"
ADDRESS_LOCKED = (f"此网络地址登录失败次数过多，已被暂时锁定，请{settings.LOGIN_LOCK_MINUTES}分钟后再试"
                  "或联系系统管理员解除锁定")
#: ``ApiToken.last_used_at`` is precise to this interval (one write a minute per token at most).
TOKEN_TOUCH_INTERVAL = datetime.timedelta(seconds=60)
#: First key of the PostgreSQL advisory lock that serialises sign-in attempts per address (second: the address's hash).
_SIGN_IN_LOCK = 0x616E71  # "anq"


class SignInRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def client_address(request) -> str:
    """The peer address (a deployment behind nginx sets REMOTE_ADDR via the proxy config, never from a header here)."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def _recent(**filters):
    return LoginFailure.objects.filter(at__gte=_window_start(), **filters)


def is_locked(username: str, address: str) -> bool:
    return _lock_message(username.strip().lower(), address) is not None


def _lock_message(key: str, address: str) -> str | None:
    if _recent(username=key, address=address).count() >= settings.LOGIN_MAX_FAILURES:
        return LOCKED
    if _recent(address=address).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
        return ADDRESS_LOCKED
    return None


def _lock_address(address: str) -> None:
    """Serialise sign-in attempts from one address to the end of the current transaction.

    PostgreSQL: a transaction-level advisory lock keyed by the address (no row to create first, so no
    insert race; a hash collision only makes two addresses wait for each other). SQLite: the settings
    open every transaction IMMEDIATE, which takes the database's write lock at BEGIN — already serial.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_SIGN_IN_LOCK, address])


def _reserve_attempt(key: str, address: str) -> LoginFailure:
    """Count, then record the attempt as a failure *before* the password is checked, under the address's lock.

    Check-then-record let 20 parallel wrong passwords through 20 password checks: each counted before any
    had recorded. Here counting and recording are one step per address, so at most LOGIN_MAX_FAILURES
    checks run for a pair (and LOGIN_MAX_FAILURES_PER_ADDRESS for an address), however many arrive at once;
    a correct password deletes the reservation afterwards. The slow hash runs outside the lock.
    """
    with transaction.atomic():
        _lock_address(address)
        message = _lock_message(key, address)
        if message:
            raise SignInRefused(message)
        return LoginFailure.objects.create(username=key, address=address)


def sign_in(request, username: str, password: str):
    """The authenticated user, or SignInRefused with the same words for unknown users and wrong passwords.

    After LOGIN_MAX_FAILURES failures for one (username, address), or LOGIN_MAX_FAILURES_PER_ADDRESS
    from one address across all usernames, within LOGIN_LOCK_MINUTES, the pair (or the address) is
    refused without checking the password until the window has passed or the 系统管理员 unlocks it.
    """
    username = (username or "").strip()
    key = username.lower()
    address = client_address(request)
    _reserve_attempt(key, address)
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        raise SignInRefused(_lock_message(key, address) or GENERIC_FAILURE)
    LoginFailure.objects.filter(username=key, address=address).delete()
    return user


def sign_in_locks() -> dict:
    """What is locked now: pairs over the per-account limit and addresses over the per-address limit."""
    pairs = (_recent().values("username", "address").annotate(failures=Count("id"), last=Max("at"))
             .filter(failures__gte=settings.LOGIN_MAX_FAILURES).order_by("-last", "username"))
    addresses = (_recent().values("address").annotate(failures=Count("id"), last=Max("at"),
                                                      usernames=Count("username", distinct=True))
                 .filter(failures__gte=settings.LOGIN_MAX_FAILURES_PER_ADDRESS).order_by("-last", "address"))
    return {"pairs": list(pairs), "addresses": list(addresses)}


@transaction.atomic
def sign_in_unlock(*, actor, address: str, username: str = "", reason: str) -> int:
    """解除锁定: forget the recorded failures of one (username, address), or of an address if no username.

    The failures are throttling state, not the record: the audit event (system chain) keeps who unlocked
    what, how many failures there were, and why. Answers how many failures were cleared.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    from anquan.core.errors import Invalid

    admin = _admin(actor)
    reason = _require_reason(reason, "解除锁定必须填写原因（如：本人来电，已核实身份）")
    address = (address or "").strip()
    try:
        validate_ipv46_address(address)
    except ValidationError:
        raise Invalid({"address": ["网络地址格式不正确"]}) from None
    key = (username or "").strip().lower()
    _lock_address(address)
    failures = LoginFailure.objects.filter(address=address, **({"username": key} if key else {}))
    latest = failures.order_by("-at", "-id").first()
    if latest is None:
        raise Invalid({"__all__": ["该账号或地址当前没有登录失败记录，无需解除"]})
    count = failures.count()
    target = {"username": key, "address": address} if key else {"address": address}
    _record(actor, admin, latest, "accounts.sign_in_unlock", before={**target, "failures": count},
            after={**target, "failures": 0}, reason=reason)
    failures.delete()
    return count


@transaction.atomic
def token_grant(user, label: str = "") -> tuple[str, datetime.datetime]:
    """A new random 256-bit token and when it expires; only its SHA-256 is kept, so the raw value is shown once.

    Tokens expire (API_TOKEN_LIFETIME_HOURS): a token copied into a script or left on a lost phone stops
    working by itself, as a page session does.
    """
    raw = secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw), label=label[:100], expires_at=expires_at)
    return raw, expires_at


def token_issue(user, label: str = "") -> str:
    return token_grant(user, label)[0]


def token_user(raw: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True,
                expires_at__gt=timezone.now())
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


def _admin(actor):
    """The actor's assignment permitting ``accounts.manage`` (系统管理员), or 403."""
    from anquan.core.errors import Forbidden

    from .scope import active_assignments

    admin = next((a for a in active_assignments(actor) if a.permits("accounts.manage")), None)
    if admin is None:
        raise Forbidden("只有系统管理员可以管理账号、人员和任职")
    return admin


def _record(actor, admin, obj, action, before=None, after=None, reason=""):
    """Accounts have no territory of their own: their events go to the system chain.

    An optional reason is checked here (control characters, length): a refusal rolls the change back.
    """
    from anquan.audit.services import record

    return record(actor=actor, assignment=admin, obj=obj, action=action, before=before, after=after,
                  reason=_optional_reason(reason), chain_key="system")


def _require_reason(reason: str, message: str, max_length: int = 500) -> str:
    from anquan.core.text import clean_text

    return clean_text(reason, field="reason", label="原因", max_length=max_length, required=True, required_message=message)


def _optional_reason(reason: str) -> str:
    from anquan.core.text import clean_text

    return clean_text(reason, field="reason", label="事由", max_length=500)


def _valid(form_class, data, **kwargs):
    from anquan.core.errors import Invalid

    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise Invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data


@transaction.atomic
def assignment_start(*, actor, user, role: str, unit=None, department=None, enterprise=None, valid_from=None,
                     valid_to=None, reason: str = ""):
    """Give ``user`` a role for a period (system administrators only); the assignment is audited and never deleted.

    ``valid_to`` empty: until ended. A period already over is refused (it would grant nothing and read as a mistake).
    """
    from anquan.audit.services import snapshot
    from anquan.core.errors import Invalid

    from .models import RoleAssignment
    from .roles import ROLES
    from .scope import forget_assignments

    admin = _admin(actor)
    spec = ROLES.get(role)
    if spec is None:
        raise Invalid({"role": ["未知的角色"]})
    anchors = {"unit": unit, "department": department, "enterprise": enterprise}
    if spec.anchor and anchors[spec.anchor] is None:
        raise Invalid({spec.anchor: ["该角色必须指定所在单位"]})
    # Only the anchor the role needs is kept: a stray unit on a department role would read as its scope.
    unit, department, enterprise = (anchors[k] if spec.anchor == k else None for k in ("unit", "department", "enterprise"))
    valid_from = valid_from or timezone.now()
    if valid_to is not None and valid_to <= valid_from:
        raise Invalid({"valid_to": ["终止时间必须晚于生效时间"]})
    if valid_to is not None and valid_to <= timezone.now():
        raise Invalid({"valid_to": ["终止时间已过：该任职不会生效"]})
    assignment = RoleAssignment.objects.create(
        user=user, role=role, unit=unit, department=department, enterprise=enterprise,
        valid_from=valid_from, valid_to=valid_to,
    )
    forget_assignments(user)
    _record(actor, admin, assignment, "start", after=snapshot(assignment), reason=reason)
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment, reason: str, at=None):
    """End a role assignment (离任/调岗): it stays on record for look-back (倒查)."""
    from anquan.core.errors import Invalid

    from .scope import forget_assignments

    admin = _admin(actor)
    reason = _require_reason(reason, "终止任职必须填写原因", max_length=200)  # the column holds 200
    if assignment.valid_to is not None and assignment.valid_to <= timezone.now():
        raise Invalid({"__all__": ["该任职已终止"]})
    before = {"valid_to": assignment.valid_to.isoformat() if assignment.valid_to else None, "end_reason": assignment.end_reason}
    assignment.valid_to, assignment.end_reason = at or timezone.now(), reason
    assignment.save(update_fields=["valid_to", "end_reason"])
    forget_assignments(assignment.user)
    _record(actor, admin, assignment, "end", before=before,
            after={"valid_to": assignment.valid_to.isoformat(), "end_reason": assignment.end_reason}, reason=reason)
    return assignment


# ------------------------------------------------------------------ accounts and people (系统管理员)

#: Letters of a temporary password: no 0/O, 1/l/I, so it can be read out over the telephone.
TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMP_LENGTH = 12


def temporary_password() -> str:
    return "".join(secrets.choice(TEMP_ALPHABET) for _ in range(TEMP_LENGTH))


def _account_state(user) -> dict:
    return {"username": user.username, "is_active": user.is_active, "person": user.person_id}


@transaction.atomic
def person_create(*, actor, data: dict, reason: str = ""):
    """A natural person (who may never have an account: a 企业负责人, an expert)."""
    from anquan.audit.services import snapshot

    from .forms import PersonForm
    from .models import Person

    admin = _admin(actor)
    clean = _valid(PersonForm, data)
    person = Person.objects.create(**clean)
    _record(actor, admin, person, "accounts.person_create", after=snapshot(person), reason=reason)
    return person


@transaction.atomic
def person_update(*, actor, person, data: dict, version, reason: str = ""):
    from anquan.audit.services import snapshot
    from anquan.core.services import bump_version

    from .forms import PersonForm

    admin = _admin(actor)
    clean = _valid(PersonForm, data)
    before = snapshot(person)
    bump_version(person, version)
    for name, value in clean.items():
        setattr(person, name, value)
    person.save()
    _record(actor, admin, person, "accounts.person_update", before=before, after=snapshot(person), reason=reason)
    return person


@transaction.atomic
def user_create(*, actor, data: dict, reason: str = ""):
    """An account for a person (an existing one, or a new one from the name typed); returns (user, temporary password).

    The temporary password is shown once to the administrator and must be changed at the first sign-in;
    only its hash is stored.
    """
    from .forms import UserCreateForm
    from .models import Person, User

    admin = _admin(actor)
    clean = _valid(UserCreateForm, data)
    person = clean.get("person")
    if person is None:
        person = Person.objects.create(name=clean["name"], post=clean.get("post", ""), phone=clean.get("phone", ""))
        _record(actor, admin, person, "accounts.person_create", after={"name": person.name, "post": person.post,
                                                                      "phone": person.phone}, reason=reason)
    password = temporary_password()
    user = User.objects.create_user(clean["username"], password=password, person=person, must_change_password=True)
    _record(actor, admin, user, "accounts.user_create", after=_account_state(user), reason=reason)
    return user, password


@transaction.atomic
def user_deactivate(*, actor, user, reason: str):
    """停用: the account can no longer sign in or use its tokens; its assignments and history stay."""
    from anquan.core.errors import Invalid

    from .models import User

    admin = _admin(actor)
    reason = _require_reason(reason, "停用账号必须填写原因（如：离职、调出）")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise Invalid({"__all__": ["不能停用自己的账号"]})
    if not user.is_active:
        raise Invalid({"__all__": ["该账号已停用"]})
    before = _account_state(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record(actor, admin, user, "accounts.user_deactivate", before=before, after=_account_state(user), reason=reason)
    return user


@transaction.atomic
def user_activate(*, actor, user, reason: str):
    from anquan.core.errors import Invalid

    from .models import User

    admin = _admin(actor)
    reason = _require_reason(reason, "重新启用账号必须填写原因")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise Invalid({"__all__": ["该账号已是启用状态"]})
    before = _account_state(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(actor, admin, user, "accounts.user_activate", before=before, after=_account_state(user), reason=reason)
    return user


@transaction.atomic
def password_reset(*, actor, user, reason: str) -> str:
    """A new temporary password (shown once), to be changed at the next sign-in; the old one stops working."""
    from .models import User

    admin = _admin(actor)
    reason = _require_reason(reason, "重置密码必须填写原因（如：本人电话申请，已核实身份）")
    user = User.objects.select_for_update().get(pk=user.pk)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # The password itself never enters the audit trail: only that it was reset.
    _record(actor, admin, user, "accounts.password_reset", after={"password": "已重置为临时密码"}, reason=reason)
    return password


@transaction.atomic
def password_change(*, user, old_password: str, new_password: str):
    """The user's own new password (after a temporary one, or at will); Django's validators apply."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from anquan.core.errors import Invalid

    if not user.check_password(old_password or ""):
        raise Invalid({"old_password": ["原密码不正确"]})
    if (new_password or "") == (old_password or ""):
        raise Invalid({"new_password": ["新密码不能与原密码相同"]})
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        raise Invalid({"new_password": list(exc.messages)}) from None
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _record(user, None, user, "accounts.password_change", after={"password": "本人已修改密码"})
    return user
