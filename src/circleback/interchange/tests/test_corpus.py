"""Every file of the corpus (tests/corpus/, provenance in its README) imported for real, and
what each must give: who, with which details, and what was reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from circleback.accounts.models import User
from circleback.interchange.services import ImportReport, import_file
from circleback.journal.models import Interaction
from circleback.people.models import Organisation, Person, Photo

CORPUS = Path(__file__).parent / "corpus"


def person(owner: User, name: str) -> Person:
    return Person.objects.get(owner=owner, full_name=name)


def emails(p: Person) -> list[str]:
    return list(p.emails.order_by("position").values_list("address", flat=True))


def phones(p: Person) -> list[str]:
    return list(p.phones.order_by("position").values_list("number", flat=True))


def links(p: Person) -> list[str]:
    return list(p.links.order_by("position").values_list("url", flat=True))


def tags(p: Person) -> list[str]:
    return sorted(p.tags.values_list("name", flat=True))


def birthday(p: Person) -> tuple[int | None, int | None, int | None]:
    return (p.birthday_year, p.birthday_month, p.birthday_day)


def dropped(report: ImportReport) -> list[str]:
    return [p.value for p in report.problems]


def john_doe_evolution(owner: User, report: ImportReport) -> None:
    assert report.created == 1 and not report.problems
    john = person(owner, "Mr. John Richter, James Doe Sr.")
    assert (john.given_name, john.family_name, john.title) == ("John", "Doe", "Money Counter")
    assert john.organisation is not None and john.organisation.name == "IBM"
    assert emails(john) == ["john.doe@ibm.com"]
    assert phones(john) == ["905-666-1234", "905-555-1234"]
    assert links(john) == ["http://www.ibm.com"]
    assert tags(john) == ["VIP"] and birthday(john) == (1980, 3, 22)
    assert "IN NO EVENT SHALL THE COPYRIGHT HOLDER" in john.notes
    assert john.location == "Albaney, New York, United States of America"


def john_doe_outlook(owner: User, report: ImportReport) -> None:
    """Outlook: N's additional names as a comma list, CRLF, a data: URI photo."""
    assert report.created == 1 and not report.problems
    john = person(owner, "Mr. John Richter James Doe Sr.")
    assert (john.given_name, john.family_name) == ("John", "Doe")
    assert emails(john) == ["john.doe@ibm.cm"]
    assert phones(john) == ["(905) 555-1234", "(905) 666-1234"]
    assert birthday(john) == (1980, 3, 22) and john.title == "Money Counter"
    assert bytes(Photo.objects.get(person=john).data).startswith(b"\xff\xd8\xff")
    assert "GEORGE EL-HADDAD" in john.notes and "\r" not in john.notes


def john_doe_gmail(owner: User, report: ImportReport) -> None:
    assert report.created == 1 and not report.problems
    john = person(owner, "Mr. John Richter, James Doe Sr.")
    assert phones(john) == ["905-555-1234", "905-666-1234"]
    assert john.phones.get(number="905-555-1234").label == "mobile"
    assert "Spouse: Jenny" in john.notes and "Favotire Color: Blue" in john.notes
    assert birthday(john) == (1980, 3, 22)


def greg_dartmouth(owner: User, report: ImportReport) -> None:
    assert report.created == 1
    greg = person(owner, "Greg Dartmouth")
    assert emails(greg) == ["gdartmouth@hotmail.com"]
    assert phones(greg) == ["555 555 1111", "555 555 2222"]
    assert greg.phones.get(number="555 555 2222").label == "GRAND_CENTRAL"  # itemN.X-ABLabel
    assert links(greg) == ["http://TheProfile.com"]
    assert "Spouse: MySpouse" in greg.notes and "Customrelationship: MyCustom" in greg.notes
    assert birthday(greg) == (1960, 9, 10) and greg.title == "TheJobTitle"


def outlook_2003(owner: User, report: ImportReport) -> None:
    """Outlook 2003 writes its field names where no number was given: each costs only itself."""
    assert report.created == 1 and report.broken == []
    john = person(owner, "John Doe III")
    assert john.organisation is not None and john.organisation.name == "Company, The"
    assert emails(john) == ["jdoe@hotmail.com"] and phones(john) == []
    assert dropped(report) == ["BusinessPhone", "HomePhone", "MobilePhone", "BusinessFaxPhone"]
    assert {p.where for p in report.problems} == {"card 1, TEL"}
    assert john.notes.startswith("This is the note field!!\nSecond line\n\nThird line is empty")


def folker_v21(owner: User, report: ImportReport) -> None:
    assert report.created == 1
    maxl = person(owner, "Maxl")
    assert (maxl.given_name, maxl.family_name) == ("Max", "Mustermann")
    assert maxl.organisation is not None and maxl.organisation.name == "Firma"
    assert emails(maxl) == [
        "privat@folker-kinzel.de",
        "business@folker-kinzel.de",
        "andere@folker-kinzel.de",
    ]
    assert phones(maxl) == ["0123/579"]
    assert dropped(report) == [
        "Tel geschäftlich",
        "Tel privat",
        "Handy",
        "Other Phone",
        "Pager",
        "Fax privat",
    ]
    # Quoted-printable over 30 soft-broken lines, UTF-8 declared: one note, no stray CR.
    assert maxl.notes.count("Kommentar ÄÄÄÄÄÄ ääääää ÖÖÖÖÖÖ öööööö ÜÜÜÜÜÜ üüüüüü ßßßßßß") == 6
    assert "\r" not in maxl.notes and birthday(maxl) == (1972, 1, 31)


def john_q_public(owner: User, report: ImportReport) -> None:
    assert report.created == 1
    john = person(owner, "Dr. John Q. Public, III")
    assert emails(john) == ["johnny@personal.example.org", "john.public@example.com"]  # PREF
    assert phones(john) == ["+1-555-555-5555", "+1-555-123-4567"]
    assert tags(john) == ["BUSINESS", "NETWORKING"] and john.title == "CEO"
    assert birthday(john) == (1985, 4, 15)
    assert not john.notes.count("urn:uuid")  # RELATED to a card not in the file


def doe_family_group(owner: User, report: ImportReport) -> None:
    """A group card whose members are in another file makes nobody."""
    assert report.created == 0 and not Person.objects.filter(owner=owner).exists()


def a_location(owner: User, report: ImportReport) -> None:
    assert report.created == 0
    assert [s.reason for s in report.skipped] == ["a place (KIND:location), not a person"]


def yamada_taro(owner: User, report: ImportReport) -> None:
    taro = person(owner, "Yamada Taro")
    assert "Name also written: 山田太郎 (ja)" in taro.notes


def abc_marketing(owner: User, report: ImportReport) -> None:
    assert report.created == 0 and report.organisations_created == 1
    assert Organisation.objects.get(owner=owner).name == "ABC, Inc."


def john_doe_simple(owner: User, report: ImportReport) -> None:
    john = person(owner, "John Doe")
    assert str(john.uuid) == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"


def gmail_list(owner: User, report: ImportReport) -> None:
    assert report.created == 3
    assert emails(person(owner, "Dora Whitlock")) == ["dwhitlock@example.org"]


def rfc2426(owner: User, report: ImportReport) -> None:
    assert report.created == 2
    fern = person(owner, "Fern Dalton")
    assert (fern.given_name, fern.family_name) == ("Fern", "Dalton")  # no N: split from FN
    assert emails(fern) == ["Fern_Dalton@example.com", "fdalton@example.net"]
    assert fern.location == "Raleigh, NC, U.S.A."


def rfc6350(owner: User, report: ImportReport) -> None:
    solene = person(owner, "Solène Perrin")
    assert phones(solene) == ["+1-418-555-0154;ext=102", "+1-418-555-0177"]
    assert birthday(solene) == (None, 2, 3)


def google_v3(owner: User, report: ImportReport) -> None:
    assert report.created == 2
    falk = person(owner, "Falk Kienzle")
    # info@ is a role address: kept, but it decides no one's identity.
    assert emails(falk) == ["falk.kienzle@example.de", "info@kienzle.example"]
    assert links(falk) == ["https://www.kienzle.example"]
    kms = person(owner, "KMS WSF")
    assert kms.organisation is not None and kms.organisation.name == "Musikschule Weißenfels"
    assert kms.phones.get(number="03443-555440").label == "homeFax"


def cardbook(owner: User, report: ImportReport) -> None:
    assert report.created == 2 and report.broken == []
    maxl = person(owner, "Dr. Max Horst Mustermann jr. Maxl SED")
    assert len(emails(maxl)) == 4 and phones(maxl) == []
    assert len(report.problems) == 11  # ten labels as numbers, and BDAY 19723101
    assert "19723101" in dropped(report) and birthday(maxl) == (None, None, None)
    marlene = person(owner, "Meier Marlene")
    assert phones(marlene) == ["034441/ 5 55 67", "034441/ 55 23 34"]


def google_2024(owner: User, report: ImportReport) -> None:
    assert report.created == 4 and report.broken == []
    assert tags(person(owner, "Priya Raman")) == ["Running club"]
    assert tags(person(owner, "Oskar Lind")) == []  # * myContacts, * starred
    assert birthday(person(owner, "Oskar Lind")) == (None, 4, 15)
    assert emails(person(owner, "Hannes Müller")) == ["blablö@blub.com"]
    assert person(owner, "+44 7700 900123").phones.count() == 1
    assert dropped(report) == ["+44 7700 900123", "Handy"]


def google_legacy(owner: User, report: ImportReport) -> None:
    assert report.created == 2 and report.merged_within_file == 0
    mei = person(owner, "Mei Chen")
    assert emails(mei) == ["mei.chen@example.org", "mei@example.net"]
    assert tags(mei) == ["Mentors"]
    assert dropped(report) == ["n/a"]


def linkedin_2018(owner: User, report: ImportReport) -> None:
    assert report.created == 3 and not report.problems
    assert str(person(owner, "Rosa Delgado").met_on) == "2018-01-08"
    assert emails(person(owner, "Rosa Delgado")) == []
    assert [s.broken for s in report.skipped] == [False]


def linkedin_2021(owner: User, report: ImportReport) -> None:
    assert report.created == 3
    lukas = person(owner, "Lukas Brandt")
    assert lukas.organisation is not None and lukas.organisation.name == "Fabrikam, Inc."
    assert lukas.title == "Head of Sales, DACH" and str(lukas.met_on) == "2020-11-02"
    chloe = person(owner, "Chloé Ström")
    assert links(chloe) == ["https://www.linkedin.com/in/chlo%C3%A9-str%C3%B6m-12ab"]


def linkedin_2024_excel(owner: User, report: ImportReport) -> None:
    assert report.created == 2
    assert str(person(owner, "Sami Haddad").met_on) == "2024-04-04"


def not_employers(owner: User, report: ImportReport) -> None:
    """Issue 19: "Self-employed", "Freelance", "Stealth", "Retired", "Selbstständig", "ZZP",
    "None" … name no employer: no organisation, and the title keeps what they said."""
    assert report.created == 17 and report.organisations_created == 2
    assert sorted(Organisation.objects.filter(owner=owner).values_list("name", flat=True)) == [
        "Freelancer.com",
        "Independent Bank",
    ]
    titles = dict(Person.objects.filter(owner=owner).values_list("full_name", "title"))
    assert titles["Odile Marchetti"] == "Ghostwriter (self-employed)"
    assert titles["Bruno Halvorsen"] == "Freelancer (self employed)"
    assert titles["Ines Kowalczyk"] == "UX Designer (freelance)"
    assert titles["Teodor Lindqvist"] == "Founder & CEO (stealth startup)"
    assert titles["Yara Benali"] == "Engineer (stealth)"
    assert titles["Wendell Okoro"] == "Retired"
    assert titles["Greta Schoonmaker"] == "Webentwicklung, IT-Projekte, Beratung (selbstständig)"
    assert titles["Mathis Ferrand"] == "Consultant SEO (indépendant)"
    assert titles["Lucía Arrieta"] == "Fotógrafa (autónomo)"
    assert titles["Pieter van Daal"] == "Interim manager (ZZP)"
    assert titles["Harriet Mbeki"] == "Chief Financial Officer (confidential)"
    assert titles["Colm Byrne"] == "Student"  # "None" says nothing worth keeping
    assert titles["Saanvi Rao"] == "Data strategy (independent consultant)"
    assert titles["Noor Haddad"] == "Self-employed consultant"  # said already
    assert titles["Amara Osei"] == "Product Manager (open to work)"
    assert titles["Elias Fromm"] == "Loan officer"
    assert Person.objects.get(owner=owner, full_name="Elias Fromm").organisation is not None
    assert not report.possible_duplicates


def no_people_yet(owner: User, report: ImportReport) -> None:
    """Messages and invitations name people: with nobody in the network, none is linked."""
    assert report.interactions_created == 0
    assert len(report.skipped) == 2 and not report.broken


def outlook_desktop(owner: User, report: ImportReport) -> None:
    assert report.created == 5 and report.merged_within_file == 0
    assert len(report.possible_duplicates) == 10
    assert {d["reason"] for d in report.possible_duplicates} == {
        "share the phone number (425) 555-0100"
    }
    assert tags(person(owner, "Lena Vogel")) == ["Business"]


def outlook_com(owner: User, report: ImportReport) -> None:
    ada = person(owner, "Ada Quill")
    assert birthday(ada) == (1985, 4, 15) and phones(ada) == ["+44 20 7946 0958"]
    assert ada.notes == '=HYPERLINK("http://evil.example")'  # kept; exports defuse it
    assert person(owner, "info@hooli.example").organisation is not None


EXPECTED: dict[str, Callable[[User, ImportReport], None]] = {
    "ezvcard_John_Doe_EVOLUTION_v3.vcf": john_doe_evolution,
    "ezvcard_John_Doe_EVOLUTION_v3_original.vcf": john_doe_evolution,
    "ezvcard_John_Doe_GMAIL.vcf": john_doe_gmail,
    "ezvcard_John_Doe_MS_OUTLOOK.vcf": john_doe_outlook,
    "ezvcard_John_Doe_GMAIL_v3.vcf": john_doe_gmail,
    "ezvcard_gmail-single.vcf": greg_dartmouth,
    "ezvcard_gmail-single_v3.vcf": greg_dartmouth,
    "ezvcard_outlook-2003_v3.vcf": outlook_2003,
    "folkerkinzel_v2_1.vcf": folker_v21,
    "pyvobject_vcard40_full.vcf": john_q_public,
    "pyvobject_vcard40_group.vcf": doe_family_group,
    "pyvobject_vcard40_location.vcf": a_location,
    "pyvobject_vcard40_multilang.vcf": yamada_taro,
    "pyvobject_vcard40_org.vcf": abc_marketing,
    "pyvobject_vcard40_simple.vcf": john_doe_simple,
    "shape_ezvcard_gmail-list.vcf": gmail_list,
    "shape_ezvcard_rfc2426-example.vcf": rfc2426,
    "shape_ezvcard_rfc6350-example.vcf": rfc6350,
    "shape_folkerkinzel_google_v3.vcf": google_v3,
    "shape_folkerkinzel_thunderbird_cardbook_v4.vcf": cardbook,
    "shape_google_contacts_2024.csv": google_2024,
    "shape_google_contacts_legacy.csv": google_legacy,
    "shape_linkedin_connections_2018.csv": linkedin_2018,
    "shape_linkedin_connections_2021.csv": linkedin_2021,
    "shape_linkedin_connections_2024_excel.csv": linkedin_2024_excel,
    "shape_linkedin_connections_not_employers.csv": not_employers,
    "shape_linkedin_invitations.csv": no_people_yet,
    "shape_linkedin_messages_2019.csv": no_people_yet,
    "shape_linkedin_messages_2022.csv": no_people_yet,
    "shape_outlook_com.csv": outlook_com,
    "shape_outlook_desktop_sample.csv": outlook_desktop,
}


def test_every_corpus_file_has_its_expectations_and_its_provenance() -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != "README.md")
    assert files == sorted(EXPECTED) and len(files) >= 30
    readme = (CORPUS / "README.md").read_text()
    for name in files:
        assert f"`{name}`" in readme, f"{name} has no provenance in corpus/README.md"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_corpus_file_imports_as_expected(alice: User, name: str) -> None:
    data = (CORPUS / name).read_bytes()
    report = import_file(owner=alice, data=data)
    EXPECTED[name](alice, report)
    again = import_file(owner=alice, data=data)
    assert (again.created, again.merged) == (0, 0), "importing it twice changes nothing"


def test_linkedin_messages_and_invitations_link_the_people_of_their_connections(
    alice: User,
) -> None:
    import_file(owner=alice, data=(CORPUS / "shape_linkedin_connections_2018.csv").read_bytes())
    import_file(owner=alice, data=(CORPUS / "shape_linkedin_connections_2021.csv").read_bytes())
    report = import_file(
        owner=alice, data=(CORPUS / "shape_linkedin_messages_2022.csv").read_bytes()
    )
    assert report.interactions_created == 2  # Rosa, by name: 2018 had no profile URLs
    report = import_file(
        owner=alice, data=(CORPUS / "shape_linkedin_messages_2019.csv").read_bytes()
    )
    assert report.interactions_created == 2  # Aarav, by name
    report = import_file(owner=alice, data=(CORPUS / "shape_linkedin_invitations.csv").read_bytes())
    assert report.interactions_created == 2  # Mira and Lukas, by profile URL
    mira = person(alice, "Mira Okafor")
    [invitation] = Interaction.objects.filter(owner=alice, people=mira)
    assert invitation.occurred_at == dt.datetime(2021, 2, 14, 10, 42, tzinfo=dt.UTC)
    assert invitation.direction == "outgoing"
