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


# How many people a picker lists at once (the rest, up to ALL_CANDIDATES, behind "Show the
# other …", which needs no JavaScript), and how many a message names when no picker lists them.
CANDIDATES = 10
ALL_CANDIDATES = 100
NAMED = 5


def resolve_person(
    owner: User, text: str, *, exclude: Person | None = None, picker: bool = False
) -> tuple[Person | None, str, list[Person]]:
    """(person, error, candidates) for what someone typed: a name, an email or a UUID.

    Several matches give the candidates — every one up to ALL_CANDIDATES, so that someone
    among fifteen people of one name can always be picked (and one more when more match than
    that) — and a message that says truly how many match: with `picker` (the page lists the
    candidates to choose from) it points there; without, it names the first few and says how
    to find the rest.
    """
    text = text.strip()
    found = [
        p
        for p in person_find(owner=owner, query=text, limit=ALL_CANDIDATES + 2)
        if exclude is None or p != exclude
    ][: ALL_CANDIDATES + 1]
    if len(found) == 1:
        return found[0], "", []
    if not found:
        return None, f"Nobody in your network matches “{text}”; check the spelling.", []
    over = len(found) > ALL_CANDIDATES
    candidates = found  # one more than ALL_CANDIDATES when more match: callers list those
    how_many = f"More than {ALL_CANDIDATES} people" if over else f"{len(found)} people"
    narrow = "type more of the name (a surname, or an email)"
    if picker:
        listed = f"the {ALL_CANDIDATES} closest are listed" if over else "they are listed"
        return (
            None,
            f"{how_many} match “{text}”; {listed} below: choose one, or {narrow}.",
            candidates,
        )
    if len(found) <= NAMED:
        names = "; ".join(describe(p) for p in found)
        return None, f"{how_many} match “{text}”: {names}. To pick one, {narrow}.", candidates
    names = "; ".join(describe(p) for p in found[:NAMED])
    rest = "them all" if over else f"all {len(found)}"
    return (
        None,
        f"{how_many} match “{text}”; the first {NAMED}: {names}. To pick one, {narrow}; "
        f"to see {rest}, search People for “{text}”.",
        candidates,
    )


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
