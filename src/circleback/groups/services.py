"""Writes for groups: creating one, inviting and adding members, leaving, opening and closing
people, introductions asked across accounts, and coach grants.

Every function is keyword-only and atomic, and refuses bad input with a ValidationError that
says what is wrong and how to fix it; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404

from circleback.accounts.models import User
from circleback.groups.models import (
    CONSENT,
    REASON_MAX,
    BoardPost,
    CoachGrant,
    CoachView,
    Group,
    IntroRequest,
    Invitation,
    Membership,
    Opening,
    Part,
    Role,
)
from circleback.groups.queries import (
    display_name,
    get_opened_person,
    membership_must_organise,
    parse_uuid,
)
from circleback.loops.services.introductions import name_give
from circleback.loops.services.leads import lead_create
from circleback.ops import clock
from circleback.people.models import ContactList, Person, Source, Tag
from circleback.people.services.people import PersonExists, person_choose

INVITATION_DAYS = 7
MAX_INVITATION_DAYS = 30
MAX_GROUPS = 50  # an account is in at most this many groups


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the group a name, e.g. “Thursday job club”."})
    if len(name) > 120:
        raise ValidationError({"name": "Keep the group's name to 120 characters or fewer."})
    return name


def _check_room(owner: User, name: str) -> None:
    mine = Membership.objects.filter(owner=owner)
    if mine.filter(group__name__iexact=name).exists():
        raise ValidationError(
            {"name": f"You are already in a group called “{name}”: choose another name."}
        )
    if mine.count() >= MAX_GROUPS:
        raise ValidationError({"name": f"An account can be in at most {MAX_GROUPS} groups."})


@transaction.atomic
def group_create(*, owner: User, name: str, description: str = "") -> Group:
    """A new group with its creator as its first organiser."""
    name = _clean_name(name)
    _check_room(owner, name)
    group = Group(name=name, description=description.strip())
    group.full_clean()
    group.save()
    Membership.objects.create(group=group, owner=owner, role=Role.ORGANISER)
    return group


@transaction.atomic
def invitation_create(
    *, owner: User, group: Group, days: int = INVITATION_DAYS
) -> tuple[Invitation, str]:
    """A single-use link to join, valid for `days`. Returns the invitation and its token —
    the only time the token exists outside the link; the database keeps its hash."""
    membership_must_organise(owner, group)
    if not isinstance(days, int) or not 1 <= days <= MAX_INVITATION_DAYS:
        raise ValidationError({"days": f"An invitation lasts 1 to {MAX_INVITATION_DAYS} days."})
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        group=group,
        created_by=owner,
        token_hash=_token_hash(token),
        expires_at=clock.now() + dt.timedelta(days=days),
    )
    return invitation, token


def invitation_find(*, token: str) -> Invitation:
    """The invitation a link names, if it can still be used; else a refusal saying why."""
    invitation = (
        Invitation.objects.select_related("group").filter(token_hash=_token_hash(token)).first()
        if token and len(token) <= 100
        else None
    )
    if invitation is None:
        raise ValidationError(
            {"token": "This invitation link is not one we know. Ask the organiser for a new one."}
        )
    if invitation.revoked_at is not None:
        raise ValidationError(
            {
                "token": f"An organiser of {invitation.group.name} withdrew this invitation "
                "link. Ask them for a new one if you should still join."
            }
        )
    if invitation.used_at is not None:
        raise ValidationError(
            {"token": "This invitation link was already used. Ask the organiser for a new one."}
        )
    if invitation.expires_at <= clock.now():
        raise ValidationError(
            {"token": "This invitation link has expired. Ask the organiser for a new one."}
        )
    return invitation


@transaction.atomic
def invitation_revoke(*, owner: User, group: Group, invitation_uuid: str) -> Invitation:
    """Withdraw an invitation link that has not been used (organisers): whoever opens it is
    told an organiser withdrew it. Revoking one already withdrawn changes nothing."""
    membership_must_organise(owner, group)
    parsed = parse_uuid(invitation_uuid)
    invitation = (
        Invitation.objects.select_for_update().filter(group=group, uuid=parsed).first()
        if parsed
        else None
    )
    if invitation is None:
        raise Http404("No such invitation.")
    if invitation.used_at is not None:
        raise ValidationError(
            {
                "invitation": "This link was already used to join; to undo that, the member "
                "can leave the group."
            }
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, owner: User, token: str) -> Membership:
    """Join the group a link invites to; the link can't be used again."""
    invitation = invitation_find(token=token)
    existing = Membership.objects.filter(owner=owner, group=invitation.group).first()
    if existing is not None:
        return existing  # already in: the link stays unused for whoever it was meant for
    _check_room(owner, invitation.group.name)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=clock.now(), used_by=owner)
    if claimed != 1:  # used or withdrawn a moment ago
        invitation_find(token=token)  # says which
        raise ValidationError({"token": "This invitation link was already used."})
    return Membership.objects.create(group=invitation.group, owner=owner)


@transaction.atomic
def member_add(*, owner: User, group: Group, user: User, organiser: bool = False) -> Membership:
    """An organiser adds an existing account (or makes a member an organiser)."""
    membership_must_organise(owner, group)
    role = Role.ORGANISER if organiser else Role.MEMBER
    existing = Membership.objects.filter(owner=user, group=group).first()
    if existing is not None:
        if organiser and not existing.is_organiser:
            existing.role = Role.ORGANISER
            existing.save(update_fields=["role"])
        return existing
    _check_room(user, group.name)
    return Membership.objects.create(group=group, owner=user, role=role)


@transaction.atomic
def group_leave(*, owner: User, group: Group) -> None:
    """Leave a group: everything you opened to it closes at once, requests waiting on you or
    from you there are withdrawn, and coach grants made through it end. The last organiser to
    leave hands the group to its longest-standing member; the last member ends the group."""
    membership = Membership.objects.filter(owner=owner, group=group).first()
    if membership is None:
        raise Http404("No such group.")
    Opening.objects.filter(owner=owner, group=group).delete()
    IntroRequest.objects.filter(group=group, state=IntroRequest.State.ASKED).filter(
        member=owner
    ).update(state=IntroRequest.State.WITHDRAWN, answered_at=clock.now())
    IntroRequest.objects.filter(group=group, state=IntroRequest.State.ASKED, seeker=owner).update(
        state=IntroRequest.State.WITHDRAWN, answered_at=clock.now()
    )
    CoachGrant.objects.filter(group=group, owner=owner).delete()
    CoachGrant.objects.filter(group=group, coach=owner).delete()
    membership.delete()
    rest = Membership.objects.filter(group=group)
    if not rest.exists():
        group.delete()
    elif membership.is_organiser and not rest.filter(role=Role.ORGANISER).exists():
        heir = rest.order_by("joined_at", "pk").first()
        assert heir is not None
        heir.role = Role.ORGANISER
        heir.save(update_fields=["role"])


# --- opening people ------------------------------------------------------------------------


def _what(
    owner: User, person: Person | None, contact_list: str, tag: Tag | str | None
) -> tuple[str, Person | None, str, Tag | None]:
    given = [x for x in (person, contact_list, tag) if x]
    if len(given) != 1:
        raise ValidationError(
            {"kind": "Say what to open: one person, one list (A, B or C) or one tag."}
        )
    if person is not None:
        if person.owner_id != owner.pk:
            raise Http404("No such person.")
        return Opening.Kind.PERSON, person, "", None
    if contact_list:
        code = contact_list.strip().upper()
        if code not in ContactList.values:
            raise ValidationError(
                {"contact_list": f"“{contact_list}” is not a list: use A, B or C."}
            )
        return Opening.Kind.LIST, None, code, None
    if isinstance(tag, str):
        found = Tag.objects.filter(owner=owner, name__iexact=tag.strip()).first()
        if found is None:
            raise ValidationError({"tag": f"You have no tag “{tag}”."})
        tag = found
    assert isinstance(tag, Tag)
    if tag.owner_id != owner.pk:
        raise Http404("No such tag.")
    return Opening.Kind.TAG, None, "", tag


@transaction.atomic
def opening_open(
    *,
    owner: User,
    group: Group,
    person: Person | None = None,
    contact_list: str = "",
    tag: Tag | str | None = None,
    consent: bool,
    shows_title: bool = True,
    shows_closeness: bool = True,
) -> Opening:
    """Open one person, a list or a tag to a group, recording the member's consent statement.

    Nothing but the name, organisation and (if `shows_*`) title and closeness is ever shown.
    A list or tag stays open as it grows: it is resolved whenever someone reads it.
    """
    if not Membership.objects.filter(owner=owner, group=group).exists():
        raise Http404("No such group.")
    if not consent:
        raise ValidationError(
            {"consent": "Confirm that you have, or will ask, their permission: a name is never "
             "used without clearing it first."}
        )  # fmt: skip
    kind, person, code, tag_obj = _what(owner, person, contact_list, tag)
    if person is not None:  # opening someone you had kept closed opens them again
        Opening.objects.filter(
            owner=owner, group=group, kind=Opening.Kind.EXCEPT, person=person
        ).delete()
    opening, _created = Opening.objects.update_or_create(
        owner=owner,
        group=group,
        kind=kind,
        person=person,
        contact_list=code,
        tag=tag_obj,
        defaults={
            "consent": CONSENT,
            "shows_title": shows_title,
            "shows_closeness": shows_closeness,
        },
    )
    return opening


def _still_open(owner: User, group: Group, person: Person) -> bool:
    return (
        Opening.objects.filter(owner=owner, group=group)
        .filter(
            Q(kind=Opening.Kind.PERSON, person=person)
            | Q(kind=Opening.Kind.LIST, contact_list=person.contact_list)
            | Q(kind=Opening.Kind.TAG, tag__in=person.tags.all())
        )
        .exists()
    )


@transaction.atomic
def opening_close(
    *,
    owner: User,
    group: Group,
    person: Person | None = None,
    contact_list: str = "",
    tag: Tag | str | None = None,
) -> int:
    """Close what was opened. Closing one person who is open through a list or tag keeps them
    closed ("except") while the rest stays open. Requests about people no longer open are
    withdrawn. Returns how many openings changed."""
    if not Membership.objects.filter(owner=owner, group=group).exists():
        raise Http404("No such group.")
    kind, person, code, tag_obj = _what(owner, person, contact_list, tag)
    deleted, _ = Opening.objects.filter(
        owner=owner, group=group, kind=kind, person=person, contact_list=code, tag=tag_obj
    ).delete()
    changed = deleted
    if person is not None and _still_open(owner, group, person):
        Opening.objects.get_or_create(
            owner=owner,
            group=group,
            kind=Opening.Kind.EXCEPT,
            person=person,
            defaults={"consent": CONSENT},
        )
        changed += 1
    if not changed:
        raise ValidationError({"kind": "That was not open to this group."})
    _withdraw_requests_no_longer_open(owner, group)
    return changed


@transaction.atomic
def opening_end(*, owner: User, group: Group, opening: Opening) -> None:
    """End one of the owner's openings, named by its row (the page's Close button, the API's
    DELETE): a person, list or tag closes (`opening_close`); a person kept closed is open
    again as their list or tag shows them, with the consent given for that list or tag."""
    if opening.owner_id != owner.pk or opening.group_id != group.pk:
        raise Http404("No such opening.")
    if opening.kind == Opening.Kind.EXCEPT:
        opening.delete()
        return
    opening_close(
        owner=owner,
        group=group,
        person=opening.person,
        contact_list=opening.contact_list,
        tag=opening.tag,
    )


def _withdraw_requests_no_longer_open(owner: User, group: Group) -> None:
    from circleback.groups.queries import opened_people

    waiting = IntroRequest.objects.filter(member=owner, group=group, state=IntroRequest.State.ASKED)
    for request in waiting.select_related("seeker"):  # few: one per seeker and person
        still = opened_people(viewer=request.seeker, group=group).filter(pk=request.person_id)
        if not still.exists():
            request.state = IntroRequest.State.WITHDRAWN
            request.answered_at = clock.now()
            request.save(update_fields=["state", "answered_at"])


# --- introductions across accounts ---------------------------------------------------------


@transaction.atomic
def intro_request_ask(*, owner: User, group: Group, person_uuid: str, reason: str) -> IntroRequest:
    """Ask the member who opened a person for an introduction, saying why (the etiquette).

    Nothing of the person reaches the asker's record until the member accepts."""
    person = get_opened_person(viewer=owner, group=group, person_uuid=person_uuid)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            {"reason": "Say why you'd like to meet them: the member will pass it on."}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    request = IntroRequest(
        group=group,
        seeker=owner,
        member=person.owner,
        person=person,
        person_name=person.full_name,
        organisation_name=person.organisation.name if person.organisation else "",
        reason=reason,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            {"person": f"You already asked about {person.full_name}; wait for the answer."}
        ) from None
    return request


def _find_or_add(owner: User, *, full_name: str, organisation: str, **fields: Any) -> Person:
    """The owner's person of this name, by the find-or-ask rules: a strong match is them;
    exactly one of this exact name at this organisation is them; otherwise someone new (a
    namesake can be merged later — the owner isn't here to be asked)."""
    try:
        return person_choose(
            owner=owner, full_name=full_name, organisation=organisation or None, **fields
        ).person
    except PersonExists as exc:
        same = [
            m.person
            for m in exc.matches
            if m.person.full_name.casefold() == full_name.casefold()
            and (m.person.organisation.name if m.person.organisation else "").casefold()
            == organisation.casefold()
        ]
        if len(same) == 1:
            return same[0]
        return person_choose(
            owner=owner,
            choice="new",
            full_name=full_name,
            organisation=organisation or None,
            **fields,
        ).person


@transaction.atomic
def intro_request_answer(
    *, owner: User, request: IntroRequest, accept: bool, answer: str = ""
) -> IntroRequest:
    """The member answers. Accepting gives the seeker the person as a referral (a lead, with
    the member as referrer) in their own record, and opens the member's own loop: tell the
    person to expect a call, and check back with the seeker. Declining tells the seeker kindly,
    and gives them nothing more."""
    if request.member_id != owner.pk:
        raise Http404("No such request.")
    if request.state != IntroRequest.State.ASKED:
        raise ValidationError({"state": "This request was already answered."})
    answer = " ".join(answer.split())
    if len(answer) > REASON_MAX:
        raise ValidationError({"answer": f"Keep the answer to {REASON_MAX} characters or fewer."})
    request.answered_at = clock.now()
    request.answer = answer
    if not accept:
        request.state = IntroRequest.State.DECLINED
        request.save(update_fields=["state", "answered_at", "answer"])
        return request
    seeker, person = request.seeker, request.person
    group_words = f"Fellow member of {request.group.name}"
    organisation = person.organisation.name if person.organisation else ""
    # The seeker's record: the member (as the referrer) and the person, as a referral.
    referrer = _find_or_add(
        seeker, full_name=display_name(owner), organisation="", how_we_met=group_words
    )
    referred = _find_or_add(
        seeker,
        full_name=person.full_name,
        organisation=organisation,
        title=person.title,
        contact_list=ContactList.C if person.is_decision_maker else ContactList.B,
        source=Source.REFERRAL,
        how_we_met=f"Introduced by {display_name(owner)} ({request.group.name})",
        introduced_by=None,
    )
    lead_create(
        owner=seeker,
        referrer=referrer,
        referred=referred,
        about=request.reason[:200],
        organisation=organisation or None,
    )
    # The member's record: the seeker, and the name they were given.
    helped = _find_or_add(
        owner, full_name=display_name(seeker), organisation="", how_we_met=group_words
    )
    name_give(
        owner=owner,
        helped=helped,
        name=person,
        note=f"Introduced {display_name(seeker)} to {person.full_name} ({request.group.name}).",
    )
    request.state = IntroRequest.State.ACCEPTED
    request.save(update_fields=["state", "answered_at", "answer"])
    return request


# --- coaches -------------------------------------------------------------------------------


def _clean_parts(parts: Sequence[str]) -> list[str]:
    chosen = []
    for part in parts:
        code = part.strip().lower()
        if code not in Part.values:
            raise ValidationError(
                {"parts": f"“{part}” is not a part; choose from {', '.join(Part.values)}."}
            )
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise ValidationError({"parts": "Choose at least one part for the coach to see."})
    return chosen


@transaction.atomic
def coach_grant(*, owner: User, coach: User, group: Group, parts: Sequence[str] = ()) -> CoachGrant:
    """Let a fellow member of a group read chosen parts of your record (all five if none are
    named). Granting again replaces the parts."""
    if not Membership.objects.filter(owner=owner, group=group).exists():
        raise Http404("No such group.")
    if not Membership.objects.filter(owner=coach, group=group).exists():
        raise ValidationError({"coach": f"{coach.get_username()} is not in {group.name}."})
    if coach.pk == owner.pk:
        raise ValidationError({"coach": "You can't be your own coach."})
    chosen = _clean_parts(parts or Part.values)
    grant, _ = CoachGrant.objects.update_or_create(
        owner=owner, coach=coach, defaults={"group": group, "parts": chosen}
    )
    return grant


@transaction.atomic
def coach_revoke(*, owner: User, coach: User) -> None:
    """End a coach's access, at once."""
    deleted, _ = CoachGrant.objects.filter(owner=owner, coach=coach).delete()
    if not deleted:
        raise ValidationError({"coach": f"{coach.get_username()} is not your coach."})


def coach_view_record(*, grant: CoachGrant, part: str) -> None:
    """Write down that the coach looked at a part, for the member's log."""
    CoachView.objects.create(owner=grant.owner, coach_name=display_name(grant.coach), part=part)


# --- the board of asks and offers ----------------------------------------------------------

_FAVOUR_KIND = {
    "article": "information",
    "introduction": "introduction",
    "advice": "advice",
    "mock_interview": "other",
}


@transaction.atomic
def board_post(*, owner: User, group: Group, kind: str, what: str, text: str) -> BoardPost:
    """Put an ask or an offer on the group's board."""
    if not Membership.objects.filter(owner=owner, group=group).exists():
        raise Http404("No such group.")
    if kind not in BoardPost.Kind.values:
        raise ValidationError({"kind": "Say whether it is an ask or an offer."})
    if what not in BoardPost.What.values:
        raise ValidationError(
            {"what": f"“{what}” is not on the board; use {', '.join(BoardPost.What.values)}."}
        )
    text = " ".join(text.split())
    post = BoardPost(group=group, owner=owner, kind=kind, what=what, text=text)
    post.full_clean(exclude=["group", "owner", "helper"])
    post.save()
    return post


@transaction.atomic
def board_close(*, owner: User, post: BoardPost, helper: User, thanks: str) -> BoardPost:
    """Close your post with a thank-you to the member who helped (an ask) or took the offer up.

    The favour goes in both members' own ledgers — each names the other as a person of their
    own (found, or added as a fellow member) — so each balance and each thank-you loop stays
    in its owner's record: received (thanked already) by whoever was helped, given by the
    other."""
    if post.owner_id != owner.pk:
        raise Http404("No such post.")
    if post.closed_at is not None:
        raise ValidationError({"post": "This post is already closed."})
    if helper.pk == owner.pk:
        raise ValidationError({"helper": "Name the member who helped, not yourself."})
    if not Membership.objects.filter(owner=helper, group=post.group).exists():
        raise ValidationError({"helper": f"{helper.get_username()} is not in {post.group.name}."})
    thanks = " ".join(thanks.split())
    if not thanks:
        raise ValidationError({"thanks": "Say thank you: a line is enough."})
    if len(thanks) > REASON_MAX:
        raise ValidationError({"thanks": f"Keep it to {REASON_MAX} characters or fewer."})
    from circleback.loops.models import Favour, LoopStep
    from circleback.loops.services.favours import favour_log
    from circleback.loops.services.loops import thank_you_mark_sent

    helped, giver = (owner, helper) if post.kind == BoardPost.Kind.ASK else (helper, owner)
    words = f"Fellow member of {post.group.name}"
    note = f"{post.get_what_display()} through {post.group.name}: {post.text}"[:500]
    kind = _FAVOUR_KIND[post.what]
    giver_there = _find_or_add(
        helped, full_name=display_name(giver), organisation="", how_we_met=words
    )
    received = favour_log(
        owner=helped, person=giver_there, direction=Favour.Direction.RECEIVED, kind=kind, note=note
    )
    step = LoopStep.objects.filter(favour=received, done_at__isnull=True).first()
    if step is not None:  # thanked on the board: the thank-you loop is closed with it
        thank_you_mark_sent(owner=helped, step=step, how="message", note=thanks)
    helped_there = _find_or_add(
        giver, full_name=display_name(helped), organisation="", how_we_met=words
    )
    favour_log(
        owner=giver, person=helped_there, direction=Favour.Direction.GIVEN, kind=kind, note=note
    )
    post.helper = helper
    post.thanks = thanks
    post.closed_at = clock.now()
    post.save(update_fields=["helper", "thanks", "closed_at"])
    return post


@transaction.atomic
def balance_share(*, owner: User, group: Group, shown: bool) -> Membership:
    """Let the group see your give/get balance on the board, or stop."""
    membership = Membership.objects.filter(owner=owner, group=group).first()
    if membership is None:
        raise Http404("No such group.")
    membership.shows_balance = shown
    membership.save(update_fields=["shows_balance"])
    return membership
