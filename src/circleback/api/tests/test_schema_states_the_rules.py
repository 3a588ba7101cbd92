"""The OpenAPI document says what the server checks, so a client (or schemathesis) that
follows it isn't refused for a rule it couldn't read. Walked over every operation, from the
document itself:

- every integer, boolean and object a body takes is only that: "1", 1.5 or true for an
  integer, 0, 1 or "true" for a boolean, a list or a string for an object are a 422 naming
  the field (the document says `integer`, `boolean`, `object`; a lax parser reads "1" as 1,
  0 as false, and ninja's Schema read any object's attributes as an all-optional object);
- every date and time a request takes says its years (1900 to 2200), and the server holds
  that edge: the first and last days pass the schema's pattern, a day outside fails it;
- the Idempotency-Key's form is stated, and the server takes a key exactly when it fits it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from circleback.api.idempotency import KEY_PATTERN
from circleback.api.schemas import YEARS_PATTERN
from circleback.api.tests.conftest import ApiClient
from circleback.api.tests.test_every_endpoint import SCHEMA, _body, _fill, _resolve


def _json_body(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(content["application/json"]["schema"])


WRONG = {"integer": ("1", 1.5, True), "boolean": (0, 1, "true"), "object": ([], "x")}


def _typed(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """The body's fields that are integers, booleans or objects: (name, type)."""
    found = []
    for name, sub in schema.get("properties", {}).items():
        sub = _resolve(sub)
        kinds = [_resolve(s).get("type") for s in sub.get("anyOf", [sub])]
        found += [(name, kind) for kind in WRONG if kind in kinds]
    return found


TYPED_FIELDS = [
    (method.upper(), path, name, kind)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if (body := _json_body(operation)) is not None
    for name, kind in _typed(body)
]


def test_there_are_fields_of_each_type_to_check() -> None:
    kinds = [kind for *_, kind in TYPED_FIELDS]
    assert kinds.count("integer") >= 10 and kinds.count("boolean") >= 10, TYPED_FIELDS
    assert kinds.count("object") >= 1, TYPED_FIELDS


@pytest.mark.django_db
def test_every_integer_boolean_and_object_in_a_body_is_only_that(
    alice_api: ApiClient, alice_records: dict[str, str]
) -> None:
    failures = []
    for method, path, name, kind in TYPED_FIELDS:
        for wrong in WRONG[kind]:
            body = _body(method, path, alice_records["person_uuid"])
            body[name] = wrong
            answer = alice_api.call(method, _fill(path, alice_records), body)
            fields = [e["field"] for e in answer.json().get("errors", [])]
            if answer.status_code != 422 or name not in fields:
                failures.append(f"{method} {path} {name}={wrong!r}: {answer.status_code} {fields}")
    assert not failures, "\n".join(failures)


def _dates(node: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("format") in ("date", "date-time") and node.get("type") == "string":
            found.append(node)
        for value in node.values():
            _dates(value, found)
    elif isinstance(node, list):
        for value in node:
            _dates(value, found)
    return found


def test_every_date_a_request_takes_states_its_years() -> None:
    inputs = []  # parameters and bodies (responses are ours to keep true)
    for operations in SCHEMA["paths"].values():
        for operation in operations.values():
            inputs += _dates(operation.get("parameters", []), [])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                inputs += _dates(_resolve(body["schema"]), [])
    for name, component in SCHEMA["components"]["schemas"].items():
        if name.endswith(("In", "Patch", "Fields")):
            inputs += _dates(component, [])
    assert len(inputs) >= 10
    unstated = [d for d in inputs if d.get("pattern") != YEARS_PATTERN]
    assert not unstated, unstated
    assert re.search(YEARS_PATTERN, "1900-01-01") and re.search(YEARS_PATTERN, "2200-12-31")
    assert not re.search(YEARS_PATTERN, "1899-12-31") and not re.search(YEARS_PATTERN, "2201-01-01")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "status"),
    [("1900-01-01", 200), ("2200-12-31", 200), ("1899-12-31", 422), ("2201-01-01", 422)],
)
def test_the_server_holds_the_same_years(
    alice_api: ApiClient, alice_records: dict[str, str], day: str, status: int
) -> None:
    answer = alice_api.call("GET", f"people?last_contact_before={day}")
    assert answer.status_code == status, answer.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["a", "0f8f0b0e-6d4e-4b0e-9c55-7a3f2f0c1d2e", "retry 1", "~" * 255, "", " ", "é", "~" * 256],
)
def test_the_server_takes_an_idempotency_key_exactly_when_the_document_does(
    alice_api: ApiClient, key: str
) -> None:
    (param,) = [
        p
        for p in SCHEMA["paths"]["/api/v1/people"]["post"]["parameters"]
        if p["name"] == "Idempotency-Key"
    ]
    rule = param["schema"]
    fits = (
        rule["minLength"] <= len(key) <= rule["maxLength"]
        and re.search(rule["pattern"], key) is not None
    )
    assert rule["pattern"] == KEY_PATTERN
    answer = alice_api.call(
        "POST", "people", {"full_name": "Ada Quill"}, headers={"Idempotency-Key": key}
    )
    assert answer.status_code == (201 if fits else 422), (key, answer.content)
