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
    NavItem("Home", "home"),
    NavItem("Today", "insights:today"),
    NavItem("People", "people"),
    NavItem("Organisations", "organisations"),
    NavItem("Journal", "journal"),
    NavItem("Event", "event_new"),
    NavItem("Meetings", "loops:meeting_list"),
    NavItem("Loops", "loops:loop_list"),
    NavItem("Give & take", "loops:favour_list"),
    NavItem("Ways in", "paths:index"),
    NavItem("Import", "interchange:import"),
    NavItem("Health", "insights:health"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the nav entries with their URLs and which one is current."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    resolved = []
    for item in NAV_ITEMS:
        try:
            resolved.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    # The most specific entry is current: /journal/event/ is "Event", not also "Journal".
    matching = [
        url
        for _, url in resolved
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    items = [
        {"label": item.label, "url": url, "current": url == current, "shortcut": item.shortcut}
        for item, url in resolved
    ]
    return {"nav_items": items}
