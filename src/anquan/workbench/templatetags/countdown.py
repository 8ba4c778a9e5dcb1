"""``{{ n|countdown }}``: days left on a deadline in words, coloured by how near it is (registers, workbench)."""
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def countdown(days_left):
    """还剩N天 / 今天到期 / 明天到期 / 已超期N天 as a badge; nothing when there is no running clock."""
    if days_left is None or days_left == "":
        return ""
    n = int(days_left)
    if n < 0:
        return format_html('<span class="badge text-bg-danger">已超期{}天</span>', -n)
    if n == 0:
        return mark_safe('<span class="badge text-bg-danger">今天到期</span>')
    if n == 1:
        return mark_safe('<span class="badge text-bg-warning">明天到期</span>')
    style = "text-bg-warning" if n <= 3 else "text-bg-light border"
    return format_html('<span class="badge {}">还剩{}天</span>', style, n)


@register.filter
def countdown_to(day, today):
    """``{{ deadline|countdown_to:today }}``: the countdown of a date seen from ``today``."""
    if not day or not today:
        return ""
    return countdown((day - today).days)
