"""Reads for groups: which groups an account is in, who is in them, and what other members
opened — the only way one account's people ever reach another's screen.

`opened_people` is the one definition of "visible to this account through a group": a person
is visible when another member of a group the viewer is in opened them there (by person,
list or tag) and did not keep them closed; it is resolved on every read, so closing or
leaving takes effect at once. Its rows carry only `OPEN_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.http import Http404

from circleback.accounts.models import User
from circleback.db.order import ordered
from circleback.groups.models import (
    BoardPost,
    CoachGrant,
    Group,
    IntroRequest,
    Invitation,
    Membership,
    Opening,
    Role,
)
from circleback.loops.hooks import LoopPageSection, WaitingAnswer
from circleback.ops import clock
from circleback.paths import scoring
from circleback.paths.hooks import ExtraWayIn
from circleback.people.models import Organisation, Person

# How well you know a fellow member, for ranking: a weak tie you share a group with.
GROUP_LINK = 0.5
# The member's closeness to the person when they chose not to show it.
CLOSENESS_UNKNOWN = 3
MAX_LIMIT = 50
# How many of an organisation's opened people are scored, decision makers and the closest
# first: enough for MAX_LIMIT ways in, however many work there.
CANDIDATES = 200
# Which way an introduction request goes, as the owner sees it.
ASKED_OF_YOU = "asked_of_you"
YOU_ASKED = "you_asked"
REQUEST_DIRECTIONS = (ASKED_OF_YOU, YOU_ASKED)


def display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def parse_uuid(value: str) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def memberships_of(owner: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(owner=owner)
        .select_related("group")
        .annotate(members=Count("group__memberships"))
        .order_by("group__name", "group__pk")
    )


def get_membership_for(owner: User, group: str | uuid_module.UUID) -> Membership:
    """The owner's membership of a group named by UUID or (case aside) name; 404 for a group
    they are not in, exactly as for one that does not exist."""
    queryset = Membership.objects.filter(owner=owner).select_related("group")
    parsed = parse_uuid(str(group))
    if parsed is not None:
        found = list(queryset.filter(group__uuid=parsed)[:1])
    else:
        found = list(queryset.filter(group__name__iexact=str(group).strip())[:2])
    if len(found) != 1:
        raise Http404("No such group.")
    return found[0]


def get_group_for(owner: User, group: str | uuid_module.UUID) -> Group:
    return get_membership_for(owner, group).group


def group_members(group: Group) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group)
        .select_related("owner")
        .order_by("-role", "owner__first_name", "owner__username")
    )


def organisers_of(group: Group) -> QuerySet[Membership]:
    return Membership.objects.filter(group=group, role=Role.ORGANISER)


def membership_must_organise(owner: User, group: Group) -> Membership:
    """The owner's membership if they organise the group; 404 if they are not in it, and a
    refusal naming who can if they are a member only."""
    membership = Membership.objects.filter(owner=owner, group=group).first()
    if membership is None:
        raise Http404("No such group.")
    if not membership.is_organiser:
        raise ValidationError(
            {"group": f"Only an organiser of {group.name} can do that; ask one of them."}
        )
    return membership


# --- the shapes every interface shows (the page, the API and `--json` say the same) -------


def membership_as_dict(membership: Membership, members: int | None = None) -> dict[str, Any]:
    """A group as one of its members sees it in a list."""
    count = getattr(membership, "members", None) if members is None else members
    return {
        "uuid": str(membership.group.uuid),
        "name": membership.group.name,
        "description": membership.group.description,
        "role": membership.role,
        "members": count,
        "shares_balance": membership.shows_balance,
    }


def group_as_dict(membership: Membership, *, viewer: User) -> dict[str, Any]:
    """A group as one of its members sees it: who is in it and how many people other members
    opened to it (they come a page at a time from `opened_list`). Four statements."""
    members = list(group_members(membership.group))
    return {
        **membership_as_dict(membership, len(members)),
        "member_list": [member_as_dict(m) for m in members],
        # How many; the people themselves come a page at a time (`opened_list`).
        "opened_count": opened_people(viewer=viewer, group=membership.group).count(),
    }


def member_as_dict(membership: Membership) -> dict[str, Any]:
    return {
        "username": membership.owner.get_username(),
        "name": membership.owner.get_full_name(),
        "role": membership.role,
    }


def request_as_dict(request: IntroRequest, *, viewer: User) -> dict[str, Any]:
    """An introduction request, for either side: the seeker and the member are both named,
    the person only as the seeker saw them when asking, and which way it goes for `viewer`."""
    return {
        "uuid": str(request.uuid),
        "direction": ASKED_OF_YOU if request.member_id == viewer.pk else YOU_ASKED,
        "group": request.group.name,
        "seeker": display_name(request.seeker),
        "member": display_name(request.member),
        "person": request.person_name,
        "organisation": request.organisation_name,
        "reason": request.reason,
        "state": request.state,
        "answer": request.answer,
        "asked_at": request.asked_at,
    }


def opening_as_dict(opening: Opening) -> dict[str, Any]:
    """One thing the owner opened to a group (or a person kept closed: kind "except")."""
    return {
        "uuid": str(opening.uuid),
        "kind": opening.kind,
        "person": str(opening.person.uuid) if opening.person else None,
        "person_name": opening.person.full_name if opening.person else None,
        "list": opening.contact_list or None,
        "tag": opening.tag.name if opening.tag else None,
        "shows_title": opening.shows_title,
        "shows_closeness": opening.shows_closeness,
        "consent": opening.consent,
        "opened_at": opening.opened_at,
    }


def grant_as_dict(grant: CoachGrant) -> dict[str, Any]:
    """A coach grant, as the member who gave it and the coach both see it."""
    return {
        "uuid": str(grant.uuid),
        "coach": grant.coach.get_username(),
        "member": grant.owner.get_username(),
        "group": grant.group.name,
        "parts": list(grant.parts),
        "granted_at": grant.granted_at,
    }


# --- invitation links ----------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationRow:
    """An invitation link as its group's organisers see it (the link itself is never kept)."""

    uuid: str
    made_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    state: str  # "waiting", "used", "expired" or "withdrawn"
    used_by: str

    @property
    def words(self) -> str:
        if self.state == "used":
            return f"used by {self.used_by}"
        if self.state == "withdrawn":
            return "withdrawn"
        if self.state == "expired":
            return "expired"
        return "waiting to be used"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _invitation_state(invitation: Invitation, now: dt.datetime) -> str:
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "withdrawn"
    if invitation.expires_at <= now:
        return "expired"
    return "waiting"


# What a member opened, wherever it is listed (the group page, `group openings`, the API):
# people, lists, tags, then those kept closed, the oldest first within each. `place` is
# annotated by `openings_of`, so a page can resume after an opening.
OPENING_PLACE = Case(
    *[
        When(kind=kind, then=Value(place))
        for place, kind in enumerate(
            [Opening.Kind.PERSON, Opening.Kind.LIST, Opening.Kind.TAG, Opening.Kind.EXCEPT]
        )
    ],
    default=Value(len(Opening.Kind.choices)),
    output_field=IntegerField(),
)
OPENING_ORDER = [("place", False), ("pk", False)]


def openings_of(owner: User, group: Group) -> QuerySet[Opening]:
    """What the owner opened to the group (people, lists, tags and the exceptions), with
    the person and tag each names, in `OPENING_ORDER`."""
    rows = (
        Opening.objects.filter(owner=owner, group=group)
        .select_related("person", "tag")
        .annotate(place=OPENING_PLACE)
    )
    return ordered(rows, OPENING_ORDER)


def get_opening_for(owner: User, group: Group, opening: str | uuid_module.UUID) -> Opening:
    """One of the owner's openings in the group; anyone else's, or none, is a 404."""
    parsed = opening if isinstance(opening, uuid_module.UUID) else parse_uuid(opening)
    row = openings_of(owner, group).filter(uuid=parsed).first() if parsed else None
    if row is None:
        raise Http404("No such opening.")
    return row


def invitations_query(*, owner: User, group: Group) -> QuerySet[Invitation]:
    """The group's invitation links, unordered, for paging (organisers only: others 404)."""
    membership_must_organise(owner, group)
    return Invitation.objects.filter(group=group).select_related("created_by", "used_by")


def invitation_rows(invitations: Iterable[Invitation]) -> list[InvitationRow]:
    """Invitations (with created_by and used_by) as what a list shows of them."""
    now = clock.now()
    return [
        InvitationRow(
            uuid=str(i.uuid),
            made_by=display_name(i.created_by),
            created_at=i.created_at,
            expires_at=i.expires_at,
            state=_invitation_state(i, now),
            used_by=display_name(i.used_by) if i.used_by else "",
        )
        for i in invitations
    ]


# Newest first; the pk breaks ties, so pages never skip or repeat one.
INVITATION_ORDER = [("created_at", True), ("pk", True)]


def invitations_newest_first(*, owner: User, group: Group) -> QuerySet[Invitation]:
    """The group's invitation links in `INVITATION_ORDER`, for the web page, the CLI and the
    API to page; organisers only (others 404)."""
    return ordered(invitations_query(owner=owner, group=group), INVITATION_ORDER)


def invitations_of(
    *, owner: User, group: Group, invitation_uuid: str | None = None
) -> list[InvitationRow]:
    """The group's invitation links, newest first, or the one named (organisers only). Every
    one of them: a list to show a page at a time is `invitations_newest_first`."""
    rows = invitations_newest_first(owner=owner, group=group)
    if invitation_uuid is not None:
        parsed = parse_uuid(invitation_uuid)
        rows = rows.filter(uuid=parsed) if parsed else rows.none()
    return invitation_rows(rows)


# --- what is open --------------------------------------------------------------------------


_OPENING_FIELDS = (
    "group__name",
    "group__uuid",
    "group_id",
    "owner_id",
    "kind",
    "person_id",
    "contact_list",
    "tag_id",
    "shows_title",
    "shows_closeness",
)
_PERSON_FIELDS = (
    "uuid",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "full_name",
    "title",
    "closeness",
    "contact_list",
    "is_decision_maker",
    "organisation__name",
)


def _viewer_group_ids(viewer: User, group: Group | None) -> list[int]:
    mine = Membership.objects.filter(owner=viewer)
    if group is not None:
        mine = mine.filter(group=group)
    return list(mine.values_list("group_id", flat=True))


def _open_in(viewer: User, group_ids: list[int]) -> Q:
    """The condition on a person that another member opened them in one of `group_ids` (by
    person, list or tag) and did not keep them closed there.

    Set-based: the lists opened are read in one statement (a handful a member); every other
    part is a sub-query that does not depend on the person, so the database runs each once
    (a hashed set), never once a row. The people's owner must be a member still."""
    lists: dict[int, dict[str, list[int]]] = {}
    for group_id, owner_id, code in (
        Opening.objects.filter(group_id__in=group_ids, kind=Opening.Kind.LIST)
        .exclude(owner=viewer)
        .values_list("group_id", "owner_id", "contact_list")
        .order_by("group_id", "contact_list", "owner_id")
    ):
        lists.setdefault(group_id, {}).setdefault(code, []).append(owner_id)
    result = Q(pk__in=[])
    for group_id in group_ids:
        here = Opening.objects.filter(group_id=group_id).exclude(owner=viewer)
        opened = Q(pk__in=here.filter(kind=Opening.Kind.PERSON).values("person_id")) | Q(
            pk__in=Person.tags.through.objects.filter(
                tag_id__in=here.filter(kind=Opening.Kind.TAG).values("tag_id")
            ).values("person_id")
        )
        for code, owners in lists.get(group_id, {}).items():
            opened |= Q(contact_list=code, owner_id__in=owners)
        members = Membership.objects.filter(group_id=group_id).exclude(owner=viewer)
        result |= (
            Q(owner_id__in=members.values("owner_id"))
            & opened
            & ~Q(pk__in=here.filter(kind=Opening.Kind.EXCEPT).values("person_id"))
        )
    return result


def opened_people(*, viewer: User, group: Group | None = None) -> QuerySet[Person]:
    """People other members opened to the viewer's groups (or to one of them).

    Set-based, whatever the group's size: two small reads (the viewer's groups, the lists
    opened), then one statement for the people. Which opening shows a person — and so which
    fields — is `opened_as`'s to say. Callers read only OPEN_FIELDS."""
    group_ids = _viewer_group_ids(viewer, group)
    if not group_ids:
        return Person.objects.none()
    return (
        Person.objects.filter(_open_in(viewer, group_ids))
        .select_related("owner", "organisation")
        .only(*_PERSON_FIELDS)
    )


def _first_opening(
    person: Person, openings: list[Opening], tags: dict[int, set[int]]
) -> Opening | None:
    """The first opening (by when it was made) that shows this person, unless they are kept
    closed in its group."""
    kept_closed = {
        o.group_id for o in openings if o.kind == Opening.Kind.EXCEPT and o.person_id == person.pk
    }
    for o in openings:
        if o.owner_id != person.owner_id or o.group_id in kept_closed:
            continue
        if (
            (o.kind == Opening.Kind.PERSON and o.person_id == person.pk)
            or (o.kind == Opening.Kind.LIST and o.contact_list == person.contact_list)
            or (o.kind == Opening.Kind.TAG and o.tag_id in tags.get(person.pk, ()))
        ):
            return o
    return None


def opened_as(
    people: list[Person], *, viewer: User, group_ids: list[int] | None = None
) -> list[OpenedPerson]:
    """Each of these opened people as the viewer may see them: the fields the first opening
    that shows them lets through. Three statements whatever their number: the lists and tags
    opened, the single people opened or kept closed among these, and (if a tag is open)
    their tags."""
    if not people:
        return []
    if group_ids is None:
        group_ids = _viewer_group_ids(viewer, None)
    ids = [p.pk for p in people]
    openings = list(
        Opening.objects.filter(group_id__in=group_ids)
        .filter(Q(kind__in=["list", "tag"]) | Q(person_id__in=ids))
        .exclude(owner=viewer)
        .select_related("group")
        .only(*_OPENING_FIELDS)
        .order_by("pk")
    )
    tags: dict[int, set[int]] = {}
    if any(o.kind == Opening.Kind.TAG for o in openings):
        for person_id, tag_id in Person.tags.through.objects.filter(person_id__in=ids).values_list(
            "person_id", "tag_id"
        ):
            tags.setdefault(person_id, set()).add(tag_id)
    found = []
    for person in people:
        opening = _first_opening(person, openings, tags)
        if opening is not None:
            found.append(OpenedPerson.of(person, opening))
    return found


@dataclass(frozen=True)
class OpenedPerson:
    """Another member's person as the viewer may see them: the opened fields and no more."""

    uuid: str
    name: str
    organisation: str
    title: str  # "" when the member keeps it closed
    closeness: int | None  # None when the member keeps it closed
    decision_maker: bool  # shown with the title, never without it
    member: str
    member_username: str
    group: str
    group_uuid: str

    @classmethod
    def of(cls, person: Person, opening: Opening) -> OpenedPerson:
        shows_title, shows_closeness = opening.shows_title, opening.shows_closeness
        return cls(
            uuid=str(person.uuid),
            name=person.full_name,
            organisation=person.organisation.name if person.organisation else "",
            title=person.title if shows_title else "",
            closeness=person.closeness if shows_closeness else None,
            decision_maker=person.is_decision_maker if shows_title else False,
            member=display_name(person.owner),
            member_username=person.owner.get_username(),
            group=opening.group.name,
            group_uuid=str(opening.group.uuid),
        )

    @property
    def described(self) -> str:
        """ "Vera Holt, VP Engineering at Globex" """
        text = self.name
        if self.title:
            text += f", {self.title}"
        if self.organisation:
            text += f" at {self.organisation}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "uuid": self.uuid,
            "name": self.name,
            "organisation": self.organisation,
            "title": self.title,
            "closeness": self.closeness,
            "decision_maker": self.decision_maker,
            "member": self.member,
            "member_username": self.member_username,
            "group": self.group,
            "group_uuid": self.group_uuid,
        }


# The order of the people other members opened, wherever they are listed (the group page,
# `group show`, the API): by the member who opened them (sign-in name), then the person's
# name. As columns (`opened_list` annotates them), so a page can resume after a person.
OPENED_ORDER = [("member_username", False), ("full_name", False), ("pk", False)]


def opened_list(*, viewer: User, group: Group) -> QuerySet[Person]:
    """Everyone other members opened to this group, in `OPENED_ORDER`, for a page at a time
    (the group page and `group show` by offset, the API by cursor). Show a page's rows with
    `opened_as(rows, viewer=viewer, group_ids=[group.pk])`: only the opened fields."""
    rows = opened_people(viewer=viewer, group=group).annotate(member_username=F("owner__username"))
    return ordered(rows, OPENED_ORDER)


def opened_to_group(
    *, viewer: User, group: Group, limit: int = 200, offset: int = 0
) -> list[OpenedPerson]:
    """One stretch of `opened_list` (`limit` people from `offset`), as the viewer may see them.

    Six statements at most, whatever the group's size (a test counts them): the viewer's
    membership, the lists opened, the people, then `opened_as`'s three."""
    people = list(opened_list(viewer=viewer, group=group)[offset : offset + limit])
    return opened_as(people, viewer=viewer, group_ids=[group.pk])


def get_opened_person(*, viewer: User, group: Group, person_uuid: str) -> Person:
    """Another member's person, only if it is open to the viewer in this group (else 404)."""
    parsed = parse_uuid(person_uuid)
    person = (
        opened_people(viewer=viewer, group=group).filter(uuid=parsed).first() if parsed else None
    )
    if person is None:
        raise Http404("No such person in this group.")
    return person


def get_opened(*, viewer: User, group: Group, person_uuid: str) -> OpenedPerson:
    """The same person, as the viewer may see them."""
    person = get_opened_person(viewer=viewer, group=group, person_uuid=person_uuid)
    return opened_as([person], viewer=viewer, group_ids=[group.pk])[0]


# --- ways in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupWayIn:
    score: float
    person: OpenedPerson

    @property
    def sentence(self) -> str:
        return f"{self.person.member} ({self.person.group}) knows {self.person.described}"

    @property
    def why(self) -> str:
        closeness = self.person.closeness
        known = (
            f"{self.person.member} rates them {closeness} of 5 for closeness"
            if closeness
            else f"{self.person.member} opened them to the group"
        )
        end = (
            "a decision maker, who can say yes"
            if self.person.decision_maker
            else ("they could introduce you to whoever decides")
        )
        return f"{known}; {end}. Ask {self.person.member} through Circleback."

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "sentence": self.sentence,
            "why": self.why,
            "via": "group",
            "person": self.person.as_dict(),
        }


def _score(person: OpenedPerson) -> float:
    closeness = person.closeness or CLOSENESS_UNKNOWN
    end = scoring.DECISION_MAKER_END if person.decision_maker else scoring.OTHER_END
    return GROUP_LINK * (closeness / 5.0) * scoring.LENGTH_PENALTY * end


def _visible_q(openings: list[Opening], *, row_by_row: bool = False) -> Q | None:
    """The condition on a person that the openings make them visible: per group, its members'
    opened lists, tags and single people, less those kept closed there. None if nothing is
    open.

    A tag is checked as a set (everyone tagged, hashed once: for reading many people) or,
    `row_by_row`, by each person's own tags (by the through table's (person, tag) index: for
    a read that stops after a few people, where hashing everyone tagged would cost more)."""
    by_group: dict[int, list[Opening]] = {}
    for o in openings:
        by_group.setdefault(o.group_id, []).append(o)
    result: Q | None = None
    for rows in by_group.values():
        lists: dict[str, set[int]] = {}
        tag_ids = [o.tag_id for o in rows if o.kind == Opening.Kind.TAG]
        person_ids = [o.person_id for o in rows if o.kind == Opening.Kind.PERSON]
        closed = [o.person_id for o in rows if o.kind == Opening.Kind.EXCEPT]
        for o in rows:
            if o.kind == Opening.Kind.LIST:
                lists.setdefault(o.contact_list, set()).add(o.owner_id)
        opened = Q(pk__in=[])
        for code, owners in lists.items():
            opened |= Q(contact_list=code, owner_id__in=sorted(owners))
        if person_ids:
            opened |= Q(pk__in=person_ids)
        if tag_ids and row_by_row:
            opened |= Q(
                Exists(
                    Person.tags.through.objects.filter(person_id=OuterRef("pk"), tag_id__in=tag_ids)
                )
            )
        elif tag_ids:
            opened |= Q(
                pk__in=Person.tags.through.objects.filter(tag_id__in=tag_ids).values("person_id")
            )
        if closed:
            opened &= ~Q(pk__in=closed)
        result = opened if result is None else result | opened
    return result


@dataclass(frozen=True)
class _OpenAt:
    org_names: dict[int, str]  # fellow members' organisations there: id -> normalized name
    openings: list[Opening]  # what could show someone there, oldest first
    visible: Q  # the condition on a person there that they are open to the viewer


def _open_at(
    owner: User, names: list[str], group: Group | None, *, with_organisations: bool = True
) -> _OpenAt | None:
    """What other members opened at the organisations of these (normalized) names, in the
    owner's groups (or one of them). Four statements, whatever the group's size: the groups;
    the organisations' ids (each member's own row for a name, by the unique (owner, name)
    index); the lists and tags members opened (a handful a member), and the single people
    opened or kept closed at those organisations. None if nothing can be open there.

    Without `with_organisations` (for many names, where the ids would be every member's row
    for every name — ten thousand for 50 names in a group of 200 — and only the counts are
    wanted), three statements, and `org_names` is empty."""
    group_ids = _viewer_group_ids(owner, group)
    if not group_ids or not names:
        return None
    members = Membership.objects.filter(group_id__in=group_ids).exclude(owner=owner)
    org_names: dict[int, str] = {}
    if with_organisations:
        org_names = dict(
            Organisation.objects.filter(
                owner_id__in=members.values("owner_id"), normalized_name__in=names
            ).values_list("pk", "normalized_name")
        )
        if not org_names:
            return None
    singles = Opening.objects.filter(group_id__in=group_ids, kind__in=["person", "except"])
    if with_organisations:  # a member's row a name: from their people there (person_org_dm)
        singles = singles.filter(person__organisation_id__in=list(org_names))
    else:
        # Found from the openings (a few a member) by their person's organisation's name:
        # a list of every member's organisation of 50 names (10,000 ids) made PostgreSQL
        # read every person of the group in parallel (74 ms, 20 ms more to plan).
        singles = singles.filter(
            person__organisation__normalized_name__in=names,
            person__organisation__owner_id__in=members.values("owner_id"),
        )
    wider = Opening.objects.filter(group_id__in=group_ids, kind__in=["list", "tag"]).exclude(
        owner=owner
    )
    openings: list[Opening] = []
    for some in (wider, singles):
        if with_organisations:  # people will be shown: with what each opening shows
            some = some.select_related("group").only(*_OPENING_FIELDS)
        else:  # only counted: what decides who is visible, no more
            some = some.only("group_id", "owner_id", "kind", "person_id", "contact_list", "tag_id")
        openings += some.order_by("pk")
    openings.sort(key=lambda o: o.pk)
    visible = _visible_q(openings)
    if visible is None:
        return None
    return _OpenAt(org_names, openings, visible)


class _CountUpTo(Subquery):
    """`(SELECT COUNT(*) FROM (<a sliced queryset>))`: a count that stops reading at the
    slice's LIMIT, so it costs the same for a target with ten opened people or ten thousand."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def group_ways_in_counts(
    owner: User, organisations: list[Organisation], limit: int
) -> dict[int, int]:
    """The Ways in index's hook: how many people other members opened work at each of these
    organisations (by name, as each member spells it), at most `limit` each.

    Bounded whatever the group's size, five statements: `_open_at`'s three (without the
    organisations' ids), the fellow members' ids, and one that counts every target, each by
    a sub-query that finds each member's organisation of the target's name (the unique
    (owner, normalized name) index), its people (person_org_dm), and stops at `limit`
    visible people — so a target where two hundred members know thousands costs what one
    with ten does, and one no member has an organisation of that name counts 0 after a
    probe a member. A tag is checked on each person read, not by hashing everyone tagged."""
    by_name: dict[str, list[int]] = {}
    for organisation in organisations:
        by_name.setdefault(organisation.normalized_name, []).append(organisation.pk)
    at = _open_at(owner, list(by_name), None, with_organisations=False)
    if at is None:
        return {}
    # Fellow members' ids as a list, not a sub-query: the planner then probes the unique
    # (owner, normalized name) index once a member, for each target.
    members = list(
        Membership.objects.filter(group__memberships__owner=owner)
        .exclude(owner=owner)
        .values_list("owner_id", flat=True)
        .distinct()
        .order_by("owner_id")
    )
    only_open = _visible_q(at.openings, row_by_row=True)
    # A target's visible people, up to `limit`: each member's own organisation of that name
    # (by the unique (owner, normalized name) index), then its people by person_org_dm.
    visible_there = (
        Person.objects.filter(
            organisation__owner_id__in=members,
            organisation__normalized_name=OuterRef("normalized_name"),
        )
        .exclude(owner=owner)
        .filter(only_open)
        .order_by()
        .values("pk")[:limit]
    )
    counts: dict[int, int] = {}
    for name, n in (
        Organisation.objects.filter(pk__in=[pks[0] for pks in by_name.values()])
        .annotate(n=_CountUpTo(visible_there))
        .values_list("normalized_name", "n")
        .order_by()
    ):
        if n:
            for target in by_name[name]:
                counts[target] = n
    return counts


def group_ways_in(
    *, owner: User, organisation: Organisation, group: Group | None = None, limit: int = 10
) -> list[GroupWayIn]:
    """People other members opened who work at the organisation (matched by its name, as
    each member spells it: "Globex Inc." is "Globex"), scored like a path of one person in
    between (`scoring.py`, with the fellow member as a weak first link).

    Six statements at most, whatever the group's size: the viewer's groups; the
    organisations' ids (each member's own row for the name, by the unique (owner, name)
    index); the lists and tags members opened, and the single people opened or kept closed
    at those organisations; the people there those make visible, decision makers and the
    closest first, at most CANDIDATES (by the person_org_dm index, which starts with the
    organisation); and, if a tag is open, their tags. The candidates are then scored
    exactly, with only the fields each opening shows."""
    at = _open_at(owner, [organisation.normalized_name], group)
    if at is None:
        return []
    org_ids, openings, visible = list(at.org_names), at.openings, at.visible
    # Plain conditions on the people at those organisations, no correlated sub-query: the
    # planner reads them by the person_org_dm index, and sorts only what matches.
    people = list(
        Person.objects.filter(organisation_id__in=org_ids)
        .exclude(owner=owner)
        .filter(visible)
        .select_related("owner", "organisation")
        .only(*_PERSON_FIELDS)
        .order_by("-is_decision_maker", "-closeness", "pk")[:CANDIDATES]
    )
    if not people:
        return []
    tags: dict[int, set[int]] = {}
    if any(o.kind == Opening.Kind.TAG for o in openings):
        for person_id, tag_id in Person.tags.through.objects.filter(
            person_id__in=[p.pk for p in people]
        ).values_list("person_id", "tag_id"):
            tags.setdefault(person_id, set()).add(tag_id)
    found = []
    for person in people:
        opening = _first_opening(person, openings, tags)
        if opening is not None:
            found.append(OpenedPerson.of(person, opening))
    ways = sorted(
        (GroupWayIn(_score(p), p) for p in found), key=lambda w: (-w.score, w.person.name)
    )
    return ways[:limit]


def group_ways_in_for_paths(
    owner: User, organisation: Organisation, limit: int
) -> list[ExtraWayIn]:
    """The paths pages' hook: the same ways in, as paths shows them."""
    from django.urls import reverse

    return [
        ExtraWayIn(
            score=way.score,
            sentence=way.sentence,
            why=way.why,
            source=way.person.group,
            action_url=reverse("groups:ask", args=[way.person.group_uuid, way.person.uuid]),
            action_label=f"Ask {way.person.member} for an introduction",
        )
        for way in group_ways_in(owner=owner, organisation=organisation, limit=limit)
    ]


# --- introduction requests -----------------------------------------------------------------


def requests_of(
    *, owner: User, direction: str | None = None, state: str | None = None
) -> QuerySet[IntroRequest]:
    """The owner's introduction requests: asked of them (`ASKED_OF_YOU`), by them
    (`YOU_ASKED`), or both ways; in one state if given. Unordered: each list orders it."""
    ways = {ASKED_OF_YOU: Q(member=owner), YOU_ASKED: Q(seeker=owner)}
    rows = IntroRequest.objects.filter(
        ways[direction] if direction else ways[ASKED_OF_YOU] | ways[YOU_ASKED]
    )
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("seeker", "member", "group")


# The order of a list of requests (the API's and `group requests`): newest first. As
# columns, so a page can resume after a request.
REQUEST_ORDER = [("asked_at", True), ("pk", True)]


def request_order(rows: QuerySet[IntroRequest]) -> QuerySet[IntroRequest]:
    return ordered(rows, REQUEST_ORDER)


def requests_to_answer(*, owner: User) -> QuerySet[IntroRequest]:
    """Requests other members sent the owner: those waiting for an answer first, then the
    answered and withdrawn ones; newest first within each."""
    return (
        requests_of(owner=owner, direction=ASKED_OF_YOU)
        .annotate(
            waiting=Case(
                When(state=IntroRequest.State.ASKED, then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        .order_by("-waiting", "-asked_at", "-pk")
    )


LOOPS_PAGE_REQUESTS = 5


def requests_waiting_for_loops(owner: User) -> LoopPageSection | None:
    """The loops page's section: introductions fellow members asked of the owner that wait
    on an answer, the oldest first (they have waited longest). Two statements."""
    from django.urls import reverse

    waiting = IntroRequest.objects.filter(member=owner, state=IntroRequest.State.ASKED)
    total = waiting.count()
    if not total:
        return None
    rows = waiting.select_related("seeker", "group").order_by("asked_at", "pk")[
        :LOOPS_PAGE_REQUESTS
    ]
    return LoopPageSection(
        heading="Introductions fellow members asked of you",
        hint="Through your groups. Accepting gives them the person as a referral and opens "
        "your own loop: tell the person to expect a call.",
        total=total,
        items=[
            WaitingAnswer(
                title=f"{display_name(r.seeker)} ({r.group.name}) asks to meet {r.person_name}"
                + (f" at {r.organisation_name}" if r.organisation_name else ""),
                reason=r.reason,
                asked_at=r.asked_at,
                answer_url=reverse("groups:answer", args=[r.uuid]),
                accept_label="Accept: I'll introduce them",
                key=str(r.uuid),
            )
            for r in rows
        ],
        more_url=reverse("groups:requests") if total > LOOPS_PAGE_REQUESTS else "",
        more_label=f"All {total} on the requests page",
    )


def requests_sent(*, owner: User) -> QuerySet[IntroRequest]:
    """Requests the owner sent, newest first."""
    return request_order(requests_of(owner=owner, direction=YOU_ASKED))


def get_request_for_member(owner: User, request_uuid: str) -> IntroRequest:
    parsed = parse_uuid(request_uuid)
    found = (
        IntroRequest.objects.filter(member=owner, uuid=parsed)
        .select_related("seeker", "person", "group", "person__organisation")
        .first()
        if parsed
        else None
    )
    if found is None:
        raise Http404("No such request.")
    return found


# --- coaches -------------------------------------------------------------------------------


def grants_given(*, owner: User) -> QuerySet[CoachGrant]:
    return (
        CoachGrant.objects.filter(owner=owner)
        .select_related("coach", "owner", "group")
        .order_by("coach__username", "pk")
    )


def grants_received(*, coach: User) -> QuerySet[CoachGrant]:
    return CoachGrant.objects.filter(coach=coach).select_related("owner", "group")


def get_grant_for_coach(coach: User, member_username: str) -> CoachGrant:
    found = (
        CoachGrant.objects.filter(coach=coach, owner__username__iexact=member_username)
        .select_related("owner", "group")
        .first()
    )
    if found is None:
        raise Http404("No such member.")
    return found


# --- the board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    """A post on the board as a member sees it."""

    uuid: str
    kind: str  # "ask" or "offer"
    what: str
    what_label: str
    text: str
    by: str
    by_username: str
    mine: bool
    posted_at: dt.datetime
    closed_at: dt.datetime | None
    helper: str
    helper_username: str
    thanks: str

    @property
    def sentence(self) -> str:
        """ "Maya Rosen offers a mock interview: PM loops" """
        verb = "asks for" if self.kind == BoardPost.Kind.ASK else "offers"
        return f"{self.by} {verb} {self.what_label.lower()}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "kind": self.kind,
            "what": self.what,
            "text": self.text,
            "by": self.by,
            "by_username": self.by_username,
            "posted_at": self.posted_at,
            "closed": self.closed_at is not None,
            "closed_at": self.closed_at,
            "helper": self.helper or None,
            "helper_username": self.helper_username or None,
            "thanks": self.thanks,
        }


# The board's order: open posts first, newest first; then closed ones, the latest closed
# first. As columns (`board_posts` annotates them), so a page can resume after a post.
BOARD_ORDER = [("is_open", True), ("closed_or_posted_at", True), ("posted_at", True), ("pk", True)]


def board_posts(
    *,
    group: Group,
    kind: str | None = None,
    what: str | None = None,
    closed: bool | None = None,
) -> QuerySet[BoardPost]:
    """The group's posts (of one kind, about one thing, open or closed if given), with the
    columns of `BOARD_ORDER`; every member of the group sees them all."""
    rows = BoardPost.objects.filter(group=group)
    if kind:
        rows = rows.filter(kind=kind)
    if what:
        rows = rows.filter(what=what)
    if closed is not None:
        rows = rows.filter(closed_at__isnull=not closed)
    return rows.select_related("owner", "helper").annotate(
        is_open=Case(When(closed_at__isnull=True, then=1), default=0, output_field=IntegerField()),
        closed_or_posted_at=Coalesce("closed_at", "posted_at"),
    )


def board_order(rows: QuerySet[BoardPost]) -> QuerySet[BoardPost]:
    return ordered(rows, BOARD_ORDER)


def board_list(
    *,
    group: Group,
    kind: str | None = None,
    what: str | None = None,
    closed: bool | None = None,
) -> QuerySet[BoardPost]:
    """The board (filtered as `board_posts` filters it) in `BOARD_ORDER`, for a page at a
    time (the group page, `group board`; the API pages `board_posts` by cursor in the same
    order)."""
    return board_order(board_posts(group=group, kind=kind, what=what, closed=closed))


def board_entry(post: BoardPost, *, viewer: User) -> BoardEntry:
    return BoardEntry(
        uuid=str(post.uuid),
        kind=post.kind,
        what=post.what,
        what_label=post.get_what_display(),
        text=post.text,
        by=display_name(post.owner),
        by_username=post.owner.get_username(),
        mine=post.owner_id == viewer.pk,
        posted_at=post.posted_at,
        closed_at=post.closed_at,
        helper=display_name(post.helper) if post.helper else "",
        helper_username=post.helper.get_username() if post.helper else "",
        thanks=post.thanks,
    )


def board_entries(
    *, viewer: User, group: Group, limit: int = 100, post_uuid: str | None = None
) -> list[BoardEntry]:
    """The group's board in `BOARD_ORDER`, the first `limit` (or the one post named). One
    statement."""
    rows = board_posts(group=group)
    if post_uuid is not None:
        parsed = parse_uuid(post_uuid)
        rows = rows.filter(uuid=parsed) if parsed else rows.none()
    return [board_entry(p, viewer=viewer) for p in board_order(rows)[:limit]]


def get_post_for(owner: User, group: Group, post_uuid: str) -> BoardPost:
    """One of the owner's own posts on this group's board (else 404)."""
    parsed = parse_uuid(post_uuid)
    found = (
        BoardPost.objects.filter(group=group, owner=owner, uuid=parsed)
        .select_related("group")
        .first()
        if parsed
        else None
    )
    if found is None:
        raise Http404("No such post.")
    return found


@dataclass(frozen=True)
class Balance:
    member: str
    username: str
    gave: int  # asks answered and offers taken up
    got: int
    shown: bool  # the member lets the group see it (the viewer always sees their own)

    @property
    def words(self) -> str:
        return f"gave {self.gave}, got {self.got}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Board:
    """A group's board as a member sees it: posts (a page of them) and the balances they may
    see; `group board --json` prints it."""

    posts: list[BoardEntry]
    balances: list[Balance]

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": [p.as_dict() for p in self.posts],
            "balances": [b.as_dict() for b in self.balances],
        }


# The order of the balances, wherever they are shown (the group page, `group board`, the
# API): by the member's name as shown — their full name, else their sign-in name — ignoring
# case, then the sign-in name. As columns (`balance_memberships` annotates them), so a page
# can resume after a member.
BALANCE_ORDER = [("member_name", False), ("member_username", False), ("pk", False)]


def balance_memberships(*, viewer: User, group: Group) -> QuerySet[Membership]:
    """The members whose give/get on this group's board the viewer may see — their own
    always, others' only if they let the group see it — in `BALANCE_ORDER`."""
    full_name = Trim(Concat("owner__first_name", Value(" "), "owner__last_name"))
    rows = (
        Membership.objects.filter(group=group)
        .filter(Q(owner=viewer) | Q(shows_balance=True))
        .select_related("owner")
        .annotate(
            # display_name(), in SQL
            member_name=Lower(Coalesce(NullIf(full_name, Value("")), "owner__username")),
            member_username=F("owner__username"),
        )
    )
    return ordered(rows, BALANCE_ORDER)


def balances_of(*, group: Group, memberships: Iterable[Membership]) -> list[Balance]:
    """These members' give/get on the group's board (asks answered and offers taken up),
    counted from its closed posts. One statement."""
    closed = BoardPost.objects.filter(group=group, closed_at__isnull=False)
    gave: dict[int, int] = {}
    got: dict[int, int] = {}
    for kind, owner_id, helper_id in closed.values_list("kind", "owner_id", "helper_id"):
        giver, taker = (helper_id, owner_id) if kind == "ask" else (owner_id, helper_id)
        gave[giver] = gave.get(giver, 0) + 1
        got[taker] = got.get(taker, 0) + 1
    return [
        Balance(
            display_name(m.owner),
            m.owner.get_username(),
            gave.get(m.owner_id, 0),
            got.get(m.owner_id, 0),
            m.shows_balance,
        )
        for m in memberships
    ]


def board_balances(*, viewer: User, group: Group) -> list[Balance]:
    """Each member's give/get on this group's board that the viewer may see. Two
    statements."""
    return balances_of(group=group, memberships=balance_memberships(viewer=viewer, group=group))


def own_balance(*, owner: User, group: Group) -> Balance:
    """The owner's own give/get in the group, and whether the group sees it."""
    return next(
        b for b in board_balances(viewer=owner, group=group) if b.username == owner.get_username()
    )
