"""/api/v1 groups: the groups you are in, what you open to them, the ways in through them,
introductions asked across accounts, and coach grants — the group pages' services, unchanged.

A group you are not in is 404, as is another member's person not opened to you."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.accounts.models import User
from circleback.api.common import owner_of
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import Deleted, Text
from circleback.groups import queries, services
from circleback.groups.coaching import coach_dashboard, coach_member_view
from circleback.groups.models import REASON_MAX, CoachGrant, IntroRequest, Opening, Part
from circleback.people.queries import get_organisation_for, get_person_for

router = Router(tags=["groups"])

PartName = Literal["agenda", "goals", "health", "loops", "journal"]


class GroupOut(Schema):
    uuid: UUID
    name: str
    description: str
    role: str
    members: int


class OpenedPersonOut(Schema):
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


class MemberOut(Schema):
    username: str
    name: str
    role: str


class GroupDetailOut(GroupOut):
    member_list: list[MemberOut]
    opened: list[OpenedPersonOut] = Field(
        description="People other members opened: name, organisation, and title and closeness "
        "if they chose; never anything else."
    )


def _group_out(membership: Any, members: int) -> dict[str, Any]:
    return {
        "uuid": membership.group.uuid,
        "name": membership.group.name,
        "description": membership.group.description,
        "role": membership.role,
        "members": members,
    }


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
        serialize=lambda rows: [_group_out(m, m.members) for m in rows],
    )


class GroupIn(Schema):
    name: Text(120, 1)  # type: ignore[valid-type]
    description: Text(2000) = ""  # type: ignore[valid-type]


@router.post("/groups", response={201: GroupOut}, summary="Start a group (you organise it)")
@decorate_view(idempotent)
def create_group(request: HttpRequest, body: GroupIn) -> Any:
    owner = owner_of(request)
    group = services.group_create(owner=owner, name=body.name, description=body.description)
    return Status(201, _group_out(queries.get_membership_for(owner, group.uuid), 1))


@router.get("/groups/{uuid:group_uuid}", response=GroupDetailOut, summary="A group you are in")
def get_group(request: HttpRequest, group_uuid: UUID) -> Any:
    owner = owner_of(request)
    membership = queries.get_membership_for(owner, group_uuid)
    members = list(queries.group_members(membership.group))
    return {
        **_group_out(membership, len(members)),
        "member_list": [
            {"username": m.owner.get_username(), "name": m.owner.get_full_name(), "role": m.role}
            for m in members
        ],
        "opened": [
            p.as_dict() for p in queries.opened_to_group(viewer=owner, group=membership.group)
        ],
    }


class InvitationOut(Schema):
    link: str
    expires_at: dt.datetime


class InvitationIn(Schema):
    days: int = Field(7, ge=1, le=30)


@router.post(
    "/groups/{uuid:group_uuid}/invitations",
    response={201: InvitationOut},
    summary="A single-use invitation link (organisers)",
)
def invite(request: HttpRequest, group_uuid: UUID, body: InvitationIn) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
    invitation, token = services.invitation_create(owner=owner, group=group, days=body.days)
    base = settings.CIRCLEBACK_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return Status(
        201,
        {"link": base + reverse("groups:join", args=[token]), "expires_at": invitation.expires_at},
    )


@router.post(
    "/groups/{uuid:group_uuid}/leave",
    response={204: None},
    summary="Leave a group: everything you opened to it closes at once",
)
def leave(request: HttpRequest, group_uuid: UUID) -> Any:
    owner = owner_of(request)
    services.group_leave(owner=owner, group=queries.get_group_for(owner, group_uuid))
    return HttpResponse(status=204)


class GroupOpeningOut(Schema):
    uuid: UUID
    kind: str
    person: UUID | None
    list: str | None
    tag: str | None
    shows_title: bool
    shows_closeness: bool
    consent: str
    opened_at: dt.datetime


def _opening_out(o: Opening) -> dict[str, Any]:
    return {
        "uuid": o.uuid,
        "kind": o.kind,
        "person": o.person.uuid if o.person else None,
        "list": o.contact_list or None,
        "tag": o.tag.name if o.tag else None,
        "shows_title": o.shows_title,
        "shows_closeness": o.shows_closeness,
        "consent": o.consent,
        "opened_at": o.opened_at,
    }


class GroupOpeningIn(Schema):
    person: UUID | None = None
    list: Literal["A", "B", "C"] | None = None
    tag: Text(60) | None = None  # type: ignore[valid-type]
    consent: bool = Field(
        description="True: you have their permission, or will ask before anyone uses their name."
    )
    shows_title: bool = True
    shows_closeness: bool = True


@router.get(
    "/groups/{uuid:group_uuid}/openings",
    response=list[GroupOpeningOut],
    summary="What you opened to a group",
)
def list_openings(request: HttpRequest, group_uuid: UUID) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
    rows = Opening.objects.filter(owner=owner, group=group).select_related("person", "tag")
    return [_opening_out(o) for o in rows.order_by("pk")[:1000]]


@router.post(
    "/groups/{uuid:group_uuid}/openings",
    response={201: GroupOpeningOut},
    summary="Open one person, a list or a tag to a group, with your consent",
)
def open_people(request: HttpRequest, group_uuid: UUID, body: GroupOpeningIn) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
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
    return Status(201, _opening_out(opening))


@router.delete(
    "/groups/{uuid:group_uuid}/openings/{uuid:opening_uuid}",
    response=Deleted,
    summary="Close what you opened; other members stop seeing it at once",
)
def close_opening(request: HttpRequest, group_uuid: UUID, opening_uuid: UUID) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
    row = Opening.objects.filter(owner=owner, group=group, uuid=opening_uuid).first()
    if row is None:
        raise Http404("No such opening.")
    if row.kind == Opening.Kind.EXCEPT:
        row.delete()
    else:
        services.opening_close(
            owner=owner, group=group, person=row.person, contact_list=row.contact_list, tag=row.tag
        )
    return {"deleted": True}


class GroupWayOut(Schema):
    score: float
    sentence: str
    why: str
    person: OpenedPersonOut


@router.get(
    "/organisations/{uuid:organisation_uuid}/group-ways-in",
    response=list[GroupWayOut],
    summary="People fellow group members opened who work at one of your organisations",
)
def group_ways_in(
    request: HttpRequest,
    organisation_uuid: UUID,
    group: UUID | None = None,
    limit: int = Query(10, ge=1, le=queries.MAX_LIMIT),
) -> Any:
    owner = owner_of(request)
    organisation = get_organisation_for(owner, organisation_uuid)
    in_group = queries.get_group_for(owner, group) if group else None
    ways = queries.group_ways_in(
        owner=owner, organisation=organisation, group=in_group, limit=limit
    )
    return [w.as_dict() for w in ways]


class RequestIn(Schema):
    reason: Text(REASON_MAX, 1)  # type: ignore[valid-type]


class RequestOut(Schema):
    uuid: UUID
    group: str
    seeker: str
    member: str
    person: str
    organisation: str
    reason: str
    state: str
    answer: str
    asked_at: dt.datetime


def _request_out(r: IntroRequest) -> dict[str, Any]:
    return {
        "uuid": r.uuid,
        "group": r.group.name,
        "seeker": queries.display_name(r.seeker),
        "member": queries.display_name(r.member),
        "person": r.person_name,
        "organisation": r.organisation_name,
        "reason": r.reason,
        "state": r.state,
        "answer": r.answer,
        "asked_at": r.asked_at,
    }


@router.post(
    "/groups/{uuid:group_uuid}/people/{uuid:opened_uuid}/requests",
    response={201: RequestOut},
    summary="Ask the member who opened a person to introduce you",
)
def ask(request: HttpRequest, group_uuid: UUID, opened_uuid: UUID, body: RequestIn) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
    row = services.intro_request_ask(
        owner=owner, group=group, person_uuid=str(opened_uuid), reason=body.reason
    )
    row = IntroRequest.objects.select_related("group", "seeker", "member").get(pk=row.pk)
    return Status(201, _request_out(row))


class RequestsOut(Schema):
    asked_of_you: list[RequestOut]
    you_asked: list[RequestOut]


@router.get(
    "/group-requests",
    response=RequestsOut,
    summary="Introduction requests asked of you and by you (the newest 100 of each)",
)
def list_requests(request: HttpRequest) -> Any:
    owner = owner_of(request)
    return {
        "asked_of_you": [
            _request_out(r)
            for r in queries.requests_to_answer(owner=owner).select_related("member")[:100]
        ],
        "you_asked": [
            _request_out(r)
            for r in queries.requests_sent(owner=owner).select_related("seeker")[:100]
        ],
    }


class AnswerIn(Schema):
    accept: bool
    answer: Text(REASON_MAX) = ""  # type: ignore[valid-type]


@router.post(
    "/group-requests/{uuid:request_uuid}/answer",
    response=RequestOut,
    summary="Accept (the seeker gets the person as a referral) or decline kindly",
)
def answer(request: HttpRequest, request_uuid: UUID, body: AnswerIn) -> Any:
    owner = owner_of(request)
    row = queries.get_request_for_member(owner, str(request_uuid))
    services.intro_request_answer(owner=owner, request=row, accept=body.accept, answer=body.answer)
    row = IntroRequest.objects.select_related("group", "seeker", "member").get(pk=row.pk)
    return _request_out(row)


class GrantIn(Schema):
    coach: Text(150, 1)  # type: ignore[valid-type]
    parts: list[PartName] = Field(
        default_factory=lambda: list(Part.values),  # type: ignore[arg-type]
        max_length=5,
    )


class GrantOut(Schema):
    uuid: UUID
    coach: str
    member: str
    group: str
    parts: list[str]
    granted_at: dt.datetime


def _grant_out(g: CoachGrant) -> dict[str, Any]:
    return {
        "uuid": g.uuid,
        "coach": g.coach.get_username(),
        "member": g.owner.get_username(),
        "group": g.group.name,
        "parts": list(g.parts),
        "granted_at": g.granted_at,
    }


@router.post(
    "/groups/{uuid:group_uuid}/coach-grants",
    response={201: GrantOut},
    summary="Let a fellow member coach you: read access to the parts you choose",
)
def grant(request: HttpRequest, group_uuid: UUID, body: GrantIn) -> Any:
    owner = owner_of(request)
    group = queries.get_group_for(owner, group_uuid)
    coach = User.objects.filter(username__iexact=body.coach).first()
    if coach is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"coach": f"No one called “{body.coach}” is in {group.name}."})
    row = services.coach_grant(owner=owner, coach=coach, group=group, parts=body.parts)
    return Status(
        201, _grant_out(CoachGrant.objects.select_related("coach", "owner", "group").get(pk=row.pk))
    )


@router.get(
    "/coaching/grants", response=list[GrantOut], summary="The coaches who can see your progress"
)
def list_grants(request: HttpRequest) -> Any:
    return [
        _grant_out(g) for g in queries.grants_given(owner=owner_of(request)).select_related("owner")
    ]


@router.delete(
    "/coaching/grants/{uuid:grant_uuid}",
    response=Deleted,
    summary="End a coach's access at once",
)
def revoke(request: HttpRequest, grant_uuid: UUID) -> Any:
    owner = owner_of(request)
    row = CoachGrant.objects.filter(owner=owner, uuid=grant_uuid).select_related("coach").first()
    if row is None:
        raise Http404("No such grant.")
    services.coach_revoke(owner=owner, coach=row.coach)
    return {"deleted": True}


class ClientOut(Schema):
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
    response=list[ClientOut],
    summary="Members who let you coach them, and who went quiet or only asks",
)
def clients(request: HttpRequest) -> Any:
    coach = owner_of(request)
    grants = {g.owner.get_username(): g.uuid for g in queries.grants_received(coach=coach)}
    return [
        {
            "grant": grants[c.username],
            "username": c.username,
            "name": c.name,
            "group": c.group,
            "parts": c.parts,
            "journal_entries_30_days": c.entries_30d,
            "open_loops": c.open_loops,
            "overdue_loops": c.overdue_loops,
            "flags": c.flags,
        }
        for c in coach_dashboard(coach=coach)
    ]


class MemberViewOut(Schema):
    name: str
    parts: list[str]
    agenda: dict[str, int] | None
    goals: list[tuple[str, int, int, int]] | None
    health: dict[str, int] | None
    loops: dict[str, int] | None
    journal: list[tuple[dt.datetime, str, str]] | None


@router.get(
    "/coaching/clients/{uuid:grant_uuid}",
    response=MemberViewOut,
    summary="What one member lets you see (each look is in their log)",
)
def client(request: HttpRequest, grant_uuid: UUID) -> Any:
    coach = owner_of(request)
    row = CoachGrant.objects.filter(coach=coach, uuid=grant_uuid).select_related("owner").first()
    if row is None:
        raise Http404("No such member.")
    return coach_member_view(coach=coach, username=row.owner.get_username()).__dict__
