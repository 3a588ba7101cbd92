"""How an import writes: search documents from the rows in hand, and big files in batches."""

from __future__ import annotations

from pathlib import Path

from circleback.accounts.models import User
from circleback.interchange.services import import_file
from circleback.people.models import Person
from circleback.search.models import SearchDocument
from circleback.search.services import search_index_people

FIXTURES = Path(__file__).parent / "fixtures"


def documents(owner: User) -> dict[int, tuple[str, str]]:
    return {
        d.person_id: (d.title, d.body)
        for d in SearchDocument.objects.filter(owner=owner, kind="person")
        if d.person_id is not None
    }


def test_new_peoples_search_documents_are_what_indexing_them_again_gives(alice: User) -> None:
    for name in ("vcard40.vcf", "google_contacts.csv", "linkedin_connections_2024.csv"):
        import_file(owner=alice, data=(FIXTURES / name).read_bytes(), tags=["Job Club", "é2026"])
    written = documents(alice)
    assert len(written) == Person.objects.filter(owner=alice).count() > 5
    assert all("job club e2026" in body for _title, body in written.values())
    search_index_people(person_ids=list(written))
    assert documents(alice) == written
