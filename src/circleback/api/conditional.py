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
    """The ETag of a representation. An `etag` field in it (a list item carries its own, so a
    client can send If-Match without reading the record again) is not part of what it digests:
    the item's field and the record's GET header are the same value."""
    if isinstance(data, dict) and "etag" in data:
        data = {k: v for k, v in data.items() if k != "etag"}
    raw = json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _if_match(request: HttpRequest) -> list[str] | None:
    """The ETags If-Match names (None when it is not sent; ["*"] matches anything)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]
    if not tags:
        raise Problem(
            422,
            "If-Match is empty: send the ETag you read, or leave the header out.",
            errors=[{"field": "If-Match", "location": "header", "message": "empty"}],
        )
    return tags


def check_if_match(request: HttpRequest, current: Any) -> None:
    """Raise 412 if the request's If-Match names none of the current representation's ETag."""
    tags = _if_match(request)
    if tags is None or "*" in tags:
        return
    if etag_of(current) not in tags:
        raise Problem(
            412,
            "This was changed since you read it (its ETag no longer matches If-Match). "
            "Read it again, reapply your change, and send the new ETag.",
            errors=[{"field": None, "location": "header", "message": "If-Match is stale"}],
        )


def check_if_match_each(request: HttpRequest, current: dict[str, Any], field: str) -> None:
    """For a request on several records at once (`current`: each one's representation by
    its id): If-Match lists the ETags the client read, and each record's must be among them;
    412 names every one that changed since."""
    tags = _if_match(request)
    if tags is None or "*" in tags:
        return
    stale = [key for key, shown in current.items() if etag_of(shown) not in tags]
    if stale:
        raise Problem(
            412,
            f"{len(stale)} of them changed since you read them (their ETags are not in "
            "If-Match); nothing was done. Read them again, then retry with the new ETags.",
            errors=[
                {"field": field, "location": "body", "message": f"{key} changed since read"}
                for key in stale[:20]
            ],
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


def state_guarded(
    request: HttpRequest,
    *,
    lock: Model,
    show: Callable[[], Any],
    change: Callable[[], Any],
    response: HttpResponse,
) -> Any:
    """`change_guarded` for state that is not one record of its own (an account's default
    cadences or monthly targets, a member's balance sharing): the row that holds it (`lock`:
    the account, the membership) is locked for the transaction, `If-Match` is checked against
    what the GET at the same address shows (`show()`), and the answer is that, with its ETag."""
    with transaction.atomic():
        manager = type(lock)._default_manager
        manager.select_for_update(no_key=True).filter(pk=lock.pk).first()
        check_if_match(request, show())
        change()
    return with_etag(response, show())
