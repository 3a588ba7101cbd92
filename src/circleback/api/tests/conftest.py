"""Fixtures for the API tests: tokens, and one record of every kind for alice, named by the
path parameter that addresses it, so tests made from the URL list can fill any path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.api.services import token_create


class ApiClient:
    """Django's test client speaking to /api/v1 with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if self.secret:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.secret}"
        if path.startswith("http://testserver"):  # a `next` link
            path = path.removeprefix("http://testserver")
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": body, "content_type": "application/json"}
        return getattr(self.client, method.lower())(url, **kwargs, **extra)


@pytest.fixture
def alice_api(alice: User) -> ApiClient:
    return ApiClient(token_create(owner=alice, name="alice-rw").secret)


@pytest.fixture
def charlie_api(charlie: User) -> ApiClient:
    return ApiClient(token_create(owner=charlie, name="charlie-rw").secret)


def _alices_group(alice: User, make_person: Any) -> dict[str, str]:
    """alice organises a group with a friend who opened someone; she asked for an
    introduction to them, the friend asked one of her, and she lets the friend coach her."""
    from circleback.groups.services import (
        board_post,
        coach_grant,
        group_create,
        intro_request_ask,
        invitation_create,
        member_add,
        opening_open,
    )

    friend = User.objects.create(username="alices-friend")
    group = group_create(owner=alice, name="Alice's club")
    member_add(owner=alice, group=group, user=friend)
    theirs = make_person(friend, "Faye Open")
    opening_open(owner=friend, group=group, person=theirs, consent=True)
    mine = make_person(alice, "Ola Opened")
    opening = opening_open(owner=alice, group=group, person=mine, consent=True)
    intro_request_ask(owner=alice, group=group, person_uuid=str(theirs.uuid), reason="Advice")
    asked = intro_request_ask(owner=friend, group=group, person_uuid=str(mine.uuid), reason="Hi")
    grant = coach_grant(owner=alice, coach=friend, group=group)
    post = board_post(owner=alice, group=group, kind="ask", what="advice", text="CV?")
    invitation, _token = invitation_create(owner=alice, group=group)
    return {
        "post_uuid": str(post.uuid),
        "invitation_uuid": str(invitation.uuid),
        "group_uuid": str(group.uuid),
        "group_opening_uuid": str(opening.uuid),
        "opened_uuid": str(theirs.uuid),
        "request_uuid": str(asked.uuid),
        "grant_uuid": str(grant.uuid),
    }


@pytest.fixture
def alice_records(alice: User, make_person: Any) -> dict[str, str]:
    """One of each of alice's records, by the path parameter that names it."""
    from circleback.insights.services import pitch_add
    from circleback.interchange.uploads import upload_preview
    from circleback.journal.services import interaction_log
    from circleback.loops.services import (
        favours,
        introductions,
        leads,
        meetings,
        permissions,
        shares,
    )
    from circleback.people.services.organisations import organisation_create
    from circleback.people.services.ties import tie_set

    org = organisation_create(owner=alice, name="Hooli", is_target=True)
    ada = make_person(alice, "Ada Quill", organisation=org)
    bart = make_person(alice, "Bart Nguyen", contact_list="A")
    tie = tie_set(owner=alice, person=ada, other=bart, kind="colleague")
    entry = interaction_log(owner=alice, summary="Coffee with Ada", people=[ada])
    meeting = meetings.meeting_schedule(
        owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(days=3)
    )
    lead = leads.lead_record(owner=alice, referrer=ada, full_name="Dana Lee", organisation="Hooli")
    step = lead.steps.filter(done_at__isnull=True).first()
    favour = favours.favour_log(owner=alice, person=ada, direction="received", kind="advice")
    offer = favours.standing_offer_make(owner=alice, person=ada, offer="Review a CV any time")
    intro = introductions.introduction_make(
        owner=alice, person_x=ada, person_y=bart, reason="Both data"
    )
    share = shares.share_log(owner=alice, people=[ada], title="An article")
    permission = permissions.permission_grant(owner=alice, person=ada)
    pitch = pitch_add(owner=alice, text="I build data teams that ship.")
    upload = upload_preview(
        owner=alice,
        filename="people.vcf",
        data=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Ray\r\nEND:VCARD\r\n",
    )
    token = token_create(owner=alice, name="alice-other").token
    from circleback.interchange.models import PossibleDuplicate

    first, second = sorted((ada, bart), key=lambda p: p.pk)
    pair = PossibleDuplicate.objects.create(
        owner=alice, person_a=first, person_b=second, reason="a shared phone"
    )
    groups = _alices_group(alice, make_person)
    from circleback.jobs.services import opening_add

    opening = opening_add(owner=alice, title="Data Analyst", organisation=org)
    from circleback.jobs.services import application_person_add, interview_schedule

    job_person = application_person_add(
        application=opening.application, person=bart, role="hiring_manager"
    )
    job_interview = interview_schedule(
        application=opening.application,
        scheduled_for=timezone.now() + dt.timedelta(days=2),
        interviewers=[ada],
    )
    job_follow_up = job_interview.follow_ups.get()
    records = {
        "opening_uuid": str(opening.uuid),
        "job_person_uuid": str(job_person.uuid),
        "job_interview_uuid": str(job_interview.uuid),
        "job_follow_up_uuid": str(job_follow_up.uuid),
        "person_uuid": str(ada.uuid),
        "organisation_uuid": str(org.uuid),
        "tie_uuid": str(tie.uuid),
        "entry_uuid": str(entry.uuid),
        "meeting_uuid": str(meeting.uuid),
        "lead_uuid": str(lead.uuid),
        "step_uuid": str(step.uuid),
        "favour_uuid": str(favour.uuid),
        "offer_uuid": str(offer.uuid),
        "intro_uuid": str(intro.uuid),
        "share_uuid": str(share.uuid),
        "permission_uuid": str(permission.uuid),
        "pitch_uuid": str(pitch.uuid),
        "upload_uuid": str(upload.uuid),
        "token_uuid": str(token.uuid),
        "pair_uuid": str(pair.uuid),
    }
    # Each path parameter names one record: a key two areas both used would send one area's
    # endpoints the other's id, and the walk would never really reach them.
    assert not groups.keys() & records.keys(), groups.keys() & records.keys()
    return {**groups, **records}
