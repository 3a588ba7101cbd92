"""Each parser against realistic files, written the way the programs that make them write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from circleback.interchange.formats import (
    detect,
    google_csv,
    linkedin,
    linkedin_invitations,
    linkedin_messages,
    outlook_csv,
    vcard,
)
from circleback.interchange.records import InterchangeError, ParseResult, PersonRecord, Problem

FIXTURES = Path(__file__).parent / "fixtures"
PNG = (FIXTURES / "photo.png").read_bytes()


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(result: ParseResult, name: str) -> PersonRecord:
    return next(p for p in result.people if p.full_name == name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("linkedin_connections_2024.csv", "linkedin"),
        ("linkedin_connections_2018_excel.csv", "linkedin"),
        ("linkedin_messages.csv", "linkedin-messages"),
        ("linkedin_invitations.csv", "linkedin-invitations"),
        ("vcard21_outlook_android.vcf", "vcard"),
        ("vcard30_apple.vcf", "vcard"),
        ("vcard40.vcf", "vcard"),
        ("google_contacts.csv", "google-csv"),
        ("google_contacts_legacy.csv", "google-csv"),
        ("outlook_desktop.csv", "outlook-csv"),
        ("outlook_com.csv", "outlook-csv"),
    ],
)
def test_it_detects_each_format_from_its_content(name: str, expected: str) -> None:
    assert detect(load(name)) == expected


def test_it_refuses_what_it_cannot_recognise() -> None:
    with pytest.raises(InterchangeError, match="expected"):
        detect(b"name,colour\nAda,blue\n")
    with pytest.raises(InterchangeError, match="binary"):
        detect(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_it_reads_todays_linkedin_export_with_its_preamble() -> None:
    result = linkedin.parse(load("linkedin_connections_2024.csv"))
    assert [p.full_name for p in result.people] == [
        "Ada Quill",
        "Bart Nguyen",
        "Chloé Durand",
        "Dmitri Volkov",
    ]
    ada = result.people[0]
    assert ada.emails == ["ada@quill.example"]
    assert ada.links == ["https://www.linkedin.com/in/adaquill"]
    assert ada.organisation == "Hooli, Inc."
    assert ada.met_on == dt.date(2024, 3, 5)
    assert by_name(result, "Chloé Durand").title == "Head of People, EMEA"
    [hidden] = result.skipped
    assert hidden.where == "row 8" and not hidden.broken and "hidden" in hidden.reason


def test_it_reads_an_old_linkedin_export_resaved_by_a_spreadsheet() -> None:
    result = linkedin.parse(load("linkedin_connections_2018_excel.csv"))
    assert [p.full_name for p in result.people] == ["Ada Quill", "Eun-ji Park", "Farah Haddad"]
    assert result.people[0].met_on == dt.date(2021, 4, 4)
    assert result.people[0].links == []
    assert result.people[2].title == "Analyst, Risk"
    assert [s.broken for s in result.skipped] == [False]


def test_a_linkedin_row_with_a_bad_date_loses_only_the_date() -> None:
    data = b"First Name,Last Name,Company,Position,Connected On\nAda,Quill,Hooli,CTO,someday\n"
    result = linkedin.parse(data)
    [ada] = result.people
    assert (ada.full_name, ada.title, ada.met_on) == ("Ada Quill", "CTO", None)
    assert result.skipped == []
    assert result.problems == [Problem("row 2, Connected On", "someday", "not a date; left out")]


def test_it_reads_linkedin_messages_as_journal_entries() -> None:
    result = linkedin_messages.parse(load("linkedin_messages.csv"))
    assert len(result.interactions) == 3
    first = result.interactions[0]
    assert first.occurred_at == dt.datetime(2024, 3, 6, 9, 15, 2, tzinfo=dt.UTC)
    assert first.participants[0][0] == "https://www.linkedin.com/in/adaquill"
    assert first.external_key.startswith("linkedin-msg:")
    assert len({i.external_key for i in result.interactions}) == 3


def test_it_reads_linkedin_invitations() -> None:
    result = linkedin_invitations.parse(load("linkedin_invitations.csv"))
    sent, received = result.interactions
    assert sent.direction == "outgoing" and sent.participants[0][1] == "Bart Nguyen"
    assert received.direction == "incoming" and "Chloé" in received.summary
    assert sent.occurred_at == dt.datetime(2024, 1, 15, 10, 42, tzinfo=dt.UTC)


def test_it_reads_vcard_21_with_quoted_printable_and_bare_types() -> None:
    result = vcard.parse(load("vcard21_outlook_android.vcf"))
    juergen = by_name(result, "Jürgen Müller")
    assert (juergen.given_name, juergen.family_name) == ("Jürgen", "Müller")
    assert juergen.organisation == "Umbrella GmbH"
    assert juergen.phones == ["+49 30 1234567", "+49 170 7654321"]
    assert juergen.labels["+49 170 7654321"] == "mobile"
    assert "ask about the lab in München" in juergen.notes  # soft break + ISO-8859-1
    assert (juergen.birthday_year, juergen.birthday_month, juergen.birthday_day) == (1975, 6, 11)
    assert juergen.photo == PNG and juergen.photo_content_type == "image/png"
    assert by_name(result, "Ngozi Okafor").emails == ["ngozi@example.org"]
    # Card 3's only value, "TEL;HOME:12", is no number: kept as written, nothing to make a
    # person of; left out, not broken.
    [empty] = result.skipped
    assert empty.where.startswith("card 3") and not empty.broken
    assert result.problems == [
        Problem("card 3, TEL", "12", "not a phone number; kept in the notes")
    ]


def test_it_reads_apple_vcards_with_groups_labels_and_company_cards() -> None:
    result = vcard.parse(load("vcard30_apple.vcf"))
    [hana] = result.people
    assert hana.emails == ["hana@globex.example"]
    assert hana.labels["hana@globex.example"] == "Work"
    assert hana.phones[0] == "+1 (415) 555-0123"  # the preferred one first
    assert hana.labels["+81 3-1234-5678"] == "Office"
    assert hana.links == ["https://www.linkedin.com/in/hanatanaka"]
    assert (hana.birthday_year, hana.birthday_month, hana.birthday_day) == (None, 4, 15)
    assert "Follow up in spring, after the reorg." in hana.notes
    assert "Spouse: Kenji Tanaka" in hana.notes
    assert hana.location == "Tokyo, Japan"
    assert hana.tags == ["Mentors"]
    assert hana.photo is not None and hana.photo.startswith(b"\x89PNG")
    assert hana.photo_content_type == "image/png"
    assert [o.name for o in result.organisations] == ["Vandelay Industries"]


def test_it_reads_vcard_4_with_data_uri_photos_and_pref() -> None:
    result = vcard.parse(load("vcard40.vcf"))
    [mateo] = result.people
    assert mateo.emails == ["mateo@initech.example", "MATEO.GARCIA@mail.example"]
    assert mateo.phones == ["+34-600-123-456"]
    assert (mateo.birthday_year, mateo.birthday_month, mateo.birthday_day) == (None, 4, 15)
    assert "Friend: Lucía Pérez" in mateo.notes
    assert mateo.tags == ["conference", "Madrid 2024"]
    assert mateo.photo_content_type == "image/png"
    assert [o.name for o in result.organisations] == ["Initech"]


def test_a_truncated_vcard_is_a_broken_record() -> None:
    result = vcard.parse(load("vcard_truncated.vcf"))
    assert [p.full_name for p in result.people] == ["Ada Quill"]
    [cut] = result.skipped
    assert cut.where.startswith("card 2") and cut.broken and "cut off" in cut.reason


def test_it_reads_google_contacts_current_and_legacy() -> None:
    result = google_csv.parse(load("google_contacts.csv"))
    lena, kwame = result.people
    assert lena.emails == ["lena.berg@stark.example", "lena@berg.example"]
    assert lena.tags == ["Alumni", "Recruiters"]
    assert lena.links == ["https://www.linkedin.com/in/lenaberg"]
    assert (lena.organisation, lena.title) == ("Stark Industries", "Recruiter")
    assert kwame.tags == [] and (kwame.birthday_month, kwame.birthday_day) == (12, 24)
    [ines] = google_csv.parse(load("google_contacts_legacy.csv")).people
    assert ines.tags == ["Coworkers"] and ines.organisation == "Acme, Ltd."
    assert ines.phones == ["+351 912 345 678"] and ines.location == "Lisbon"


def test_it_reads_outlook_desktop_and_outlook_com() -> None:
    gustavo, jonas = outlook_csv.parse(load("outlook_desktop.csv")).people
    assert gustavo.title == "Chief Scientist" and gustavo.organisation == "Wayne Enterprises"
    assert gustavo.emails == ["gsilva@wayne.example"]  # the Exchange-internal one dropped
    assert gustavo.tags == ["Mentors", "Target companies"]
    assert (gustavo.birthday_year, gustavo.birthday_month) == (1970, 7)
    assert jonas.birthday_month is None
    [nadia] = outlook_csv.parse(load("outlook_com.csv")).people
    assert nadia.phones == ["+1 604 555 0142"] and nadia.organisation == "Acme Corp"


def test_vcards_it_writes_read_back_the_same() -> None:
    original = vcard.parse(load("vcard30_apple.vcf")).people
    for version in ("4.0", "3.0"):
        again = vcard.parse(vcard.write(original, version=version)).people
        assert [(p.full_name, p.emails, p.phones, p.links, p.tags, p.photo) for p in again] == [
            (p.full_name, p.emails, p.phones, p.links, p.tags, p.photo) for p in original
        ]
        assert (again[0].birthday_year, again[0].birthday_month) == (None, 4)


@pytest.mark.parametrize(
    "address", [".ada@example.org", "ada.@example.org", "a..da@example.org", "ada@exa_mple.org"]
)
def test_the_fast_email_check_refuses_what_django_refuses(address: str) -> None:
    from django.core.exceptions import ValidationError

    from circleback.interchange.formats._common import email_or_error

    with pytest.raises(ValidationError):
        email_or_error(address)


def test_the_fast_url_check_takes_accented_profiles_and_refuses_overlong_hosts() -> None:
    from django.core.exceptions import ValidationError

    from circleback.interchange.formats._common import url_or_error

    profile = "https://www.linkedin.com/in/chloé-ström-00042"
    assert url_or_error(f"  {profile} ") == profile
    with pytest.raises(ValidationError):
        url_or_error("https://" + ".".join(["a" * 60] * 5) + ".com/in/x")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/Ada-Quill/",
        "http://de.linkedin.com/pub/ada/1/2/3?trk=x",
        "https://linkedin.com:443/company/hooli#about",
        "https://www.linkedin.com/in/chloé-ström",
        "https://www.linkedin.com/feed/",
        "https://notlinkedin.com/in/ada",
        "https://user@linkedin.com/in/ada",
        "linkedin.com/in/ada",
        "https://github.com/ada/",
    ],
)
def test_import_link_keys_are_the_people_apps_normal_form(url: str) -> None:
    from circleback.interchange._rows import url_key_and_kind
    from circleback.people.contact import link_kind, normalize_url

    assert url_key_and_kind(url) == (normalize_url(url), link_kind(url))


@pytest.mark.parametrize(
    ("module", "fixture", "refusal"),
    [
        (linkedin, "linkedin_connections_2024.csv", "not a LinkedIn connections file"),
        (linkedin, "linkedin_connections_2018_excel.csv", "not a LinkedIn connections file"),
        (google_csv, "google_contacts.csv", "not a Google Contacts file"),
        (google_csv, "google_contacts_legacy.csv", "not a Google Contacts file"),
        (outlook_csv, "outlook_desktop.csv", "not an Outlook contacts file"),
        (outlook_csv, "outlook_com.csv", "not an Outlook contacts file"),
    ],
)
def test_a_streamed_csv_export_gives_what_parsing_it_whole_gives(
    module: Any, fixture: str, refusal: str
) -> None:
    """`stream` refuses a file that is not of its kind before reading any row, then gives
    the records (and skips) `parse` gives, no more than it said to expect."""
    data = load(fixture)
    streamed = module.stream(data)
    assert streamed.people == [] and streamed.skipped == []
    assert streamed.pending is not None
    expected = streamed.expected
    records = list(streamed.pending)
    whole = module.parse(data)
    assert records == whole.people and streamed.skipped == whole.skipped
    assert 0 < len(records) + len(streamed.skipped) <= expected
    assert whole.pending is None
    with pytest.raises(InterchangeError, match=refusal):
        module.stream(b"Name,Phone\nAda,123\n")
    # Lines ended by CR alone (an old Mac spreadsheet) are counted too.
    mac = module.stream(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    assert mac.pending is not None
    assert len(list(mac.pending)) == len(records) <= mac.expected
