"""{% once_field %}: the hidden one-time token of a form that creates something."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from circleback.once.services import FIELD, clean_token, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context: dict[str, Any]) -> SafeString:
    """A form shown again after an error keeps its token (nothing was made with it yet)."""
    request = context.get("request")
    posted = clean_token(request.POST.get(FIELD)) if request is not None else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, posted or new_token())
