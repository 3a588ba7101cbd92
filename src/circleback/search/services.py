"""The search index's writing side. A person's document is built by the people area's services and
a journal entry's by the journal's, after every write (imports once per batch); both write it
through these helpers, so the index knows nothing of either.
"""

from __future__ import annotations

from collections.abc import Iterable

from circleback.text import words

_BATCH = 2000


def id_batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def indexable(text: str) -> str:
    """Folded words separated by spaces, so both databases tokenise exactly as queries do
    (PostgreSQL's parser would otherwise keep "ada@quill.example" as one token)."""
    return " ".join(words(text))


class Folded(dict[str, str]):
    """indexable of each piece of text, worked out once: a network repeats the same titles,
    organisations, tags and given names thousands of times. Words never span a space, so the
    pieces' indexable forms joined by spaces are the indexable form of the joined text."""

    def __missing__(self, text: str) -> str:
        value = self[text] = indexable(text)
        return value

    def join(self, texts: Iterable[str]) -> str:
        return " ".join(filter(None, [self[t] for t in texts if t]))


# Documents are written as plain rows (circleback.db.bulk): building a model instance for each
# was most of the time of indexing an import of 30,000 people.
DOCUMENT_COLUMNS = ("owner_id", "kind", "person_id", "interaction_id", "title", "body")
