"""The whole-account backup restores: exactly into an empty account, merged into a populated
one, twice with no change; version 1 still restores; bad values cost the value, broken records
are named in words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from circleback.accounts.models import User
from circleback.interchange.models import PossibleDuplicate
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import BrokenRecordsError, import_file
from circleback.journal.models import Interaction
from circleback.loops.models import LoopStep, Meeting
from circleback.operations.backup.sections import SECTIONS
from circleback.operations.backup.services import backup_export, backup_restore, restored_summary
from circleback.operations.backup.tests.conftest import FIXTURES, comparable, full_account, wipe
from circleback.people.models import Person

pytestmark = pytest.mark.django_db(transaction=False)

# The demo's job club: its rows are the club's on this server, not restored elsewhere.
CLUB = ("groups.Membership", "groups.Opening", "groups.BoardPost")


def _owned_counts(owner: User) -> dict[str, int]:
    """How many rows of every owned model the account has."""
    counts = {}
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        for field in ("owner", "user"):
            if field in names and model._meta.get_field(field).is_relation:
                counts[model._meta.label] = model._default_manager.filter(**{field: owner}).count()
    return counts


def _fresh(name: str = "restored") -> User:
    return get_user_model().objects.create(username=name)


def test_it_restores_a_whole_account_into_an_empty_one_exactly(account: User) -> None:
    data = backup_export(owner=account)
    original = comparable(data)
    # A restore joins no group (operations/backup/groups.py: membership is an organiser's to
    # give where you restore), so the demo's job club stays behind, named in the report;
    # everything else comes back exactly.
    assert [g["name"] for g in original.pop("groups")] == ["Thursday job club"]
    counts = _owned_counts(account)
    wipe(account)
    restored = _fresh()
    report = backup_restore(owner=restored, data=data)
    assert not report.broken and not [s for s in report.skipped if "left out" in s.reason]
    assert any("not in “Thursday job club” here" in s.reason for s in report.skipped)
    again = comparable(backup_export(owner=restored))
    assert again.pop("groups") == []
    assert again == original

    # Row for row, in every owned table (open duplicate proposals are found again by the
    # import, so they are compared by what was decided: the pair kept apart; the club's
    # rows stay with the club).
    def kept(table: dict[str, int]) -> dict[str, int]:
        return {k: v for k, v in table.items() if "PossibleDuplicate" not in k and k not in CLUB}

    after = _owned_counts(restored)
    assert kept(after) == kept(counts)
    assert all(after[k] == 0 for k in CLUB) and all(counts[k] for k in CLUB)
    assert PossibleDuplicate.objects.filter(owner=restored, status="kept_apart").count() == 1


def test_the_backup_holds_a_few_of_every_kind_of_record(account: User) -> None:
    document = json.loads(backup_export(owner=account))
    assert document["version"] == 2
    for section in SECTIONS:
        assert document[section.key], f"the demo account has no {section.key}"
    assert document["kept_apart"] and "someday" in document["tags"]
    assert document["settings"]["time_zone"] == "America/New_York"
    assert document["settings"]["goals"]["new_contacts"] == 4
    states = {lead["state"] for lead in document["leads"]}
    assert states == {
        "received",
        "contacted",
        "met",
        "declined",
        "referrer_told",
        "referrer_thanked",
    }
    assert {m["status"] for m in document["meetings"]} == {"scheduled", "held", "cancelled"}
    assert {f["direction"] for f in document["favours"]} == {"given", "received"}
    held = next(m for m in document["meetings"] if m["status"] == "held")
    entries = {e["uuid"] for e in document["interactions"]}
    assert held["interaction"] in entries


def test_restoring_twice_changes_nothing(account: User) -> None:
    data = backup_export(owner=account)
    wipe(account)
    restored = _fresh()
    backup_restore(owner=restored, data=data)
    before = _owned_counts(restored)
    first = backup_export(owner=restored)
    report = backup_restore(owner=restored, data=data)
    assert report.created == 0 and report.merged == 0
    assert not any(report.restored.get(s.key) for s in SECTIONS)
    assert _owned_counts(restored) == before
    assert comparable(backup_export(owner=restored)) == comparable(first)


def test_it_restores_into_a_populated_account_merging_as_imports_do(
    account: User, bob: User, make_person: Any
) -> None:
    """bob already has someone the backup holds (the same email) and someone of his own;
    alice's account still holds the backup's uuids, so bob's copies get their own."""
    someone = Person.objects.filter(owner=account, emails__isnull=False).first()
    assert someone is not None
    address = someone.emails.first().address
    make_person(bob, "Bob's own contact", emails=["own@bob.example"])
    make_person(bob, someone.full_name, emails=[address])
    data = backup_export(owner=account)
    alice_before = _owned_counts(account)
    report = backup_restore(owner=bob, data=data)
    assert report.merged == 1
    people = Person.objects.filter(owner=bob).count()
    assert people == Person.objects.filter(owner=account).count() + 1
    assert (
        Meeting.objects.filter(owner=bob).count() == Meeting.objects.filter(owner=account).count()
    )
    # Every step names bob's people, none of alice's.
    assert not LoopStep.objects.filter(owner=bob).exclude(person__owner=bob).exists()
    assert _owned_counts(account) == alice_before
    before = _owned_counts(bob)
    backup_restore(owner=bob, data=data)
    assert _owned_counts(bob) == before


def test_a_version_1_backup_still_restores_and_keeps_namesakes_apart(alice: User) -> None:
    data = (FIXTURES / "backup-v1.json").read_bytes()
    document = json.loads(data)
    assert document["version"] == 1
    report = backup_restore(owner=alice, data=data)
    assert not report.skipped
    # Two people called Priya Patel at Globex, with no email: the backup's ids keep them two.
    assert Person.objects.filter(owner=alice).count() == len(document["people"])
    assert Person.objects.filter(owner=alice, full_name="Priya Patel").count() == 2
    assert Interaction.objects.filter(owner=alice).count() == len(document["interactions"])
    assert report.restored == {}
    again = comparable(backup_export(owner=alice))
    for key in ("organizations", "people", "ties", "interactions"):
        assert again[key] == document[key]
    assert backup_restore(owner=alice, data=data).created == 0


def _document(**sections: Any) -> bytes:
    document = {
        "format": "circleback-backup",
        "version": 2,
        "exported_at": "2026-11-20T10:00:00+00:00",
        "people": [
            {"uuid": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a01", "full_name": "Ada Quill"},
            {
                "uuid": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a02",
                "full_name": "Bart Nguyen",
                "birthday": "2026-02-31",
                "closeness": 9,
            },
        ],
    }
    document.update(sections)
    return json.dumps(document).encode()


def test_a_bad_value_costs_the_value_not_the_record(alice: User) -> None:
    meeting = {
        "uuid": "2f0e2b7e-3f51-4e0e-9d1b-6d3c2a1f0b01",
        "person": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a01",
        "scheduled_for": "2026-11-20T10:00:00+00:00",
        "duration_minutes": 9000,
        "status": "held",
        "purposes": ["advice"],
        "created_at": "2026-11-19T10:00:00+00:00",
    }
    report = backup_restore(owner=alice, data=_document(meetings=[meeting]))
    bart = Person.objects.get(owner=alice, full_name="Bart Nguyen")
    assert bart.birthday_month is None and bart.closeness == 2
    restored = Meeting.objects.get(owner=alice)
    assert restored.duration_minutes == 30 and restored.status == "held"
    reasons = {(s.where, s.reason) for s in report.skipped}
    assert not report.broken
    assert any(
        where == "person 2 (“Bart Nguyen”)" and "2026-02-31" in reason for where, reason in reasons
    )
    assert any(where == "meeting 1" and "duration_minutes" in reason for where, reason in reasons)


def test_a_broken_record_is_named_in_words_and_nothing_is_written(alice: User) -> None:
    lead = {
        "uuid": "3f0e2b7e-3f51-4e0e-9d1b-6d3c2a1f0c01",
        "about": "their platform team",
        "referrer": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a01",
        "referred": "00000000-3f51-4e0e-9d1b-6d3c2a1f0a99",
        "received_on": "2026-11-01",
        "state": "received",
    }
    data = _document(leads=[lead])
    with pytest.raises(BrokenRecordsError) as error:
        backup_restore(owner=alice, data=data)
    message = str(error.value)
    assert "lead 1 (“their platform team”)" in message and "referred" in message
    assert Person.objects.filter(owner=alice).count() == 0
    # A dry run refuses it as the restore would; the preview (skipping) lists it, and
    # skipping it restores the rest.
    with pytest.raises(BrokenRecordsError, match="lead 1"):
        backup_restore(owner=alice, data=data, dry_run=True)
    preview = backup_restore(owner=alice, data=data, dry_run=True, skip_bad=True)
    assert [s.where for s in preview.broken] == ["lead 1 (“their platform team”)"]
    assert Person.objects.filter(owner=alice).count() == 0
    report = backup_restore(owner=alice, data=data, skip_bad=True)
    assert report.created == 2 and report.restored["leads"] == 0


def test_a_dry_run_reports_what_a_restore_would_do_and_writes_nothing(account: User) -> None:
    data = backup_export(owner=account)
    wipe(account)
    restored = _fresh()
    report = backup_restore(owner=restored, data=data, dry_run=True)
    assert report.dry_run and report.restored["meetings"] > 0
    assert "meetings" in restored_summary(report.restored)
    assert Person.objects.filter(owner=restored).count() == 0
    assert Meeting.objects.filter(owner=restored).count() == 0


def test_a_backup_names_nothing_of_another_account(account: User, bob: User) -> None:
    full_account(bob, people=24)
    text = backup_export(owner=account).decode()
    for model in (Person, Meeting, LoopStep, Interaction):
        for uuid in model._default_manager.filter(owner=bob).values_list("uuid", flat=True):
            assert str(uuid) not in text
    assert "bob" not in json.loads(text)["settings"].values()


def test_a_link_another_row_already_holds_is_left_out_not_refused(account: User) -> None:
    """Two meetings of one backup naming the same journal entry (a hand-edited file): the
    second keeps its meeting, without the entry."""
    document = json.loads(backup_export(owner=account))
    wipe(account)
    held = [m for m in document["meetings"] if m["interaction"]]
    held[1]["interaction"] = held[0]["interaction"]
    held[1]["purposes"] = ["a job"]
    restored = _fresh()
    report = backup_restore(owner=restored, data=json.dumps(document).encode())
    assert Meeting.objects.filter(owner=restored).count() == len(document["meetings"])
    second = Meeting.objects.get(uuid=held[1]["uuid"])
    assert second.interaction is None and second.purposes == []
    reasons = [s.reason for s in report.skipped if not s.broken]
    assert any("interaction already belongs" in r for r in reasons)
    assert any("'a job' is not a purpose" in r for r in reasons)


def test_a_backup_may_be_bigger_than_other_files(alice: User) -> None:
    """A whole account's backup is bigger than any contacts file: 51 MB restores (dry run);
    the same size of anything else is refused."""
    notes = "x" * (51 * 1024 * 1024)
    document = {
        "format": "circleback-backup",
        "version": 2,
        "people": [{"full_name": "Ada Quill", "notes": notes}],
    }
    report = backup_restore(owner=alice, data=json.dumps(document).encode(), dry_run=True)
    assert report.created == 1
    with pytest.raises(InterchangeError, match="at most 50 MB"):
        import_file(owner=alice, data=b"Name,Email\n" + notes.encode(), dry_run=True)
