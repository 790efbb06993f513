"""``{% form_token %}``: the one-use token of a create form (``common.submissions``)."""

from django import template
from django.utils.html import format_html

from coachloop.common.submissions import FIELD, FORMAT, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """A hidden field with a new token; a form shown again with its errors keeps the token it
    was sent with (it saved nothing, so the token is still unused)."""
    request = context.get("request")
    sent = request.POST.get(FIELD, "") if request is not None else ""
    token = sent if FORMAT.fullmatch(sent) else new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
