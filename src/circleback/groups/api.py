"""/api/v1 groups: the groups you are in, what you open to them, the ways in through them,
introductions asked across accounts, and coach grants — the group pages' services, unchanged.

A group you are not in is 404, as is another member's person not opened to you."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictBool, StrictInt

from circleback.accounts.models import User
from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, state_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    page_of,
    paginate,
    paginate_ranked,
)
from circleback.api.schemas import Deleted, IdempotencyKey, IfMatch, RequestBody, Text
from circleback.groups import queries, services
from circleback.groups.coaching import coach_dashboard, coach_member_view, view_as_dict
from circleback.groups.models import (
    REASON_MAX,
    BoardPost,
    CoachGrant,
    CoachView,
    Group,
    Invitation,
    Membership,
    Part,
)
from circleback.people.queries import get_organisation_for, get_person_for

router = Router(tags=["groups"])

PartName = Literal["agenda", "goals", "health", "loops", "journal"]
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _creates(path: str, out: type, summary: str) -> Callable[[Callable[..., Any]], Any]:
    """A creating POST: 201 with `out`, and a retry with the same Idempotency-Key creates
    nothing more (the handler still names `idempotency_key`, so the document shows it)."""

    def register(handler: Callable[..., Any]) -> Any:
        return router.post(path, response={201: out}, summary=summary)(
            decorate_view(idempotent)(handler)
        )

    return register


def _in_group(request: HttpRequest, group_uuid: UUID) -> tuple[User, Group]:
    """The caller, and the group the path names if they are in it (any other is a 404)."""
    owner = owner_of(request)
    return owner, queries.get_group_for(owner, group_uuid)


class GroupOut(Schema):
    uuid: UUID
    name: str
    description: str
    role: str
    members: int
    shares_balance: bool = Field(
        description="Whether you let the group see your give/get balance on its board."
    )


class GroupOpenedPersonOut(Schema):
    uuid: UUID
    name: str
    organisation: str
    title: str = Field(description="Empty when the member keeps it closed.")
    closeness: int | None = Field(description="1 to 5; null when the member keeps it closed.")
    decision_maker: bool
    member: str
    member_username: str
    group: str
    group_uuid: UUID


class GroupMemberOut(Schema):
    username: str
    name: str
    role: str


class GroupDetailOut(GroupOut):
    member_list: list[GroupMemberOut]
    opened_count: int = Field(
        description="How many people other members opened to the group; they come a page at "
        "a time at `opened_url`."
    )
    opened_url: str = Field(description="GET /groups/{group_uuid}/people: the people opened.")


@router.get("/groups", response=page_of(GroupOut), summary="The groups you are in")
def list_groups(
    request: HttpRequest, limit: int = Query(50, ge=1, le=200), cursor: str | None = None
) -> dict[str, Any]:
    return paginate(
        request,
        queries.memberships_of(owner_of(request)),
        order=[("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [queries.membership_as_dict(m) for m in rows],
    )


class GroupIn(RequestBody):
    name: Text(120, 1)  # type: ignore[valid-type]
    description: Text(2000) = ""  # type: ignore[valid-type]


@_creates(
    "/groups",
    GroupOut,
    "Start a group (you organise it)",
)
def create_group(
    request: HttpRequest, body: GroupIn, idempotency_key: str | None = IdempotencyKey
) -> Any:
    owner = owner_of(request)
    group = services.group_create(owner=owner, name=body.name, description=body.description)
    return Status(201, queries.membership_as_dict(queries.get_membership_for(owner, group.uuid), 1))


def _group_out(request: HttpRequest, membership: Membership, owner: User) -> dict[str, Any]:
    path = reverse("api:group_people", kwargs={"group_uuid": membership.group.uuid})
    return {
        **queries.group_as_dict(membership, viewer=owner),
        "opened_url": request.build_absolute_uri(path),
    }


@router.get("/groups/{uuid:group_uuid}", response=GroupDetailOut, summary="A group you are in")
def get_group(request: HttpRequest, group_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    membership = queries.get_membership_for(owner, group_uuid)
    return with_etag(response, _group_out(request, membership, owner))


@router.get(
    "/groups/{uuid:group_uuid}/people",
    response=page_of(GroupOpenedPersonOut),
    url_name="group_people",
    summary="People other members opened to a group, by member, then name",
    description="Only what each member opened: name, organisation, and title and closeness if "
    "they chose; never anything else, and never someone they keep closed. By the member's "
    "sign-in name, then the person's name, as on the group page and in `circleback group "
    "show`. Ask for an introduction at /groups/{group_uuid}/people/{opened_uuid}/requests.",
)
def list_opened(
    request: HttpRequest, group_uuid: UUID, limit: int = Limit, cursor: str | None = None
) -> Any:
    owner, group = _in_group(request, group_uuid)
    return paginate(
        request,
        queries.opened_list(viewer=owner, group=group),
        order=queries.OPENED_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [
            p.as_dict() for p in queries.opened_as(found, viewer=owner, group_ids=[group.pk])
        ],
    )


class GroupJoinIn(RequestBody):
    token: Text(200, 1) = Field(  # type: ignore[valid-type]
        description="The invitation link's last part (the whole link works too)."
    )


@_creates(
    "/group-invitations/accept",
    GroupOut,
    "Join a group with an invitation link (it works once, until it expires)",
)
def join(
    request: HttpRequest, body: GroupJoinIn, idempotency_key: str | None = IdempotencyKey
) -> Any:
    owner = owner_of(request)
    membership = services.invitation_accept(owner=owner, token=_token_of(body.token))
    return Status(
        201,
        queries.membership_as_dict(membership, queries.group_members(membership.group).count()),
    )


def _token_of(value: str) -> str:
    """The token from a whole link (…/groups/join/TOKEN/) or the token alone."""
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


class GroupMemberIn(RequestBody):
    username: Text(150, 1) = Field(  # type: ignore[valid-type]
        description="The sign-in name of an account on this server."
    )
    organiser: StrictBool = False


@_creates(
    "/groups/{uuid:group_uuid}/members",
    GroupMemberOut,
    "Add an existing account to a group (organisers)",
)
def add_member(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupMemberIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    user = User.objects.filter(username__iexact=body.username).first()
    if user is None:
        queries.membership_must_organise(owner, group)  # a member only is told who can
        raise ValidationError(
            {"username": f"There is no account called “{body.username}” on this server."}
        )
    membership = services.member_add(owner=owner, group=group, user=user, organiser=body.organiser)
    return Status(201, queries.member_as_dict(membership))


class GroupInvitationLinkOut(Schema):
    uuid: UUID = Field(description="The link's id, to withdraw it; the link itself is shown once.")
    link: str
    expires_at: dt.datetime


class GroupInvitationIn(RequestBody):
    days: StrictInt = Field(7, ge=1, le=30)


@_creates(
    "/groups/{uuid:group_uuid}/invitations",
    GroupInvitationLinkOut,
    "A single-use invitation link (organisers)",
)
def invite(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupInvitationIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    invitation, token = services.invitation_create(owner=owner, group=group, days=body.days)
    base = settings.CIRCLEBACK_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return Status(
        201,
        {
            "uuid": invitation.uuid,
            "link": base + reverse("groups:join", args=[token]),
            "expires_at": invitation.expires_at,
        },
    )


class GroupInvitationOut(Schema):
    uuid: UUID
    made_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    state: Literal["waiting", "used", "expired", "withdrawn"] = Field(
        description="Only a waiting link lets someone join."
    )
    used_by: str = Field(description="Who joined with it; empty until it is used.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "5f0c3a52-8d1e-4b7a-9c0e-2a6f1d3b4e71",
                    "made_by": "Maya Rosen",
                    "created_at": "2026-11-20T10:00:00Z",
                    "expires_at": "2026-11-27T10:00:00Z",
                    "state": "waiting",
                    "used_by": "",
                }
            ]
        }
    }


@router.get(
    "/groups/{uuid:group_uuid}/invitations",
    response=page_of(GroupInvitationOut),
    summary="The group's invitation links, newest first (organisers; the links are never kept)",
)
def list_invitations(
    request: HttpRequest,
    group_uuid: UUID,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    return paginate(
        request,
        queries.invitations_newest_first(owner=owner, group=group),
        order=queries.INVITATION_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [i.as_dict() for i in queries.invitation_rows(rows)],
    )


def _invitation(owner: User, group: Group, invitation_uuid: UUID) -> Invitation:
    row = queries.invitations_query(owner=owner, group=group).filter(uuid=invitation_uuid).first()
    if row is None:
        raise Http404("No such invitation.")
    return row


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return queries.invitation_rows([invitation])[0].as_dict()


@router.get(
    "/groups/{uuid:group_uuid}/invitations/{uuid:invitation_uuid}",
    response=GroupInvitationOut,
    summary="One invitation link's state (organisers; the link itself is never kept)",
)
def get_invitation(
    request: HttpRequest, group_uuid: UUID, invitation_uuid: UUID, response: HttpResponse
) -> Any:
    owner, group = _in_group(request, group_uuid)
    return with_etag(response, _invitation_out(_invitation(owner, group, invitation_uuid)))


@router.delete(
    "/groups/{uuid:group_uuid}/invitations/{uuid:invitation_uuid}",
    response=GroupInvitationOut,
    summary="Withdraw an unused invitation link: whoever opens it is told so (organisers)",
)
def revoke_invitation(
    request: HttpRequest,
    group_uuid: UUID,
    invitation_uuid: UUID,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the link's ETag (GET at this address): 412 if it was used
    or withdrawn since. Answers with the link as it is now, withdrawn."""
    owner, group = _in_group(request, group_uuid)
    return change_guarded(
        request,
        fetch=lambda: _invitation(owner, group, invitation_uuid),
        show=_invitation_out,
        change=lambda row: services.invitation_revoke(
            owner=owner, group=group, invitation_uuid=str(row.uuid)
        ),
        response=response,
    )


@router.post(
    "/groups/{uuid:group_uuid}/leave",
    response={204: None},
    summary="Leave a group: everything you opened to it closes at once",
)
def leave(request: HttpRequest, group_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the group's ETag (GET /groups/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_membership_for(owner, group_uuid),
        show=lambda membership: _group_out(request, membership, owner),
        change=lambda membership: services.group_leave(owner=owner, group=membership.group),
        answer=lambda _: HttpResponse(status=204),
    )


class GroupOpeningOut(Schema):
    uuid: UUID
    kind: Literal["person", "list", "tag", "except"] = Field(
        description="except: one person of an opened list or tag you keep closed."
    )
    person: UUID | None
    person_name: str | None
    list: str | None
    tag: str | None
    shows_title: bool
    shows_closeness: bool
    consent: str
    opened_at: dt.datetime


class GroupOpeningIn(RequestBody):
    person: UUID | None = None
    list: Literal["A", "B", "C"] | None = None
    tag: Text(60) | None = None  # type: ignore[valid-type]
    consent: StrictBool = Field(
        description="True: you have their permission, or will ask before anyone uses their name."
    )
    shows_title: StrictBool = True
    shows_closeness: StrictBool = True


@router.get(
    "/groups/{uuid:group_uuid}/openings",
    response=page_of(GroupOpeningOut),
    summary=(
        "What you opened to a group: people, lists, tags, then those you keep closed; "
        "the oldest first within each"
    ),
)
def list_openings(
    request: HttpRequest,
    group_uuid: UUID,
    kind: Literal["person", "list", "tag", "except"] | None = Query(
        None, description="Only openings of this kind (except: people kept closed)."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    rows = queries.openings_of(owner, group)
    if kind:
        rows = rows.filter(kind=kind)
    return paginate(
        request,
        rows,
        order=queries.OPENING_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [queries.opening_as_dict(o) for o in found],
    )


@router.get(
    "/groups/{uuid:group_uuid}/openings/{uuid:group_opening_uuid}",
    response=GroupOpeningOut,
    summary="One thing you opened to a group",
)
def get_opening(
    request: HttpRequest, group_uuid: UUID, group_opening_uuid: UUID, response: HttpResponse
) -> Any:
    owner, group = _in_group(request, group_uuid)
    row = queries.get_opening_for(owner, group, group_opening_uuid)
    return with_etag(response, queries.opening_as_dict(row))


@_creates(
    "/groups/{uuid:group_uuid}/openings",
    GroupOpeningOut,
    "Open one person, a list or a tag to a group, with your consent",
)
def open_people(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupOpeningIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    person = get_person_for(owner, body.person) if body.person else None
    opening = services.opening_open(
        owner=owner,
        group=group,
        person=person,
        contact_list=body.list or "",
        tag=body.tag or None,
        consent=body.consent,
        shows_title=body.shows_title,
        shows_closeness=body.shows_closeness,
    )
    return Status(201, queries.opening_as_dict(opening))


@router.delete(
    "/groups/{uuid:group_uuid}/openings/{uuid:group_opening_uuid}",
    response=Deleted,
    summary="Close what you opened; other members stop seeing it at once",
)
def close_opening(
    request: HttpRequest,
    group_uuid: UUID,
    group_opening_uuid: UUID,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the opening's ETag (GET at this address)."""
    owner, group = _in_group(request, group_uuid)
    return change_guarded(
        request,
        fetch=lambda: queries.get_opening_for(owner, group, group_opening_uuid),
        show=queries.opening_as_dict,
        change=lambda row: services.opening_end(owner=owner, group=group, opening=row),
    )


class GroupWayOut(Schema):
    score: float
    sentence: str
    why: str
    person: GroupOpenedPersonOut


@router.get(
    "/organisations/{uuid:organisation_uuid}/group-ways-in",
    response=page_of(GroupWayOut),
    summary="People fellow group members opened who work at one of your organisations, best first",
    description=f"Ranked by score (as shown, to 4 places), then name: the people there that "
    f"members opened, {queries.CANDIDATES} at most (decision makers and the closest first).",
)
def group_ways_in(
    request: HttpRequest,
    organisation_uuid: UUID,
    group: UUID | None = Query(None, description="Only through this group (as `paths --group`)."),
    limit: int = Query(10, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> Any:
    owner = owner_of(request)
    organisation = get_organisation_for(owner, organisation_uuid)
    in_group = queries.get_group_for(owner, group) if group else None
    ways = queries.group_ways_in(
        owner=owner, organisation=organisation, group=in_group, limit=queries.CANDIDATES
    )
    return paginate_ranked(
        request,
        ways,
        key=lambda w: (-round(w.score * 10_000), w.person.name, w.person.uuid),
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [w.as_dict() for w in found],
    )


class GroupRequestIn(RequestBody):
    reason: Text(REASON_MAX, 1)  # type: ignore[valid-type]


Direction = Literal["asked_of_you", "you_asked"]
RequestState = Literal["asked", "accepted", "declined", "withdrawn"]


class GroupRequestOut(Schema):
    uuid: UUID
    direction: Direction = Field(
        description="asked_of_you: a fellow member asks you to introduce them (you answer); "
        "you_asked: you asked a member."
    )
    group: str
    seeker: str
    member: str
    person: str
    organisation: str
    reason: str
    state: RequestState
    answer: str
    asked_at: dt.datetime

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "0b6e2d9a-47c1-4f3e-8a55-93d1c7e2f640",
                    "direction": "you_asked",
                    "group": "Thursday club",
                    "seeker": "Alice Moss",
                    "member": "Maya Rosen",
                    "person": "Vera Holt",
                    "organisation": "Globex",
                    "reason": "Advice on their data team",
                    "state": "asked",
                    "answer": "",
                    "asked_at": "2026-11-20T10:00:00Z",
                }
            ]
        }
    }


@_creates(
    "/groups/{uuid:group_uuid}/people/{uuid:opened_uuid}/requests",
    GroupRequestOut,
    "Ask the member who opened a person to introduce you",
)
def ask(
    request: HttpRequest,
    group_uuid: UUID,
    opened_uuid: UUID,
    body: GroupRequestIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    row = services.intro_request_ask(
        owner=owner, group=group, person_uuid=str(opened_uuid), reason=body.reason
    )
    row = queries.requests_of(owner=owner).get(pk=row.pk)
    return Status(201, queries.request_as_dict(row, viewer=owner))


@router.get(
    "/group-requests",
    response=page_of(GroupRequestOut),
    summary="Introduction requests asked of you and by you, newest first",
)
def list_requests(
    request: HttpRequest,
    direction: Direction | None = Query(
        None, description="Only those asked of you, or only those you asked; both if not given."
    ),
    state: RequestState | None = Query(
        None, description="Only requests in this state (asked: waiting for an answer)."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> Any:
    owner = owner_of(request)
    return paginate(
        request,
        queries.requests_of(owner=owner, direction=direction, state=state),
        order=queries.REQUEST_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [queries.request_as_dict(r, viewer=owner) for r in found],
    )


class GroupAnswerIn(RequestBody):
    accept: StrictBool
    answer: Text(REASON_MAX) = ""  # type: ignore[valid-type]


@router.get(
    "/group-requests/{uuid:request_uuid}",
    response=GroupRequestOut,
    summary="One introduction request, asked of you or by you",
)
def get_request(request: HttpRequest, request_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    row = queries.requests_of(owner=owner).filter(uuid=request_uuid).first()
    if row is None:
        raise Http404("No such request.")
    return with_etag(response, queries.request_as_dict(row, viewer=owner))


@router.post(
    "/group-requests/{uuid:request_uuid}/answer",
    response=GroupRequestOut,
    summary="Accept (the seeker gets the person as a referral) or decline kindly",
)
def answer(
    request: HttpRequest,
    request_uuid: UUID,
    body: GroupAnswerIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the request's ETag (GET /group-requests/{id}): 412 if it
    changed since. Answers with the request as it is now."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_request_for_member(owner, str(request_uuid)),
        show=lambda row: queries.request_as_dict(row, viewer=owner),
        change=lambda row: services.intro_request_answer(
            owner=owner, request=row, accept=body.accept, answer=body.answer
        ),
        response=response,
    )


class GroupGrantIn(RequestBody):
    coach: Text(150, 1)  # type: ignore[valid-type]
    parts: list[PartName] = Field(
        default_factory=lambda: list(Part.values),  # type: ignore[arg-type]
        max_length=5,
    )


class GroupGrantOut(Schema):
    uuid: UUID
    coach: str
    member: str
    group: str
    parts: list[str]
    granted_at: dt.datetime

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "c1d7a0e4-3b29-4e85-b6f2-7a8e9d0c1b53",
                    "coach": "maya",
                    "member": "alice",
                    "group": "Thursday club",
                    "parts": ["goals", "loops"],
                    "granted_at": "2026-11-20T10:00:00Z",
                }
            ]
        }
    }


@_creates(
    "/groups/{uuid:group_uuid}/coach-grants",
    GroupGrantOut,
    "Let a fellow member coach you: read access to the parts you choose",
)
def grant(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupGrantIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    coach = User.objects.filter(username__iexact=body.coach).first()
    if coach is None:
        raise ValidationError({"coach": f"No one called “{body.coach}” is in {group.name}."})
    row = services.coach_grant(owner=owner, coach=coach, group=group, parts=body.parts)
    return Status(201, queries.grant_as_dict(queries.grants_given(owner=owner).get(pk=row.pk)))


@router.get(
    "/coaching/grants",
    response=page_of(GroupGrantOut),
    summary="The coaches who can see your progress, by the coach's sign-in name",
)
def list_grants(request: HttpRequest, limit: int = Limit, cursor: str | None = None) -> Any:
    return paginate(
        request,
        # The cursor keeps the last row's values of these: the name as a column of the row.
        queries.grants_given(owner=owner_of(request)).annotate(coach_name=F("coach__username")),
        order=[("coach_name", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [queries.grant_as_dict(g) for g in found],
    )


def _grant(owner: User, grant_uuid: UUID) -> CoachGrant:
    """A grant the owner gave (a coach reads theirs at /coaching/clients/{id})."""
    row = queries.grants_given(owner=owner).filter(uuid=grant_uuid).first()
    if row is None:
        raise Http404("No such grant.")
    return row


@router.get(
    "/coaching/grants/{uuid:grant_uuid}",
    response=GroupGrantOut,
    summary="One coach's access: who, through which group, which parts",
)
def get_grant(request: HttpRequest, grant_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, queries.grant_as_dict(_grant(owner_of(request), grant_uuid)))


@router.delete(
    "/coaching/grants/{uuid:grant_uuid}",
    response=Deleted,
    summary="End a coach's access at once",
)
def revoke(request: HttpRequest, grant_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the grant's ETag (GET at this address): 412 if it changed
    since (the parts you let them see)."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _grant(owner, grant_uuid),
        show=queries.grant_as_dict,
        change=lambda row: services.coach_revoke(owner=owner, coach=row.coach),
    )


class GroupClientOut(Schema):
    grant: UUID
    username: str
    name: str
    group: str
    parts: list[str]
    journal_entries_30_days: int | None
    open_loops: int | None
    overdue_loops: int | None
    flags: list[str]


@router.get(
    "/coaching/clients",
    response=page_of(GroupClientOut),
    summary="Members who let you coach them, and who went quiet or only asks (by sign-in name)",
)
def clients(request: HttpRequest, limit: int = Limit, cursor: str | None = None) -> Any:
    return paginate_ranked(
        request,
        coach_dashboard(coach=owner_of(request)),
        key=lambda c: (c.username, c.grant),
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [c.as_dict() for c in found],
    )


class GroupMemberViewOut(Schema):
    name: str
    parts: list[str]
    agenda: dict[str, int] | None
    goals: list[tuple[str, int, int, int]] | None
    health: dict[str, int] | None
    loops: dict[str, int] | None
    journal: list[tuple[dt.datetime, str, str]] | None


@router.get(
    "/coaching/clients/{uuid:grant_uuid}",
    response=GroupMemberViewOut,
    summary="What one member lets you see (each look is in their log)",
)
def client(request: HttpRequest, grant_uuid: UUID) -> Any:
    coach = owner_of(request)
    row = CoachGrant.objects.filter(coach=coach, uuid=grant_uuid).select_related("owner").first()
    if row is None:
        raise Http404("No such member.")
    return coach_member_view(coach=coach, username=row.owner.get_username()).as_dict()


class GroupCoachViewOut(Schema):
    viewed_at: dt.datetime
    coach: str
    part: PartName


@router.get(
    "/coaching/log",
    response=page_of(GroupCoachViewOut),
    summary="What your coaches looked at, newest first",
)
def coach_log(request: HttpRequest, limit: int = Limit, cursor: str | None = None) -> Any:
    return paginate(
        request,
        CoachView.objects.filter(owner=owner_of(request)),
        order=[("viewed_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [view_as_dict(v) for v in found],
    )


# --- the board of asks and offers ----------------------------------------------------------


PostKind = Literal["ask", "offer"]
PostWhat = Literal["article", "introduction", "advice", "mock_interview"]


class GroupBoardPostOut(Schema):
    uuid: UUID
    kind: PostKind
    what: PostWhat
    text: str
    by: str
    by_username: str
    posted_at: dt.datetime
    closed: bool
    closed_at: dt.datetime | None
    helper: str | None = Field(description="Who helped (an ask) or took the offer up.")
    helper_username: str | None
    thanks: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "9a3f5c71-2e8d-4b06-a1c4-6d7e8f9a0b12",
                    "kind": "ask",
                    "what": "advice",
                    "text": "Would someone read my CV?",
                    "by": "Alice Moss",
                    "by_username": "alice",
                    "posted_at": "2026-11-20T10:00:00Z",
                    "closed": False,
                    "closed_at": None,
                    "helper": None,
                    "helper_username": None,
                    "thanks": "",
                }
            ]
        }
    }


class GroupBalanceOut(Schema):
    member: str
    username: str
    gave: int = Field(description="Asks the member answered and offers of theirs taken up.")
    got: int
    shown: bool = Field(description="Whether the member lets the group see it.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"member": "Maya Rosen", "username": "maya", "gave": 3, "got": 1, "shown": True}
            ]
        }
    }


@router.get(
    "/groups/{uuid:group_uuid}/board",
    response=page_of(GroupBoardPostOut),
    summary="The group's board of asks and offers: open posts first, newest first",
    description="Then the closed posts, the latest closed first. The give/get balances are "
    "at /groups/{group_uuid}/balances.",
)
def board(
    request: HttpRequest,
    group_uuid: UUID,
    kind: PostKind | None = Query(None, description="Only asks, or only offers."),
    what: PostWhat | None = Query(None, description="Only posts about this."),
    closed: bool | None = Query(
        None, description="false: only open posts; true: only those closed with a thank-you."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    return paginate(
        request,
        queries.board_posts(group=group, kind=kind, what=what, closed=closed),
        order=queries.BOARD_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [queries.board_entry(p, viewer=owner).as_dict() for p in found],
    )


@router.get(
    "/groups/{uuid:group_uuid}/balances",
    response=page_of(GroupBalanceOut),
    summary="The give/get balances you may see on the group's board, by name",
    description="Your own always; another member's only while they let the group see it "
    "(PUT /groups/{group_uuid}/balance-sharing). In the order of the group page and "
    "`circleback group board`: by the member's name as shown (full name, else sign-in name), "
    "ignoring case, then sign-in name.",
)
def list_balances(
    request: HttpRequest, group_uuid: UUID, limit: int = Limit, cursor: str | None = None
) -> Any:
    owner, group = _in_group(request, group_uuid)
    return paginate(
        request,
        queries.balance_memberships(viewer=owner, group=group),
        order=queries.BALANCE_ORDER,
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [
            b.as_dict() for b in queries.balances_of(group=group, memberships=found)
        ],
    )


class GroupBalanceSharingIn(RequestBody):
    shown: StrictBool = Field(description="True: the group sees your give/get; false: only you do.")


@router.get(
    "/groups/{uuid:group_uuid}/balance-sharing",
    response=GroupBalanceOut,
    summary="Your give/get balance in the group, and whether the group sees it",
)
def own_balance(request: HttpRequest, group_uuid: UUID, response: HttpResponse) -> Any:
    owner, group = _in_group(request, group_uuid)
    return with_etag(response, queries.own_balance(owner=owner, group=group).as_dict())


@router.put(
    "/groups/{uuid:group_uuid}/balance-sharing",
    response=GroupBalanceOut,
    summary="Let the group see your give/get balance on its board, or stop (at once)",
)
def share_balance(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupBalanceSharingIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Send `If-Match` with the ETag GET at this address gave (412 if it changed since)."""
    owner, group = _in_group(request, group_uuid)
    return state_guarded(
        request,
        lock=queries.get_membership_for(owner, group.uuid),
        show=lambda: queries.own_balance(owner=owner, group=group).as_dict(),
        change=lambda: services.balance_share(owner=owner, group=group, shown=body.shown),
        response=response,
    )


class GroupBoardPostIn(RequestBody):
    kind: PostKind
    what: PostWhat
    text: Text(REASON_MAX, 1)  # type: ignore[valid-type]


def _post_out(owner: User, group: Any, post_uuid: Any) -> dict[str, Any]:
    return queries.board_entries(viewer=owner, group=group, post_uuid=str(post_uuid))[0].as_dict()


@_creates(
    "/groups/{uuid:group_uuid}/board",
    GroupBoardPostOut,
    "Put an ask or an offer on the group's board",
)
def post_on_board(
    request: HttpRequest,
    group_uuid: UUID,
    body: GroupBoardPostIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    owner, group = _in_group(request, group_uuid)
    post = services.board_post(
        owner=owner, group=group, kind=body.kind, what=body.what, text=body.text
    )
    return Status(201, _post_out(owner, group, post.uuid))


@router.get(
    "/groups/{uuid:group_uuid}/board/{uuid:post_uuid}",
    response=GroupBoardPostOut,
    summary="One post on the group's board",
)
def get_post(
    request: HttpRequest, group_uuid: UUID, post_uuid: UUID, response: HttpResponse
) -> Any:
    owner, group = _in_group(request, group_uuid)
    found = queries.board_entries(viewer=owner, group=group, post_uuid=str(post_uuid))
    if not found:
        raise Http404("No such post.")
    return with_etag(response, found[0].as_dict())


class GroupBoardCloseIn(RequestBody):
    helper: Text(150, 1) = Field(  # type: ignore[valid-type]
        description="The sign-in name of the member who helped or took the offer up."
    )
    thanks: Text(REASON_MAX, 1)  # type: ignore[valid-type]


@router.post(
    "/groups/{uuid:group_uuid}/board/{uuid:post_uuid}/close",
    response=GroupBoardPostOut,
    summary="Close your post with a thank-you: the favour goes in both members' ledgers",
)
def close_post(
    request: HttpRequest,
    group_uuid: UUID,
    post_uuid: UUID,
    body: GroupBoardCloseIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the post's ETag (GET /groups/{id}/board/{post}): 412 if it
    changed since. Answers with the post as it is now, closed."""
    owner, group = _in_group(request, group_uuid)

    def close(post: BoardPost) -> BoardPost:
        helper = User.objects.filter(username__iexact=body.helper).first()
        if helper is None:
            raise ValidationError({"helper": f"No one called “{body.helper}” is in {group.name}."})
        return services.board_close(owner=owner, post=post, helper=helper, thanks=body.thanks)

    return change_guarded(
        request,
        fetch=lambda: queries.get_post_for(owner, group, str(post_uuid)),
        show=lambda post: _post_out(owner, group, post.uuid),
        change=close,
        response=response,
    )
