"""A newer export read again brings people's new roles: the preview names each one ("Mira
Okafor: Data Scientist at Contoso → Lead Data Scientist at Contoso"), confirming takes the new
title and organisation, and a RoleChange is noted so that Home and Today suggest
congratulating them. The same role written differently, or a file older than what we have of
someone, records nothing new.

The files are the corpus's and fixtures' real-export shapes (provenance in corpus/README.md),
read again as the same programs would write them later: the changes are made in the text here,
line by line, so the test says what changed.
"""

from __future__ import annotations

import datetime as dt
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli, cli_environment
from circleback.insights.queries.agenda import suggested_gives
from circleback.interchange.models import ImportUpload
from circleback.interchange.services import import_file
from circleback.interchange.tests.test_preview import preview_then_import
from circleback.people.models import Person, RoleChange

__all__ = ["cli", "cli_environment"]
pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
LINKEDIN_2021 = (HERE / "corpus" / "shape_linkedin_connections_2021.csv").read_bytes()
FIRST = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2022, 6, 1, 9, tzinfo=dt.UTC)
HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin_later() -> bytes:
    """The same account's Connections.csv a year on: a new connection at the top (LinkedIn
    lists the newest first), Mira promoted, Lukas moved, Chloé's title re-cased."""
    text = LINKEDIN_2021.replace(
        HEADER,
        HEADER + b"Sara,Ng,https://www.linkedin.com/in/sara-ng-77,,Contoso,Engineer,10 May 2022\n",
    )
    for before, after in (
        (b"Contoso,Data Scientist,", b"Contoso,Lead Data Scientist,"),
        (b'"Fabrikam, Inc.","Head of Sales, DACH"', b'Tailspin Toys,"Head of Sales, DACH"'),
        (b"Northwind,Designer,", b"Northwind,DESIGNER,"),
    ):
        assert before in text
        text = text.replace(before, after)
    return text


@pytest.fixture
def network(alice: User) -> User:
    with time_machine.travel(FIRST, tick=False):
        import_file(owner=alice, data=LINKEDIN_2021, skip_bad=True)
    return alice


def test_a_newer_linkedin_export_brings_the_new_roles_and_only_those(network: User) -> None:
    alice = network
    with time_machine.travel(LATER, tick=False):
        report = preview_then_import(alice, linkedin_later())  # the preview is the import
    assert report.role_changes == [
        {
            "where": "row 6",
            "person": "Mira Okafor",
            "before": "Data Scientist at Contoso",
            "after": "Lead Data Scientist at Contoso",
        },
        {
            "where": "row 7",
            "person": "Lukas Brandt",
            "before": "Head of Sales, DACH at Fabrikam, Inc.",
            "after": "Head of Sales, DACH at Tailspin Toys",
        },
    ]
    assert report.created == 1 and report.merged == 2
    people = {
        p.full_name: p for p in Person.objects.filter(owner=alice).select_related("organisation")
    }
    mira, lukas, chloe = people["Mira Okafor"], people["Lukas Brandt"], people["Chloé Ström"]
    assert (mira.title, mira.organisation.name) == ("Lead Data Scientist", "Contoso")
    assert (lukas.title, lukas.organisation.name) == ("Head of Sales, DACH", "Tailspin Toys")
    # Taken, not kept aside in the notes as an older file's title would be.
    assert "title:" not in mira.notes and "organisation:" not in lukas.notes
    # Re-cased is the same role: nothing noted, nothing changed.
    assert (chloe.title, chloe.notes) == ("Designer", "")
    noted = {rc.person_id: rc for rc in RoleChange.objects.filter(owner=alice)}
    assert set(noted) == {mira.pk, lukas.pk}
    assert (noted[mira.pk].title_before, noted[mira.pk].organisation_before) == (
        "Data Scientist",
        "Contoso",
    )
    assert noted[lukas.pk].organisation_before == "Fabrikam, Inc."
    assert noted[lukas.pk].changed_at == LATER
    # Home and Today suggest congratulating one of them (one new role at a time).
    with time_machine.travel(LATER + dt.timedelta(hours=2), tick=False):
        give = suggested_gives(alice)[0]
    assert give.kind == "new_role" and give.people[0] in (mira, lukas)
    # Read a third time, it is all known: nothing more is noted or changed.
    with time_machine.travel(LATER + dt.timedelta(days=1), tick=False):
        again = import_file(owner=alice, data=linkedin_later(), skip_bad=True)
    assert (again.created, again.merged, again.role_changes) == (0, 0, [])
    assert RoleChange.objects.get(person=mira).changed_at == LATER


def test_an_older_export_keeps_its_title_in_the_notes_and_notes_no_new_role(
    network: User,
) -> None:
    """All of the file's dates are before our last change to them: it is not news."""
    alice = network
    older = LINKEDIN_2021.replace(
        b"Contoso,Data Scientist,14 Feb 2021", b"Contoso,Intern,14 Feb 2019"
    )
    older = older.replace(b"02 Nov 2020", b"02 Nov 2018").replace(b"30 Jun 2019", b"30 Jun 2017")
    with time_machine.travel(LATER, tick=False):
        report = import_file(owner=alice, data=older, skip_bad=True)
    assert report.role_changes == [] and not RoleChange.objects.exists()
    mira = Person.objects.get(owner=alice, full_name="Mira Okafor")
    assert mira.title == "Data Scientist" and "title: Intern" in mira.notes


def test_a_vcard_and_a_google_export_read_again_bring_new_roles_too(alice: User) -> None:
    vcard = (HERE / "fixtures" / "vcard30_apple.vcf").read_bytes()
    google = (HERE / "fixtures" / "google_contacts.csv").read_bytes()
    with time_machine.travel(FIRST, tick=False):
        import_file(owner=alice, data=vcard, skip_bad=True)
        import_file(owner=alice, data=google, skip_bad=True)
    # Hana moved to Hooli as a director; Lena now works for herself, under another title.
    vcard_later = vcard.replace(b"ORG:Globex;", b"ORG:Hooli;").replace(
        b"TITLE:Engineering Manager", b"TITLE:Director of Engineering"
    )
    google_later = google.replace(b"Stark Industries,Recruiter,", b"Self-employed,Talent Partner,")
    assert vcard_later != vcard and google_later != google
    with time_machine.travel(LATER, tick=False):
        cards = preview_then_import(alice, vcard_later)
        rows = preview_then_import(alice, google_later)
    assert [(c["person"], c["before"], c["after"]) for c in cards.role_changes] == [
        ("Hana Tanaka", "Engineering Manager at Globex", "Director of Engineering at Hooli")
    ]
    assert [(c["person"], c["before"], c["after"]) for c in rows.role_changes] == [
        ("Lena Berg", "Recruiter at Stark Industries", "Talent Partner (self-employed)")
    ]
    lena = Person.objects.get(owner=alice, full_name="Lena Berg")
    # Working for no one: the old employer goes; what it was is kept with the news.
    assert lena.organisation is None and lena.title == "Talent Partner (self-employed)"
    assert (lena.role_change.title_before, lena.role_change.organisation_before) == (
        "Recruiter",
        "Stark Industries",
    )
    assert RoleChange.objects.filter(owner=alice).count() == 2


def test_a_card_changed_before_our_last_change_to_them_is_not_news(alice: User) -> None:
    """A vCard's REV says when the card was last changed: each card is dated by its own."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Quill\r\nN:Quill;Ada;;;\r\nORG:Initech\r\n"
        "TITLE:{title}\r\nEMAIL:ada@quill.example\r\nREV:{rev}\r\nEND:VCARD\r\n"
    )
    with time_machine.travel(LATER, tick=False):
        import_file(owner=alice, data=card.format(title="Analyst", rev="20220101T000000Z").encode())
        stale = import_file(
            owner=alice, data=card.format(title="Intern", rev="20200101T000000Z").encode()
        )
        fresh = import_file(
            owner=alice, data=card.format(title="Head of Data", rev="20220601T080000Z").encode()
        )
    assert stale.role_changes == []
    assert [c["after"] for c in fresh.role_changes] == ["Head of Data at Initech"]
    ada = Person.objects.get(owner=alice)
    assert ada.title == "Head of Data" and "title: Intern" in ada.notes
    assert ada.role_change.title_before == "Analyst"


def test_the_import_page_previews_the_new_roles_and_confirming_suggests_congratulations(
    network: User,
) -> None:
    alice = network
    client = Client()
    client.force_login(alice)
    with time_machine.travel(LATER, tick=False):
        posted = client.post(
            "/import/",
            {"file": SimpleUploadedFile("Connections.csv", linkedin_later()), "format": "auto"},
        )
        assert posted.status_code == 302
        preview = unescape(client.get(posted["Location"]).content.decode())
        assert "New roles (2)" in preview
        mira = "<strong>Mira Okafor</strong>: Data Scientist at Contoso → Lead Data Scientist"
        assert mira in preview
        assert not RoleChange.objects.exists()  # a preview writes nothing
        pending = ImportUpload.objects.get(owner=alice, filename="Connections.csv")
        done = unescape(
            client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
        )
        assert "Home and Today suggest congratulating them" in done
    with time_machine.travel(LATER + dt.timedelta(hours=1), tick=False):
        today = unescape(client.get("/today/").content.decode())
    assert any(
        f"Congratulate {name} on the new role" in today for name in ("Mira Okafor", "Lukas Brandt")
    )


def test_the_cli_lists_the_new_roles_it_would_take(network: User, cli: Run, tmp_path: Path) -> None:
    later = tmp_path / "Connections.csv"
    later.write_bytes(linkedin_later())
    with time_machine.travel(LATER, tick=False):
        result = cli("import", str(later), "--dry-run")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as wide as the terminal: lines wrap
    assert "New roles (2) — importing would update them" in said
    assert "Lukas Brandt: Head of Sales, DACH at Fabrikam, Inc. → Head of Sales, DACH at " in said
    assert not RoleChange.objects.exists()


def test_a_move_the_file_gives_no_title_for_takes_the_old_employers_title_away(
    alice: User,
) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Tran\r\nEMAIL:bo@tran.example\r\n{more}END:VCARD\r\n"
    )
    with time_machine.travel(FIRST, tick=False):
        import_file(owner=alice, data=card.format(more="ORG:Globex\r\nTITLE:Engineer\r\n").encode())
    with time_machine.travel(LATER, tick=False):
        unsaid = import_file(owner=alice, data=card.format(more="").encode())
        moved = import_file(owner=alice, data=card.format(more="ORG:Hooli\r\n").encode())
    assert unsaid.role_changes == []  # a card that says nothing of the role changes nothing
    assert [(c["before"], c["after"]) for c in moved.role_changes] == [
        ("Engineer at Globex", "Hooli")
    ]
    bo = Person.objects.select_related("organisation").get(owner=alice)
    assert bo.title == "" and bo.organisation is not None and bo.organisation.name == "Hooli"
    assert bo.role_change.title_before == "Engineer"
