"""schemathesis hooks for the stateful phase (SCHEMATHESIS_HOOKS=circleback.api.tests.fuzz_hooks).

Check ST302 (`ensure_resource_availability`: a record a creation answered for must be found at
its address) runs, with two cases let through, each a 404 that is right:

- The record was created by a request Hypothesis sent again verbatim, Idempotency-Key
  included, after a step deleted what the first of them made. The server answers the retry
  with the first answer (201, `Idempotent-Replayed: true`), as the IETF httpapi
  Idempotency-Key draft says a retry after the first request completed gets: "the result of
  the previously completed operation". The record it names is gone. Answering 409 or 410
  instead would tell a client whose answer was lost that its creation failed, and it would
  send it again under a new key and make a second one.
- Something was removed after the record was made: ST302 itself excuses a DELETE of that
  very record, but not what goes with a removal — a person's meetings, leads and favours with
  the person, a group's board when its last member leaves, the person a merge folds away, the
  people a bulk action deletes. Which records a removal takes is the server's business (the
  erase and merge tests hold it), so any record made before a removal may be gone.

- A part of a record that it doesn't have until it is given one: a person's photo (GET
  /people/{id}/photo is 404 until a photo is set), which ST302 reads as part of the person.

A record made after the last removal, by a request that was not a replay, must be found: that
is what ST302 is for, and a 404 there fails the run. Each failure let through is written to
`st302-let-through.txt` in the run's directory, with the reason, for a person to read.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import schemathesis

# Requests that remove records besides DELETE: merging (a person or a duplicate pair), the
# people list's bulk action (which may delete), leaving a group, deleting the account.
REMOVING = re.compile(r"/(merge|bulk|leave|account/delete)$")

# Parts a record has only once they are given: {operation: why its 404 is right}.
NOT_YET_GIVEN = {
    "GET /api/v1/people/{person_uuid}/photo": "a person has no photo until one is set",
}

_lock = threading.Lock()  # schemathesis's workers are threads of one process
_step = 0
_made: dict[str, int] = {}  # a record's id: the step whose answer named it first
_replayed: set[str] = set()
_last_removal = -1


def _header(response: Any, name: str) -> str:
    values = response.headers.get(name, [""])
    return str(values[0]) if values else ""


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    global _step, _last_removal
    method = case.method.upper()
    ok = 200 <= response.status_code < 300
    ids: set[str] = set()
    if ok and method == "POST":
        try:
            answer = json.loads(response.content or b"null")
        except ValueError:
            answer = None
        if isinstance(answer, dict) and isinstance(answer.get("uuid"), str):
            ids.add(answer["uuid"])
        location = _header(response, "location")
        if location:
            ids.add(location.rstrip("/").rsplit("/", 1)[-1])
    with _lock:
        _step += 1
        for made in ids:
            _made.setdefault(made, _step)
        if ids and _header(response, "idempotent-replayed") == "true":
            _replayed.update(ids)
        if ok and (method == "DELETE" or (method == "POST" and REMOVING.search(case.path))):
            _last_removal = _step


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if getattr(failure, "code", None) != "ST302":
        return True
    named = {str(value) for value in (case.path_parameters or {}).values()}
    with _lock:
        replayed = sorted(named & _replayed)
        before = sorted(i for i in named if i in _made and _made[i] < _last_removal)
    if case.operation.label in NOT_YET_GIVEN:
        why = NOT_YET_GIVEN[case.operation.label]
    elif replayed:
        why = f"named by a replayed creation's answer: {replayed}"
    elif before:
        why = f"made before a later removal: {before}"
    else:
        return True
    with Path("st302-let-through.txt").open("a") as kept:
        kept.write(f"{case.operation.label} answered {response.status_code}, {why}\n")
    return False
