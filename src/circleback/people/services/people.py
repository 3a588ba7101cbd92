"""Writes for people, organisations, tags and ties. Business rules live here.

Every function is keyword-only, atomic and validating: it either does all of its work or raises
`django.core.exceptions.ValidationError` (with messages keyed by field where a field is at
fault) and leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404

from circleback.accounts.models import User
from circleback.people import contact
from circleback.people.models import (
    ContactList,
    Email,
    Link,
    Organisation,
    Person,
    Phone,
    Photo,
    Stage,
    Tag,
    Tie,
)
from circleback.people.queries import Match, person_matches
from circleback.search.services import search_index_people
from circleback.text import normalize_org_name, split_full_name

MAX_TAG_LENGTH = 60

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


# --- organisations -----------------------------------------------------------------------


def _clean_org_name(name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "An organisation needs a name."})
    if len(name) > 200:
        raise ValidationError({"name": "An organisation's name can be at most 200 characters."})
    key = normalize_org_name(name)
    if not key:
        raise ValidationError({"name": f"{name!r} has no letters or digits to name it by."})
    return name, key


def organisation_get_or_create(*, owner: User, name: str) -> Organisation:
    """The owner's organisation with this name, however it is spelt ("Hooli, Inc." = "Hooli")."""
    name, key = _clean_org_name(name)
    organisation = Organisation.objects.filter(owner=owner, normalized_name=key).first()
    if organisation is None:
        organisation = Organisation(owner=owner, name=name, normalized_name=key)
        organisation.full_clean()
        organisation.save()
    return organisation


@transaction.atomic
def organisation_create(
    *,
    owner: User,
    name: str,
    domain: str = "",
    industry: str = "",
    location: str = "",
    is_target: bool = False,
    priority: int | None = None,
    stage: str = Stage.RESEARCHING,
    notes: str = "",
) -> Organisation:
    name, key = _clean_org_name(name)
    existing = Organisation.objects.filter(owner=owner, normalized_name=key).first()
    if existing is not None:
        raise ValidationError(
            {"name": f"You already have {existing.name!r}; edit it instead of adding it again."}
        )
    organisation = Organisation(
        owner=owner,
        name=name,
        normalized_name=key,
        domain=domain.strip().lower(),
        industry=industry.strip(),
        location=location.strip(),
        is_target=is_target,
        priority=priority,
        stage=stage,
        notes=notes,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes: Any) -> Organisation:
    allowed = {"name", "domain", "industry", "location", "is_target", "priority", "stage", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown organisation fields: {', '.join(sorted(unknown))}.")
    renamed = "name" in changes and changes["name"] != organisation.name
    if "name" in changes:
        name, key = _clean_org_name(changes.pop("name"))
        clash = (
            Organisation.objects.filter(owner_id=organisation.owner_id, normalized_name=key)
            .exclude(pk=organisation.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError({"name": f"You already have {clash.name!r}."})
        organisation.name, organisation.normalized_name = name, key
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if renamed:
        search_index_people(
            person_ids=Person.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Delete an organisation; its people stay, without a current organisation."""
    person_ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    organisation.delete()
    search_index_people(person_ids=person_ids)


# --- tags ----------------------------------------------------------------------------------


def _clean_tag_names(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            raise ValidationError({"tags": "A tag can't be empty."})
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {
                    "tags": f"The tag {name[:20]!r}… is too long; "
                    f"use at most {MAX_TAG_LENGTH} characters."
                }
            )
        cleaned.setdefault(name.lower(), name)
    return list(cleaned.values())


def tags_get_or_create(*, owner: User, names: Iterable[str]) -> list[Tag]:
    """The owner's tags with these names (case-insensitive), creating the missing ones."""
    wanted = _clean_tag_names(names)
    if not wanted:
        return []
    existing = {
        t.name.lower(): t
        for t in Tag.objects.filter(owner=owner).filter(
            models.Q(*[models.Q(name__iexact=n) for n in wanted], _connector=models.Q.OR)
        )
    }
    missing = [Tag(owner=owner, name=n) for n in wanted if n.lower() not in existing]
    Tag.objects.bulk_create(missing)
    # bulk_create doesn't return primary keys on every database version; read them back.
    if missing:
        existing.update(
            {
                t.name.lower(): t
                for t in Tag.objects.filter(owner=owner, name__in=[m.name for m in missing])
            }
        )
    return [existing[n.lower()] for n in wanted]


# --- people -------------------------------------------------------------------------------


def _clean_details(
    owner: User,
    person: Person,
    emails: Sequence[str] | None,
    phones: Sequence[str] | None,
    links: Sequence[str] | None,
) -> tuple[list[Email] | None, list[Phone] | None, list[Link] | None]:
    errors: dict[str, list[str]] = {}
    new_emails: list[Email] | None = None
    new_phones: list[Phone] | None = None
    new_links: list[Link] | None = None
    if emails is not None:
        new_emails, seen = [], set()
        for i, raw in enumerate(emails):
            try:
                address = contact.clean_email(raw)
            except ValidationError as exc:
                errors.setdefault("emails", []).extend(exc.messages)
                continue
            key = contact.normalize_email(address)
            if key not in seen:
                seen.add(key)
                new_emails.append(
                    Email(owner=owner, person=person, address=address, normalized=key, position=i)
                )
    if phones is not None:
        new_phones, seen = [], set()
        for i, raw in enumerate(phones):
            try:
                number = contact.clean_phone(raw)
            except ValidationError as exc:
                errors.setdefault("phones", []).extend(exc.messages)
                continue
            key = contact.normalize_phone(number)
            if key not in seen:
                seen.add(key)
                new_phones.append(
                    Phone(owner=owner, person=person, number=number, normalized=key, position=i)
                )
    if links is not None:
        new_links, seen = [], set()
        for i, raw in enumerate(links):
            try:
                url = contact.clean_url(raw)
            except ValidationError as exc:
                errors.setdefault("links", []).extend(exc.messages)
                continue
            key = contact.normalize_url(url)
            if key not in seen:
                seen.add(key)
                new_links.append(
                    Link(
                        owner=owner,
                        person=person,
                        url=url,
                        kind=contact.link_kind(url),
                        normalized=key,
                        position=i,
                    )
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
    """
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
    """Change a person. Lists given (emails, phones, links, tags) replace the current ones."""
    owner = person.owner
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
    search_index_people(person_ids=[person.pk])
    return person


@transaction.atomic
def people_delete(*, owner: User, person_ids: Iterable[int]) -> int:
    """Delete these people of the owner's (ties, details and search entries go with them)."""
    ids = list(set(person_ids))
    if not ids:
        return 0
    queryset = Person.objects.filter(owner=owner, pk__in=ids)
    count = queryset.count()
    queryset.delete()
    return count


def person_delete(*, person: Person) -> None:
    people_delete(owner=person.owner, person_ids=[person.pk])


@transaction.atomic
def people_tag(*, owner: User, person_ids: Iterable[int], tag_names: Sequence[str]) -> int:
    """Add tags to many people at once; returns how many people were touched."""
    ids = list(
        Person.objects.filter(owner=owner, pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    tags = tags_get_or_create(owner=owner, names=tag_names)
    if not ids or not tags:
        return 0
    through = Person.tags.through
    existing = set(
        through.objects.filter(person_id__in=ids, tag__in=tags).values_list("person_id", "tag_id")
    )
    through.objects.bulk_create(
        [
            through(person_id=pid, tag_id=tag.pk)
            for pid in ids
            for tag in tags
            if (pid, tag.pk) not in existing
        ]
    )
    search_index_people(person_ids=ids)
    return len(ids)


@transaction.atomic
def people_untag(*, owner: User, person_ids: Iterable[int], tag_names: Sequence[str]) -> int:
    ids = list(
        Person.objects.filter(owner=owner, pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    names = _clean_tag_names(tag_names)
    tags = (
        Tag.objects.filter(owner=owner).filter(
            models.Q(*[models.Q(name__iexact=n) for n in names], _connector=models.Q.OR)
        )
        if names
        else Tag.objects.none()
    )
    if not ids:
        return 0
    Person.tags.through.objects.filter(person_id__in=ids, tag__in=tags).delete()
    search_index_people(person_ids=ids)
    return len(ids)


@transaction.atomic
def people_set_list(*, owner: User, person_ids: Iterable[int], contact_list: str) -> int:
    letter = contact_list.strip().upper()
    if letter not in ContactList.values:
        raise ValidationError({"contact_list": f"{contact_list!r} is not a list; use A, B or C."})
    return Person.objects.filter(owner=owner, pk__in=list(person_ids)).update(contact_list=letter)


def _merge_details(
    model: type[Email] | type[Phone] | type[Link], keep: Person, other: Person
) -> None:
    have = set(model._default_manager.filter(person=keep).values_list("normalized", flat=True))
    start = len(have)
    for offset, detail in enumerate(model._default_manager.filter(person=other)):
        if detail.normalized in have:
            detail.delete()
        else:
            have.add(detail.normalized)
            detail.person = keep  # type: ignore[attr-defined]
            detail.position = start + offset
            detail.save(update_fields=["person", "position"])


def _repoint_ties(keep: Person, other: Person) -> None:
    existing = {}
    for tie in Tie.objects.filter(models.Q(person_a=keep) | models.Q(person_b=keep)):
        existing[tie.person_b_id if tie.person_a_id == keep.pk else tie.person_a_id] = tie
    for tie in Tie.objects.filter(models.Q(person_a=other) | models.Q(person_b=other)):
        third = tie.person_b_id if tie.person_a_id == other.pk else tie.person_a_id
        if third == keep.pk:
            tie.delete()  # a tie between the two halves of one person means nothing
            continue
        if third in existing:
            kept = existing[third]
            kept.strength = max(kept.strength, tie.strength)
            notes = [kept.notes, tie.notes if tie.notes not in kept.notes else ""]
            if tie.kind != kept.kind and kept.kind == Tie.Kind.OTHER:
                kept.kind = tie.kind
            elif tie.kind not in (kept.kind, Tie.Kind.OTHER):
                notes.append(f"Also: {tie.get_kind_display()}.")  # how else they know each other
            kept.notes = "\n".join(filter(None, notes))
            kept.save(update_fields=["strength", "kind", "notes"])
            tie.delete()
            continue
        tie.delete()
        a, b = sorted((keep.pk, third))
        Tie.objects.create(
            owner_id=keep.owner_id,
            uuid=tie.uuid,
            person_a_id=a,
            person_b_id=b,
            kind=tie.kind,
            strength=tie.strength,
            notes=tie.notes,
        )


def _merged_by_hand() -> set[type[models.Model]]:
    """Models whose rows person_merge moves itself, because of their unique constraints."""
    from circleback.journal.models import Participation
    from circleback.search.models import SearchDocument

    return {
        Email,
        Phone,
        Link,
        Photo,
        Tie,
        Participation,
        SearchDocument,
        Person,
        Person.tags.through,
        apps.get_model("insights", "Snooze"),
        apps.get_model("interchange", "PossibleDuplicate"),
    }


def _person_foreign_keys() -> dict[type[models.Model], list[str]]:
    """Other models' foreign keys to Person (meetings, leads, favours, loop steps …), by model.

    Hidden relations (related_name="+": an introduction's two people, a loop step's, who
    referred you to a meeting) count too: left out, merging deleted them with the other person.
    """
    by_model: dict[type[models.Model], list[str]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        if relation.related_model in _merged_by_hand():
            continue
        by_model.setdefault(relation.related_model, []).append(relation.field.name)  # type: ignore[arg-type]
    return by_model


def _merge_snoozes(keep: Person, other: Person) -> None:
    """One snooze per person: the one that lasts longer."""
    snooze = apps.get_model("insights", "Snooze")
    mine = snooze.objects.filter(person=keep).first()
    theirs = snooze.objects.filter(person=other).first()
    if theirs is None:
        return
    if mine is not None and mine.until >= theirs.until:
        theirs.delete()
        return
    if mine is not None:
        mine.delete()
    snooze.objects.filter(pk=theirs.pk).update(person=keep)


def _merge_possible_duplicates(keep: Person, other: Person) -> None:
    """The pair being merged is settled; other pairs with `other` become pairs with `keep`
    (stored lower id first, once), so a "kept apart" decision is not forgotten."""
    pair = apps.get_model("interchange", "PossibleDuplicate")
    pair.objects.filter(
        models.Q(person_a=keep, person_b=other) | models.Q(person_a=other, person_b=keep)
    ).delete()
    for row in pair.objects.filter(models.Q(person_a=other) | models.Q(person_b=other)):
        third = row.person_b_id if row.person_a_id == other.pk else row.person_a_id
        a, b = sorted((keep.pk, third))
        if pair.objects.filter(person_a_id=a, person_b_id=b).exists():
            row.delete()
        else:
            pair.objects.filter(pk=row.pk).update(person_a_id=a, person_b_id=b)


def _drop_repeated_follow_ups(keep: Person, other: Person) -> None:
    """An open "follow up on the introduction you asked for" is one per person asked and
    person asked about; when both halves have one about the same person, `keep`'s stays."""
    step = apps.get_model("loops", "LoopStep")
    open_requests = step.objects.filter(kind="intro_request", done_at__isnull=True)
    for mine, theirs in (("person", "about"), ("about", "person")):
        taken = open_requests.filter(**{mine: keep}).values_list(f"{theirs}_id", flat=True)
        open_requests.filter(**{mine: other, f"{theirs}_id__in": list(taken)}).delete()


def _refuse_if_linked(keep: Person, other: Person) -> None:
    """Two people one record links to each other (a lead from one about the other, an
    introduction of one to the other) are two people: merging them would make that record
    point at one person twice."""
    for model, fields in _person_foreign_keys().items():
        for first in fields:
            for second in fields:
                if (
                    first != second
                    and model._default_manager.filter(**{first: keep, second: other}).exists()
                ):
                    raise ValidationError(
                        f"{keep.full_name} and {other.full_name} are linked by a "
                        f"{model._meta.verbose_name} between them, so they are two different "
                        "people; they were not merged."
                    )


@transaction.atomic
def person_merge(*, keep: Person, other: Person, prefer_other: Iterable[str] = ()) -> Person:
    """Fold `other` into `keep` and delete `other`; no value is silently lost.

    Scalar fields keep `keep`'s value unless it is empty or named in `prefer_other`; a value
    that loses is appended to the notes. Emails, phones, links, tags, ties, journal entries and
    every other record pointing at `other` (meetings, loops, favours, introductions, snoozes,
    duplicate reviews) move to `keep`; where both had one that must be unique, one is kept.
    """
    if keep.owner_id != other.owner_id:
        raise ValidationError("Only people in the same network can be merged.")
    if keep.pk == other.pk:
        raise ValidationError("Choose two different people to merge.")
    prefer = set(prefer_other)
    unknown = prefer - set(PERSON_FIELDS) - {"organisation", "introduced_by"}
    if unknown:
        raise ValidationError(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    _refuse_if_linked(keep, other)
    from circleback.journal.services import participations_move

    lost: list[str] = []
    for field in (*PERSON_FIELDS, "organisation", "introduced_by"):
        if field in ("notes", "source"):
            continue
        model_field = Person._meta.get_field(field)
        assert isinstance(model_field, models.Field)
        attname, label = model_field.attname, model_field.verbose_name
        mine, theirs = getattr(keep, attname), getattr(other, attname)
        if field == "introduced_by" and theirs == keep.pk:
            continue
        empty_mine = mine in (None, "")
        if theirs in (None, "") or theirs == mine:
            continue
        if field in prefer or empty_mine:
            if not empty_mine and field in ("full_name", "title", "how_we_met", "location"):
                lost.append(f"{label}: {mine}")
            setattr(keep, attname, theirs)
        elif field in ("full_name", "title", "how_we_met", "location"):
            lost.append(f"{label}: {theirs}")
    if (
        isinstance(keep.closeness, int)
        and isinstance(other.closeness, int)
        and "closeness" not in prefer
    ):
        keep.closeness = max(keep.closeness, other.closeness)
    keep.is_decision_maker = keep.is_decision_maker or other.is_decision_maker
    notes = [keep.notes.strip()]
    if other.notes.strip() and other.notes.strip() not in keep.notes:
        notes.append(other.notes.strip())
    if lost:
        notes.append("Also known as — " + "; ".join(lost))
    keep.notes = "\n\n".join(filter(None, notes))
    if other.last_contact_at and (
        keep.last_contact_at is None or other.last_contact_at > keep.last_contact_at
    ):
        keep.last_contact_at = other.last_contact_at
    if keep.introduced_by_id == other.pk:
        keep.introduced_by = None

    for model in (Email, Phone, Link):
        _merge_details(model, keep, other)
    if not Photo.objects.filter(person=keep).exists():
        Photo.objects.filter(person=other).update(person=keep)
    keep.tags.add(*other.tags.all())
    _repoint_ties(keep, other)
    participations_move(from_person=other, to_person=keep)
    _merge_snoozes(keep, other)
    _merge_possible_duplicates(keep, other)
    _drop_repeated_follow_ups(keep, other)
    Person.objects.filter(introduced_by=other).exclude(pk=keep.pk).update(introduced_by=keep)
    # Anything else that points at a person (meetings, loops, favours …) simply moves over.
    for related, fields in _person_foreign_keys().items():
        for name in fields:
            related._default_manager.filter(**{name: other}).update(**{name: keep})
    keep.full_clean(exclude=["owner", "organisation", "introduced_by"])
    keep.save()
    other.delete()
    search_index_people(person_ids=[keep.pk])
    return keep


# --- ties ---------------------------------------------------------------------------------


@transaction.atomic
def tie_set(
    *,
    owner: User,
    person: Person,
    other: Person,
    kind: str = Tie.Kind.OTHER,
    strength: int = 2,
    notes: str = "",
) -> Tie:
    """Record that two people know each other, or update how they do."""
    if person.pk == other.pk:
        raise ValidationError(
            "A tie joins two different people; a person can't be tied to themselves."
        )
    if person.owner_id != owner.pk or other.owner_id != owner.pk:
        raise ValidationError("Both people must be in your network.")
    if kind not in Tie.Kind.values:
        raise ValidationError(
            {"kind": f"{kind!r} is not a kind of tie; use one of {', '.join(Tie.Kind.values)}."}
        )
    if not isinstance(strength, int) or not 1 <= strength <= 5:
        raise ValidationError({"strength": f"Strength must be from 1 to 5, not {strength!r}."})
    a, b = sorted((person.pk, other.pk))
    tie = Tie.objects.filter(person_a_id=a, person_b_id=b).first() or Tie(
        owner=owner, person_a_id=a, person_b_id=b
    )
    tie.kind, tie.strength, tie.notes = kind, strength, notes or tie.notes
    tie.full_clean(exclude=["person_a", "person_b", "owner"])
    tie.save()
    return tie


def tie_delete(*, tie: Tie) -> None:
    tie.delete()


def last_contact_refresh(*, person_ids: Iterable[int]) -> None:
    """Recompute people's last contact from their journal (after an edit or delete)."""
    from circleback.journal.models import Participation

    ids = list(set(person_ids))
    if not ids:
        return
    newest = Participation.objects.filter(person_id=models.OuterRef("pk")).order_by("-occurred_at")
    Person.objects.filter(pk__in=ids).update(
        last_contact_at=models.Subquery(newest.values("occurred_at")[:1])
    )


@transaction.atomic
def person_merge_chosen(*, keep: Person, other: Person, take_from_other: Iterable[str]) -> Person:
    """person_merge where every value the user chose on the merge screen wins as chosen.

    person_merge keeps the closer closeness and either decision-maker flag on its own; here a
    field not taken from `other` keeps `keep`'s value exactly, so the screen says what happens.
    """
    take = set(take_from_other)
    closeness, decision_maker = keep.closeness, keep.is_decision_maker
    merged = person_merge(keep=keep, other=other, prefer_other=take - {"is_decision_maker"})
    changed = []
    if "closeness" not in take and merged.closeness != closeness:
        merged.closeness = closeness
        changed.append("closeness")
    wanted_flag = other.is_decision_maker if "is_decision_maker" in take else decision_maker
    if merged.is_decision_maker != wanted_flag:
        merged.is_decision_maker = wanted_flag
        changed.append("is_decision_maker")
    if changed:
        merged.save(update_fields=changed)
    return merged
