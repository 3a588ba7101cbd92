"""The main navigation. Each area adds its entry here (one line) instead of editing templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    shortcut: str = ""  # a single key, announced to screen readers via aria-keyshortcuts
    # Other pages of the area, besides its own page and the pages under it.
    area: tuple[str, ...] = ()
    # The area's pages have a menu of their own (jobs/_nav.html, paths/_subnav.html …) whose
    # entry for the page is the one that says "current page".
    own_menu: bool = False


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
    NavItem(
        "Give & take",
        "loops:favour_list",
        area=(
            "loops:introduction_list",
            "loops:share_list",
            "loops:permission_list",
            "loops:draft",
        ),
        own_menu=True,
    ),
    NavItem("Ways in", "paths:index", own_menu=True),
    NavItem("Groups", "groups:list", own_menu=True),
    NavItem("Jobs", "jobs:opening_list", area=("interchange:import_applications",), own_menu=True),
]

# Settings sits beside "Sign out" and stands for these pages too: import lives with export.
SETTINGS = NavItem("Settings", "settings", area=("interchange:import",))


def _url(name: str) -> str | None:
    """The URL of a page without arguments, None if it has none here."""
    return _url_under(name, get_script_prefix())


@lru_cache(maxsize=256)
def _url_under(name: str, prefix: str) -> str | None:
    # The same for every request under one script prefix, so reversed once: every page
    # reversed some 40 of them (each entry, then each again with its area, for `current`),
    # ~1 ms of CPU a request.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _urls(item: NavItem) -> list[str]:
    return [url for name in (item.url_name, *item.area) if (url := _url(name)) is not None]


def current_in_menu(path: str, items: list[NavItem]) -> tuple[NavItem | None, str]:
    """The one entry of the menu `path` falls under, and its aria-current: "page" on its own
    page, "true" (the section the page is in) on the pages under it or in its area, or on its
    own page when the area's own menu marks that page (WAI-ARIA: one "page" in a set of pages,
    "true" for an ancestor in a nested navigation — the ARIA Authoring Practices task force on
    w3c/aria-practices#2583). The most specific entry wins; Home only marks "/" itself."""
    best: tuple[int, NavItem, bool] | None = None
    for item in items:
        urls = _urls(item)
        for url in urls:
            under = path == url or (url != "/" and path.startswith(url))
            if under and (best is None or len(url) > best[0]):
                best = (len(url), item, path == url == urls[0])
    if best is None:
        return None, ""
    _, item, own_page = best
    return item, "page" if own_page and not item.own_menu else "true"


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the nav entries with their URLs, and which one is current (at most
    one, "page" or "true" as `current_in_menu` says)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    resolved = [(item, url) for item in NAV_ITEMS if (url := _url(item.url_name)) is not None]
    current, how = current_in_menu(request.path, [item for item, _ in resolved] + [SETTINGS])
    items = [
        {
            "label": item.label,
            "url": url,
            "current": how if item is current else "",
            "shortcut": item.shortcut,
        }
        for item, url in resolved
    ]
    return {"nav_items": items, "settings_current": how if current is SETTINGS else ""}
