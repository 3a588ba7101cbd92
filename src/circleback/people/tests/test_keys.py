"""The database's own guarantees for people's details, now that their owner column (a copy of
the person's) has no constraint of its own: the person's key still guards every row, and
deleting an account still takes everything of it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from circleback.accounts.models import User
from circleback.interchange.services import import_file
from circleback.people.models import Email, Link, Person
from circleback.search.models import SearchDocument

CONNECTIONS = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Ada,Quill,https://www.linkedin.com/in/ada-quill,ada@example.org,Hooli,CTO,05 Mar 2024\n"
    b"Bart,Nguyen,https://www.linkedin.com/in/bart,,Globex,,01 Jan 2020\n"
)


def owned(user: User) -> dict[str, int]:
    return {
        "people": Person.objects.filter(owner=user).count(),
        "emails": Email.objects.filter(owner=user).count(),
        "links": Link.objects.filter(owner=user).count(),
        "documents": SearchDocument.objects.filter(owner=user).count(),
    }


def test_deleting_an_account_takes_its_details_and_search_documents(alice: User, bob: User) -> None:
    import_file(owner=alice, data=CONNECTIONS)
    import_file(owner=bob, data=CONNECTIONS)
    assert owned(alice) == {"people": 2, "emails": 1, "links": 2, "documents": 2}
    alice_pk = alice.pk
    alice.delete()
    assert owned(User(pk=alice_pk)) == dict.fromkeys(owned(bob), 0)
    assert owned(bob) == {"people": 2, "emails": 1, "links": 2, "documents": 2}


def test_a_detail_of_a_person_who_does_not_exist_is_refused(alice: User) -> None:
    import_file(owner=alice, data=CONNECTIONS)
    missing = Person.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(
            owner=alice, person_id=missing, url="https://example.org", normalized="example.org"
        )
        connection.check_constraints()  # deferred to commit otherwise
