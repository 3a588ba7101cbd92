"""CLI: every loops list pages with --limit and --offset, and says when more exist."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from circleback.loops.services.favours import favour_log, standing_offer_make
from circleback.loops.services.introductions import introduction_make
from circleback.loops.services.meetings import meeting_schedule
from circleback.loops.services.permissions import permission_grant
from circleback.loops.services.shares import share_log
from circleback.loops.tests.conftest import NOW
from circleback.loops.tests.test_cli import _error, cli  # noqa: F401  (the fixture)

TOTAL = 7


@pytest.fixture
def lots(alice, make_person, frozen):
    """Seven of everything the loops lists show."""
    people = [make_person(alice, f"Person {i}", organisation=f"Org {i}") for i in range(TOTAL + 1)]
    for i, person in enumerate(people[:TOTAL]):
        meeting_schedule(owner=alice, person=person, scheduled_for=NOW + dt.timedelta(days=i + 1))
        favour_log(owner=alice, person=person, direction="received", kind="advice")
        standing_offer_make(owner=alice, person=person, offer=f"Help {i}")
        introduction_make(owner=alice, person_x=person, person_y=people[i + 1], reason="Both")
        share_log(owner=alice, title=f"Article {i}", people=[person])
        permission_grant(owner=alice, person=person)
    return people


# (command, how many rows it has for seven of everything)
LISTS = [
    (["meeting", "list"], TOTAL),
    (["loop", "list"], None),  # meetings, thank-yous and introductions: many steps
    (["favour", "list"], None),
    (["favour", "balance"], TOTAL),
    (["favour", "offers"], TOTAL),
    (["intro", "list"], TOTAL),
    (["share", "list"], TOTAL),
    (["permission", "list"], TOTAL),
]


@pytest.mark.parametrize(("command", "expected"), LISTS)
def test_every_list_pages_through_everything_once(cli, alice, lots, command, expected):  # noqa: F811
    everything = json.loads(cli(*command, "--limit", "10000", "--json").stdout)
    if expected is not None:
        assert len(everything) == expected
    total = len(everything)
    assert total > 3
    pages = []
    for offset in range(0, total, 3):
        result = cli(*command, "--limit", "3", "--offset", str(offset), "--json")
        assert result.exit_code == 0, result.output
        pages.extend(json.loads(result.stdout))
    assert pages == everything

    first = cli(*command, "--limit", "3")
    assert f"Showing 1 to 3 of {total}" in first.stderr
    assert "see the next ones with --offset 3" in first.stderr
    last = cli(*command, "--limit", "3", "--offset", str(total - 1))
    assert f"Showing {total} to {total} of {total}" in last.stderr
    assert "--offset" not in last.stderr.split(f"of {total}")[1]
    beyond = cli(*command, "--offset", str(total + 5))
    assert beyond.exit_code == 0
    assert f"there are {total}. Try a smaller --offset" in beyond.stderr


@pytest.mark.parametrize(("command", "expected"), LISTS)
def test_a_whole_list_says_nothing_more(cli, alice, lots, command, expected):  # noqa: F811
    result = cli(*command)
    assert result.exit_code == 0 and "Showing" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--limit", "0"], "--limit must be from 1 to 10000, not 0"),
        (["--offset", "-1"], "--offset must be 0 or more, not -1"),
    ],
)
@pytest.mark.parametrize(("command", "expected"), LISTS)
def test_bad_paging_is_a_usage_error(cli, alice, command, expected, args, message):  # noqa: F811
    result = cli(*command, *args)
    assert result.exit_code == 2
    assert message in _error(result)
