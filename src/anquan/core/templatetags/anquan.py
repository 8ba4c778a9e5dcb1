"""Template helpers shared by all pages: risk-colour badges, expiry states, query strings."""
from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

RISK_SHORT = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
RISK_LEVEL = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}


@register.simple_tag
def risk_badge(colour: str, long: bool = False):
    """A coloured badge for a risk colour (四色): 红/橙/黄/蓝, with the level in words when ``long``."""
    if colour not in RISK_SHORT:
        return ""
    text = f"{RISK_SHORT[colour]}（{RISK_LEVEL[colour]}）" if long else RISK_SHORT[colour]
    return format_html('<span class="risk risk-{}" title="{}">{}</span>', colour, RISK_LEVEL[colour], text)


@register.filter
def expiry_state(day, warning_days: int = 90) -> str:
    """``expired`` / ``expiring`` (within ``warning_days``) / ``""`` for a date, as of today."""
    if not isinstance(day, datetime.date):
        return ""
    today = timezone.localdate()
    if day < today:
        return "expired"
    if day <= today + datetime.timedelta(days=int(warning_days)):
        return "expiring"
    return ""


@register.filter
def expiry_label(day, warning_days: int = 90) -> str:
    state = expiry_state(day, warning_days)
    return {"expired": "已过期", "expiring": "即将到期"}.get(state, "")


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with ``kwargs`` replaced (empty values removed), for links."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return params.urlencode()
