from __future__ import annotations

import pytest

from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error
from circleback.paths.graph import cache_clear
from circleback.paths.tests.factories import network
from circleback.people.models import Person, Tag
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create

__all__ = ["cli", "cli_environment"]  # the CLI fixtures, used by name below


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


def test_it_prints_explained_paths(cli: Run, alice) -> None:
    network(alice)
    result = cli("paths", "--to", "Globex")
    assert result.exit_code == 0, result.output
    assert "Ways in to Globex" in result.stdout
    assert "1. You → Maya Rosen (career contact, inner circle" in result.stdout
    assert "Dana Li (Director, Globex; decision maker" in result.stdout


def test_it_prints_paths_as_json(cli: Run, alice) -> None:
    network(alice)
    data = as_json(cli("paths", "--to", "Globex", "--limit", "1", "--json"))
    assert data["target"] == "Globex"
    assert len(data["paths"]) == 1
    assert [p["name"] for p in data["paths"][0]["people"]] == [
        "Maya Rosen",
        "Sam Okafor",
        "Dana Li",
    ]
    assert data["paths"][0]["sentence"].startswith("You → Maya Rosen")


def test_it_finds_paths_to_a_person(cli: Run, alice) -> None:
    network(alice)
    data = as_json(cli("paths", "--to", "Globex", "--person", "Sam Okafor", "--json"))
    assert data["paths"][0]["people"][-1]["name"] == "Sam Okafor"
    result = cli("paths", "--to", "Initech", "--person", "Sam Okafor")
    assert result.exit_code == 2
    assert "Sam Okafor is not at Initech" in one_line_error(result)


def test_with_no_path_it_says_so_and_lists_openings(cli: Run, alice) -> None:
    network(alice)
    far = organisation_create(owner=alice, name="Far Freight", industry="Logistics")
    person_create(owner=alice, full_name="Stranger", organisation=far, contact_list="C")
    result = cli("paths", "--to", "Far Freight")
    assert result.exit_code == 0
    assert "No path to Far Freight" in result.stdout
    assert "Maya Rosen: knows Sam Okafor at Globex, also in Logistics" in result.stdout
    empty = cli("paths", "--to", "Initech")
    assert "You have no one recorded at Initech yet" in empty.stdout


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        ([], 2, "say where to"),
        (["--to", "Globex", "--limit", "0"], 2, "--limit must be from 1 to 50, not 0"),
        (["--to", "Globex", "--limit", "1000"], 2, "--limit must be from 1 to 50, not 1000"),
        (["--to", "Nowhere Inc"], 1, "no organisation matches 'Nowhere Inc'"),
        (["--person", "Nobody Atall"], 1, "no one in your network matches"),
    ],
)
def test_it_refuses_bad_input(cli: Run, alice, args, code, expected) -> None:
    network(alice)
    people = Person.objects.count()
    result = cli("paths", *args)
    assert result.exit_code == code
    assert expected in one_line_error(result)
    assert Person.objects.count() == people


def test_it_never_reaches_into_another_account(cli: Run, alice, charlie) -> None:
    network(charlie)
    person_create(owner=alice, full_name="Alice's friend")
    result = cli("--user", "alice", "paths", "--to", "Globex")
    assert result.exit_code == 1
    assert "no organisation matches 'Globex'" in one_line_error(result)


def test_it_suggests_connectors(cli: Run, alice) -> None:
    person_create(owner=alice, full_name="Hana Hire", tags=["hiring", "python"])
    person_create(owner=alice, full_name="Luis Look", tags=["looking", "python"])
    data = as_json(cli("suggest", "connectors", "--json"))
    assert data[0]["reason"] == "Hana is hiring and Luis is looking; both interested in python"
    table = cli("suggest", "connectors")
    assert "Hana Hire" in table.stdout and "Luis Look" in table.stdout
    assert Tag.objects.count() == 3


def test_it_suggests_informers(cli: Run, alice) -> None:
    network(alice)
    person_create(owner=alice, full_name="Fran Freight", tags=["logistics"])
    data = as_json(
        cli(
            "suggest",
            "informers",
            "--title",
            "Globex opens a hub",
            "--topic",
            "Logistics",
            "--json",
        )
    )
    names = [d["name"] for d in data]
    assert names[0] == "Fran Freight" or "Globex" in data[0]["reason"]
    assert "Fran Freight" in names and "Dana Li" in names
    bad = cli("suggest", "informers")
    assert bad.exit_code == 2
    assert "say what you'd pass on" in one_line_error(bad)
