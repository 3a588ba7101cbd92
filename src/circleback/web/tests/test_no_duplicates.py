"""No second copy of someone by accident: the person form and quick capture ask who they are
when someone like them exists, and a form sent twice makes one person."""

from __future__ import annotations

from typing import Any

from django.test import Client

from circleback.accounts.models import User
from circleback.people.models import Person
from circleback.people.services.people import person_create

TOKEN = "a-token-from-the-form-0123"


def _add(client: Client, **data: str) -> Any:
    response = client.post(
        "/people/new/", {"contact_list": "B", "closeness": "2", "once": TOKEN, **data}
    )
    return response


def test_it_asks_before_adding_a_namesake_at_the_same_organisation(
    alice_client: Client, alice: User
) -> None:
    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    response = _add(alice_client, full_name="priya  patel", organisation="Globex, Inc.")
    assert response.status_code == 200  # a question, not an error
    page = response.content.decode()
    assert "Is priya  patel someone already in your network?" in page
    assert "the same name at Globex" in page
    assert f'value="{priya.uuid}"' in page and "Add as a new person" in page
    assert Person.objects.count() == 1

    chose = _add(
        alice_client, full_name="Priya Patel", organisation="Globex", choice=str(priya.uuid)
    )
    assert chose.status_code == 302 and chose["Location"] == f"/people/{priya.uuid}/"
    assert Person.objects.count() == 1


def test_adding_a_new_one_anyway_is_a_choice(alice_client: Client, alice: User) -> None:
    person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    response = _add(alice_client, full_name="Priya Patel", choice="new")
    assert response.status_code == 302
    assert Person.objects.filter(full_name="Priya Patel").count() == 2


def test_the_same_email_is_the_same_person(alice_client: Client, alice: User) -> None:
    person_create(owner=alice, full_name="Priya Patel", emails=["priya@globex.com"])
    page = _add(alice_client, full_name="P. Patel", emails="PRIYA@globex.com").content.decode()
    assert "the same email address" in page
    assert "email at globex.com" in page  # enough to tell people apart


def test_a_form_sent_twice_adds_one_person(alice_client: Client, alice: User) -> None:
    """The defect: "Add person" sent again with the back button made a second copy."""
    first = _add(alice_client, full_name="Dana Lee", organisation="Hooli")
    assert first.status_code == 302
    again = _add(alice_client, full_name="Dana Lee", organisation="Hooli")
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Person.objects.filter(full_name="Dana Lee").count() == 1
    followed = alice_client.get(again["Location"])
    assert "That form was already sent; this is what it made." in followed.content.decode()


def test_a_refused_form_can_be_sent_again_corrected(alice_client: Client, alice: User) -> None:
    assert (
        _add(alice_client, full_name="Dana Lee", birthday_day="31", birthday_month="2").status_code
        == 400
    )
    assert _add(alice_client, full_name="Dana Lee").status_code == 302
    assert Person.objects.count() == 1


def test_another_owners_namesake_is_not_offered(
    alice_client: Client, alice: User, charlie: User
) -> None:
    person_create(owner=charlie, full_name="Priya Patel", organisation="Globex")
    assert _add(alice_client, full_name="Priya Patel", organisation="Globex").status_code == 302


def test_choosing_someone_elses_person_is_a_404(
    alice_client: Client, alice: User, charlie: User
) -> None:
    theirs = person_create(owner=charlie, full_name="Priya Patel")
    response = _add(alice_client, full_name="Priya Patel", choice=str(theirs.uuid))
    assert response.status_code == 404


# --- a meeting's referrals, event capture, leads -------------------------------------------------


def _outcome(client: Client, meeting_uuid: object, **referral: str) -> Any:
    data = {
        "learned": "Lots",
        "outcome": "Good",
        "referral-TOTAL_FORMS": "1",
        "referral-INITIAL_FORMS": "0",
        "referral-MIN_NUM_FORMS": "0",
        "referral-MAX_NUM_FORMS": "20",
        "referral-0-contact_list": "C",
    }
    data.update({f"referral-0-{k}": v for k, v in referral.items()})
    return client.post(f"/meetings/{meeting_uuid}/log/", data)


def test_a_referral_to_someone_known_asks_and_the_lead_runs_against_them(
    alice_client: Client, alice: User
) -> None:
    """The defect: "Priya Patel, Globex" recorded on a meeting's outcome made a second Priya,
    and the lead ran against the copy."""
    import datetime as dt

    from django.utils import timezone

    from circleback.loops.models import Lead, Meeting
    from circleback.loops.services.meetings import meeting_schedule

    ada = person_create(owner=alice, full_name="Ada Quill")
    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    meeting = meeting_schedule(
        owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(hours=1)
    )
    asked = _outcome(alice_client, meeting.uuid, full_name="Priya Patel", organisation="Globex")
    page = asked.content.decode()
    assert "Is Priya Patel someone already in your network?" in page
    assert "the same name at Globex" in page
    assert 'name="referral-0-choice"' in page
    assert not Lead.objects.exists()
    assert Meeting.objects.get().status == "scheduled"  # nothing of the outcome was kept

    done = _outcome(
        alice_client,
        meeting.uuid,
        full_name="Priya Patel",
        organisation="Globex",
        choice=str(priya.uuid),
    )
    assert done.status_code == 302
    assert Person.objects.filter(full_name="Priya Patel").count() == 1
    assert Lead.objects.get().referred == priya


def _event(client: Client, **row: str) -> Any:
    data = {
        "event": "Fintech Forum",
        "day": "2026-05-14",
        "contact_list": "C",
        "row-TOTAL_FORMS": "2",
        "row-INITIAL_FORMS": "0",
        "once": "event-token-0123456789",
    }
    data.update({f"row-0-{k}": v for k, v in row.items()})
    return client.post("/journal/event/", data)


def test_event_capture_asks_about_a_namesake_and_uses_the_one_chosen(
    alice_client: Client, alice: User
) -> None:
    """The defect: the same name typed into event capture made a duplicate."""
    from circleback.journal.models import Interaction

    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    asked = _event(alice_client, full_name="Priya Patel", organisation="Globex")
    # A question, as the person form asks it: 200, the picker on the row, no error.
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'name="row-0-choice"' in page and "Add as a new person" in page
    assert "may already be in your network" in page
    assert not asked.context["rows"].forms[0].errors
    assert not Interaction.objects.exists()

    done = _event(
        alice_client, full_name="Priya Patel", organisation="Globex", choice=str(priya.uuid)
    )
    assert done.status_code == 302
    assert Person.objects.count() == 1
    assert list(Interaction.objects.get().people.all()) == [priya]
    again = _event(
        alice_client, full_name="Priya Patel", organisation="Globex", choice=str(priya.uuid)
    )
    assert again.status_code == 302 and Interaction.objects.count() == 1  # sent once


def test_event_capture_uses_someone_with_the_same_email_without_asking(
    alice_client: Client, alice: User
) -> None:
    priya = person_create(owner=alice, full_name="Priya Patel", emails=["priya@globex.com"])
    assert _event(alice_client, full_name="P. Patel", email="Priya@Globex.com").status_code == 302
    assert Person.objects.get() == priya


def test_event_capture_asks_and_shows_real_errors_beside_the_question(
    alice_client: Client, alice: User
) -> None:
    """A row that is only a question is no error; another row's bad email still is (400)."""
    from circleback.journal.models import Interaction

    person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    data = {
        "event": "Fintech Forum",
        "day": "2026-05-14",
        "contact_list": "C",
        "row-TOTAL_FORMS": "2",
        "row-INITIAL_FORMS": "0",
        "once": "event-token-9876543210",
        "row-0-full_name": "Priya Patel",
        "row-0-organisation": "Globex",
        "row-1-full_name": "Dee Moss",
        "row-1-email": "not-an-email",
    }
    response = alice_client.post("/journal/event/", data)
    assert response.status_code == 400
    first, second = response.context["rows"].forms
    assert first.matches and not first.errors
    assert "not an email address" in " ".join(second.errors["email"])
    assert (Person.objects.count(), Interaction.objects.count()) == (1, 0)


def test_event_capture_adds_a_namesake_when_asked_to(alice_client: Client, alice: User) -> None:
    from circleback.journal.models import Interaction

    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    done = _event(alice_client, full_name="Priya Patel", organisation="Globex", choice="new")
    assert done.status_code == 302
    assert Person.objects.filter(full_name="Priya Patel").count() == 2
    assert priya not in Interaction.objects.get().people.all()
