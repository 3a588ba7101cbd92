"""ETag and If-Match: two clients can't overwrite each other's changes silently.

A resource's ETag is a digest of its JSON representation, so any change anyone makes — from
the web app, the CLI or another API client — changes it. An update or delete sent with
`If-Match` is refused with 412 when the resource has changed since that ETag was read.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from circleback.api.problems import Problem


def etag_of(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def check_if_match(request: HttpRequest, current: Any) -> None:
    """Raise 412 if the request's If-Match names none of the current representation's ETag."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]
    if not tags:
        raise Problem(
            422,
            "If-Match is empty: send the ETag you read, or leave the header out.",
            errors=[{"field": "If-Match", "location": "header", "message": "empty"}],
        )
    if "*" in tags:
        return
    if etag_of(current) not in tags:
        raise Problem(
            412,
            "This was changed since you read it (its ETag no longer matches If-Match). "
            "Read it again, reapply your change, and send the new ETag.",
            errors=[{"field": None, "location": "header", "message": "If-Match is stale"}],
        )


def with_etag(response: HttpResponse, data: Any) -> Any:
    """Set the ETag of `data` on the response ninja is building; return `data`."""
    response["ETag"] = etag_of(data)
    return data
