"""What makes an import fast besides writing rows (that is `circleback.db.bulk`): the
garbage collector paused while hundreds of thousands of records live, and dedupe keys
(normalised email, phone, LinkedIn URL) with fast paths for the shapes a real export has,
giving exactly what `people.contact` gives; anything else goes through it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from circleback.people import contact
from circleback.people.models import Link
from circleback.text import normalize_org_name


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import or export runs.

    Both allocate hundreds of thousands of small objects (records, rows, keys) that live
    until they end, and each automatic collection walks all of them again: that was half the
    CPU time of a 30,000-row import. Reference counting frees memory as usual meanwhile; the
    collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- dedupe keys ----------------------------------------------------------------------------

# https://www.linkedin.com/in/slug[/...]: the shape of every URL in a Connections.csv. The slug
# must end the URL or be followed by /, ? or #, so the result is exactly normalize_url's.
_LINKEDIN_URL = re.compile(
    r"https?://(?:[a-z0-9-]+\.)*linkedin\.com(?::\d+)?/(in|pub|company)/([^/?#\s]+)(?:[/?#]|$)",
    re.IGNORECASE | re.ASCII,
)


_LINKEDIN = str(Link.Kind.LINKEDIN.value)


def email_key(address: str) -> str:
    return contact.normalize_email(address)


def url_key_and_kind(url: str) -> tuple[str, str]:
    """(contact.normalize_url, contact.link_kind) of a link, without urlsplit for LinkedIn."""
    match = _LINKEDIN_URL.match(url.strip())
    if match:
        key = f"linkedin.com/{match.group(1).lower()}/{match.group(2).lower()}"
        return key, _LINKEDIN
    return contact.normalize_url(url), contact.link_kind(url)


class Keys:
    """The normalised forms one import compares, each worked out once per distinct value:
    a file names the same organisation thousands of times, and an import reads a link or a
    phone number once to match it and again to write it."""

    def __init__(self) -> None:
        self.orgs: dict[str, str] = {}
        self.links: dict[str, tuple[str, str]] = {}
        self.phones: dict[str, str] = {}

    def org(self, name: str) -> str:
        key = self.orgs.get(name)
        if key is None:
            key = self.orgs[name] = normalize_org_name(name)
        return key

    def link(self, url: str) -> tuple[str, str]:
        """(normalised url, link kind)."""
        found = self.links.get(url)
        if found is None:
            found = self.links[url] = url_key_and_kind(url)
        return found

    def forget_details(self) -> None:
        """Drop the links' and phones' keys (organisations' stay): an import reads each of
        these in one batch only, and holding them all would grow with the file."""
        self.links.clear()
        self.phones.clear()

    def phone(self, number: str) -> str:
        key = self.phones.get(number)
        if key is None:
            key = self.phones[number] = contact.normalize_phone(number)
        return key
