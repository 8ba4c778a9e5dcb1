"""Users, the people behind them, role assignments with validity periods, grants and API tokens.

People are kept apart from accounts: the person responsible for a fix is often not
a user, and look-back (倒查) asks who held a post *at the time*, so role
assignments are never deleted, only ended.
"""
from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import BusinessRecord

from .roles import ROLES, RoleCode, ScopeKind


class Person(BusinessRecord):
    """A natural person (责任人、检查人员、企业负责人 …), whether or not they have an account."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    enforcement_cert_no = models.CharField(_("执法证号"), max_length=40, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在区划"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("所在部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("所在企业"))

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A sign-in account; what it may do comes only from its role assignments."""

    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("人员"))
    #: Set when an administrator gives a temporary password: the next sign-in leads to changing it.
    must_change_password = models.BooleanField(_("须修改临时密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else (self.get_full_name() or self.username)


class AssignmentQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at), valid_from__lte=at)


class RoleAssignment(models.Model):
    """A user holding a role in a unit, department or enterprise for a period (never deleted, only ended)."""

    user = models.ForeignKey(User, models.PROTECT, related_name="assignments", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=30, choices=RoleCode.choices)
    unit = models.ForeignKey("orgs.OrgUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在单位（区划）"))
    department = models.ForeignKey("orgs.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在企业"))
    valid_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    valid_to = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        indexes = [models.Index(fields=["user", "valid_from"])]

    def __str__(self):
        where = self.department or self.enterprise or self.unit or ""
        return f"{where} · {self.get_role_display()}"

    @property
    def spec(self):
        return ROLES[self.role]

    @property
    def scope_kind(self) -> str:
        return self.spec.scope_kind

    def permits(self, action: str) -> bool:
        return action in self.spec.actions

    @property
    def territory(self):
        """The territory this assignment's scope hangs from (a department's own level for a department)."""
        if self.scope_kind == ScopeKind.DEPARTMENT:
            return self.department.unit
        return self.unit


class GrantQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True)


class Grant(models.Model):
    """An explicit, time-bounded grant of one object to one assignment (expert invited, group assigned, inspector drawn)."""

    assignment = models.ForeignKey(RoleAssignment, models.PROTECT, related_name="grants", verbose_name=_("任职"))
    model_key = models.CharField(_("对象类型"), max_length=40)
    object_id = models.BigIntegerField(_("对象ID"))
    valid_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    valid_to = models.DateTimeField(_("终止时间"))
    reason = models.CharField(_("授权事由"), max_length=200)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("对象授权")
        verbose_name_plural = _("对象授权")
        indexes = [models.Index(fields=["assignment", "model_key", "object_id"])]

    def __str__(self):
        return f"{self.model_key}#{self.object_id} → {self.assignment}"


class ApiToken(models.Model):
    """An API bearer token: a random 256-bit value of which only the SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: Set at issue (settings.API_TOKEN_LIFETIME_HOURS); a token without it (issued before tokens expired) is refused.
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self):
        return f"{self.user} · {self.label or 'API'}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class LoginFailure(models.Model):
    """One failed sign-in; five for one (username, address) within the lock window lock that pair."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "address", "at"])]

    def __str__(self):
        return f"{self.username}@{self.address} {self.at:%Y-%m-%d %H:%M}"
