"""How an import writes: search documents from the rows in hand, and big files in batches."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from circleback.accounts.models import User
from circleback.interchange import services
from circleback.interchange.services import import_file
from circleback.people.models import Link, Organisation, Person, Tag
from circleback.people.services.index import search_index_people
from circleback.people.services.organisations import organisation_get_or_create
from circleback.search.models import SearchDocument
from circleback.search.queries import search_people_ids

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


# A LinkedIn export is streamed: parsed a batch at a time while earlier batches are written.
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin_rows(count: int, company: str = "Company {n}") -> str:
    return "".join(
        f"Given{n},Family{n},https://www.linkedin.com/in/p{n},,{company.format(n=n)},,01 Jan 2020\n"
        for n in range(count)
    )


def table_counts(owner: User) -> dict[str, int]:
    return {
        "people": Person.objects.filter(owner=owner).count(),
        "organisations": Organisation.objects.filter(owner=owner).count(),
        "links": Link.objects.filter(owner=owner).count(),
        "documents": SearchDocument.objects.filter(owner=owner).count(),
    }


def test_bad_values_in_later_batches_cost_only_the_values(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a LinkedIn export whose odd values come after batches already written
    THEN every row is imported, each odd value reported with its row and column."""
    monkeypatch.setattr(services, "BATCH", 3)
    import_file(owner=alice, data=(HEADER + linkedin_rows(2, "Before")).encode())
    before = table_counts(alice)
    data = (
        HEADER
        + linkedin_rows(7)
        + "Ada,Quill,,not-an-email,Hooli,,01 Jan 2020\n"
        + linkedin_rows(4, "Later {n}")
        + "Bart,Nguyen,,,Hooli,,the day we met\n"
    ).encode()
    report = import_file(owner=alice, data=data)
    assert [(p.where, p.value) for p in report.problems] == [
        ("row 9, Email Address", "not-an-email"),
        ("row 14, Connected On", "the day we met"),
    ]
    # Links p0-p6 are seven people (the "Later" rows repeat p0-p3); p0 and p1 were in;
    # Ada and Bart make two more.
    assert (report.created, report.merged_within_file, len(report.broken)) == (7, 4, 0)
    assert table_counts(alice)["people"] == before["people"] + 7


def test_streamed_batches_find_and_make_organisations_once(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN organisations first named in later batches, spelt differently between batches,
    and one already in the network under another spelling
    THEN each is one organisation, the existing one reused, and importing again makes none."""
    existing = organisation_get_or_create(owner=alice, name="Hooli, Inc.")
    monkeypatch.setattr(services, "BATCH", 2)
    names = ["Globex", "Hooli", "Initech Ltd", "GLOBEX", "Initech", "Umbrella", "Hooli"]
    data = (
        HEADER
        + "".join(
            f"P{n},Q{n},https://www.linkedin.com/in/q{n},,{name},,01 Jan 2020\n"
            for n, name in enumerate(names)
        )
    ).encode()
    report = import_file(owner=alice, data=data)
    assert (report.created, report.organisations_created) == (7, 3)
    orgs = {o.normalized_name: o for o in Organisation.objects.filter(owner=alice)}
    assert sorted(orgs) == ["globex", "hooli", "initech", "umbrella"]
    assert orgs["hooli"].pk == existing.pk
    by_person = dict(
        Person.objects.filter(owner=alice).values_list("full_name", "organisation__normalized_name")
    )
    assert by_person == {
        "P0 Q0": "globex",
        "P1 Q1": "hooli",
        "P2 Q2": "initech",
        "P3 Q3": "globex",
        "P4 Q4": "initech",
        "P5 Q5": "umbrella",
        "P6 Q6": "hooli",
    }
    # Search finds people by an organisation made in a later batch.
    umbrella = search_people_ids(owner=alice, text="umbrella", limit=10)
    assert list(Person.objects.filter(pk__in=umbrella).values_list("full_name", flat=True)) == [
        "P5 Q5"
    ]
    again = import_file(owner=alice, data=data)
    assert (again.created, again.organisations_created, again.unchanged) == (0, 0, 7)
    assert Organisation.objects.filter(owner=alice).count() == 4


def test_a_streamed_dry_run_reports_and_writes_nothing(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 4)
    data = (HEADER + linkedin_rows(10) + "Ada,Quill,,not-an-email,,,01 Jan 2020\n").encode()
    report = import_file(owner=alice, data=data, dry_run=True)
    assert (report.created, report.organisations_created, len(report.problems)) == (11, 10, 1)
    assert table_counts(alice) == dict.fromkeys(
        ("people", "organisations", "links", "documents"), 0
    )


def test_streamed_batches_make_the_labels_later_rows_bring(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a Google Contacts file whose labels first appear in later batches, one of them
    spelt differently in another batch
    THEN each label is one tag, given to the right people, and importing again adds none."""
    monkeypatch.setattr(services, "BATCH", 2)
    rows = [
        ("Ada", "Quill", "* myContacts"),
        ("Bart", "Nguyen", ""),
        ("Chloé", "Okafor", "Mentors ::: * starred"),
        ("Dmitri", "Schmidt", "Job  Club"),
        ("Eun-ji", "Park", "MENTORS ::: job club"),
    ]
    data = (
        "First Name,Last Name,Labels,E-mail 1 - Value\n"
        + "".join(f"{g},{f},{labels},{f.lower()}@example.org\n" for g, f, labels in rows)
    ).encode()
    report = import_file(owner=alice, data=data, tags=["club"])
    assert report.created == 5
    tags = {
        p.given_name: sorted(t.name for t in p.tags.all())
        for p in Person.objects.filter(owner=alice).prefetch_related("tags")
    }
    assert tags == {
        "Ada": ["club"],
        "Bart": ["club"],
        "Chloé": ["Mentors", "club"],
        "Dmitri": ["Job Club", "club"],
        "Eun-ji": ["Job Club", "Mentors", "club"],
    }
    assert sorted(Tag.objects.filter(owner=alice).values_list("name", flat=True)) == [
        "Job Club",
        "Mentors",
        "club",
    ]
    again = import_file(owner=alice, data=data, tags=["club"])
    assert (again.created, again.merged, again.unchanged) == (0, 0, 5)
    assert Tag.objects.filter(owner=alice).count() == 3
