"""Each defect issue 13 found in real exports, on a file of that export's shape.

The fixtures reproduce the shapes with invented people: Outlook's desktop CSV, Google
Contacts' 2023 CSV, LinkedIn's 2018 Connections.csv and 2022 messages.csv, and vCards as
Nokia/Android (Windows code pages), Outlook, iPhone and macOS Contacts write them.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.tests.support import migrated_home, run_program
from circleback.interchange.formats import vcard
from circleback.interchange.models import PossibleDuplicate
from circleback.interchange.records import Problem
from circleback.interchange.services import import_file
from circleback.journal.models import Interaction
from circleback.people.contact import MAX_DETAILS
from circleback.people.models import Email, Person, Photo
from circleback.search.queries import search_people_ids

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def names(owner: User) -> list[str]:
    return sorted(Person.objects.filter(owner=owner).values_list("full_name", flat=True))


# --- identity -------------------------------------------------------------------------------


def test_colleagues_sharing_an_office_number_stay_apart(alice: User) -> None:
    """GIVEN Outlook's sample shape: five colleagues, one office number, one of them with
    the office's role address THEN five people, each pair offered for review with the real
    reason; the label in a phone column costs that value only."""
    report = import_file(owner=alice, data=load("outlook_shared_office_phone.csv"))
    assert report.created == 5 and report.merged_within_file == 0
    assert names(alice) == [
        "Ingrid Halvorsen",
        "Kwame Mensah",
        "Lena Vogel",
        "Nadia Okonkwo",
        "Tomás Reyes",
    ]
    assert Email.objects.filter(owner=alice).count() == 5
    reasons = set(PossibleDuplicate.objects.filter(owner=alice).values_list("reason", flat=True))
    assert reasons == {"share the phone number (425) 555-0100"}
    assert PossibleDuplicate.objects.filter(owner=alice).count() == 10  # 5 choose 2
    assert (
        Problem("row 5, Mobile Phone", "BusinessPhone", "not a phone number (no digits); left out")
        in report.problems
    )
    lena = Person.objects.get(owner=alice, full_name="Lena Vogel")
    assert [t.name for t in lena.tags.all()] == ["Business"]  # "My Contacts" is no tag


def test_a_role_address_pairs_people_for_review_and_never_merges(alice: User) -> None:
    header = b"First Name,Last Name,E-mail Address,Company\r\n"
    first = header + b"Lena,Vogel,office@contoso.example,Contoso\r\n"
    second = header + b"Marta,Ruiz,office@contoso.example,Contoso\r\n"
    import_file(owner=alice, data=first)
    report = import_file(owner=alice, data=second)
    assert report.created == 1 and report.merged == 0
    [pair] = PossibleDuplicate.objects.filter(owner=alice)
    assert pair.reason == "share the role address office@contoso.example"


def test_junk_short_numbers_chain_no_strangers(alice: User) -> None:
    """GIVEN a Google export where "92011" is the mobile of three strangers THEN three
    people, and the junk number pairs no one."""
    report = import_file(owner=alice, data=load("google_contacts_junk_numbers.csv"))
    assert report.merged_within_file == 0
    assert {"Priya Raman", "Oskar Lind", "Mei Chen"} <= set(names(alice))
    assert not PossibleDuplicate.objects.filter(owner=alice).exists()
    mei = Person.objects.get(owner=alice, full_name="Mei Chen")
    assert sorted(mei.phones.values_list("number", flat=True)) == ["+1 650 555 0199", "92011"]
    priya = Person.objects.get(owner=alice, full_name="Priya Raman")
    assert [t.name for t in priya.tags.all()] == ["Running club"]


def test_a_strong_key_still_merges_two_rows_of_one_file(alice: User) -> None:
    data = (
        b"First Name,Last Name,E-mail Address,Mobile Phone\r\n"
        b"Ada,Quill,ada@quill.example,\r\n"
        b"Ada,Q.,ADA@quill.example,+44 20 7946 0958\r\n"
    )
    report = import_file(owner=alice, data=data)
    assert (report.created, report.merged_within_file) == (1, 1)
    assert Person.objects.get(owner=alice).phones.count() == 1


# --- bad values -----------------------------------------------------------------------------


def test_a_bad_value_costs_the_value_not_the_record(alice: User) -> None:
    report = import_file(owner=alice, data=load("google_contacts_junk_numbers.csv"))
    assert report.broken == [] and report.created == 8
    hannes = Person.objects.get(owner=alice, full_name="Hannes Müller")
    # RFC 6531: an internationalised address is an address.
    assert list(hannes.emails.values_list("address", flat=True)) == ["blablö@blub.com"]
    ruth = Person.objects.get(owner=alice, full_name="Ruth Abara")
    assert "Email (Work): ruth at example dot com" not in ruth.notes  # no @: not an address
    assert "Phone (work), as written: ext. 12" in ruth.notes
    assert not ruth.phones.exists() and not ruth.emails.exists()
    problems = {(p.where, p.value): p.reason for p in report.problems}
    assert problems[("row 7, Phone 1 - Value", "Handy")].startswith("not a phone number")
    assert problems[("row 8, E-mail 1 - Value", "ruth at example dot com")] == (
        "not an email address; left out"
    )
    assert problems[("row 8, Phone 1 - Value", "ext. 12")] == (
        "not a phone number; kept in the notes"
    )


def test_a_record_without_a_name_is_named_after_its_detail_and_flagged(alice: User) -> None:
    report = import_file(owner=alice, data=load("google_contacts_junk_numbers.csv"))
    assert "+44 7700 900123" in names(alice)
    assert "example.net/~jordan" in names(alice)
    phone_only = Person.objects.get(owner=alice, full_name="+44 7700 900123")
    assert "the file gave no name" in phone_only.notes
    flagged = [p for p in report.problems if p.reason.startswith("no name")]
    assert [(p.where, p.value) for p in flagged] == [
        ("row 5", "+44 7700 900123"),
        ("row 6", "example.net/~jordan"),
    ]


def test_url_only_and_unnamed_vcards_become_people(alice: User) -> None:
    report = import_file(owner=alice, data=load("vcard30_android_system_groups.vcf"))
    assert report.created == 3 and report.broken == []
    assert "linkedin.com/in/jo-lee-42" in names(alice)
    bruno = Person.objects.get(owner=alice, full_name="Bruno Costa")
    assert [t.name for t in bruno.tags.all()] == ["Climbing"]


def test_a_card_of_300000_phone_lines_is_bounded(alice: User) -> None:
    lines = [f"TEL;TYPE=CELL:+1 555 {n:07d}" for n in range(300_000)]
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Max Overflow\r\n" + "\r\n".join(lines)).encode()
    data += b"\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Next Person\r\nEND:VCARD\r\n"
    assert len(data) > 6_000_000
    report = import_file(owner=alice, data=data)
    assert report.created == 2
    person = Person.objects.get(owner=alice, full_name="Max Overflow")
    assert person.phones.count() == MAX_DETAILS
    [problem] = report.problems
    assert problem.where.startswith("card 1") and problem.value == f"{300_000 - MAX_DETAILS:,} more"


def test_merging_never_takes_a_person_past_the_limit(alice: User, make_person: Any) -> None:
    make_person(
        alice,
        "Ada Quill",
        emails=["ada@quill.example"],
        phones=[f"+4420794600{n:02d}" for n in range(MAX_DETAILS)],
    )
    data = (
        b"First Name,Last Name,E-mail Address,Mobile Phone\r\n"
        b"Ada,Quill,ada@quill.example,+44 20 7946 0999\r\n"
    )
    report = import_file(owner=alice, data=data)
    assert report.merged == 0 and report.unchanged == 1
    assert Person.objects.get(owner=alice).phones.count() == MAX_DETAILS
    assert report.problems[0].reason.startswith("more phone numbers than one person holds")


# --- dry run ---------------------------------------------------------------------------------


def _circleback(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_program(home, *args, stdin="a long enough password\n")


def _same(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what differs between any two runs: the time taken, and the ids of
    people made (the dry run's are rolled back)."""
    same = {k: v for k, v in report.items() if k not in ("dry_run", "seconds")}
    same["possible_duplicates"] = [
        {k: v for k, v in pair.items() if not k.endswith("_uuid")}
        for pair in report["possible_duplicates"]
    ]
    return same


def test_a_dry_run_is_the_import_that_follows_rolled_back(tmp_path: Path) -> None:
    """Run as a program: `import --dry-run` then `import` exit alike and report alike, for
    a file with odd values, one with possible duplicates, and one with a broken record."""
    migrated_home(tmp_path)
    assert _circleback(tmp_path, "user", "create", "ada", "--password-file", "-").returncode == 0
    for fixture in (
        "google_contacts_junk_numbers.csv",
        "outlook_shared_office_phone.csv",
        "vcard_truncated.vcf",
    ):
        path = str(FIXTURES / fixture)
        dry = _circleback(tmp_path, "import", path, "--dry-run", "--json")
        real = _circleback(tmp_path, "import", path, "--json")
        assert dry.returncode == real.returncode, fixture
        if real.returncode:
            assert dry.stderr == real.stderr and "--skip-bad" in real.stderr
            continue
        dry_report, real_report = json.loads(dry.stdout), json.loads(real.stdout)
        assert dry_report["dry_run"] and not real_report["dry_run"]
        assert dry_report["created"] > 0 and dry_report["problems"]
        assert _same(dry_report) == _same(real_report)


# --- LinkedIn eras --------------------------------------------------------------------------


def test_linkedin_2018_dates_with_times_and_member_urns(alice: User) -> None:
    report = import_file(owner=alice, data=load("linkedin_connections_2018.csv"))
    assert report.created == 3 and report.problems == [] and report.skipped == []
    rosa = Person.objects.get(owner=alice, full_name="Rosa Delgado")
    assert str(rosa.met_on) == "2018-01-08" and not rosa.emails.exists()
    aarav = Person.objects.get(owner=alice, full_name="Aarav Shah")
    assert str(aarav.met_on) == "2017-12-21"


def test_2022_messages_find_people_by_name_when_connections_have_no_urls(
    alice: User, make_person: Any
) -> None:
    import_file(owner=alice, data=load("linkedin_connections_2018.csv"))
    make_person(alice, "Alex Kim")
    make_person(alice, "Alex Kim", organisation="Other Alex Inc.")
    report = import_file(owner=alice, data=load("linkedin_messages_2022.csv"))
    assert report.interactions_created == 2
    rosa = Person.objects.get(owner=alice, full_name="Rosa Delgado")
    entries = Interaction.objects.filter(owner=alice, people=rosa)
    assert entries.count() == 2
    assert sorted(entries.values_list("direction", flat=True)) == ["incoming", "outgoing"]
    [ambiguous] = [p for p in report.problems if p.value == "Alex Kim"]
    assert ambiguous.where == "row 4" and "linked to none" in ambiguous.reason
    assert [s.where for s in report.skipped] == ["row 4"]  # nobody else took part


# --- vCard quirks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "name", "more"),
    [
        ("vcard21_greek_cp1253.vcf", "Ελένη Παπαδόπουλος", "Αθηναϊκή Ζυθοποιία"),
        ("vcard21_ukrainian_cp1251.vcf", "Олена Шевченко", "Інженерка"),
        ("vcard30_utf16.vcf", "Åse Øster", "ase@example.no"),
    ],
)
def test_code_pages_are_read_as_declared(fixture: str, name: str, more: str) -> None:
    [person] = vcard.parse(load(fixture)).people
    assert person.full_name == name
    assert more in (person.organisation, person.title, *person.emails)


def test_windows_1252_is_the_last_resort() -> None:
    data = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoë Façade\r\nEND:VCARD\r\n".encode("cp1252")
    assert vcard.parse(data).people[0].full_name == "Zoë Façade"


def test_altid_alternates_are_kept_and_searchable(alice: User) -> None:
    import_file(owner=alice, data=load("vcard40_altid_language.vcf"))
    person = Person.objects.get(owner=alice)
    assert person.full_name == "山田 花子"
    assert "Name also written: Hanako Yamada (en)" in person.notes
    assert "Organisation also written: Sample Co. (en)" in person.notes
    assert search_people_ids(owner=alice, text="Hanako", limit=10) == [person.pk]


def test_n_comma_lists_and_quoted_printable_notes() -> None:
    [john] = vcard.parse(load("vcard21_outlook_n_lists_qp.vcf")).people
    assert (john.given_name, john.family_name) == ("John", "Doe")
    assert "\r" not in john.notes
    assert john.notes == (
        "First line of the note.\nSecond line, which is long enough to be soft-broken by Outlook."
    )


def test_n_without_fn_uses_the_additional_names() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John,Richter,James;;;\r\nEND:VCARD\r\n"
    [john] = vcard.parse(data).people
    assert (john.full_name, john.given_name) == ("John Richter James Doe", "John")


def test_an_iphone_photo_with_cr_cr_lf_line_ends_is_whole(alice: User) -> None:
    import_file(owner=alice, data=load("vcard30_iphone_crcrlf_photo.vcf"))
    photo = Photo.objects.get(person__owner=alice)
    text = load("vcard30_iphone_crcrlf_photo.vcf").decode()
    payload = "".join(
        line[1:] if line.startswith(" ") else line.split(":", 1)[1]
        for line in text.split("\r\r\n")
        if line.startswith((" ", "PHOTO"))
    )
    assert len(bytes(photo.data)) == 32_531 == len(base64.b64decode(payload))
    assert bytes(photo.data) == base64.b64decode(payload)


@pytest.mark.parametrize("ending", ["\n", "\r", "\r\n", "\r\r\n"])
def test_any_line_end_reads_the_same(ending: str) -> None:
    card = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Ada",
        " Quill",
        "EMAIL:ada@quill.example",
        "END:VCARD",
    ]
    [ada] = vcard.parse(ending.join(card).encode()).people
    assert (ada.full_name, ada.emails) == ("AdaQuill", ["ada@quill.example"])


def test_apple_group_members_are_found_by_uid_and_abuid(alice: User) -> None:
    import_file(owner=alice, data=load("vcard30_apple_group_abuid.vcf"))
    tagged = Person.objects.filter(owner=alice, tags__name="Book Club")
    assert sorted(tagged.values_list("full_name", flat=True)) == ["Femi Okoro", "Nadia Rahman"]
