"""Every list command: --json gives every row unless --limit, streamed in the same shape as a
whole list; a limit that leaves rows out says so on stderr, the same words everywhere."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli  # noqa: F401  (the fixture)
from circleback.db.tests.once import rolled_back_afterwards
from circleback.insights.services import pitch_add
from circleback.journal.services import interaction_log
from circleback.loops.services.favours import favour_log, standing_offer_make
from circleback.loops.services.introductions import introduction_make
from circleback.loops.services.meetings import meeting_schedule
from circleback.loops.services.permissions import permission_grant
from circleback.loops.services.shares import share_log
from circleback.people.models import Person
from circleback.people.services.people import person_create

N = 55  # more than a table's default page of 50
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)

# (command, what the stderr line calls the rows, how many rows N of everything makes)
LISTS: list[tuple[list[str], str, int | None]] = [
    (["people"], "people", N + 1),
    (["org", "list"], "organisations", N),
    (["journal"], "entries", 2 * N),  # the calls and the favours
    (["meeting", "list"], "meetings", N),
    (["loop", "list"], "open steps", None),
    (["favour", "list"], "favours", None),  # introductions and shares are favours too
    (["favour", "offers"], "offers", N),
    (["intro", "list"], "introductions", N),
    (["share", "list"], "shares", N),
    (["permission", "list"], "permissions", N),
    (["pitch", "list"], "pitch versions", N),
]


def test_people_json_is_everyone_as_the_readme_promises(cli: Run, alice: User) -> None:  # noqa: F811
    """The defect: `circleback people --json` returned 50 of 216 people, silently."""
    from circleback.people.services.people import person_create

    for i in range(216):
        person_create(owner=alice, full_name=f"Person {i:03}", contact_list="C")
    result = cli("people", "--list", "C", "--json")
    assert len(json.loads(result.stdout)) == 216
    assert result.stderr == ""


class TestNOfEverything:
    @pytest.fixture(scope="class")
    @classmethod
    def lots(cls, django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[Person]]:
        """N of everything each list shows, alice's, made once for the class (each test's
        changes are rolled back; see circleback.db.tests.once)."""
        with rolled_back_afterwards(django_db_blocker):
            with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
                alice = User(username="alice", time_zone="Europe/London")
                alice.save()
                people = [
                    person_create(
                        owner=alice,
                        full_name=f"Person {i:02}",
                        organisation=f"Org {i:02}",
                        if_exists="new",
                    )
                    for i in range(N)
                ]
                people.append(person_create(owner=alice, full_name="Zed Last", if_exists="new"))
                for i, person in enumerate(people[:N]):
                    interaction_log(owner=alice, summary=f"Call {i}", people=[person], kind="call")
                    meeting_schedule(
                        owner=alice, person=person, scheduled_for=NOW + dt.timedelta(days=i + 1)
                    )
                    favour_log(owner=alice, person=person, direction="given", kind="advice")
                    standing_offer_make(owner=alice, person=person, offer=f"Help {i}")
                    introduction_make(
                        owner=alice, person_x=person, person_y=people[i + 1], reason="Both"
                    )
                    share_log(owner=alice, title=f"Article {i}", people=[person])
                    permission_grant(owner=alice, person=person)
                    pitch_add(owner=alice, text=f"I build things, version {i}.")
            yield people

    @pytest.mark.parametrize(("command", "what", "expected"), LISTS)
    def test_json_gives_every_row_unless_limited_and_says_when_it_is(
        self,
        cli: Run,  # noqa: F811
        lots: Any,
        command: list[str],
        what: str,
        expected: int | None,
    ) -> None:
        with time_machine.travel(NOW, tick=False):
            everything = cli(*command, "--json")
            assert everything.exit_code == 0, everything.output
            rows = json.loads(everything.stdout)
            assert len(rows) > 50
            if expected is not None:
                assert len(rows) == expected
            # Streamed, yet byte for byte what printing the whole list at once writes.
            assert everything.stdout == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
            assert everything.stderr == ""  # nothing was left out, so nothing to say

            limited = cli(*command, "--json", "--limit", "50")
            assert json.loads(limited.stdout) == rows[:50]
            assert (
                f"Showing 1 to 50 of {len(rows)} {what}; see the next ones with --offset 50."
                in limited.stderr
            )
            rest = cli(*command, "--json", "--offset", "50")
            assert json.loads(rest.stdout) == rows[50:]

            table = cli(*command, "--limit", "10")
            assert table.exit_code == 0
            assert f"Showing 1 to 10 of {len(rows)} {what}" in table.stderr
            assert "Showing" not in table.stdout

    def test_the_table_defaults_to_a_page_and_says_so(self, cli: Run, lots: Any) -> None:  # noqa: F811
        result = cli("people")
        assert "Showing 1 to 50 of 56 people; see the next ones with --offset 50." in result.stderr
        journal = cli("journal")
        assert "Showing 1 to 20 of 110 entries" in journal.stderr
