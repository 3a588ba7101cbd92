"""Writes for leads: a name someone gave you, pursued until the loop closes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.loops.models import (
    Lead,
    LoopStep,
    Meeting,
)
from circleback.loops.services._checks import _mine, _org
from circleback.loops.services.permissions import permission_grant
from circleback.loops.services.settings import due_after, loop_settings_for
from circleback.loops.services.steps import _open_step
from circleback.ops import clock
from circleback.people.models import ContactList, Organisation, Person, Source
from circleback.people.services.people import PeopleToChoose, PersonExists, person_choose

K = LoopStep.Kind


# --- leads and the generic loop ------------------------------------------------------------


@transaction.atomic
def lead_create(
    *,
    owner: User,
    referrer: Person | None,
    referred: Person | None,
    about: str = "",
    organisation: Organisation | str | None = None,
    meeting: Meeting | None = None,
) -> Lead:
    """A name someone gave you; opens its loop with "contact them" due in a few days."""
    _mine(owner, "referrer", referrer)
    _mine(owner, "referred", referred)
    assert referrer is not None and referred is not None
    if referrer.pk == referred.pk:
        raise ValidationError({"referred": "Someone can't refer you to themselves."})
    lead = Lead(
        owner=owner,
        referrer=referrer,
        referred=referred,
        about=" ".join(about.split()),
        organisation=_org(owner, organisation) or referred.organisation,
        meeting=meeting,
        received_on=user_today(owner),
    )
    lead.full_clean(exclude=["owner", "referrer", "referred", "organisation", "meeting"])
    lead.save()
    _open_step(
        owner=owner,
        kind=K.LEAD_CONTACT,
        person=referred,
        about=referrer,
        lead=lead,
        due_at=clock.now() + due_after(loop_settings_for(owner), "lead_contact_days"),
    )
    return lead


@transaction.atomic
def lead_record(
    *,
    owner: User,
    referrer: Person | None,
    person: Person | None = None,
    full_name: str = "",
    organisation: str = "",
    about: str = "",
    contact_list: str = ContactList.C,
    may_use_name: bool = False,
    choice: str = "",
) -> Lead:
    """Someone gave you a name outside a meeting: the lead and its loop, in one step.

    `person` is someone already in your network; otherwise `full_name` becomes a new person
    introduced by the referrer, on list B or C. "May I use your name?" — yes is recorded as a
    permission for the lead's organisation.
    """
    _mine(owner, "referrer", referrer)
    assert referrer is not None
    if person is None:
        name = " ".join(full_name.split())
        if not name:
            raise ValidationError({"person": "Say whose name you were given."})
        if contact_list.upper() not in (ContactList.B, ContactList.C):
            raise ValidationError({"contact_list": "Put them on list B or list C."})
        if name.lower() == referrer.full_name.lower():
            raise ValidationError({"person": "Someone can't refer you to themselves."})
        try:
            person = person_choose(
                owner=owner,
                choice=choice,
                full_name=name,
                organisation=organisation or None,
                contact_list=contact_list.upper(),
                introduced_by=referrer,
                how_we_met=(
                    f"{referrer.full_name} gave me their name on {user_today(owner):%d %b %Y}."
                ),
                source=Source.REFERRAL,
            ).person
        except PersonExists as exc:
            raise PeopleToChoose({"person": exc.messages}, {"person": exc.matches}) from None
        except ValidationError as exc:
            raise ValidationError({"person": " ".join(exc.messages)}) from None
        if person.pk == referrer.pk:
            raise ValidationError({"person": "Someone can't refer you to themselves."})
    lead = lead_create(
        owner=owner,
        referrer=referrer,
        referred=person,
        about=about,
        organisation=organisation or None,
    )
    if may_use_name:
        permission_grant(
            owner=owner,
            person=referrer,
            organisation=lead.organisation,
            note=f"For contacting {person.full_name}.",
        )
    return lead
