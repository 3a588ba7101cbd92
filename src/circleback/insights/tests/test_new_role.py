"""A new role is a reason to be in touch that asks for nothing: when someone's title or
organisation changes — on their page, from the CLI or through the API, all of which change a
person through people's `person_update` — Today and Home suggest congratulating them, once,
until it is logged, dismissed, or you have been in touch since."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from django.test import Client

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.cli.tests.support import Run
from circleback.insights.queries.agenda import suggested_gives
from circleback.insights.tests.conftest import contact
from circleback.journal.models import Interaction
from circleback.people.models import Person, RoleChange
from circleback.people.services.people import person_update, role_change_dismiss

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
CONGRATULATE = "Congratulate Ada Quill on the new role"


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ada(alice: User, make_person: Any, frozen: Any) -> Person:
    person = make_person(alice, "Ada Quill", organisation="Initech", title="Data Analyst")
    contact(alice, person, NOW - dt.timedelta(days=40))
    person.refresh_from_db()
    return person


def _today(client: Client) -> str:
    response = client.get("/today/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_move_made_on_the_person_page_is_suggested_once_on_today_and_home(
    alice_client: Client, alice: User, ada: Person
) -> None:
    form = alice_client.get(f"/people/{ada.uuid}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(title="Head of Data", organisation="Hooli")
    assert alice_client.post(f"/people/{ada.uuid}/edit/", data).status_code == 302
    page = _today(alice_client)
    assert len(re.findall(r'class="agenda-title">Congratulate Ada Quill', page)) == 1
    assert (
        "Ada Quill is now Head of Data at Hooli (was Data Analyst at Initech). A note of "
        "congratulations asks for nothing: “stay connected even when you need nothing in "
        "return.”"
    ) in page
    home = unescape(alice_client.get("/").content.decode())
    assert len(re.findall(r'class="agenda-title">Congratulate Ada Quill', home)) == 1
    # It comes first (news doesn't wait), and no other give names Ada the same day.
    gives = suggested_gives(alice)
    assert gives[0].kind == "new_role"
    assert [g for g in gives[1:] if ada in g.people] == []


def test_done_logs_it_in_the_journal_and_the_suggestion_goes(
    alice_client: Client, alice: User, ada: Person, frozen: Any
) -> None:
    person_update(person=ada, organisation="Hooli")
    assert CONGRATULATE in _today(alice_client)
    frozen.shift(dt.timedelta(hours=1))
    done = alice_client.post(
        "/today/gives/", {"person": str(ada.uuid), "summary": CONGRATULATE, "next": "/today/"}
    )
    assert done.status_code == 302
    assert Interaction.objects.filter(summary=CONGRATULATE, people=ada).count() == 1
    assert 'class="agenda-title">Congratulate' not in _today(alice_client)
    assert [g.kind for g in suggested_gives(alice) if g.kind == "new_role"] == []


def test_dismissing_it_takes_it_away_and_writes_nothing_else(
    alice_client: Client, alice: User, ada: Person
) -> None:
    person_update(person=ada, organisation="Hooli")
    page = _today(alice_client)
    assert f'action="/today/new-role/{ada.uuid}/dismiss/"' in page
    entries = Interaction.objects.count()
    response = alice_client.post(f"/today/new-role/{ada.uuid}/dismiss/", {"next": "/today/"})
    assert response.status_code == 302
    assert CONGRATULATE not in _today(alice_client)
    assert not RoleChange.objects.exists() and Interaction.objects.count() == entries
    # A second click (another tab) changes nothing and fails nothing.
    assert alice_client.post(f"/today/new-role/{ada.uuid}/dismiss/").status_code == 302


def test_an_outsider_cannot_dismiss_it(
    charlie_client: Client, alice_client: Client, alice: User, ada: Person
) -> None:
    person_update(person=ada, organisation="Hooli")
    assert charlie_client.post(f"/today/new-role/{ada.uuid}/dismiss/").status_code == 404
    assert RoleChange.objects.filter(person=ada).exists()
    assert CONGRATULATE in _today(alice_client)
    assert CONGRATULATE not in _today(charlie_client)


def test_being_in_touch_since_ends_it_and_it_lapses_after_two_months(
    alice: User, ada: Person, frozen: Any
) -> None:
    person_update(person=ada, title="Head of Data")
    assert suggested_gives(alice)[0].title == CONGRATULATE
    frozen.shift(dt.timedelta(days=61))
    assert all(g.kind != "new_role" for g in suggested_gives(alice))
    frozen.shift(dt.timedelta(days=-60))
    contact(alice, ada, NOW + dt.timedelta(days=1))
    assert all(g.kind != "new_role" for g in suggested_gives(alice))


@pytest.mark.parametrize(
    ("change", "new_role"),
    [
        ({"title": "Senior Data Analyst"}, True),  # a promotion
        ({"organisation": "Hooli"}, True),  # a move
        ({"title": "data  analyst"}, False),  # case and spacing
        ({"title": "Data Analsyt"}, False),  # a typo put right (or made)
        ({"organisation": None}, False),  # left, no new employer named
        ({"title": ""}, False),  # cleared
        ({"notes": "Likes cycling"}, False),  # nothing about the role
    ],
)
def test_what_counts_as_a_new_role(
    alice: User, ada: Person, change: dict[str, Any], new_role: bool
) -> None:
    person_update(person=ada, **change)
    assert RoleChange.objects.filter(person=ada).exists() is new_role


def test_filling_in_what_was_never_known_is_no_news(alice: User, make_person: Any) -> None:
    bo = make_person(alice, "Bo Tran")
    person_update(person=bo, title="Engineer")
    person_update(person=bo, organisation="Globex")
    assert not RoleChange.objects.exists()


def test_changing_back_takes_the_news_away_and_a_second_move_keeps_the_first_before(
    alice: User, ada: Person
) -> None:
    person_update(person=ada, organisation="Hooli")
    person_update(person=ada, organisation="Initech")
    assert not RoleChange.objects.exists()
    person_update(person=ada, organisation="Hooli")
    person_update(person=ada, organisation="Globex", title="Data Lead")
    noted = RoleChange.objects.get(person=ada)
    assert (noted.title_before, noted.organisation_before) == ("Data Analyst", "Initech")


def test_the_cli_and_the_api_change_a_role_through_the_same_service(
    cli: Run, alice: User, ada: Person, make_person: Any
) -> None:
    moved = cli("person", "edit", "Ada Quill", "--org", "Hooli", "--title", "Head of Data")
    assert moved.exit_code == 0, moved.output
    assert suggested_gives(alice)[0].title == CONGRATULATE

    role_change_dismiss(owner=alice, person=ada)  # one new role is suggested at a time
    bo = make_person(alice, "Bo Tran", organisation="Globex", title="Engineer")
    api = ApiClient(token_create(owner=alice, name="rw").secret)
    etag = api.call("GET", f"people/{bo.uuid}")["ETag"]
    changed = api.call(
        "PATCH", f"people/{bo.uuid}", {"organization": "Pied Piper"}, {"If-Match": etag}
    )
    assert changed.status_code == 200, changed.content
    agenda = api.call("GET", "agenda").json()
    titles = [g["title"] for g in agenda["gives"] if g["kind"] == "new_role"]
    assert titles == ["Congratulate Bo Tran on the new role"]
