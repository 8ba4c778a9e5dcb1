"""The in-app inbox (消息提醒): the signed-in user's own notifications, newest first, marking them read,
and the person's digest hour.

Thin: reads are the user's own rows (a notification belongs to exactly one person, so the
owner filter is its scope); the writes are ``services.mark_read`` and ``services.preference_set``.
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from anquan.core.errors import Conflict, Invalid
from anquan.core.services import safe_id
from anquan.core.views import login_required, paginate, query_without

from . import kinds
from .models import Notification
from .services import mark_read, preference_of, preference_set

HOURS = [(str(h), f"{h:02d}:00") for h in range(24)]


@require_GET
@login_required
def inbox(request):
    rows = Notification.objects.filter(user=request.user)
    show = request.GET.get("show", "unread")
    if show != "all":
        rows = rows.filter(read_at__isnull=True)
    kind = request.GET.get("kind", "")
    if kinds.get(kind) is not None:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    preference = preference_of(request.user)
    return render(request, "notifications/list.html", {
        "page": paginate(request, rows.order_by("-created_at", "-id")),
        "query": query_without(request),
        "show": show,
        "kind": kind,
        "kinds": kinds.choices(),
        "unread_total": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
        "preference": preference,
        "hours": HOURS,
        "has_email": bool(request.user.email),
    })


@require_POST
@login_required
def open_notification(request, pk: int):
    """Mark one notification read and go to what it is about (only paths inside this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(request.user, [notification.pk])
    url = notification.url
    if not url.startswith("/") or url.startswith("//"):
        url = "/notifications/"
    return redirect(url)


@require_POST
@login_required
def read(request):
    """Mark the chosen notifications (``ids``) or, without ids, all unread ones as read.

    Ids that cannot be ids are dropped; a request that named only such ids marks nothing (not everything).
    """
    given = request.POST.getlist("ids")
    ids = [pk for pk in map(safe_id, given) if pk is not None]
    mark_read(request.user, ids if given else None)
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/notifications/") else "/notifications/")


@require_POST
@login_required
def preference(request):
    """Choose the hour of one's own daily digest (or none); audited by the service."""
    try:
        pref = preference_set(actor=request.user, digest_hour=request.POST.get("digest_hour", ""),
                              version=request.POST.get("version", ""))
    except (Invalid, Conflict) as exc:
        messages.error(request, "；".join(m for msgs in exc.errors.values() for m in msgs) or exc.message)
        return redirect("/notifications/?show=all#digest")
    when = "不接收每日摘要" if pref.digest_hour is None else f"每天{pref.digest_hour:02d}:00发送摘要"
    messages.success(request, f"已保存：{when}")
    return redirect("/notifications/?show=all#digest")
