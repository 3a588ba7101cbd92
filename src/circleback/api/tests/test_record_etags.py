"""Ties, standing offers and tokens are records a client reads (GET, with an ETag) and changes
safely (If-Match, 412 on a stale one), as every other record is: two clients can't remove or
change one under each other silently."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.api.models import Token
from circleback.api.tests.conftest import ApiClient
from circleback.loops.models import StandingOffer
from circleback.people.models import Tie

pytestmark = pytest.mark.django_db

STALE = {"If-Match": '"not-what-you-read"'}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:800]
    return response.json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:800]
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_a_tie_is_read_with_its_etag_from_either_side(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    made = alice_api.call("POST", "ties", {"person": str(bart.uuid), "other": str(ada.uuid)})
    tie = ok(made, 201)
    assert made["Location"].endswith(f"/api/v1/ties/{tie['uuid']}")
    assert tie["person"] == str(bart.uuid) and tie["other_name"] == "Ada Quill"  # as asked
    read = alice_api.call("GET", f"ties/{tie['uuid']}")
    shown = ok(read)
    assert read["ETag"] == made["ETag"] == tie["etag"] == shown["etag"]
    # Each person's list shows it from their side, with the same ETag.
    for person in (ada, bart):
        [item] = ok(alice_api.call("GET", f"people/{person.uuid}/ties"))["items"]
        assert item["person"] == str(person.uuid) and item["etag"] == read["ETag"]


def test_changing_a_tie_with_a_stale_etag_is_412_and_changes_nothing(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    body = {"person": str(ada.uuid), "other": str(bart.uuid), "kind": "colleague"}
    first = alice_api.call("POST", "ties", body)
    etag = first["ETag"]
    # Another client makes them friends: the first client's ETag is stale now.
    ok(alice_api.call("POST", "ties", {**body, "kind": "friend"}, {"If-Match": etag}))
    stale = alice_api.call("POST", "ties", {**body, "strength": 5}, {"If-Match": etag})
    assert problem(stale, 412)["status"] == 412
    assert Tie.objects.get(owner=alice).strength == 2
    # Removing it with the stale ETag: 412, still there; with the current one: gone.
    tie_uuid = first.json()["uuid"]
    problem(alice_api.call("DELETE", f"ties/{tie_uuid}", None, {"If-Match": etag}), 412)
    assert Tie.objects.filter(owner=alice).exists()
    current = alice_api.call("GET", f"ties/{tie_uuid}")["ETag"]
    ok(alice_api.call("DELETE", f"ties/{tie_uuid}", None, {"If-Match": current}))
    assert not Tie.objects.filter(owner=alice).exists()
    # A change that names the ETag of a tie removed since: 412, not a new tie.
    gone = alice_api.call("POST", "ties", body, {"If-Match": current})
    assert "No tie joins them" in problem(gone, 412)["detail"]
    assert not Tie.objects.filter(owner=alice).exists()


def test_another_accounts_tie_is_not_found(
    alice: Any, charlie: Any, charlie_api: ApiClient, make_person: Any
) -> None:
    from circleback.people.services.ties import tie_set

    tie = tie_set(
        owner=alice, person=make_person(alice, "Ada Quill"), other=make_person(alice, "Bart Ng")
    )
    problem(charlie_api.call("GET", f"ties/{tie.uuid}"), 404)
    problem(charlie_api.call("DELETE", f"ties/{tie.uuid}"), 404)
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_standing_offer_is_read_with_its_etag_and_taken_up_only_if_current(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    made = alice_api.call("POST", "standing-offers", {"person": str(ada.uuid), "offer": "A CV"})
    offer = ok(made, 201)
    read = alice_api.call("GET", f"standing-offers/{offer['uuid']}")
    assert ok(read) == offer and read["ETag"] == made["ETag"]
    assert made["Location"].endswith(f"/api/v1/standing-offers/{offer['uuid']}")
    url = f"standing-offers/{offer['uuid']}/taken-up"
    problem(alice_api.call("POST", url, None, STALE), 412)
    assert StandingOffer.objects.get(uuid=offer["uuid"]).taken_up_on is None
    taken = alice_api.call("POST", url, None, {"If-Match": read["ETag"]})
    assert ok(taken)["taken_up_on"] is not None
    assert taken["ETag"] == alice_api.call("GET", f"standing-offers/{offer['uuid']}")["ETag"]
    assert taken["ETag"] != read["ETag"]


def test_a_token_is_read_without_its_secret_and_revoked_only_if_current(
    alice: Any, alice_api: ApiClient
) -> None:
    made = alice_api.call("POST", "tokens", {"name": "phone"})
    new = ok(made, 201)
    read = alice_api.call("GET", f"tokens/{new['uuid']}")
    shown = ok(read)
    assert "token" not in shown and new["token"] not in read.content.decode()
    assert shown["name"] == "phone" and read["ETag"]
    # Using it changes when it was last used, not its ETag.
    phone = ApiClient(new["token"])
    ok(phone.call("GET", "people"))
    again = alice_api.call("GET", f"tokens/{new['uuid']}")
    assert again.json()["last_used_at"] is not None and again["ETag"] == read["ETag"]
    problem(alice_api.call("DELETE", f"tokens/{new['uuid']}", None, STALE), 412)
    ok(phone.call("GET", "people"))  # still works
    ok(alice_api.call("DELETE", f"tokens/{new['uuid']}", None, {"If-Match": read["ETag"]}))
    problem(phone.call("GET", "people"), 401)
    assert not Token.objects.filter(uuid=new["uuid"]).exists()


def test_another_accounts_token_is_not_found(alice: Any, charlie_api: ApiClient) -> None:
    from circleback.api.services import token_create

    token = token_create(owner=alice, name="alices").token
    problem(charlie_api.call("GET", f"tokens/{token.uuid}"), 404)
    problem(charlie_api.call("DELETE", f"tokens/{token.uuid}"), 404)
    assert Token.objects.filter(pk=token.pk).exists()
