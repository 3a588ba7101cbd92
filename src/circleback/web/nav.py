"""The main navigation. Each area adds its entry here (one line) instead of editing templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    shortcut: str = ""  # a single key, announced to screen readers via aria-keyshortcuts


NAV_ITEMS: list[NavItem] = [
    NavItem("People", "home"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the nav entries with their URLs and which one is current."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = []
    for item in NAV_ITEMS:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append(
            {"label": item.label, "url": url, "current": current, "shortcut": item.shortcut}
        )
    return {"nav_items": items}
