"""系统管理 (/admin-console/): accounts, people and role assignments, for the 系统管理员 only.

三权分立: these pages configure who may do what; they show no business record (enterprises,
hazards …), and every business page stays closed to an account holding only system roles.
Every change goes through ``accounts.services`` (audited in the system chain). A form with an
error comes back with what was typed and the reason in Chinese.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anquan.audit.display import action_label
from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Invalid
from anquan.core.services import safe_id
from anquan.core.views import apply_errors, bootstrapify, login_required, paginate, post_data, query_without

from .. import services
from ..forms import AssignmentForm, PersonForm, ReasonForm, UserCreateForm
from ..models import Person, RoleAssignment, User
from ..roles import ROLES, RoleCode
from ..scope import active_assignments

DENIED = "系统管理页面仅向系统管理员开放。"
PER_PAGE = 50


def permits(user, action: str) -> bool:
    return any(a.permits(action) for a in active_assignments(user))


def require(user, action: str = "accounts.manage") -> None:
    if not permits(user, action):
        raise PermissionDenied(DENIED)


def _get(model, pk):
    obj = model.objects.filter(pk=safe_id(pk) or 0).first()
    if obj is None:
        raise Http404("对象不存在")
    return obj


def _history(obj, limit: int = 20):
    events = AuditEvent.objects.filter(model_key=obj._meta.model_name, object_id=obj.pk).order_by("-at", "-id")[:limit]
    return [{"event": e, "action": action_label(e.action)} for e in events]


@require_GET
@never_cache
@login_required
def index(request):
    user = request.user
    require(user)
    from anquan.orgs.models import Department, OrgUnit

    now = timezone.now()
    return render(request, "accounts/console/index.html", {
        "nav_active": "console",
        "counts": {
            "users": User.objects.filter(is_active=True).count(),
            "inactive": User.objects.filter(is_active=False).count(),
            "people": Person.objects.filter(voided_at__isnull=True).count(),
            "assignments": RoleAssignment.objects.active(now).count(),
            "units": OrgUnit.objects.filter(voided_at__isnull=True).count(),
            "departments": Department.objects.filter(voided_at__isnull=True).count(),
            "locks": sum(len(v) for v in services.sign_in_locks().values()),
        },
        "can_units": permits(user, "orgunit.update"),
        "can_rules": permits(user, "rules.manage"),
        "recent": [
            {"event": e, "action": action_label(e.action)}
            for e in AuditEvent.objects.filter(chain__key="system", actor=user).order_by("-at", "-id")[:10]
        ],
    })


# ---------------------------------------------------------------- accounts


@require_GET
@never_cache
@login_required
def user_list(request):
    require(request.user)
    q = (request.GET.get("q") or "").strip()
    users = User.objects.select_related("person").annotate(
        active_roles=Count("assignments", filter=Q(assignments__valid_from__lte=timezone.now()) & (
            Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gt=timezone.now())))
    ).order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(person__name__icontains=q) | Q(person__phone__icontains=q))
    state = request.GET.get("state")
    if state == "active":
        users = users.filter(is_active=True)
    elif state == "inactive":
        users = users.filter(is_active=False)
    return render(request, "accounts/console/users.html", {
        "nav_active": "console", "page": paginate(request, users, PER_PAGE), "q": q, "state": state,
        "query": query_without(request),
    })


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def user_new(request):
    require(request.user)
    person = None
    initial = {}
    if request.GET.get("person"):
        person = Person.objects.filter(pk=safe_id(request.GET["person"]) or 0, voided_at__isnull=True).first()
        if person is not None:
            initial = {"person": person.pk, "name": person.name, "post": person.post, "phone": person.phone}
    form = UserCreateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            user, password = services.user_create(actor=request.user, data=post_data(request),
                                                  reason=request.POST.get("reason", ""))
        except Invalid as exc:
            form = apply_errors(UserCreateForm(request.POST), exc.errors)
            person = form.cleaned_data.get("person") if hasattr(form, "cleaned_data") else person
        else:
            return render(request, "accounts/console/user_created.html", {
                "nav_active": "console", "account": user, "password": password,
            })
    return render(request, "accounts/console/user_new.html", {
        "nav_active": "console", "form": bootstrapify(form), "person": person,
    }, status=422 if request.method == "POST" else 200)


def _assignment_rows(account):
    now = timezone.now()
    rows = []
    for a in account.assignments.select_related("unit", "department__unit", "enterprise").order_by("-valid_from", "-id"):
        ended = a.valid_to is not None and a.valid_to <= now
        rows.append({"a": a, "ended": ended, "future": a.valid_from > now, "where": a.department or a.enterprise or a.unit or "全系统"})
    return rows


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def user_detail(request, pk):
    """One account: its state, its assignments (current, future, ended), and the administrator's actions on it.

    Each action posts ``do`` = assign | end | deactivate | activate | reset; a refused action re-renders
    the page with its form as typed.
    """
    require(request.user)
    account = _get(User, pk)
    assign_form = AssignmentForm(prefix="assign")
    reason_form = ReasonForm(prefix="state")
    end_errors: dict[int, str] = {}
    password = None
    do = request.POST.get("do") if request.method == "POST" else None
    try:
        if do == "assign":
            assign_form = AssignmentForm(request.POST, prefix="assign")
            if assign_form.is_valid():
                data = assign_form.cleaned_data
                a = services.assignment_start(
                    actor=request.user, user=account, role=data["role"], unit=data.get("unit"),
                    department=data.get("department"), enterprise=data.get("enterprise"),
                    valid_from=data.get("valid_from_at"), valid_to=data.get("valid_to_at"), reason=data.get("reason", ""))
                messages.success(request, f"已为 {account.display_name} 增加任职：{a.get_role_display()}")
                return redirect("console:user", pk=account.pk)
        elif do == "end":
            target = account.assignments.filter(pk=safe_id(request.POST.get("assignment")) or 0).first()
            if target is None:
                raise Http404("任职不存在")
            try:
                services.assignment_end(actor=request.user, assignment=target, reason=request.POST.get("reason", ""))
            except Invalid as exc:
                end_errors[target.pk] = "；".join(m for msgs in exc.errors.values() for m in msgs)
            else:
                messages.success(request, f"已终止任职：{target.get_role_display()}（记录保留，可倒查）")
                return redirect("console:user", pk=account.pk)
        elif do in ("deactivate", "activate"):
            reason_form = ReasonForm(request.POST, prefix="state")
            verb = services.user_deactivate if do == "deactivate" else services.user_activate
            verb(actor=request.user, user=account, reason=request.POST.get("state-reason", ""))
            messages.success(request, "账号已停用，不能再登录" if do == "deactivate" else "账号已重新启用")
            return redirect("console:user", pk=account.pk)
        elif do == "reset":
            reason_form = ReasonForm(request.POST, prefix="state")
            password = services.password_reset(actor=request.user, user=account,
                                               reason=request.POST.get("state-reason", ""))
            reason_form = ReasonForm(prefix="state")
        elif do is not None:
            raise Invalid({"__all__": ["未知的操作"]})
    except Invalid as exc:
        if do == "assign":
            assign_form = apply_errors(assign_form, exc.errors)
        else:
            reason_form = apply_errors(reason_form, {("reason" if k == "reason" else k): v for k, v in exc.errors.items()})
    except Conflict as exc:
        messages.error(request, exc.message)
    account.refresh_from_db()
    status = 200 if request.method == "GET" or password or not (assign_form.errors or reason_form.errors or end_errors) else 422
    return render(request, "accounts/console/user_detail.html", {
        "nav_active": "console",
        "account": account,
        "assignments": _assignment_rows(account),
        "assign_form": bootstrapify(assign_form),
        "reason_form": bootstrapify(reason_form),
        "end_errors": end_errors,
        "do": do,
        "password": password,
        "role_anchors": {code: ROLES[code].anchor for code in RoleCode.values},
        "history": _history(account),
    }, status=status)


# ---------------------------------------------------------------- sign-in locks


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def sign_in_locks(request):
    """Accounts (per address) and addresses locked by failed sign-ins, each with 解除锁定 (reason required).

    A POST names ``address`` and, for one account at that address, ``username``; a refused unlock
    re-renders the page with the reason in Chinese (422).
    """
    require(request.user)
    error, typed = "", {}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in ("username", "address", "reason")}
        try:
            if request.POST.get("do", "unlock") != "unlock":
                raise Invalid({"__all__": ["未知的操作"]})
            cleared = services.sign_in_unlock(actor=request.user, address=typed["address"],
                                              username=typed["username"], reason=typed["reason"])
        except Invalid as exc:
            error = "；".join(m for msgs in exc.errors.values() for m in msgs)
        else:
            who = f"账号 {typed['username']}（地址 {typed['address']}）" if typed["username"] else f"地址 {typed['address']}"
            messages.success(request, f"已解除{who}的登录锁定，清除失败记录 {cleared} 次")
            return redirect("console:sign_in_locks")
    from django.conf import settings

    return render(request, "accounts/console/sign_in_locks.html", {
        "nav_active": "console", "locks": services.sign_in_locks(), "error": error, "typed": typed,
        "max_failures": settings.LOGIN_MAX_FAILURES, "max_per_address": settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
        "lock_minutes": settings.LOGIN_LOCK_MINUTES,
    }, status=422 if error else 200)


# ---------------------------------------------------------------- people


@require_GET
@never_cache
@login_required
def person_list(request):
    require(request.user)
    q = (request.GET.get("q") or "").strip()
    people = Person.objects.filter(voided_at__isnull=True).annotate(n_accounts=Count("accounts")).order_by("name", "id")
    if q:
        people = people.filter(Q(name__icontains=q) | Q(phone__icontains=q) | Q(post__icontains=q)
                               | Q(enforcement_cert_no__icontains=q))
    return render(request, "accounts/console/people.html", {
        "nav_active": "console", "page": paginate(request, people, PER_PAGE), "q": q, "query": query_without(request),
    })


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def person_form(request, pk=None):
    require(request.user)
    person = _get(Person, pk) if pk is not None else None
    initial = {f: getattr(person, f) for f in PersonForm.base_fields} if person else None
    form = PersonForm(request.POST or None, initial=initial)
    conflict = ""
    if request.method == "POST":
        data = post_data(request)
        try:
            if person is None:
                person = services.person_create(actor=request.user, data=data, reason=data.get("reason", ""))
            else:
                services.person_update(actor=request.user, person=person, data=data, version=data.get("version"),
                                       reason=data.get("reason", ""))
        except Invalid as exc:
            form = apply_errors(PersonForm(request.POST), exc.errors)
        except Conflict as exc:
            conflict = exc.message
            form = bootstrapify(PersonForm(request.POST))
            person.refresh_from_db()
        else:
            messages.success(request, f"已保存人员“{person.name}”")
            return redirect("console:people")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/console/person_form.html", {
        "nav_active": "console", "form": bootstrapify(form), "person": person, "conflict": conflict,
        "history": _history(person) if person else [],
        "accounts": list(person.accounts.all()) if person else [],
    }, status=409 if conflict else status)
