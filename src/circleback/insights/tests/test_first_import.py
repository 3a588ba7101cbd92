"""The day after a first LinkedIn import, Today and the health check have something to say:
the keep-in-touch clock starts when the file says you connected, not at the import."""

from __future__ import annotations

import datetime as dt

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
