"""/api/v1 groups: each record a write acts on has a GET with an ETag, and the write takes
If-Match — two clients can't answer one request, close one post, withdraw one link or end one
coach's access over each other's change. (The conventions walk sends every one a stale ETag;
here the whole round: read, someone else changes it, 412, read again, the change goes in.)"""

from __future__ import annotations

from typing import Any

from circleback.api.tests.test_every_endpoint import SCHEMA
from circleback.groups.models import BoardPost, CoachGrant, IntroRequest, Invitation
from circleback.groups.services import (
    board_post,
    coach_grant,
    intro_request_ask,
    invitation_create,
)
from circleback.groups.tests.factories import club
from circleback.groups.tests.test_api import api

# Taking someone off an application changes the opening (what GET /openings/{id} shows):
# its If-Match names the opening's ETag, as adding someone's does.
CHECKED_AGAINST = {
    "/api/v1/openings/{opening_uuid}/people/{job_person_uuid}": "/api/v1/openings/{opening_uuid}"
}


def _record_of(method: str, path: str) -> str:
    if path in CHECKED_AGAINST:
        return CHECKED_AGAINST[path]
    return path if method == "delete" else path.rsplit("/", 1)[0]


def test_every_groups_and_jobs_action_on_a_record_has_a_get_giving_its_etag() -> None:
    """Creations aside, every POST and DELETE of these areas acts on a record a GET reads,
    and declares If-Match (api6's areas keep their own list in the conventions test)."""
    missing = []
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "delete") or "201" in operation["responses"]:
                continue
            if not {"groups", "jobs"} & set(operation.get("tags", [])):
                continue
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "get" not in SCHEMA["paths"].get(_record_of(method, path), {}):
                missing.append(f"{method} {path}: no GET at its record")
            if "If-Match" not in headers or "412" not in operation["responses"]:
                missing.append(f"{method} {path}: no If-Match and 412")
    assert missing == []


def _round(
    reader: Any, writer: Any, where: str, method: str, url: str, body: Any, meanwhile: Any
) -> Any:
    """Read, let someone else change it, refuse the stale write, read again, write."""
    read = reader.call("GET", where)
    assert read.status_code == 200 and read["ETag"], read.content
    meanwhile()
    stale = writer.call(method, url, body, {"If-Match": read["ETag"]})
    assert stale.status_code == 412, stale.content
    fresh = reader.call("GET", where)
    assert fresh["ETag"] != read["ETag"]
    done = writer.call(method, url, body, {"If-Match": fresh["ETag"]})
    assert done.status_code == 200, done.content
    return done


def test_answering_a_request_honours_if_match_and_both_sides_read_it(alice, bob, charlie) -> None:
    c = club(alice, bob)
    asked = intro_request_ask(owner=alice, group=c.group, person_uuid=str(c.vera.uuid), reason="Hi")
    where = f"group-requests/{asked.uuid}"
    seeker, member = api(alice), api(bob)
    # Both read the same request, each told which way it goes (so their ETags differ too:
    # each names the representation its reader got).
    as_seeker, as_member = seeker.call("GET", where).json(), member.call("GET", where).json()
    assert (as_seeker.pop("direction"), as_member.pop("direction")) == ("you_asked", "asked_of_you")
    assert as_seeker == as_member
    assert api(charlie).call("GET", where).status_code == 404
    assert seeker.call("POST", f"{where}/answer", {"accept": True}).status_code == 404

    def reason_edited() -> None:  # the same request changed under the member's feet
        IntroRequest.objects.filter(pk=asked.pk).update(reason="Hi, about Globex")

    done = _round(
        member, member, where, "POST", f"{where}/answer", {"accept": False}, reason_edited
    )
    assert done.json()["state"] == "declined"
    assert done["ETag"] == member.call("GET", where)["ETag"]


def test_closing_a_post_honours_if_match_and_any_member_reads_it(alice, bob, charlie) -> None:
    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV?")
    where = f"groups/{c.group.uuid}/board/{post.uuid}"
    assert api(bob).call("GET", where).json()["text"] == "CV?"
    assert api(charlie).call("GET", where).status_code == 404

    def edited() -> None:
        BoardPost.objects.filter(pk=post.pk).update(text="CV, please?")

    body = {"helper": "bob", "thanks": "Thank you!"}
    done = _round(api(alice), api(alice), where, "POST", f"{where}/close", body, edited)
    assert done.json()["closed"] and done.json()["helper_username"] == "bob"
    assert done["ETag"] == api(alice).call("GET", where)["ETag"]


def test_withdrawing_a_link_honours_if_match(alice, bob) -> None:
    c = club(alice, bob)
    invitation, _ = invitation_create(owner=alice, group=c.group)
    where = f"groups/{c.group.uuid}/invitations/{invitation.uuid}"
    refused = api(bob).call("GET", where).json()  # organisers only, as the list
    assert refused["status"] == 422 and "organis" in str(refused["errors"]).lower()

    def extended() -> None:
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=invitation.expires_at + (invitation.expires_at - invitation.created_at)
        )

    done = _round(api(alice), api(alice), where, "DELETE", where, None, extended)
    assert done.json()["state"] == "withdrawn"
    assert done["ETag"] == api(alice).call("GET", where)["ETag"]


def test_ending_a_coachs_access_honours_if_match(alice, bob, charlie) -> None:
    c = club(alice, bob)
    grant = coach_grant(owner=bob, coach=alice, group=c.group, parts=["goals"])
    where = f"coaching/grants/{grant.uuid}"
    assert api(alice).call("GET", where).status_code == 404  # the coach reads it as a client
    assert api(charlie).call("GET", where).status_code == 404

    def widened() -> None:
        coach_grant(owner=bob, coach=alice, group=c.group, parts=["goals", "loops"])

    done = _round(api(bob), api(bob), where, "DELETE", where, None, widened)
    assert done.json() == {"deleted": True}
    assert not CoachGrant.objects.filter(owner=bob).exists()
    assert api(bob).call("GET", where).status_code == 404
