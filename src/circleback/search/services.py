"""Keep the search documents in step with people and journal entries.

The people and journal services call these after every write; imports call them once per
batch. Each call replaces the documents of the given rows in a handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from circleback.journal.models import Interaction
from circleback.people.models import Email, Person
from circleback.search.models import SearchDocument
from circleback.text import words

_BATCH = 2000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def _indexable(text: str) -> str:
    """Folded words separated by spaces, so both databases tokenise exactly as queries do
    (PostgreSQL's parser would otherwise keep "ada@quill.example" as one token)."""
    return " ".join(words(text))


def _person_document(person: Person) -> SearchDocument:
    title = " ".join(filter(None, [person.full_name, person.given_name, person.family_name]))
    body = " ".join(
        filter(
            None,
            [
                person.title,
                person.organisation.name if person.organisation else "",
                " ".join(e.address for e in person.emails.all()),
                " ".join(t.name for t in person.tags.all()),
                person.location,
                person.how_we_met,
                person.notes,
            ],
        )
    )
    return SearchDocument(
        owner_id=person.owner_id,
        kind=SearchDocument.Kind.PERSON,
        person_id=person.pk,
        title=_indexable(title),
        body=_indexable(body),
    )


def search_index_people(*, person_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these people."""
    ids = sorted(set(person_ids))
    for chunk in _chunks(ids):
        people = (
            Person.objects.filter(pk__in=chunk)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("emails", queryset=Email.objects.only("person_id", "address")), "tags"
            )
        )
        documents = [_person_document(p) for p in people]
        SearchDocument.objects.filter(person_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)


def search_index_interactions(*, interaction_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these journal entries."""
    ids = sorted(set(interaction_ids))
    for chunk in _chunks(ids):
        rows = Interaction.objects.filter(pk__in=chunk).values_list(
            "pk", "owner_id", "summary", "notes"
        )
        documents = [
            SearchDocument(
                owner_id=owner_id,
                kind=SearchDocument.Kind.INTERACTION,
                interaction_id=pk,
                title=_indexable(summary),
                body=_indexable(notes),
            )
            for pk, owner_id, summary, notes in rows
        ]
        SearchDocument.objects.filter(interaction_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=500)
