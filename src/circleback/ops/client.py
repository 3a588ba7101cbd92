"""Who is on the other end of a request: the visitor's address, proxies taken into account."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Headers a reverse proxy sets to say whom it is forwarding for.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _forwarded_for(request: HttpRequest) -> list[str]:
    raw = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [part.strip() for part in raw.split(",") if part.strip()]


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or with CIRCLEBACK_TRUSTED_PROXIES = N the Nth
    address from the right of X-Forwarded-For (the one our outermost proxy saw)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = getattr(settings, "CIRCLEBACK_TRUSTED_PROXIES", 0)
    if not proxies:
        return remote
    hops = _forwarded_for(request)
    if not hops:
        return remote
    return hops[-proxies] if len(hops) >= proxies else hops[0]


def _forwarded_addresses(request: HttpRequest) -> list[str]:
    """Every address any proxy header names (RFC 7239 `for=` included), as written."""
    found = _forwarded_for(request)
    real = request.META.get("HTTP_X_REAL_IP", "").strip()
    if real:
        found.append(real)
    for element in request.META.get("HTTP_FORWARDED", "").replace(";", ",").split(","):
        key, _, value = element.strip().partition("=")
        if key.strip().lower() == "for":
            value = value.strip().strip('"')
            if value.startswith("["):  # [2001:db8::1]:4711
                value = value[1:].split("]")[0]
            elif value.count(":") == 1:  # 192.0.2.1:4711
                value = value.split(":")[0]
            found.append(value)
    return found


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def is_local_visitor(request: HttpRequest) -> bool:
    """True only when the request came from this machine and no proxy header says that it
    was forwarded for anyone else. A proxy on the same host makes every visitor's
    REMOTE_ADDR a loopback address; its headers are what tell them apart."""
    if not is_loopback(str(request.META.get("REMOTE_ADDR", ""))):
        return False
    if any(request.META.get(header) for header in PROXY_HEADERS):
        named = _forwarded_addresses(request)
        return bool(named) and all(is_loopback(address) for address in named)
    return True
