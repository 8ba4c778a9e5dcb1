"""The in-app inbox (消息提醒): the signed-in user's own notifications, newest first, and marking them read.

Thin: reads are the user's own rows (a notification belongs to exactly one person, so the
owner filter is its scope); the only write, the read mark, is ``services.mark_read``.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from anquan.core.services import safe_id
from anquan.core.views import login_required, paginate, query_without

from .models import Notification, NotificationKind
from .services import mark_read


@require_GET
@login_required
def inbox(request):
    rows = Notification.objects.filter(user=request.user)
    show = request.GET.get("show", "unread")
    if show != "all":
        rows = rows.filter(read_at__isnull=True)
    kind = request.GET.get("kind", "")
    if kind in NotificationKind.values:
        rows = rows.filter(kind=kind)
    return render(request, "notifications/list.html", {
        "page": paginate(request, rows.order_by("-created_at", "-id")),
        "query": query_without(request),
        "show": show,
        "kind": kind,
        "kinds": NotificationKind.choices,
        "unread_total": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
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
