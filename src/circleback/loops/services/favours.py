"""Writes for the favours ledger and standing offers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.loops.models import (
    Favour,
    Introduction,
    LoopStep,
    Meeting,
    Share,
    StandingOffer,
)
from circleback.loops.services._checks import _check_owner, _mine
from circleback.loops.services.steps import _open_step, _thank_you_due
from circleback.people.models import Person

K = LoopStep.Kind


# --- favours ------------------------------------------------------------------------------


def _favour_create(
    *,
    owner: User,
    person: Person,
    direction: str,
    kind: str,
    note: str,
    occurred_on: dt.date,
    meeting: Meeting | None = None,
    share: Share | None = None,
    introduction: Introduction | None = None,
    name_given: Person | None = None,
) -> Favour:
    favour = Favour(
        owner=owner,
        person=person,
        direction=direction,
        kind=kind,
        note=note,
        occurred_on=occurred_on,
        meeting=meeting,
        share=share,
        introduction=introduction,
        name_given=name_given,
    )
    favour.full_clean(exclude=["owner", "person", "meeting", "share", "introduction", "name_given"])
    favour.save()
    return favour


@transaction.atomic
def favour_log(
    *,
    owner: User,
    person: Person | None,
    direction: str,
    kind: str = Favour.Kind.OTHER,
    note: str = "",
    occurred_on: dt.date | None = None,
) -> Favour:
    """A favour given or received. A favour received puts a thank-you on the loops list."""
    if person is None:
        raise ValidationError({"person": "A favour is always between you and someone: say who."})
    _mine(owner, "person", person)
    if direction not in Favour.Direction.values:
        raise ValidationError({"direction": "Say whether you gave or received it."})
    if kind not in Favour.Kind.values:
        raise ValidationError(
            {"kind": f"{kind!r} is not a kind of favour; use {', '.join(Favour.Kind.values)}."}
        )
    when = occurred_on or user_today(owner)
    if when > user_today(owner):
        raise ValidationError({"occurred_on": "A favour can't be in the future."})
    favour = _favour_create(
        owner=owner,
        person=person,
        direction=direction,
        kind=kind,
        note=note.strip(),
        occurred_on=when,
    )
    if direction == Favour.Direction.RECEIVED:
        _open_step(
            owner=owner,
            kind=K.THANK_YOU,
            person=person,
            favour=favour,
            due_at=_thank_you_due(owner),
        )
    return favour


def _linked_to(favour: Favour) -> str:
    if favour.meeting_id:
        return "a meeting"
    if favour.share_id:
        return "a share"
    if favour.introduction_id:
        return "an introduction"
    if favour.name_given_id:
        return "a name you gave"
    return ""


@transaction.atomic
def favour_update(
    *,
    owner: User,
    favour: Favour,
    direction: str | None = None,
    kind: str | None = None,
    note: str | None = None,
    occurred_on: dt.date | None = None,
) -> Favour:
    """Correct a favour. Turning a favour given into one received puts a thank-you on your
    loops; the other way round takes an open thank-you off."""
    _check_owner(owner, favour, "favour")
    if kind is not None:
        if kind not in Favour.Kind.values:
            raise ValidationError(
                {"kind": f"{kind!r} is not a kind of favour; use {', '.join(Favour.Kind.values)}."}
            )
        favour.kind = kind
    if occurred_on is not None:
        if occurred_on > user_today(owner):
            raise ValidationError({"occurred_on": "A favour can't be in the future."})
        favour.occurred_on = occurred_on
    if note is not None:
        favour.note = note.strip()
    turned = direction is not None and direction != favour.direction
    if turned:
        if direction not in Favour.Direction.values:
            raise ValidationError({"direction": "Say whether you gave or received it."})
        linked = _linked_to(favour)
        if linked:
            raise ValidationError(
                {
                    "direction": f"This favour came from {linked}, so its direction is fixed; "
                    "delete it and log a new one if it was the other way round."
                }
            )
        assert direction is not None
        favour.direction = direction
    favour.full_clean(exclude=["owner", "person", "meeting", "share", "introduction", "name_given"])
    favour.save()
    if turned and favour.direction == Favour.Direction.RECEIVED:
        _open_step(
            owner=owner,
            kind=K.THANK_YOU,
            person=favour.person,
            favour=favour,
            due_at=_thank_you_due(owner),
        )
    elif turned:
        LoopStep.objects.filter(favour=favour, kind=K.THANK_YOU, done_at__isnull=True).delete()
    return favour


@transaction.atomic
def favour_delete(*, owner: User, favour: Favour) -> None:
    """Delete a favour and the loop steps it opened (a thank-you, "expect a call", a check-back).

    A share left with no one to share with goes too.
    """
    _check_owner(owner, favour, "favour")
    share_id = favour.share_id
    favour.delete()
    if share_id is not None:
        Share.objects.filter(pk=share_id, favours__isnull=True).delete()


@transaction.atomic
def standing_offer_make(
    *, owner: User, person: Person | None, offer: str, made_on: dt.date | None = None
) -> StandingOffer:
    """ "Call on me any time": the offer stays on their page until it is taken up."""
    _mine(owner, "person", person)
    standing = StandingOffer(
        owner=owner,
        person=person,
        offer=" ".join(offer.split()),
        made_on=made_on or user_today(owner),
    )
    if not standing.offer:
        raise ValidationError({"offer": "Say what you offered."})
    standing.full_clean(exclude=["owner", "person"])
    standing.save()
    return standing


@transaction.atomic
def standing_offer_taken_up(*, owner: User, offer: StandingOffer) -> StandingOffer:
    if offer.owner_id != owner.pk:
        raise ValidationError("That offer is not yours.")
    offer.taken_up_on = user_today(owner)
    offer.save(update_fields=["taken_up_on"])
    return offer
