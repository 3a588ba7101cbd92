"""Normalising emails, phones and links so the same detail compares equal however written."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from circleback.people.models import MAX_PHOTO_BYTES as MAX_PHOTO_BYTES  # a photo's rules
from circleback.people.models import Link
from circleback.people.models import image_type as image_type  # live on its model

_LINKEDIN_PATH = re.compile(r"^/(in|pub|company)/([^/?#]+)", re.IGNORECASE)

# At most this many emails, phones or links one person holds (the person form's limit; an
# import reports the rest instead of making a person no page can show).
MAX_DETAILS = 30

# Addresses that name a desk or a mailbox, not a person: shared by whoever sits there, so
# they never decide that two records are one person (DESIGN.md, "Identity").
ROLE_MAILBOXES = frozenset(
    [
        "accounts",
        "admin",
        "administrator",
        "billing",
        "booking",
        "bookings",
        "careers",
        "contact",
        "contactus",
        "customerservice",
        "enquiries",
        "enquiry",
        "feedback",
        "finance",
        "hello",
        "help",
        "helpdesk",
        "hr",
        "info",
        "inquiries",
        "inquiry",
        "jobs",
        "kontakt",
        "mail",
        "mailbox",
        "marketing",
        "media",
        "news",
        "newsletter",
        "no-reply",
        "noreply",
        "office",
        "orders",
        "post",
        "postmaster",
        "press",
        "privacy",
        "reception",
        "recruiting",
        "recruitment",
        "sales",
        "service",
        "services",
        "shop",
        "support",
        "team",
        "webmaster",
    ]
)
# An internationalised local part (RFC 6531): any character but controls, spaces and the
# specials RFC 5322 reserves, in dot-separated atoms.
_ATOM = r'[^\s\x00-\x1f\x7f()<>\[\]:;@\\,."]+'
_INTL_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*\Z")


def normalize_email(address: str) -> str:
    return address.strip().lower()


def _longest(field: str, model: Any = None) -> int:
    """The column's bound: what the database stores (PostgreSQL refuses more; SQLite doesn't)."""
    from circleback.people.models import Email

    column = (model or Email)._meta.get_field(field)
    assert isinstance(column, models.CharField) and column.max_length is not None
    return column.max_length


def clean_email(address: str) -> str:
    """The address, if it is one (RFC 5322, or RFC 6531's internationalised form such as
    `blablö@blub.com`); ValidationError saying what is expected otherwise. The one rule of a
    valid email address, for forms, commands and imports alike."""
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        if not _internationalised_email(address):
            raise ValidationError(
                f"{address!r} is not an email address; expected something like name@example.org."
            ) from None
    # Lower-casing can lengthen a non-ASCII address ("İ" is two characters in lower case):
    # its key must fit the same column as the address.
    if len(normalize_email(address)) > _longest("normalized"):
        raise ValidationError(
            f"{address[:40]!r}… is too long for an email address; "
            f"an address has at most {_longest('address')} characters."
        )
    return address


def _internationalised_email(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    if not at or not local or len(local.encode()) > 64 or len(address) > 320:
        return False
    if local.isascii() or not _INTL_LOCAL.match(local):
        return False  # an ASCII local part is Django's to judge
    try:
        validate_email(f"x@{domain}")  # the domain, IDNA-encoded by Django as it checks
    except ValidationError:
        return False
    return True


def is_role_address(address: str) -> bool:
    """Whether an address names a desk (info@, office@, sales@ …) rather than a person."""
    local = address.strip().lower().rpartition("@")[0].split("+", 1)[0]
    return local in ROLE_MAILBOXES or local.replace(".", "").replace("_", "") in ROLE_MAILBOXES


def normalize_phone(number: str, region: str | None = None) -> str:
    """E.164 where the number can be parsed, otherwise its digits (and a leading +)."""
    try:
        parsed = phonenumbers.parse(number, region)
        if phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", number)
    return ("+" + digits) if number.strip().startswith("+") else digits


def clean_phone(number: str) -> str:
    number = number.strip()
    if len(re.sub(r"\D", "", number)) < 3:
        raise ValidationError(f"{number!r} is not a phone number; it needs at least three digits.")
    if len(number) > 64:
        raise ValidationError("A phone number can be at most 64 characters long.")
    return number


def clean_url(url: str) -> str:
    url = url.strip()
    if url and "://" not in url:
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            f"{url!r} is not a web address; expected something like https://example.org/you."
        ) from None
    # "https://" added above, or a host lower-cased into more characters, can take a link
    # past what is stored: said here, not left to the database (PostgreSQL's error was a 500).
    most = _longest("url", Link)
    if len(url) > most:
        raise ValidationError(
            f"{url[:40]!r}… is too long for a web address: at most {most} characters, "
            f"https:// included (this one has {len(url)})."
        )
    if len(normalize_url(url)) > _longest("normalized", Link):
        raise ValidationError(
            f"{url[:40]!r}… is too long for a web address once its host is in lower case; "
            "shorten it."
        )
    return url


def normalize_url(url: str) -> str:
    """Scheme, "www." and trailing slashes dropped; LinkedIn profiles reduced to /in/slug."""
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host.endswith("linkedin.com"):
        match = _LINKEDIN_PATH.match(parts.path)
        if match:
            return f"linkedin.com/{match.group(1).lower()}/{match.group(2).lower()}"
        host = "linkedin.com"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def link_kind(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith("linkedin.com"):
        return Link.Kind.LINKEDIN
    if host.endswith("github.com"):
        return Link.Kind.GITHUB
    if any(host.endswith(s) for s in ("twitter.com", "x.com", "mastodon.social", "bsky.app")):
        return Link.Kind.SOCIAL
    return Link.Kind.WEBSITE
