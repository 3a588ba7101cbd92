"""Tests made from the API's own list of operations (its OpenAPI document, built from every
mounted router), so an endpoint added later is covered without anyone remembering to:

- without a token: 401; with a revoked or an expired token: 401;
- with a read-only token, every write: 403;
- with another account's token, every record of alice's named in a path: 404, and no list
  shows any of alice's records;
- every one of those failures in the one error shape (RFC 9457 problem+json with `errors`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from circleback.api.models import Token
from circleback.api.root import api
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [
    (method.upper(), path) for path, operations in SCHEMA["paths"].items() for method in operations
]
WRITES = [(m, p) for m, p in OPERATIONS if m != "GET"]
WITH_IDS = [(m, p) for m, p in OPERATIONS if "{" in p]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_list_is_not_empty_and_covers_every_area() -> None:
    paths = " ".join(p for _, p in OPERATIONS)
    for area in (
        "people",
        "organisations",
        "ties",
        "journal",
        "search",
        "meetings",
        "leads",
        "loops",
        "thank-yous",
        "favours",
        "standing-offers",
        "introductions",
        "shares",
        "permissions",
        "drafts",
        "cadences",
        "snoozes",
        "goals",
        "pitches",
        "agenda",
        "health",
        "ways-in",
        "suggestions",
        "imports",
        "export",
        "tokens",
        "people/bulk",
        "merge",
        "duplicates",
        "photo",
        "settings/account",
        "settings/loops",
        "favours-balances",
        "openings",
        "job-stats",
        "job-interviews",
        "job-follow-ups",
    ):
        assert f"/{area}" in paths, area


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance", "errors"}
    assert body["status"] == status and body["detail"] and isinstance(body["errors"], list)
    return body


def _fill(path: str, records: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: records[m.group(1)], path)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _sample(schema: dict[str, Any], own_person: str) -> Any:
    """A valid value for a request schema (only what is required), for tests that must get
    past validation to reach the record's lookup."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return _sample(next(s for s in schema["anyOf"] if s.get("type") != "null"), own_person)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _sample(sub, own_person)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [_sample(schema["items"], own_person)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "uuid":
        return own_person
    if schema.get("format") == "date":
        return (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    if schema.get("format") == "date-time":
        return (timezone.now() + dt.timedelta(days=7)).isoformat()
    return "x"


def _body(method: str, path: str, own_person: str) -> Any:
    operation = SCHEMA["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return _sample(content["application/json"]["schema"], own_person)
    return None


def _each(operations: list[tuple[str, str]], check: Any) -> None:
    """Run `check` on every operation; report every one that fails, not only the first."""
    failures = []
    for method, path in operations:
        try:
            check(method, path)
        except AssertionError as exc:
            failures.append(f"{method} {path}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_without_a_token_every_endpoint_answers_401(alice_records: Any) -> None:
    def check(method: str, path: str) -> None:
        response = ApiClient(None).call(method, _fill(path, alice_records), {})
        _problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    _each(OPERATIONS, check)


@pytest.mark.django_db
def test_a_revoked_or_expired_token_gets_401_everywhere(alice: Any, alice_records: Any) -> None:
    revoked = token_create(owner=alice, name="old")
    Token.objects.filter(pk=revoked.token.pk).delete()
    expired = token_create(owner=alice, name="expired", expires_in_days=1)
    Token.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())

    def check(method: str, path: str) -> None:
        for secret in (revoked.secret, expired.secret, "cb_not-a-token"):
            _problem(ApiClient(secret).call(method, _fill(path, alice_records), {}), 401)

    _each(OPERATIONS, check)


@pytest.mark.django_db
def test_a_read_only_token_cannot_write_anywhere(alice: Any, alice_records: Any) -> None:
    reader = ApiClient(token_create(owner=alice, name="reader", read_only=True).secret)

    def check(method: str, path: str) -> None:
        body = _problem(reader.call(method, _fill(path, alice_records), {}), 403)
        assert "read-only" in body["detail"]

    _each(WRITES, check)


@pytest.mark.django_db
def test_another_account_gets_404_for_every_one_of_alices_records(
    alice_records: Any, charlie: Any, charlie_api: ApiClient, make_person: Any
) -> None:
    own = str(make_person(charlie, "Carl Own").uuid)

    def check(method: str, path: str) -> None:
        content = SCHEMA["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:  # an upload: a real one, so only the id is wrong
            response = charlie_api.client.post(
                _fill(path, alice_records),
                {"file": SimpleUploadedFile("a.png", PNG)},
                HTTP_AUTHORIZATION=f"Bearer {charlie_api.secret}",
            )
        else:
            response = charlie_api.call(
                method, _fill(path, alice_records), _body(method, path, own)
            )
        _problem(response, 404)

    _each(WITH_IDS, check)


@pytest.mark.django_db
def test_another_accounts_lists_show_none_of_alices_records(
    alice_records: Any, charlie_api: ApiClient
) -> None:
    def check(method: str, path: str) -> None:
        query = {"/search": "?q=ada", "/informers": "?title=data"}.get(
            "/" + path.rsplit("/", 1)[-1], ""
        )
        response = charlie_api.call(method, path + query)
        assert response.status_code == 200, response.content[:300]
        text = b"".join(response.streaming_content) if response.streaming else response.content
        for value in alice_records.values():
            assert value.encode() not in text
        assert b"Ada Quill" not in text and b"Hooli" not in text

    _each([(m, p) for m, p in OPERATIONS if m == "GET" and "{" not in p], check)


@pytest.mark.django_db
def test_every_method_a_path_does_not_take_is_a_405_problem_naming_those_it_does(
    alice_api: ApiClient, alice_records: Any
) -> None:
    """Every path, every method it doesn't declare (schemathesis sends only two of them)."""

    def check(method: str, path: str) -> None:
        response = alice_api.call(method, _fill(path, alice_records), {})
        _problem(response, 405)
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert {m.upper() for m in SCHEMA["paths"][path]} <= allowed

    _each(
        [
            (method, path)
            for path, operations in SCHEMA["paths"].items()
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if method.lower() not in operations
        ],
        check,
    )


@pytest.mark.django_db
def test_alice_reaches_each_of_her_records_by_its_own_key(
    alice_api: ApiClient, alice_records: Any
) -> None:
    """The walks above send every path the record its parameter names. Alice's own token gets
    each record named in a GET path, so a path the fixture filled with another area's id (as
    when jobs and groups both named theirs `opening_uuid`) fails here instead of passing the
    outsider walk's 404 for the wrong reason."""

    from circleback.accounts.models import User

    # A grant alice gave is read by her coach: the friend she granted it to.
    coach = ApiClient(
        token_create(owner=User.objects.get(username="alices-friend"), name="coach").secret
    )
    readers = {"/api/v1/coaching/clients/{grant_uuid}": coach}
    no_photo = "/api/v1/people/{person_uuid}/photo"  # ada has none: its 404 says so

    def check(method: str, path: str) -> None:
        response = readers.get(path, alice_api).call(method, _fill(path, alice_records))
        if path == no_photo:
            assert "no photo" in response.json()["detail"], response.content[:300]
            return
        assert response.status_code == 200, response.content[:300]

    _each([(m, p) for m, p in WITH_IDS if m == "GET"], check)
