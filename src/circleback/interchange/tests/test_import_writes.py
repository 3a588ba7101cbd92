"""How an import writes: search documents from the rows in hand, and big files in batches."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from circleback.accounts.models import User
from circleback.interchange import services
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


def network(owner: User) -> list[tuple[object, ...]]:
    """Everything an import decides about people, without ids, uuids or times."""
    return sorted(
        (
            p.full_name,
            p.given_name,
            p.family_name,
            p.title,
            p.organisation.name if p.organisation else "",
            p.met_on,
            p.notes,
            tuple(sorted(e.address for e in p.emails.all())),
            tuple(sorted(ph.number for ph in p.phones.all())),
            tuple(sorted(link.url for link in p.links.all())),
            tuple(sorted(t.name for t in p.tags.all())),
        )
        for p in Person.objects.filter(owner=owner).select_related("organisation")
    )


DUPLICATES = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Quill,https://www.linkedin.com/in/ada-quill,,Hooli,CTO,05 Mar 2024\n"
    "Bart,Nguyen,https://www.linkedin.com/in/bart,bart@example.org,Globex,,01 Jan 2020\n"
    "Chloé,Okafor,https://www.linkedin.com/in/chloe,,Initech,Designer,02 Feb 2021\n"
    "Ada,Quill,https://www.linkedin.com/in/ada-quill,ada@example.org,,,01 Mar 2019\n"
    "Bartholomew,Nguyen,https://www.linkedin.com/in/bart-2,bart@example.org,Hooli,VP,03 Jan 2022\n"
    "Dmitri,Schmidt,,,Hooli,Engineer,04 Apr 2023\n"
    "Ada,Quill,https://www.linkedin.com/in/ada-quill,,Hooli,Chief Technology Officer,01 Jan 2018\n"
).encode()


def test_a_file_written_in_small_batches_gives_the_same_network(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN the same files, one imported whole and one two records at a time
    THEN the people, their details and the reports' counts are the same: a row of a later
    batch finds the person an earlier row became."""
    files = [FIXTURES / n for n in ("vcard30_apple.vcf", "google_contacts.csv")]
    contents = [DUPLICATES, *(f.read_bytes() for f in files)]
    reports = {}
    for owner, batch in ((alice, services.BATCH), (bob, 2)):
        monkeypatch.setattr(services, "BATCH", batch)
        reports[owner.username] = [
            import_file(owner=owner, data=data, tags=["club"], skip_bad=True).as_json()
            for data in [*contents, DUPLICATES]
        ]
    for whole, batched in zip(reports["alice"], reports["bob"], strict=True):
        for key in ("created", "merged", "unchanged", "merged_within_file"):
            assert whole[key] == batched[key], (key, whole, batched)
    assert reports["alice"][0]["merged_within_file"] == 3
    assert network(alice) == network(bob)
    written = documents(bob)
    search_index_people(person_ids=list(written))
    assert documents(bob) == written


def test_new_people_get_distinct_random_uuids(alice: User) -> None:
    import_file(owner=alice, data=DUPLICATES)
    uuids = [p.uuid for p in Person.objects.filter(owner=alice)]
    assert len(set(uuids)) == len(uuids) == 4
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in uuids)
