"""`circleback import` and `circleback export` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error
from circleback.people.models import Person

__all__ = ["cli", "cli_environment"]

FIXTURES = Path(__file__).parent / "fixtures"


def test_it_imports_and_reports_as_json(cli: Run, alice: User) -> None:
    result = cli("import", str(FIXTURES / "linkedin_connections_2024.csv"), "--tag", "li", "--json")
    report = as_json(result)
    assert report["created"] == 4 and report["merged"] == 0
    assert report["skipped"][0]["where"] == "row 8"
    assert {"created", "merged", "skipped", "possible_duplicates"} <= set(report)
    again = as_json(cli("import", str(FIXTURES / "linkedin_connections_2024.csv"), "--json"))
    assert again["created"] == 0 and again["unchanged"] == 4


def test_it_prints_a_readable_report(cli: Run, alice: User) -> None:
    result = cli("import", str(FIXTURES / "vcard30_apple.vcf"), "--list", "a", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.stdout and "added 1 person" in result.stdout
    assert "read as an address book of vCards" in " ".join(result.stdout.split())
    assert not Person.objects.exists()


def test_it_refuses_broken_records_unless_told_to_skip_them(cli: Run, alice: User) -> None:
    path = str(FIXTURES / "vcard_truncated.vcf")
    for args in ((), ("--dry-run",)):
        result = cli("import", path, *args)
        assert result.exit_code == 1
        assert "card 2" in one_line_error(result) and "--skip-bad" in result.stderr
        assert not Person.objects.exists()
    result = cli("import", path, "--skip-bad")
    assert result.exit_code == 0 and "card 2" in result.stdout
    assert Person.objects.count() == 1


def test_it_refuses_a_file_that_is_not_what_it_claims(
    cli: Run, alice: User, tmp_path: Path
) -> None:
    fake = tmp_path / "contacts.vcf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = cli("import", str(fake))
    assert result.exit_code == 1 and "expected" in one_line_error(result)
    result = cli("import", str(FIXTURES / "google_contacts.csv"), "--format", "linkedin")
    assert result.exit_code == 1 and "LinkedIn" in one_line_error(result)
    assert not Person.objects.exists()


def test_it_rejects_bad_options(cli: Run, alice: User) -> None:
    result = cli("import", str(FIXTURES / "vcard40.vcf"), "--list", "D")
    assert result.exit_code == 2 and "A, B or C" in one_line_error(result)
    result = cli("import", str(FIXTURES / "vcard40.vcf"), "--format", "xml")
    assert result.exit_code == 2
    result = cli("import", "/no/such/file.csv")
    assert result.exit_code == 1


def test_it_exports_json_vcard_and_csv(cli: Run, alice: User, tmp_path: Path) -> None:
    cli("import", str(FIXTURES / "vcard40.vcf"))
    document = json.loads(cli("export").stdout)
    assert document["format"] == "circleback-backup"
    assert [p["full_name"] for p in document["people"]] == ["Mateo García"]
    out = tmp_path / "contacts.vcf"
    result = cli("export", "--format", "vcard", "--vcard-version", "3.0", "-o", str(out))
    assert result.exit_code == 0 and out.read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:3.0")
    csv_text = cli("export", "--format", "csv").stdout
    assert "Mateo García" in csv_text and "Full name" in csv_text
    assert cli("export", "--format", "xml").exit_code == 2


def test_it_replaces_an_output_file_only_with_a_complete_export(
    cli: Run, alice: User, tmp_path: Path
) -> None:
    cli("import", str(FIXTURES / "vcard40.vcf"))
    out = tmp_path / "backup.json"
    out.write_text("an older backup")
    result = cli("export", "-o", str(out))
    assert result.exit_code == 0 and "Wrote" in result.stderr
    assert json.loads(out.read_bytes())["people"][0]["full_name"] == "Mateo García"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]
    result = cli("export", "-o", str(tmp_path / "missing" / "backup.json"))
    assert result.exit_code == 1 and "cannot write" in one_line_error(result)
