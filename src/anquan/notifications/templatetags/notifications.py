"""``{% unread_notifications as n %}``: the signed-in user's unread count for the navbar bell (one COUNT query)."""
from django import template

from anquan.notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
