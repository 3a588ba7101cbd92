"""Adding a person through the API: whatever the OpenAPI document lets through is stored whole
or refused with a 422 naming the field, never a 500, on SQLite and PostgreSQL alike.

The document bounds what a client sends; what the database stores is sometimes longer. A link
sent without its scheme gets "https://"; a link's dedupe key (the link without its scheme) had
an email's 320-character column; lower-casing a non-ASCII address can lengthen it ("İ" is two
characters in lower case). PostgreSQL refused each of these with an error (a 500), while SQLite
stored a value longer than its column: so each case is checked here by its answer and by what
was stored, and fails on the old code on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models

from circleback.api.tests.conftest import ApiClient
from circleback.people.models import Link, Organisation, Person
from circleback.text import ORG_KEY_LENGTH, normalize_org_name

pytestmark = pytest.mark.django_db

# Characters that grow when the services fold or lower-case them (NFKD, casefold), and the
# organisation key's "&" (" and "): a text at the document's maxLength made of them is the
# longest anything derived from it gets.
GROWING = ["ﷺ", "İ", "&", "ß", "ﬃ", "a"]
HOST = "example.org/"


def _past_their_columns(owner: Any) -> list[str]:
    """Every value of the owner's rows longer than its column (what SQLite keeps and
    PostgreSQL refuses)."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "owner" not in names:
            continue
        bounded = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField) and f.max_length
        ]
        for field in bounded:
            for value in model._default_manager.filter(owner=owner).values_list(
                field.attname, flat=True
            ):
                if value is not None and len(value) > field.max_length:  # type: ignore[operator]
                    found.append(f"{model.__name__}.{field.name}: {len(value)}")
    return found


def _add(api: ApiClient, body: dict[str, Any]) -> tuple[int, Any]:
    response = api.call("POST", "people", body)
    assert response.status_code in (201, 422), (body, response.status_code, response.content)
    return response.status_code, response.json()


def _refused_on(answer: Any, field: str) -> str:
    assert answer["status"] == 422, answer
    messages = [e["message"] for e in answer["errors"] if e["field"] == field]
    assert messages, answer["errors"]
    return messages[0]


def test_a_link_sent_without_its_scheme_that_would_pass_500_characters_is_refused(
    alice: Any, alice_api: ApiClient
) -> None:
    link = HOST + "a" * (500 - len(HOST))  # the document's most; "https://" makes it 508
    status, answer = _add(alice_api, {"full_name": "Long Link", "links": [link]})
    assert status == 422
    assert "at most 500 characters, https:// included" in _refused_on(answer, "links")
    assert not Person.objects.filter(owner=alice).exists()


def test_a_long_link_is_kept_whole_with_its_key(alice: Any, alice_api: ApiClient) -> None:
    link = "https://" + HOST + "a" * (492 - len(HOST))  # 500 with its scheme: the column's
    status, person = _add(alice_api, {"full_name": "Long Link", "links": [link]})
    assert status == 201 and person["links"] == [link]
    stored = Link.objects.get(owner=alice)
    assert stored.url == link and stored.normalized == link.removeprefix("https://")
    assert not _past_their_columns(alice)


def test_an_address_that_lower_case_would_lengthen_past_its_column_is_refused(
    alice: Any, alice_api: ApiClient
) -> None:
    domain = ".".join(c * 60 for c in "abcd") + ".org"
    address = "İ" * 60 + "@" + domain  # 306 characters; 366 in lower case
    status, answer = _add(alice_api, {"full_name": "Long Address", "emails": [address]})
    assert status == 422
    assert "too long for an email address" in _refused_on(answer, "emails")
    assert not _past_their_columns(alice)


def test_an_organisations_key_is_bounded_by_its_column() -> None:
    column = Organisation._meta.get_field("normalized_name").max_length
    assert column == ORG_KEY_LENGTH
    assert len(normalize_org_name("ﷺ" * 200)) == column  # 3,600 letters folded


@pytest.mark.parametrize("char", GROWING, ids=[f"U+{ord(c):04X}" for c in GROWING])
def test_every_text_at_its_longest_is_stored_or_refused_by_field(
    alice: Any, alice_api: ApiClient, char: str
) -> None:
    longest = {
        "full_name": 200,
        "given_name": 100,
        "family_name": 100,
        "title": 200,
        "organization": 200,
        "location": 200,
        "notes": 20_000,
        "how_we_met": 20_000,
    }
    for field, most in longest.items():
        text = (char + "b") * (most // 2)
        body = {"full_name": f"Person {field}", field: text}
        status, answer = _add(alice_api, body)
        if status == 422:
            _refused_on(answer, field)
        else:
            assert answer[field] == text
    cases = [[char * 60], [char * 60, (char.lower() * 60)[:60], (char.upper() * 60)[:60]]]
    for i, tags in enumerate(cases):
        status, answer = _add(alice_api, {"full_name": f"Tagged {i}", "tags": tags})
        if status == 422:
            _refused_on(answer, "tags")
    assert not _past_their_columns(alice)
