"""Small helpers of the supervision templates: field errors by name, answer labels, status badges."""
from django import template
from django.utils.html import format_html

from ..questions import ANSWERS

register = template.Library()

STATUS_CLASSES = {"pending": "text-bg-warning", "reported": "text-bg-info", "confirmed": "text-bg-success"}


@register.filter
def errs(errors, key):
    """The messages for ``key`` (``"__all__"`` works too) of a service's Invalid errors."""
    if not errors:
        return []
    return errors.get(key, [])


@register.filter
def answer_label(value):
    return ANSWERS.get(value or "", "未答")


@register.simple_tag
def finding_badges(finding):
    html = format_html('<span class="badge {}">{}</span>', STATUS_CLASSES.get(finding.status, "text-bg-secondary"),
                       finding.get_status_display())
    if getattr(finding, "overdue", False):
        html += format_html(" {}", format_html('<span class="badge text-bg-danger">{}</span>', "已逾期"))
    return html


@register.filter
def value_in(value, values):
    """Whether ``value`` (an id) is among ``values`` (strings or ids), for checked/selected states."""
    return str(value) in {str(v) for v in (values or [])}
