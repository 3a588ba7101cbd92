"""ETag and If-Match: two clients can't overwrite each other's changes silently.

A resource's ETag is a digest of its JSON representation, so any change anyone makes — from
the web app, the CLI or another API client — changes it. An update or delete sent with
`If-Match` is refused with 412 when the resource has changed since that ETag was read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse

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


M = TypeVar("M", bound=Model)


def change_guarded(
    request: HttpRequest,
    *,
    fetch: Callable[[], M],
    show: Callable[[M], Any],
    change: Callable[[M], Any],
    response: HttpResponse | None = None,
    answer: Callable[[Any], Any] | None = None,
) -> Any:
    """The one way an endpoint changes a record a client may hold an ETag of.

    `fetch()` finds the record (owner-scoped: another account's is a 404); it is locked for
    the transaction, `If-Match` is checked against what a GET shows of it (`show`), and
    `change(record)` calls the service. The answer is what a GET would show now, with its
    ETag (pass the `response`); or `answer(result)` for an action that answers with something
    else (the next step of a loop); or `{"deleted": True}` when neither is given."""
    with transaction.atomic():
        record = fetch()
        if record.pk is not None:  # settings not saved yet are defaults: nothing to lock
            # FOR NO KEY UPDATE (PostgreSQL; SQLite's writer lock already serialises writes):
            # what an UPDATE takes itself, so inserts elsewhere that merely reference the row
            # (a tie, a tag, a journal entry's participant) don't wait on it or deadlock.
            manager = type(record)._default_manager
            locked = manager.select_for_update(no_key=True).filter(pk=record.pk).first()
            if locked is None:
                # Deleted by a request that committed after fetch() read it: gone, as the
                # next GET would say (schemathesis's concurrent workers found this 500).
                raise Http404
            record = locked
        check_if_match(request, show(fetch()))
        result = change(record)
    if answer is not None:
        return answer(result)
    if response is not None:
        return with_etag(response, show(fetch()))
    return {"deleted": True}
