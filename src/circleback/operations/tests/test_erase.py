"""Erasing a person or an account leaves no row behind that identifies them — checked by
walking every table in the database (raw, so tables no model describes, like SQLite's
full-text index, are read too), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from circleback.accounts.models import User
from circleback.insights.services import (
    cadence_defaults_update,
    goals_update,
    person_snooze,
    pitch_add,
    pitch_practice_log,
)
from circleback.interchange.models import PossibleDuplicate
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.loops.services.favours import favour_log, standing_offer_make
from circleback.loops.services.introductions import introduction_make
from circleback.loops.services.leads import lead_record
from circleback.loops.services.meetings import ReferralInput, meeting_log_outcome, meeting_schedule
from circleback.loops.services.permissions import permission_grant
from circleback.loops.services.shares import share_log
from circleback.once.models import Submission
from circleback.operations.erase import (
    account_erase,
    account_erase_plan,
    person_erase,
    person_erase_plan,
)
from circleback.people.models import Person, Photo
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set

# What identifies the person erased, written so that each turns up in any cell that holds it
# (the full-text index keeps words, lowercased: "quillfeath" is a prefix of the one word).
NEEDLES = ("quillfeath", "adaline.q@", "7946 0123", "79460123")
# The other owner's network names someone else, so what is theirs is told apart.
THEIRS = ("marchbank", "zelda.m@", "7946 0999", "79460999")


def build_network(owner: User, *, other: bool = False) -> dict[str, Any]:
    """A network with a record of every kind that can name Adaline Quillfeather (or, for
    `other`, Zelda Marchbanks)."""
    now = timezone.now()
    given, family, phone = (
        ("Zelda", "Marchbanks", "0999") if other else ("Adaline", "Quillfeather", "0123")
    )
    name = f"{given} {family}"
    org = "Initrode" if other else "Globexia"
    ada = person_create(
        owner=owner,
        full_name=name,
        organisation=org,
        emails=[f"{given.lower()}.{family[0].lower()}@{org.lower()}.example"],
        phones=[f"+44 20 7946 {phone}"],
        links=[f"https://www.linkedin.com/in/{family.lower()}"],
        tags=["mentor"],
        notes="Loves sailing",
        birthday_month=3,
        birthday_day=14,
    )
    Photo.objects.create(person=ada, content_type="image/png", data=b"\x89PNG " + family.encode())
    bart = person_create(
        owner=owner,
        full_name="Bart Nguyen",
        notes=f"Met through {name} at the forum.",
    )
    cleo = person_create(owner=owner, full_name="Cleo Park", introduced_by=ada)
    tie_set(owner=owner, person=ada, other=bart, strength=4, notes="Old colleagues")
    interaction_log(owner=owner, summary=f"Coffee with {name}", people=[ada])
    shared = interaction_log(
        owner=owner,
        summary=f"Lunch with Bart and {name}",
        people=[ada, bart],
        notes=f"{given} {family} paid.",
    )
    meeting = meeting_schedule(owner=owner, person=ada, scheduled_for=now + dt.timedelta(hours=2))
    meeting_log_outcome(
        meeting=meeting,
        learned=f"{name} knows the data team",
        referrals=[ReferralInput(full_name="Dana Lee", organisation="Hooli", may_use_name=True)],
    )
    lead_record(owner=owner, referrer=bart, person=ada, about="the design team")
    favour_log(owner=owner, person=ada, direction="given", kind="advice", note="CV review")
    standing_offer_make(owner=owner, person=ada, offer="Call on me any time")
    introduction_make(owner=owner, person_x=ada, person_y=bart, reason="Both sail")
    share_log(owner=owner, people=[ada], title="Sailing and careers")
    share_log(owner=owner, people=[ada, bart], title="Fintech report")
    permission_grant(
        owner=owner,
        person=ada,
        organisation=org,
        note="Any time",
    )
    person_snooze(owner=owner, person=bart, until=timezone.localdate() + dt.timedelta(days=9))
    person_snooze(owner=owner, person=ada, until=timezone.localdate() + dt.timedelta(days=9))
    pitch = pitch_add(owner=owner, text="I help teams ship data products.")
    pitch_practice_log(owner=owner, pitch=pitch, person=ada, notes=f"{name} liked it")
    goals_update(owner=owner, new_contacts=5)
    cadence_defaults_update(owner=owner, list_b_days=60)
    namesake = person_create(owner=owner, full_name=name, if_exists="new")
    PossibleDuplicate.objects.create(
        owner=owner,
        person_a=min(ada, namesake, key=lambda p: p.pk),
        person_b=max(ada, namesake, key=lambda p: p.pk),
        reason="have the same name",
    )
    Submission.objects.create(owner=owner, token=f"t-{family}", result_url=f"/people/{ada.uuid}/")
    return {
        "ada": ada,
        "bart": bart,
        "cleo": cleo,
        "shared": shared,
        "namesake": namesake,
    }


def every_cell() -> list[tuple[str, Any]]:
    """(table, cell) for every cell of every table in the database."""
    cells: list[tuple[str, Any]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                cells.extend((table, cell) for cell in row)
    return cells


def cells_per_table() -> dict[str, int]:
    """How many cells each table that has any holds (one walk of the database)."""
    return dict(Counter(table for table, _ in every_cell()))


def _text(cell: Any) -> str:
    if isinstance(cell, memoryview):
        cell = cell.tobytes()
    if isinstance(cell, bytes):
        return cell.decode("latin-1").lower()
    return str(cell).lower()


def rows_naming(*needles: str) -> list[tuple[str, str]]:
    return [
        (table, _text(cell)[:80])
        for table, cell in every_cell()
        if any(needle in _text(cell) for needle in needles)
    ]


def theirs_outside_the_index() -> list[tuple[str, str]]:
    """The other owner's cells, less the full-text index's own tables (erasing merges them,
    so their bytes change while saying the same)."""
    return [(t, c) for t, c in rows_naming(*THEIRS) if "_fts" not in t]


def rows_pointing_at(model: type[models.Model], pk: int) -> list[str]:
    """Every foreign key (and many-to-many row) in every model that still points at `pk`."""
    found = []
    for each in apps.get_models(include_auto_created=True):
        for field in each._meta.concrete_fields:
            points = field.is_relation and field.related_model is model
            if points and each._default_manager.filter(**{field.attname: pk}).exists():
                found.append(f"{each._meta.label}.{field.name}")
    return found


def test_erasing_a_person_leaves_no_row_that_identifies_them(alice: User, charlie: User) -> None:
    made = build_network(alice)
    theirs = build_network(charlie, other=True)  # another owner's network stays whole
    ada, namesake = made["ada"], made["namesake"]
    charlie_cells = theirs_outside_the_index()
    assert rows_naming(*NEEDLES)  # the walk finds what is there

    plan = person_erase_plan(person=ada)
    said = dict(zip(plan.counts, plan.counts.values(), strict=True))
    # The coffee, the meeting, the favour and the share that were hers alone.
    assert said["journal entries with only them (deleted)"] == 4
    assert said["journal entries with others (they are taken off)"] == 1
    assert said["meetings"] == 1
    assert said["introductions"] == 1
    assert said["shares passed on to them alone"] == 1

    erased = [ada.pk, namesake.pk]
    done = person_erase(person=ada)
    assert done.counts == plan.counts
    person_erase(person=namesake)

    assert [rows_pointing_at(Person, pk) for pk in erased] == [[], []]
    assert rows_naming(*NEEDLES) == []
    assert theirs_outside_the_index() == charlie_cells
    # What stays stays: the entry with Bart, without her; Bart and Cleo; the other owner's Ada.
    shared = Interaction.objects.get(pk=made["shared"].pk)
    assert list(shared.people.all()) == [made["bart"]]
    assert shared.summary == "Lunch with Bart and someone"
    assert Person.objects.get(pk=made["bart"].pk).notes == "Met through someone at the forum."
    assert Person.objects.get(pk=made["cleo"].pk).introduced_by is None
    assert Person.objects.filter(pk=theirs["ada"].pk).exists()


def test_erasing_an_account_leaves_no_row_it_owned(alice: User, charlie: User) -> None:
    build_network(alice)
    build_network(charlie, other=True)
    before = cells_per_table()
    charlie_cells = theirs_outside_the_index()
    plan = account_erase_plan(user=alice)
    assert plan.counts["people"] == 5

    alice_pk = alice.pk
    done = account_erase(user=alice)
    assert done.counts == plan.counts
    assert rows_pointing_at(User, alice_pk) == []
    assert rows_naming(*NEEDLES, "globexia") == []
    assert theirs_outside_the_index() == charlie_cells
    assert not User.objects.filter(pk=alice_pk).exists()
    after = cells_per_table()
    assert set(after) <= set(before)


def test_erasing_an_account_forgets_the_failed_sign_ins_that_named_it(
    alice: User, charlie: User
) -> None:
    from axes.models import AccessAttempt
    from django.test import Client

    def fail(username: str, address: str) -> None:
        response = Client(REMOTE_ADDR=address).post(
            "/login/", {"username": username, "password": "not the password"}
        )
        assert response.status_code == 200

    fail("alice", "198.51.100.1")
    fail(" ALICE ", "198.51.100.2")  # the same account, counted under the same key
    fail("charlie", "198.51.100.1")
    fail("nobody-here", "198.51.100.3")
    assert AccessAttempt.objects.filter(username="alice").count() == 2
    plan = account_erase_plan(user=alice)
    assert plan.counts["failed sign-ins"] == 2

    done = account_erase(user=alice)
    assert done.counts["failed sign-ins"] == 2
    assert rows_naming("alice") == []
    # Failures naming other accounts, or none, still count against their addresses.
    assert sorted(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("charlie", "198.51.100.1"),
        ("nobody-here", "198.51.100.3"),
    ]


@pytest.mark.parametrize("person_only", [True, False])
def test_the_other_owner_keeps_everything(alice: User, charlie: User, person_only: bool) -> None:
    build_network(alice)
    theirs = build_network(charlie, other=True)
    counts = {
        m._meta.label: m._default_manager.filter(owner=charlie).count()
        for m in apps.get_models()
        if any(f.name == "owner" for f in m._meta.concrete_fields)
    }
    if person_only:
        person_erase(
            person=Person.objects.get(
                owner=alice, full_name="Adaline Quillfeather", photo__isnull=False
            )
        )
    else:
        account_erase(user=alice)
    assert counts == {
        m._meta.label: m._default_manager.filter(owner=charlie).count()
        for m in apps.get_models()
        if any(f.name == "owner" for f in m._meta.concrete_fields)
    }
    assert Person.objects.filter(pk=theirs["ada"].pk).exists()


def test_erasing_an_account_removes_the_files_its_imports_were_waiting_with(
    alice: User, charlie: User, django_capture_on_commit_callbacks: Any
) -> None:
    from circleback.interchange.upload_files import upload_path
    from circleback.interchange.uploads import upload_preview

    csv = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Quill\r\nORG:Hooli\r\nEND:VCARD\r\n"
    mine = upload_preview(owner=alice, filename="mine.csv", data=csv)
    theirs = upload_preview(owner=charlie, filename="theirs.csv", data=csv)
    assert upload_path(mine.uuid).read_bytes() == csv
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=alice)
    assert not upload_path(mine.uuid).exists()
    assert upload_path(theirs.uuid).read_bytes() == csv
