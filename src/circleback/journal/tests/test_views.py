"""The journal: filters, pages, logging, correcting and deleting entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.web.tests.fixtures import Network

pytestmark = pytest.mark.django_db


def summaries(response: Any) -> list[str]:
    return [e.summary for e in response.context["page"]]


def test_it_lists_every_entry_newest_first(alice_client: Client, network: Network) -> None:
    assert summaries(alice_client.get("/journal/"))[:2] == ["Coffee number 0", "Coffee number 1"]


def test_it_filters_by_kind_dates_person_and_organisation(
    alice_client: Client, network: Network
) -> None:
    assert all(e.kind == "call" for e in alice_client.get("/journal/?kind=call").context["page"])
    today = timezone.localdate()
    since = (today - dt.timedelta(days=5)).isoformat()
    assert summaries(alice_client.get(f"/journal/?since={since}")) == [
        "Coffee number 0",
        "Coffee number 1",
    ]
    until = (today - dt.timedelta(days=30)).isoformat()
    assert summaries(alice_client.get(f"/journal/?until={until}")) == [
        "Coffee number 10",
        "Coffee number 11",
    ]
    person = network.people[5]
    assert summaries(alice_client.get(f"/journal/?person={person.uuid}")) == [
        "Coffee number 4",
        "Coffee number 5",
    ]
    assert summaries(alice_client.get("/journal/?person=p5@example.org")) == [
        "Coffee number 4",
        "Coffee number 5",
    ]
    pied_piper = network.organisations[1]
    by_org = alice_client.get(f"/journal/?org={pied_piper.uuid}").context["page"]
    assert "Coffee number 1" in [e.summary for e in by_org]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=2026-02-30", "since"),
        ("since=2026-03-02&until=2026-03-01", "until"),
        ("kind=seance", "kind"),
        ("person=Nobody+At+All", "person"),
        ("org=Nowhere", "org"),
    ],
)
def test_bad_filters_explain_themselves(
    alice_client: Client, network: Network, query: str, field: str
) -> None:
    response = alice_client.get(f"/journal/?{query}")
    assert response.status_code == 200 and field in response.context["form"].errors


def test_an_ambiguous_person_offers_links(alice_client: Client, network: Network) -> None:
    response = alice_client.get("/journal/?person=person")
    assert len(response.context["candidates"]) == 10
    assert summaries(response) == []


def test_an_outsider_sees_none_of_it(charlie_client: Client, network: Network) -> None:
    assert summaries(charlie_client.get("/journal/")) == []
    entry = network.interactions[0]
    assert charlie_client.get(f"/journal/{entry.uuid}/").status_code == 404
    assert charlie_client.post(f"/journal/{entry.uuid}/delete/").status_code == 404
    assert (
        charlie_client.get(f"/journal/?person={network.first.uuid}").context["page"].paginator.count
        == 0
    )


def test_the_journal_makes_a_bounded_number_of_queries(
    alice_client: Client, big_network: Network, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(7):
        alice_client.get("/journal/")
    with django_assert_max_num_queries(9):
        alice_client.get(f"/journal/?person={big_network.first.uuid}&kind=call")


@time_machine.travel("2026-07-01 09:00:00+00:00", tick=False)
def test_it_logs_with_several_people_by_name(alice_client: Client, network: Network) -> None:
    response = alice_client.post(
        "/journal/new/",
        {
            "log-summary": "Panel dinner",
            "log-people": "p1@example.org, Person 02 Example",
            "log-kind": "social",
            "log-day": "2026-06-30",
            "log-organisation": "hooli",
        },
    )
    assert response.status_code == 302
    entry = Interaction.objects.get(summary="Panel dinner")
    assert {p.full_name for p in entry.people.all()} == {"Person 01 Example", "Person 02 Example"}
    assert entry.organisation == network.organisations[0]
    # London is an hour ahead in summer: midday there is 11:00 UTC.
    assert entry.occurred_at == dt.datetime(2026, 6, 30, 11, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "data",
    [
        {"log-summary": "Dinner", "log-people": "Nobody Known"},
        {"log-summary": "Dinner", "log-people": "person"},  # ambiguous
        {"log-summary": "Dinner", "log-organisation": "Nowhere"},
        {"log-summary": "   "},
        {"log-summary": "Dinner", "log-time": "25:99"},
    ],
)
def test_a_bad_log_writes_nothing(
    alice_client: Client, network: Network, data: dict[str, str]
) -> None:
    response = alice_client.post("/journal/new/", {"log-kind": "meeting", **data})
    assert response.status_code == 400 and response.context["form"].errors
    assert Interaction.objects.count() == 12


def test_someone_elses_person_cannot_be_logged(
    alice_client: Client, network: Network, bob: User, make_person: Any
) -> None:
    bobs = make_person(bob, "Bob Contact")
    response = alice_client.post(
        "/journal/new/", {"log-summary": "Spying", "log-kind": "note", "log-people": str(bobs.uuid)}
    )
    assert response.status_code == 400
    assert not Interaction.objects.filter(summary="Spying").exists()


def test_it_corrects_and_deletes_an_entry(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    entry = interaction_log(owner=alice, summary="Cofee", people=[ada], kind="meeting")
    form = alice_client.get(f"/journal/{entry.uuid}/").context["form"]
    data = {f"log-{k}": v for k, v in form.initial.items() if v}
    data["log-summary"] = "Coffee"
    assert alice_client.post(f"/journal/{entry.uuid}/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Coffee" and list(entry.people.all()) == [ada]
    alice_client.post(f"/journal/{entry.uuid}/delete/")
    assert not Interaction.objects.exists()
    ada.refresh_from_db()
    assert ada.last_contact_at is None


def _edit_data(client: Client, entry: Interaction) -> dict[str, Any]:
    form = client.get(f"/journal/{entry.uuid}/").context["form"]
    return {f"log-{k}": v for k, v in form.initial.items() if v}


def test_it_changes_who_took_part_and_their_last_contact(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada, bart, cleo = (make_person(alice, n) for n in ("Ada Quill", "Bart Nguyen", "Cleo Ward"))
    when = dt.datetime(2026, 6, 30, 11, tzinfo=dt.UTC)
    entry = interaction_log(owner=alice, summary="Lunch", people=[ada, bart], occurred_at=when)
    data = _edit_data(alice_client, entry)
    assert data["log-people"] == "Ada Quill, Bart Nguyen"
    data["log-people"] = "Ada Quill, Cleo Ward"
    assert alice_client.post(f"/journal/{entry.uuid}/", data).status_code == 302
    assert {p.full_name for p in entry.people.all()} == {"Ada Quill", "Cleo Ward"}
    for person in (ada, bart, cleo):
        person.refresh_from_db()
    # Keep-in-touch follows: Cleo was contacted then, Bart no longer was.
    assert (ada.last_contact_at, bart.last_contact_at, cleo.last_contact_at) == (when, None, when)
    page = alice_client.get(f"/people/{cleo.uuid}/")
    assert "Lunch" in page.content.decode()


def test_a_name_already_on_the_entry_means_that_person(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli")
    make_person(alice, "Ada Quill", organisation="Initech")
    entry = interaction_log(owner=alice, summary="Lunch", people=[ada])
    data = _edit_data(alice_client, entry)
    data["log-summary"] = "Long lunch"
    assert alice_client.post(f"/journal/{entry.uuid}/", data).status_code == 302
    assert list(entry.people.all()) == [ada]


@pytest.mark.parametrize(
    ("people", "message"),
    [("Ada Quill, Nobody Known", "Nobody in your network"), ("", "stays on it")],
)
def test_a_bad_change_of_people_writes_nothing(
    alice_client: Client, alice: User, make_person: Any, people: str, message: str
) -> None:
    from circleback.loops.services.meetings import meeting_log_outcome, meeting_schedule

    ada = make_person(alice, "Ada Quill")
    with time_machine.travel("2026-06-01 09:00:00+00:00", tick=False):
        meeting = meeting_schedule(
            owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(hours=1)
        )
    with time_machine.travel("2026-06-01 11:00:00+00:00", tick=False):
        entry = meeting_log_outcome(meeting=meeting, learned="Plenty").interaction
    data = _edit_data(alice_client, entry)
    assert "edit the meeting" in alice_client.get(f"/journal/{entry.uuid}/").content.decode()
    data.update({"log-people": people, "log-summary": "Changed"})
    response = alice_client.post(f"/journal/{entry.uuid}/", data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["people"])
    entry.refresh_from_db()
    assert entry.summary.startswith("Information meeting") and list(entry.people.all()) == [ada]


def test_everyone_can_be_taken_off_a_plain_entry(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    entry = interaction_log(owner=alice, summary="Thoughts after lunch", people=[ada])
    data = _edit_data(alice_client, entry)
    data["log-people"] = ""
    assert alice_client.post(f"/journal/{entry.uuid}/", data).status_code == 302
    assert not entry.people.exists()
    ada.refresh_from_db()
    assert ada.last_contact_at is None


def test_editing_a_big_events_entry_keeps_everyone(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    crowd = [make_person(alice, f"Guest Number {i:03d} Longname") for i in range(120)]
    entry = interaction_log(owner=alice, summary="Fintech Forum", people=crowd, kind="event")
    data = _edit_data(alice_client, entry)
    data["log-summary"] = "Fintech Forum 2026"
    assert alice_client.post(f"/journal/{entry.uuid}/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Fintech Forum 2026" and entry.people.count() == 120
