"""The audit trail for auditors (审计管理员): filterable list of events and chain verification.

Only assignments permitting ``audit.view`` see the list (403 otherwise); running the
verification needs ``audit.verify``. Nothing here writes: the trail cannot be edited.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from anquan.accounts.roles import RoleCode
from anquan.accounts.scope import active_assignments
from anquan.core.views import login_required, paginate, query_without
from anquan.orgs.models import OrgUnit

from .display import action_label, describe_changes, model_label
from .models import AuditChain, AuditEvent
from .verify import verify_all

PER_PAGE = 50


def _permits(user, action: str) -> bool:
    return any(a.permits(action) for a in active_assignments(user))


def _chain_labels(user) -> dict[str, str]:
    keys = list(AuditChain.objects.order_by("key").values_list("key", flat=True))
    ids = [int(k.split(":", 1)[1]) for k in keys if k.startswith("district:") and k.split(":", 1)[1].isdigit()]
    names = dict(OrgUnit.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "name"))
    labels = {}
    for key in keys:
        if key == "system":
            labels[key] = "系统链（无属地的对象）"
        elif key.startswith("district:"):
            pk = key.split(":", 1)[1]
            labels[key] = f"{names.get(int(pk), '区县#' + pk) if pk.isdigit() else key}"
        else:
            labels[key] = key
    return labels


def _date(value: str | None):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _events(params):
    qs = AuditEvent.objects.select_related("chain", "actor")
    if params.get("chain"):
        qs = qs.filter(chain__key=params["chain"])
    tz = timezone.get_current_timezone()
    start, end = _date(params.get("date_from")), _date(params.get("date_to"))
    if start:
        qs = qs.filter(at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))
    if params.get("model"):
        qs = qs.filter(model_key=params["model"])
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    actor = (params.get("actor") or "").strip()
    if actor:
        from django.db.models import Q

        qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    if params.get("object_id", "").isdigit():
        qs = qs.filter(object_id=int(params["object_id"]))
    return qs.order_by("-at", "-id")


def _render(request, verification=None, status=200):
    user = request.user
    chains = _chain_labels(user)
    page = paginate(request, _events(request.GET), PER_PAGE)
    roles = dict(RoleCode.choices)
    rows = [
        {
            "event": e,
            "chain": chains.get(e.chain.key, e.chain.key),
            "model": model_label(e.model_key),
            "action": action_label(e.action),
            "role": roles.get(e.acting_role, e.acting_role),
            "changes": describe_changes(e),
        }
        for e in page
    ]
    models = sorted(AuditEvent.objects.order_by().values_list("model_key", flat=True).distinct())
    return render(request, "audit/list.html", {
        "nav_active": "audit",
        "page": page,
        "rows": rows,
        "query": query_without(request),
        "params": request.GET,
        "chains": chains,
        "models": [(m, model_label(m)) for m in models],
        "can_verify": _permits(user, "audit.verify"),
        "verification": verification,
    }, status=status)


@require_GET
@login_required
def event_list(request):
    if not _permits(request.user, "audit.view"):
        raise PermissionDenied("只有审计管理员可以查看审计日志")
    return _render(request)


@require_POST
@login_required
def verify(request):
    """Check every chain (hashes, sequence, head, daily anchors) and show the first problem of each."""
    if not _permits(request.user, "audit.verify"):
        raise PermissionDenied("只有审计管理员可以校验审计链")
    started = timezone.now()
    problems = verify_all()
    verification = {
        "ok": not problems,
        "problems": [str(p) for p in problems],
        "chains": AuditChain.objects.count(),
        "events": AuditEvent.objects.count(),
        "at": started,
        "seconds": (timezone.now() - started).total_seconds(),
    }
    return _render(request, verification)
