"""/api/v1/people/{id}/new-role: read the new role noted for someone, and dismiss it (Today's
"Dismiss") with If-Match; another account's person is a 404 (and the every-endpoint walk
checks it for every token kind)."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.insights.queries.agenda import suggested_gives
from circleback.people.models import Person, RoleChange
from circleback.people.services.people import person_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(alice: User, make_person: Any) -> Person:
    person = make_person(alice, "Ada Quill", organisation="Initech", title="Data Analyst")
    person_update(person=person, organisation="Hooli")
    return person


def api_for(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name="rw").secret)


def test_it_reads_the_new_role_and_dismisses_it_with_if_match(alice: User, ada: Person) -> None:
    api = api_for(alice)
    read = api.call("GET", f"people/{ada.uuid}/new-role")
    assert read.status_code == 200, read.content
    body = read.json()
    assert body["noted"] is True and body["organization"] == "Hooli"
    assert (body["title_before"], body["organization_before"]) == ("Data Analyst", "Initech")
    stale = api.call("DELETE", f"people/{ada.uuid}/new-role", headers={"If-Match": '"old"'})
    assert stale.status_code == 412 and RoleChange.objects.filter(person=ada).exists()
    done = api.call("DELETE", f"people/{ada.uuid}/new-role", headers={"If-Match": read["ETag"]})
    assert done.status_code == 200, done.content
    assert done.json()["noted"] is False and done.json()["title_before"] == ""
    assert done["ETag"] != read["ETag"]
    assert not RoleChange.objects.exists()
    assert all(g.kind != "new_role" for g in suggested_gives(alice))
    ada.refresh_from_db()
    assert ada.organisation is not None and ada.organisation.name == "Hooli"
    # A retry (the answer was lost) changes nothing and answers the same.
    retry = api.call("DELETE", f"people/{ada.uuid}/new-role")
    assert retry.status_code == 200 and retry.json() == done.json()


def test_someone_with_no_new_role_reads_as_none_noted(alice: User, make_person: Any) -> None:
    bo = make_person(alice, "Bo Tran", organisation="Globex", title="Engineer")
    body = api_for(alice).call("GET", f"people/{bo.uuid}/new-role").json()
    assert body["noted"] is False and body["changed_at"] is None and body["title"] == "Engineer"


def test_another_account_gets_404_and_changes_nothing(
    alice: User, charlie: User, ada: Person
) -> None:
    api = api_for(charlie)
    assert api.call("GET", f"people/{ada.uuid}/new-role").status_code == 404
    assert api.call("DELETE", f"people/{ada.uuid}/new-role").status_code == 404
    assert RoleChange.objects.filter(person=ada).exists()
