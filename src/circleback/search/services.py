"""Keep the search documents in step with people and journal entries.

The people and journal services call these after every write; imports call them once per
batch. Each call replaces the documents of the given rows in a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from circleback.db import bulk
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


class _Folded(dict[str, str]):
    """_indexable of each piece of text, worked out once: a network repeats the same titles,
    organisations, tags and given names thousands of times. Words never span a space, so the
    pieces' indexable forms joined by spaces are the indexable form of the joined text."""

    def __missing__(self, text: str) -> str:
        value = self[text] = _indexable(text)
        return value

    def join(self, texts: Iterable[str]) -> str:
        return " ".join(filter(None, [self[t] for t in texts if t]))


def _person_document(
    owner_id: int,
    pk: int,
    names: list[str],
    details: list[str],
    emails: list[str],
    tags: list[str],
    folded: _Folded | None = None,
) -> tuple[int, str, int, None, str, str]:
    folded = _Folded() if folded is None else folded
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


# Documents are written as plain rows (circleback.db.bulk): building a model instance for each
# was most of the time of indexing an import of 30,000 people.
_COLUMNS = ("owner_id", "kind", "person_id", "interaction_id", "title", "body")


def search_index_people(*, person_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these people.

    Reads plain values (three queries a batch) rather than model instances with prefetched
    relations, which cost half a millisecond a person: an import of 20,000 people indexes in
    about a second instead of ten.
    """
    ids = sorted(set(person_ids))
    folded = _Folded()
    for chunk in _chunks(ids):
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
        bulk.insert_rows(SearchDocument, _COLUMNS, documents)


PersonDocument = tuple[int, int, list[str], list[str], list[str], list[str]]


def search_index_new_people(
    *, entries: Iterable[PersonDocument], writer: bulk.WriteBehind | None = None
) -> None:
    """Write the documents of people who have none yet, from their values: (owner id, id,
    [full, given, family name], [title, organisation's name, location, how we met, notes],
    emails in order, tag names in order) — what search_index_people would read back, for an
    import that has just written them (through its `writer`, if it has one)."""
    folded = _Folded()
    documents = [_person_document(*entry, folded) for entry in entries]
    if writer is not None:
        writer.insert_rows(SearchDocument, _COLUMNS, documents)
    else:
        bulk.insert_rows(SearchDocument, _COLUMNS, documents)


def search_index_interactions(*, interaction_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these journal entries."""
    ids = sorted(set(interaction_ids))
    for chunk in _chunks(ids):
        rows = list(
            Interaction.objects.filter(pk__in=chunk).values_list(
                "owner_id", "pk", "summary", "notes"
            )
        )
        SearchDocument.objects.filter(interaction_id__in=chunk).delete()
        search_index_new_interactions(entries=rows)


def search_index_new_interactions(
    *,
    entries: Iterable[tuple[int, int, str, str]],
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Write the documents of journal entries that have none yet, from their values
    (owner id, id, summary, notes): for callers that just wrote many entries and hold their
    text, so nothing is read back."""
    bulk.insert_rows(
        SearchDocument,
        _COLUMNS,
        (
            (
                owner_id,
                SearchDocument.Kind.INTERACTION,
                None,
                pk,
                _indexable(summary),
                _indexable(notes),
            )
            for owner_id, pk, summary, notes in entries
        ),
        on_batch=on_batch,
    )


def search_forget_deleted() -> None:
    """Make SQLite's full-text indexes drop the words of deleted documents.

    FTS5 only marks a deleted document's words as deleted until its segments are merged: the
    words stay readable in the index's own tables. Erasing someone must not leave their name
    there, so the indexes are merged now. (PostgreSQL keeps the index in the row, which goes.)
    """
    from django.db import connection

    from circleback.search.queries import _SQLITE_TABLE

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in _SQLITE_TABLE.values():
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
