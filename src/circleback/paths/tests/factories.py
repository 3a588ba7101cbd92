"""A small hand-built network whose best paths are known, for the paths tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.services import interaction_log
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set


@dataclass
class Network:
    owner: User
    globex: Organisation
    initech: Organisation
    maya: Person  # close career contact
    sam: Person  # Maya's colleague, at Globex
    dana: Person  # decision maker at Globex
    wes: Person  # a contact you barely know, tied weakly to Dana
    lee: Person  # someone at Globex who is not a decision maker


def network(owner: User) -> Network:
    """You → Maya (close) → Sam (Globex) → Dana (Globex, decision maker); You → Wes ⇢ Dana."""
    globex = organisation_create(owner=owner, name="Globex", industry="Logistics", is_target=True)
    initech = organisation_create(owner=owner, name="Initech", industry="Logistics")
    maya = person_create(
        owner=owner, full_name="Maya Rosen", contact_list="B", closeness=5, title="Engineer"
    )
    sam = person_create(
        owner=owner, full_name="Sam Okafor", contact_list="C", organisation=globex, title="Lead"
    )
    dana = person_create(
        owner=owner,
        full_name="Dana Li",
        contact_list="C",
        organisation=globex,
        title="Director",
        is_decision_maker=True,
    )
    wes = person_create(owner=owner, full_name="Wes Tan", contact_list="B", closeness=1)
    lee = person_create(owner=owner, full_name="Lee Park", contact_list="C", organisation=globex)
    tie_set(owner=owner, person=maya, other=sam, kind="colleague", strength=5)
    tie_set(owner=owner, person=sam, other=dana, kind="colleague", strength=5)
    tie_set(owner=owner, person=wes, other=dana, kind="other", strength=1)
    interaction_log(
        owner=owner,
        summary="Coffee with Maya",
        people=[maya],
        kind="meeting",
        occurred_at=timezone.now() - dt.timedelta(days=21),
    )
    return Network(owner, globex, initech, maya, sam, dana, wes, lee)
