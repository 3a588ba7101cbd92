"""Finding the person or organisation someone typed (a name, an email, a UUID), for every area's
forms and views.
"""

from __future__ import annotations

from circleback.accounts.models import User
from circleback.people.models import Organisation, Person
from circleback.people.queries import organisation_find, person_find


def describe(person: Person) -> str:
    org = person.organisation.name if person.organisation_id and person.organisation else ""
    return f"{person.full_name} ({org})" if org else person.full_name


def resolve_person(
    owner: User, text: str, *, exclude: Person | None = None
) -> tuple[Person | None, str, list[Person]]:
    """(person, error, candidates) for what someone typed: a name, an email or a UUID."""
    text = text.strip()
    found = [p for p in person_find(owner=owner, query=text) if exclude is None or p != exclude]
    if len(found) == 1:
        return found[0], "", []
    if not found:
        return None, f"Nobody in your network matches “{text}”; check the spelling.", []
    names = "; ".join(describe(p) for p in found[:5])
    return None, f"{len(found)} people match “{text}”: {names}. Pick one.", found


def resolve_organisation(owner: User, text: str) -> tuple[Organisation | None, str]:
    text = text.strip()
    if not text:
        return None, ""
    found = organisation_find(owner=owner, query=text)
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"You have no organisation called “{text}”."
    exact = [o for o in found if o.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0], ""
    names = ", ".join(o.name for o in found[:5])
    return None, f"Several organisations match “{text}”: {names}. Type the full name."
