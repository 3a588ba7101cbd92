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


# What you move between, kept to one line at 1280 px. Pages reached from one of these are not
# repeated here: Home shows today's agenda and links it and the health check (whose own menu
# leads to goals, the pitch and cadences); the Journal and Home's quick capture open event
# capture; importing sits with export under Settings (and every empty list links to it).
NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home"),
    NavItem("People", "people"),
    NavItem("Organisations", "organisations"),
    NavItem("Journal", "journal"),
    NavItem("Meetings", "loops:meeting_list"),
    NavItem("Loops", "loops:loop_list"),
    NavItem("Give & take", "loops:favour_list"),
    NavItem("Ways in", "paths:index"),
    NavItem("Groups", "groups:list"),
    NavItem("Jobs", "jobs:opening_list"),
]

# Settings sits beside "Sign out" and stands for these pages too: import lives with export.
SETTINGS_AREA = ["settings", "interchange:import"]


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
    # An entry is current on its page and the pages under it (/journal/event/ is "Journal");
    # the most specific one wins, and Home only marks "/" itself.
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
    # "page" on the settings page itself, "true" on the import pages it stands for.
    settings_current = ""
    for name in SETTINGS_AREA:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if request.path == url:
            settings_current = "page" if name == "settings" else "true"
        elif request.path.startswith(url) and not settings_current:
            settings_current = "true"
    return {"nav_items": items, "settings_current": settings_current}
