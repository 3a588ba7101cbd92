"""{% api_tokens_section %}: the settings page's API tokens card."""

from __future__ import annotations

from typing import Any

from django import template

from circleback.api.queries import tokens_list
from circleback.api.views import NEW_TOKEN_KEY

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens_section(context: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "tokens": list(tokens_list(owner=request.user)),
        # Shown once: taken out of the session as it is shown.
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
        "csrf_token": context.get("csrf_token"),
    }
