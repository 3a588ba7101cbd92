"""Every list is a cursor page, walked over the API's own OpenAPI document so a list added
later can't answer a bare array:

- every GET whose answer is a collection answers {"items": [...], "next": url or null} and
  takes `limit` and `cursor` (no exemptions: a record that merely holds a few lists, like a
  meeting's prep brief, is an object, not a collection);
- following `next` one item at a time gives exactly what one big page gives, in the same
  order, nothing twice: the order is total and the cursor resumes where the page ended;
- a cursor the API did not give out is a 422 on `cursor`, never a 500.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from circleback.api.pagination import MAX_LIMIT
from circleback.api.tests.conftest import ApiClient
from circleback.api.tests.test_every_endpoint import SCHEMA, _fill, _problem, _resolve

PATHS = SCHEMA["paths"]
# What a list needs to answer at all (the informers are matched on something you'd pass on).
REQUIRED_QUERY = {"/api/v1/suggestions/informers": "title=data"}


def _answer(path: str) -> dict[str, Any]:
    content = PATHS[path]["get"]["responses"]["200"].get("content", {})
    return _resolve(content.get("application/json", {}).get("schema", {}))


def _is_page(schema: dict[str, Any]) -> bool:
    properties = schema.get("properties", {})
    return set(properties) == {"items", "next"} and properties["items"].get("type") == "array"


READS = [path for path, operations in PATHS.items() if "get" in operations]
PAGES = [path for path in READS if _is_page(_answer(path))]


def test_the_walks_below_have_lists_to_walk() -> None:
    assert len(PAGES) >= 35
    for path in (
        "/api/v1/people",
        "/api/v1/suggestions/introductions",
        "/api/v1/coaching/log",
        "/api/v1/group-requests",
        "/api/v1/groups/{group_uuid}/board",
        "/api/v1/groups/{group_uuid}/balances",
    ):
        assert path in PAGES


def test_no_read_answers_a_bare_array() -> None:
    bare = [path for path in READS if _answer(path).get("type") == "array"]
    assert bare == [], "page these lists (api/pagination.py: paginate or paginate_ranked)"


def test_every_page_takes_limit_and_cursor() -> None:
    missing = []
    for path in PAGES:
        query = {p["name"] for p in PATHS[path]["get"].get("parameters", []) if p["in"] == "query"}
        if not {"limit", "cursor"} <= query:
            missing.append(f"{path}: {sorted({'limit', 'cursor'} - query)}")
    assert missing == []


def _url(path: str, records: dict[str, str], **query: Any) -> str:
    parts = [REQUIRED_QUERY[path]] if path in REQUIRED_QUERY else []
    parts += [f"{k}={v}" for k, v in query.items()]
    return _fill(path, records) + ("?" + "&".join(parts) if parts else "")


@pytest.fixture
def two_of_each(alice: Any, alice_records: dict[str, str], make_person: Any) -> dict[str, str]:
    """alice's records, and a second of each for the lists ranked in Python or newly paged
    (suggestions, ways in through the group, coaching, an opening's interviews, the group's
    board and balances), so that their walk below really turns a page."""
    from django.utils import timezone

    from circleback.accounts.models import User
    from circleback.groups.coaching import coach_member_view
    from circleback.groups.models import Group
    from circleback.groups.services import (
        balance_share,
        board_close,
        board_post,
        coach_grant,
        invitation_create,
        member_add,
        opening_open,
    )
    from circleback.jobs.models import Opening
    from circleback.jobs.services import interview_schedule

    group = Group.objects.get(uuid=alice_records["group_uuid"])
    friend = User.objects.get(username="alices-friend")
    other = User.objects.create(username="alices-other-friend")
    member_add(owner=alice, group=group, user=other)
    for name in ("Ines Data", "Jon Data", "Kai Data"):  # they share an interest, not yet tied
        person = make_person(alice, name, contact_list="B", tags=["data", "ml"])
        opening_open(owner=alice, group=group, person=person, consent=True)
    for member, name in ((friend, "Kim Hooli"), (other, "Lou Hooli")):
        person = make_person(member, name, organisation="Hooli")
        opening_open(owner=member, group=group, person=person, consent=True)
        coach_grant(owner=member, coach=alice, group=group, parts=["goals"])
    coach_grant(owner=alice, coach=other, group=group, parts=["goals", "journal"])
    coach_member_view(coach=friend, username=alice.get_username())
    invitation_create(owner=alice, group=group)
    offer = board_post(owner=friend, group=group, kind="offer", what="article", text="A read")
    board_close(owner=friend, post=offer, helper=alice, thanks="Thanks")
    board_post(owner=other, group=group, kind="ask", what="advice", text="Salary?")
    balance_share(owner=friend, group=group, shown=True)
    opening = Opening.objects.get(uuid=alice_records["opening_uuid"])
    interview_schedule(
        application=opening.application, scheduled_for=timezone.now() + dt.timedelta(days=4)
    )
    return alice_records


@pytest.mark.django_db
def test_following_next_one_at_a_time_gives_the_whole_list_in_order(
    alice_api: ApiClient, two_of_each: dict[str, str]
) -> None:
    alice_records = two_of_each
    walked = 0
    failures = []
    for path in PAGES:
        whole = alice_api.call("GET", _url(path, alice_records, limit=MAX_LIMIT))
        assert whole.status_code == 200, (path, whole.content[:300])
        expected = whole.json()["items"]
        seen: list[Any] = []
        url: str | None = _url(path, alice_records, limit=1)
        while url and len(seen) <= len(expected):
            page = alice_api.call("GET", url).json()
            assert len(page["items"]) <= 1, path
            seen += page["items"]
            url = page["next"]
        if seen != expected:
            failures.append(f"{path}: one at a time {len(seen)} items, at once {len(expected)}")
        walked += len(expected) > 1
    assert failures == []
    assert walked >= 20, "the records above should give these lists two items or more"


def _forged(values: list[Any]) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.django_db
def test_a_cursor_not_given_out_is_a_422_on_cursor_everywhere(
    alice_api: ApiClient, alice_records: dict[str, str]
) -> None:
    def check(path: str, cursor: str) -> None:
        answer = alice_api.call("GET", _url(path, alice_records, cursor=cursor))
        if answer.status_code == 200:  # an empty list has nowhere to resume: nothing after it
            assert answer.json() == {"items": [], "next": None}, (path, cursor)
            return
        problem = _problem(answer, 422)
        assert [e["field"] for e in problem["errors"]] == ["cursor"], (path, problem)

    for path in PAGES:
        # Not base64 JSON; a list of the wrong length; the right length with the wrong types
        # (a name where a score goes) or a number past any column — each list's own cursor,
        # its values changed.
        first = alice_api.call("GET", _url(path, alice_records, limit=1)).json()["next"]
        for cursor in ("bm9wZQ", "%%%", _forged([[1], {"a": 1}])):
            check(path, cursor)
        if first:
            given = first.split("cursor=", 1)[1].split("&", 1)[0]
            values = json.loads(base64.urlsafe_b64decode(given + "=" * (-len(given) % 4)))
            swapped = [1 if isinstance(v, str) else "x" for v in values]
            check(path, _forged(swapped))
            huge = [2**64 if isinstance(v, int) else v for v in values]  # past any column
            if huge != values:
                check(path, _forged(huge))
