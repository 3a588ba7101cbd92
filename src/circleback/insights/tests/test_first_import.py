"""The day after a first LinkedIn import, Today and the health check have something to say:
the keep-in-touch clock starts when the file says you connected, not at the import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine
from django.utils.html import escape

from circleback.insights.queries.agenda import agenda_for
from circleback.insights.queries.health import health_for
from circleback.interchange.services import import_file
from circleback.people.models import Person

TITLES = [
    "Data Engineer",
    "Senior Data Scientist",
    "Product Manager",
    "UX Designer",
    "Software Developer",
    "Recruiter",
    "Marketing Lead",
    "Head of Product",
]


def _connections(count: int) -> bytes:
    """A LinkedIn Connections.csv of the 2024 shape (invented people), connected 2012 to 2024."""
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    start = dt.date(2012, 3, 1)
    for n in range(count):
        connected = start + dt.timedelta(days=n * 140)
        lines.append(
            f"Person{n},Tester{n},https://www.linkedin.com/in/person-{n},,"
            f"Company {n % 9},{TITLES[n % len(TITLES)]},{connected:%d %b %Y}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_a_first_import_gives_today_and_the_health_check_something_to_say(alice) -> None:
    import_file(owner=alice, data=_connections(30), format="linkedin")
    ada = Person.objects.get(full_name="Person0 Tester0")
    assert ada.met_on == dt.date(2012, 3, 1)
    assert ada.last_contact_at == dt.datetime(2012, 3, 1, 12, tzinfo=dt.UTC)

    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    agenda = agenda_for(alice, now=tomorrow)
    assert agenda.reconnects, "connections from years ago are due a hello"
    assert len(agenda.reconnects) < 30, "a handful, not the whole network"
    assert agenda.gives, "someone to introduce, though no one has tags yet"
    assert any("work in" in give.reason for give in agenda.gives)

    health = health_for(alice, now=tomorrow)
    # Everyone connected more than a year ago is untouched for a year; not "0 of 30".
    old = Person.objects.filter(last_contact_at__lt=tomorrow - dt.timedelta(days=365)).count()
    assert old >= 25 and health.untouched == old


FIXTURES = Path(__file__).resolve().parents[2] / "interchange" / "tests" / "fixtures"


def test_the_day_after_importing_four_connections_today_suggests_a_give(
    alice, alice_client
) -> None:
    """Four LinkedIn connections, no tags, no industries, two of them colleagues: nobody to
    introduce, yet something to pass on, from what the file says they do."""
    import_file(
        owner=alice,
        data=(FIXTURES / "linkedin_connections_2024.csv").read_bytes(),
        format="linkedin",
    )
    assert not Person.tags.through.objects.exists()
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    gives = agenda_for(alice, now=tomorrow).gives
    assert [g.kind for g in gives] == ["pass_on"]
    give = gives[0]
    (person,) = give.people
    facts = {
        "Ada Quill": ("an article on engineering", "VP Engineering at Hooli, Inc."),
        "Bart Nguyen": ("an article on engineering", "Staff Engineer at Hooli, Inc."),
        "Chloé Durand": ("news about Pied Piper", "Head of People, EMEA at Pied Piper."),
        "Dmitri Volkov": ("an article on consulting", "listed as Independent consultant."),
    }
    what, said = facts[person.full_name]
    assert give.title == f"Pass on {what} to {person.full_name}"
    assert said in give.reason
    assert f"last in touch in {person.last_contact_at:%B %Y}" in give.reason

    # Every one of them gets a turn over the days, never someone out of the file's reach.
    seen = {
        agenda_for(alice, now=tomorrow + dt.timedelta(days=n)).gives[0].people[0].full_name
        for n in range(8)
    }
    assert seen == set(facts)

    # Today shows it, with a button that logs it as done.
    with time_machine.travel(tomorrow, tick=False):
        html = alice_client.get("/today/").content.decode()
        assert "Give something" in html and escape(give.title) in html


def test_no_pass_on_give_for_someone_in_touch_this_month(alice) -> None:
    import_file(
        owner=alice,
        data=(FIXTURES / "linkedin_connections_2024.csv").read_bytes(),
        format="linkedin",
    )
    # The day after connecting with all four, nobody is yet due something passed on.
    Person.objects.update(last_contact_at=dt.datetime.now(dt.UTC))
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert agenda_for(alice, now=tomorrow).gives == []
