"""``{% documents_box about as box %}``: the documents of an object and the generate-buttons for the user."""
from django import template

from ..actions import buttons_for
from ..selectors import documents_about

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_box(context, about):
    request = context.get("request")
    user = getattr(request, "user", None)
    if about is None or user is None or not user.is_authenticated:
        return {"documents": [], "buttons": []}
    return {"documents": list(documents_about(user, about)[:50]), "buttons": buttons_for(user, about)}
