"""Writes for people, organisations, tags and ties. Business rules live here.

Every function is keyword-only, atomic and validating: it either does all of its work or raises
`django.core.exceptions.ValidationError` (with messages keyed by field where a field is at
fault) and leaves the database as it was.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404

from circleback.accounts.models import User
from circleback.ops import clock
from circleback.people import contact
from circleback.people.employers import employment_title, is_employer
from circleback.people.models import (
    ContactList,
    Email,
    Link,
    Organisation,
    Person,
    Phone,
    RoleChange,
)
from circleback.people.queries import Match, person_matches
from circleback.people.services.index import search_index_people
from circleback.people.services.organisations import organisation_get_or_create
from circleback.people.services.tags import tags_get_or_create
from circleback.text import fold, split_full_name, words

# Fields a caller may set on a person through person_create / person_update.
PERSON_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "title",
    "contact_list",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "location",
    "how_we_met",
    "met_on",
    "notes",
    "source",
    "birthday_year",
    "birthday_month",
    "birthday_day",
)


D = TypeVar("D", Email, Phone, Link)


# --- people -------------------------------------------------------------------------------


def _clean_each(
    raws: Sequence[str] | None,
    field: str,
    clean: Callable[[str], str],
    normalize: Callable[[str], str],
    make: Callable[[str, str, int], D],
    errors: dict[str, list[str]],
) -> list[D] | None:
    """One kind of detail (emails, phones or links): each cleaned, the first of each normalised
    value kept at its position, a bad one named under `field` in `errors`. None: left as is."""
    if raws is None:
        return None
    made: list[D] = []
    seen: set[str] = set()
    for i, raw in enumerate(raws):
        try:
            value = clean(raw)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            continue
        key = normalize(value)
        if key not in seen:
            seen.add(key)
            made.append(make(value, key, i))
    return made


def _clean_details(
    owner: User,
    person: Person,
    emails: Sequence[str] | None,
    phones: Sequence[str] | None,
    links: Sequence[str] | None,
) -> tuple[list[Email] | None, list[Phone] | None, list[Link] | None]:
    errors: dict[str, list[str]] = {}
    new_emails = _clean_each(
        emails,
        "emails",
        contact.clean_email,
        contact.normalize_email,
        lambda address, key, i: Email(
            owner=owner, person=person, address=address, normalized=key, position=i
        ),
        errors,
    )
    new_phones = _clean_each(
        phones,
        "phones",
        contact.clean_phone,
        contact.normalize_phone,
        lambda number, key, i: Phone(
            owner=owner, person=person, number=number, normalized=key, position=i
        ),
        errors,
    )
    new_links = _clean_each(
        links,
        "links",
        contact.clean_url,
        contact.normalize_url,
        lambda url, key, i: Link(
            owner=owner,
            person=person,
            url=url,
            kind=contact.link_kind(url),
            normalized=key,
            position=i,
        ),
        errors,
    )
    if errors:
        raise ValidationError(errors)
    return new_emails, new_phones, new_links


def _resolve_organisation(
    owner: User, organisation: Organisation | str | None
) -> Organisation | None:
    if organisation is None or isinstance(organisation, Organisation):
        if organisation is not None and organisation.owner_id != owner.pk:
            raise ValidationError({"organisation": "That organisation is not yours."})
        return organisation
    if not organisation.strip():
        return None
    return organisation_get_or_create(owner=owner, name=organisation)


def _employer_or_title(
    organisation: Organisation | str | None, fields: dict[str, Any], title: str
) -> Organisation | str | None:
    """The organisation typed, unless it names how someone works rather than where
    ("Self-employed", "Freelance", "Retired", "Stealth"): then no organisation, and the title
    keeps what it said ("Designer (self-employed)"), the importer's rule (people.employers)."""
    # A name with no letters or digits ("!!!") is left for the organisation's own refusal.
    if isinstance(organisation, str) and words(organisation) and not is_employer(organisation):
        fields["title"] = employment_title(str(fields.get("title", title) or ""), organisation)
        return None
    return organisation


def _apply_person_fields(person: Person, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        if isinstance(value, str) and name not in ("notes", "how_we_met"):
            value = " ".join(value.split())
        setattr(person, name, value)
    if isinstance(person.contact_list, str):
        person.contact_list = person.contact_list.upper()
    if not person.full_name and (person.given_name or person.family_name):
        person.full_name = " ".join(filter(None, [person.given_name, person.family_name]))
    if not person.full_name:
        raise ValidationError({"full_name": "A person needs a name."})
    limit = _name_limit("full_name")
    if len(person.full_name) > limit:
        # Said here, before the name is split into given and family names that would each be
        # too long and take the blame.
        raise ValidationError(
            {
                "full_name": f"A name can be at most {limit} characters; "
                f"this one has {len(person.full_name)}."
            }
        )
    renamed_only = "full_name" in fields and not {"given_name", "family_name"} & set(fields)
    if renamed_only or (not person.given_name and not person.family_name):
        given, family = split_full_name(person.full_name)
        # A guess from the full name that doesn't fit is no guess: the full name keeps it all,
        # and the user is not blamed for a "given name" they never typed.
        if len(given) <= _name_limit("given_name") and len(family) <= _name_limit("family_name"):
            person.given_name, person.family_name = given, family
        else:
            person.given_name, person.family_name = "", ""


def _name_limit(field: str) -> int:
    model_field = Person._meta.get_field(field)
    assert isinstance(model_field, models.CharField)
    return model_field.max_length or 100


def _validate_person(person: Person) -> None:
    try:
        person.full_clean(exclude=["owner", "organisation", "introduced_by"])
    except ValidationError as exc:
        # Make the list message teach the valid letters.
        if "contact_list" in exc.message_dict:
            raise ValidationError(
                {"contact_list": f"{person.contact_list!r} is not a list; use A, B or C."}
            ) from None
        raise


def _check_introducer(owner: User, person: Person, introduced_by: Person | None) -> None:
    if introduced_by is None:
        return
    if introduced_by.owner_id != owner.pk:
        raise ValidationError({"introduced_by": "That person is not in your network."})
    if person.pk is not None and introduced_by.pk == person.pk:
        raise ValidationError({"introduced_by": "A person can't have introduced themselves."})


class PersonExists(ValidationError):
    """Someone already in the network may be the person being added: the caller should ask
    which (or use them), not add a second copy by accident. `matches` are the candidates,
    strongest first; the message (on `full_name`) names them."""

    def __init__(self, matches: Sequence[Match], field: str = "full_name") -> None:
        self.matches = list(matches)
        super().__init__({field: describe_matches(self.matches)})


class PeopleToChoose(ValidationError):
    """A form that names several people (an event's, a meeting's referrals) found some who may
    already be in the network. `matches` holds the candidates by the key of the row they are
    for (e.g. "contacts.2"); the errors (on the rows' name fields) say who they are."""

    def __init__(self, errors: dict[str, list[str]], matches: dict[str, list[Match]]) -> None:
        self.matches = matches
        super().__init__(errors)


def describe_matches(matches: Sequence[Match]) -> str:
    first = matches[0]
    if len(matches) == 1:
        return (
            f"{first.person.full_name} ({first.details}) is already in your network "
            f"({first.reason}). Choose them, or add a new person anyway."
        )
    return (
        f"{len(matches)} people in your network may be {first.person.full_name}: "
        + "; ".join(f"{m.person.full_name} ({m.details}; {m.reason})" for m in matches)
        + ". Choose one, or add a new person anyway."
    )


IfExists = Literal["ask", "new"]


@transaction.atomic
def person_create(
    *,
    owner: User,
    full_name: str = "",
    organisation: Organisation | str | None = None,
    introduced_by: Person | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    links: Sequence[str] = (),
    tags: Sequence[str] = (),
    if_exists: IfExists = "ask",
    **fields: Any,
) -> Person:
    """Add a person to the owner's network, with their details, organisation and tags.

    First asks `person_matches` who may already be them: if anyone, raises `PersonExists`
    (nothing written) unless `if_exists="new"` — adding someone anyway is a choice.
    An organisation that names no employer ("Self-employed") goes into the title instead.
    """
    organisation = _employer_or_title(organisation, fields, "")
    if if_exists != "new":
        matches = person_matches(
            owner=owner, full_name=full_name, organisation=organisation, emails=emails, links=links
        )
        if matches:
            raise PersonExists(matches)
    person = Person(owner=owner)
    _apply_person_fields(person, {"full_name": full_name, **fields})
    _check_introducer(owner, person, introduced_by)
    person.introduced_by = introduced_by
    _validate_person(person)
    new_emails, new_phones, new_links = _clean_details(owner, person, emails, phones, links)
    tag_objects = tags_get_or_create(owner=owner, names=tags)
    person.organisation = _resolve_organisation(owner, organisation)
    person.save()
    Email.objects.bulk_create(new_emails or [])
    Phone.objects.bulk_create(new_phones or [])
    Link.objects.bulk_create(new_links or [])
    if tag_objects:
        person.tags.add(*tag_objects)
    search_index_people(person_ids=[person.pk])
    return person


@dataclass(frozen=True)
class Chosen:
    """Who `person_choose` settled on, and whether they were added just now."""

    person: Person
    created: bool
    reason: str = ""


@transaction.atomic
def person_choose(*, owner: User, choice: str = "", **create: Any) -> Chosen:
    """The person a path that names someone means: an existing one, or a new one.

    `choice` is what the user chose in a picker: a person's UUID (them), "new" (add a new
    person anyway), or "" (not asked yet). Not asked yet: one person with the same email
    address or LinkedIn profile is them; anyone else who may be them raises `PersonExists` so
    the caller can ask; no one means a new person. `create` is person_create's arguments.
    """
    if choice == "new":
        return Chosen(person_create(owner=owner, if_exists="new", **create), True)
    if choice:
        from circleback.people.queries import get_person_for

        try:
            return Chosen(get_person_for(owner, choice), False, "chosen")
        except Http404:
            raise ValidationError(
                {"full_name": "The person chosen is not in your network any more."}
            ) from None
    matches = person_matches(
        owner=owner,
        full_name=create.get("full_name", ""),
        organisation=create.get("organisation"),
        emails=create.get("emails", ()),
        links=create.get("links", ()),
    )
    strong = [m for m in matches if m.strong]
    if len(strong) == 1:
        return Chosen(strong[0].person, False, strong[0].reason)
    if matches:
        raise PersonExists(matches)
    return Chosen(person_create(owner=owner, if_exists="new", **create), True)


_UNSET: Any = object()


@transaction.atomic
def person_update(
    *,
    person: Person,
    organisation: Organisation | str | None = _UNSET,
    introduced_by: Person | None = _UNSET,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    links: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    **fields: Any,
) -> Person:
    """Change a person. Lists given (emails, phones, links, tags) replace the current ones.
    An organisation that names no employer ("Self-employed") goes into the title instead."""
    owner = person.owner
    was = (person.title, person.organisation_id)
    if organisation is not _UNSET:
        organisation = _employer_or_title(organisation, fields, person.title)
    _apply_person_fields(person, fields)
    if introduced_by is not _UNSET:
        _check_introducer(owner, person, introduced_by)
        person.introduced_by = introduced_by
    _validate_person(person)
    new_emails, new_phones, new_links = _clean_details(owner, person, emails, phones, links)
    tag_objects = tags_get_or_create(owner=owner, names=tags) if tags is not None else None
    if organisation is not _UNSET:
        person.organisation = _resolve_organisation(owner, organisation)
    person.save()
    if new_emails is not None:
        person.emails.all().delete()
        Email.objects.bulk_create(new_emails)
    if new_phones is not None:
        person.phones.all().delete()
        Phone.objects.bulk_create(new_phones)
    if new_links is not None:
        person.links.all().delete()
        Link.objects.bulk_create(new_links)
    if tag_objects is not None:
        person.tags.set(tag_objects)
    if was != (person.title, person.organisation_id):
        _role_changed(person, *was)
    search_index_people(person_ids=[person.pk])
    return person


@transaction.atomic
def role_change_dismiss(*, owner: User, person: Person) -> bool:
    """Don't suggest congratulating this person on their new role (a no-op when there is
    nothing to dismiss: a second click, or another tab, changes nothing). True when there
    was one to dismiss."""
    if person.owner_id != owner.pk:
        raise Http404("No such person.")
    deleted, _ = RoleChange.objects.filter(owner=owner, person=person).delete()
    return bool(deleted)


def _same_title(a: str, b: str) -> bool:
    """Two titles name one role when they differ only in case, spacing or a slip of the
    keys ("Enginer" → "Engineer"); "Analyst" → "Senior Analyst" is a new role."""
    a, b = " ".join(a.lower().split()), " ".join(b.lower().split())
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def is_new_role(
    *, title_before: str, organisation_before: str, title: str, organisation: str
) -> bool:
    """The one rule for a new role (the moment to congratulate someone), whoever changed the
    role — the person page, the CLI, the API or a re-imported export: their title changed
    into another role, or they moved from one organisation to another. Filling in a title or
    an employer never known, correcting a typo or re-casing, or leaving without a new
    employer is no new role. Organisations are compared by name."""
    moved = bool(organisation_before and organisation) and fold(organisation_before) != fold(
        organisation
    )
    retitled = bool(title_before and title) and not _same_title(title_before, title)
    return moved or retitled


@dataclass(frozen=True)
class RoleSeen:
    """Someone's role before and after a change of title or organisation (names, not ids)."""

    person_id: int
    title_before: str
    organisation_before: str
    title: str
    organisation: str


@transaction.atomic
def role_changes_note(*, owner: User, changes: Sequence[RoleSeen]) -> int:
    """Note a new role (RoleChange) for each of these people whose role changed into another
    (`is_new_role`), in a few queries however many there are (a re-imported export changes
    hundreds at once). A role noted already keeps its first "before", so a second move
    still reads "was X"; changing back to it takes the note away. Returns how many are noted
    new or anew. Call it inside the transaction that changed the people."""
    ids = sorted({c.person_id for c in changes})
    noted: dict[int, RoleChange] = {}
    for start in range(0, len(ids), 900):
        noted.update(
            (rc.person_id, rc)
            for rc in RoleChange.objects.filter(owner=owner, person_id__in=ids[start : start + 900])
        )
    now = clock.now()
    fresh: list[RoleChange] = []
    again: list[RoleChange] = []
    gone: list[int] = []
    for change in {c.person_id: c for c in changes}.values():  # one change a person
        before = noted.get(change.person_id)
        title_before = before.title_before if before else change.title_before
        organisation_before = before.organisation_before if before else change.organisation_before
        if not is_new_role(
            title_before=title_before,
            organisation_before=organisation_before,
            title=change.title,
            organisation=change.organisation,
        ):
            if before is not None:
                gone.append(before.pk)  # back to the role it was before: no news after all
        elif before is not None:
            before.changed_at = now
            again.append(before)
        else:
            fresh.append(
                RoleChange(
                    owner=owner,
                    person_id=change.person_id,
                    title_before=title_before[:200],
                    organisation_before=organisation_before[:200],
                    changed_at=now,
                )
            )
    if gone:
        RoleChange.objects.filter(pk__in=gone).delete()
    RoleChange.objects.bulk_update(again, ["changed_at"], batch_size=500)
    RoleChange.objects.bulk_create(fresh, batch_size=500)
    return len(fresh) + len(again)


def _role_changed(person: Person, title_before: str, organisation_before: int | None) -> None:
    """person_update's side of `role_changes_note`: this one person's title or organisation
    changed."""
    org_before_name = ""
    if organisation_before is not None:
        org_before_name = (
            Organisation.objects.filter(pk=organisation_before).values_list("name", flat=True)
            or [""]
        )[0]
    role_changes_note(
        owner=person.owner,
        changes=[
            RoleSeen(
                person_id=person.pk,
                title_before=title_before,
                organisation_before=org_before_name,
                title=person.title,
                organisation=person.organisation.name if person.organisation else "",
            )
        ],
    )


@transaction.atomic
def people_set_list(*, owner: User, person_ids: Iterable[int], contact_list: str) -> int:
    letter = contact_list.strip().upper()
    if letter not in ContactList.values:
        raise ValidationError({"contact_list": f"{contact_list!r} is not a list; use A, B or C."})
    return Person.objects.filter(owner=owner, pk__in=list(person_ids)).update(contact_list=letter)
