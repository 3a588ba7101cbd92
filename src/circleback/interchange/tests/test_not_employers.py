"""Issue 19: "Self-employed", "Freelance", "Retired", "Stealth" … are not employers, whichever
way the import reads the organisation names (a whole file, or a CSV streamed in batches).

LinkedIn's Connections.csv (streamed) is checked by the corpus test
(`shape_linkedin_connections_not_employers.csv`); here, the other paths.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.interchange.exports import export_to
from circleback.interchange.services import import_file
from circleback.people.employers import employment_title, is_employer
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_get_or_create

VCARDS = b"""BEGIN:VCARD\r
VERSION:3.0\r
N:Quist;Hedda;;;\r
FN:Hedda Quist\r
ORG:Freelance\r
TITLE:Illustrator\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Moreau;Basile;;;\r
FN:Basile Moreau\r
ORG:Retrait\xc3\xa9\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Ferreira;Lio;;;\r
FN:Lio Ferreira\r
ORG:Northwind Traders\r
TITLE:Buyer\r
END:VCARD\r
"""

GOOGLE = (
    b"First Name,Middle Name,Last Name,Organization Name,Organization Title,E-mail 1 - Value\n"
    b"Mateo,,Varga,Self-Employed,Carpenter,mateo.varga@example.org\n"
    b"Ana,,Costa,N/A,,ana.costa@example.org\n"
    b"Rui,,Pires,Contoso,Analyst,rui.pires@example.org\n"
)


def organisations(owner: User) -> list[str]:
    return sorted(Organisation.objects.filter(owner=owner).values_list("name", flat=True))


def title(owner: User, name: str) -> str:
    return Person.objects.get(owner=owner, full_name=name).title


def test_a_whole_file_gives_no_organisation_to_freelancers_or_the_retired(alice: User) -> None:
    report = import_file(owner=alice, data=VCARDS)
    assert report.created == 3 and report.organisations_created == 1
    assert organisations(alice) == ["Northwind Traders"]
    assert title(alice, "Hedda Quist") == "Illustrator (freelance)"
    assert title(alice, "Basile Moreau") == "Retraité"
    assert Person.objects.get(owner=alice, full_name="Hedda Quist").organisation is None


def test_a_streamed_csv_gives_none_either(alice: User) -> None:
    report = import_file(owner=alice, data=GOOGLE)
    assert report.format == "google-csv" and report.created == 3
    assert organisations(alice) == ["Contoso"]
    assert title(alice, "Mateo Varga") == "Carpenter (self-employed)"
    assert title(alice, "Ana Costa") == ""  # "N/A" says nothing
    again = import_file(owner=alice, data=GOOGLE)
    assert (again.created, again.merged, again.unchanged) == (0, 0, 3)


def test_someone_an_older_import_put_at_self_employed_is_still_found(
    alice: User, make_person: Any
) -> None:
    """GIVEN a person without email or profile whom an older import put at an organisation
    "Self-employed" WHEN a file names them there again THEN they are found by name, not
    added twice."""
    make_person(alice, "Hedda Quist", organisation="Self-employed")
    report = import_file(owner=alice, data=VCARDS)
    assert report.created == 2 and report.unchanged + report.merged == 1
    assert Person.objects.filter(owner=alice, full_name="Hedda Quist").count() == 1


def test_a_backup_restores_the_organisations_it_holds(
    alice: User, bob: User, tmp_path: Any
) -> None:
    """Whatever the user named an organisation, their own backup brings it back as it was."""
    organisation_get_or_create(owner=alice, name="Self-employed")
    out = io.BytesIO()
    export_to(out, owner=alice, format="json")
    import_file(owner=bob, data=out.getvalue())
    assert organisations(bob) == ["Self-employed"]


@pytest.mark.parametrize(
    ("name", "employer"),
    [
        ("Self-employed", False),
        ("SELF EMPLOYED", False),
        ("Freelance", False),
        ("Stealth Mode Startup", False),
        ("Confidential Company", False),
        ("Selbständig", False),
        ("Auto-entrepreneur", False),
        ("Libero professionista", False),
        ("-", False),
        ("Independent Bank", True),
        ("Freelancer.com", True),
        ("Retired Teachers Association", True),
        ("Stealth Technologies", True),
    ],
)
def test_it_tells_employers_from_ways_of_working(name: str, employer: bool) -> None:
    assert is_employer(name) is employer


def test_the_title_says_it_once_and_fits() -> None:
    assert employment_title("Freelance writer", "Freelance") == "Freelance writer"
    long = employment_title("x" * 200, "Self-employed")
    assert len(long) == 200 and long.endswith(" (self-employed)")
