"""Single reads through the API for what was list-only: a loop step (open or done), a share,
a name permission (revoked too). Each answers as its list item does; another account's is
a 404 (the every-endpoint walk checks that for every path too)."""

from __future__ import annotations

from typing import Any

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.loops.models import NamePermission, Share
from circleback.loops.services import leads, permissions, shares


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-reads").secret)


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()


def test_a_loop_step_reads_as_the_list_shows_it_and_still_reads_once_done(
    alice: User, charlie: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    lead = leads.lead_record(owner=alice, referrer=ada, full_name="Dana Lee")
    api = _api(alice)
    (listed,) = [s for s in _ok(api.call("GET", "loops"))["items"] if s["kind"] == "lead_contact"]
    one = _ok(api.call("GET", f"loops/{listed['uuid']}"))
    assert one == listed and one["done_at"] is None and one["actions"]
    nxt = _ok(api.call("POST", f"loops/{listed['uuid']}/advance", {"to": "contacted"}))
    done = _ok(api.call("GET", f"loops/{listed['uuid']}"))
    assert done["done_at"] is not None and done["actions"] == [] and not done["overdue"]
    assert nxt["next_step"]["uuid"] != listed["uuid"]
    assert lead.steps.filter(done_at__isnull=True).count() == 1
    theirs = _api(charlie).call("GET", f"loops/{listed['uuid']}")
    assert theirs.status_code == 404
    assert theirs["Content-Type"] == "application/problem+json"


def test_a_share_reads_with_its_people_and_its_creation_says_where(
    alice: User, charlie: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    api = _api(alice)
    made = api.call("POST", "shares", {"people": [str(ada.uuid)], "title": "State of fintech"})
    assert made.status_code == 201, made.content
    one = _ok(api.call("GET", made["Location"]))
    assert one == made.json() and one["people"] == [
        {"uuid": str(ada.uuid), "full_name": "Ada Quill"}
    ]
    (listed,) = _ok(api.call("GET", "shares"))["items"]
    assert listed == one
    assert _api(charlie).call("GET", made["Location"]).status_code == 404
    shares.share_delete(owner=alice, share=Share.objects.get(uuid=one["uuid"]))
    assert api.call("GET", made["Location"]).status_code == 404


def test_a_permission_reads_and_still_reads_once_revoked(
    alice: User, charlie: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    api = _api(alice)
    made = api.call("POST", "permissions", {"person": str(ada.uuid), "note": "Any time"})
    assert made.status_code == 201, made.content
    one = _ok(api.call("GET", made["Location"]))
    assert one == made.json() and one["revoked_on"] is None
    permissions.permission_revoke(
        owner=alice, permission=NamePermission.objects.get(uuid=one["uuid"])
    )
    revoked = _ok(api.call("GET", made["Location"]))
    assert revoked["revoked_on"] is not None and revoked["note"] == "Any time"
    assert _ok(api.call("GET", "permissions"))["items"] == []  # the list hides revoked ones
    assert _api(charlie).call("GET", made["Location"]).status_code == 404
