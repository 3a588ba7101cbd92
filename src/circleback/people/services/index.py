"""A person's search document: what the index holds for each person, rewritten after every change
to them (by imports, a batch at a time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from circleback.db import bulk
from circleback.people.models import Email, Person
from circleback.search.models import SearchDocument
from circleback.search.services import DOCUMENT_COLUMNS, Folded, id_batches


def _person_document(
    owner_id: int,
    pk: int,
    names: list[str],
    details: list[str],
    emails: list[str],
    tags: list[str],
    folded: Folded | None = None,
) -> tuple[int, str, int, None, str, str]:
    folded = Folded() if folded is None else folded
    title, org, location, how_we_met, notes = details
    full, given, family = names
    if given and family and full == f"{given} {family}":
        # The usual full name is its two parts: their words, without folding it again.
        names = [given, family, given, family]
    return (
        owner_id,
        SearchDocument.Kind.PERSON,
        pk,
        None,
        folded.join(names),
        folded.join([title, org, *emails, *tags, location, how_we_met, notes]),
    )


def search_index_people(*, person_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these people.

    Reads plain values (three queries a batch) rather than model instances with prefetched
    relations, which cost half a millisecond a person: an import of 20,000 people indexes in
    about a second instead of ten.
    """
    ids = sorted(set(person_ids))
    folded = Folded()
    for chunk in id_batches(ids):
        emails: dict[int, list[str]] = defaultdict(list)
        for person_id, address in (
            Email.objects.filter(person_id__in=chunk)
            .order_by("position", "pk")
            .values_list("person_id", "address")
        ):
            emails[person_id].append(address)
        tags: dict[int, list[str]] = defaultdict(list)
        for person_id, name in (
            Person.tags.through.objects.filter(person_id__in=chunk)
            .order_by("pk")
            .values_list("person_id", "tag__name")
        ):
            tags[person_id].append(name)
        documents = [
            _person_document(
                owner_id,
                pk,
                [full, given, family],
                [title, org or "", loc, met, notes],
                emails.get(pk, []),
                tags.get(pk, []),
                folded,
            )
            for pk, owner_id, full, given, family, title, org, loc, met, notes in (
                Person.objects.filter(pk__in=chunk).values_list(
                    "pk",
                    "owner_id",
                    "full_name",
                    "given_name",
                    "family_name",
                    "title",
                    "organisation__name",
                    "location",
                    "how_we_met",
                    "notes",
                )
            )
        ]
        SearchDocument.objects.filter(person_id__in=chunk).delete()
        bulk.insert_rows(SearchDocument, DOCUMENT_COLUMNS, documents)


PersonDocument = tuple[int, int, list[str], list[str], list[str], list[str]]


def search_index_new_people(
    *, entries: Iterable[PersonDocument], writer: bulk.WriteBehind | None = None
) -> None:
    """Write the documents of people who have none yet, from their values: (owner id, id,
    [full, given, family name], [title, organisation's name, location, how we met, notes],
    emails in order, tag names in order) — what search_index_people would read back, for an
    import that has just written them (through its `writer`, if it has one)."""
    folded = Folded()
    documents = [_person_document(*entry, folded) for entry in entries]
    if writer is not None:
        writer.insert_rows(SearchDocument, DOCUMENT_COLUMNS, documents)
    else:
        bulk.insert_rows(SearchDocument, DOCUMENT_COLUMNS, documents)
