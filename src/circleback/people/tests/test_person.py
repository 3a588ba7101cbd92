"""A person's page, adding and editing people, deleting, ties and logging from the page."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.people.models import Email, Organisation, Person, Tie
from circleback.web.tests.fixtures import Network

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Email.objects.count(),
        Organisation.objects.count(),
        Tie.objects.count(),
        Interaction.objects.count(),
    )


# --- the page ----------------------------------------------------------------------------------


def test_it_shows_the_header_card_details_ties_and_timeline(
    alice_client: Client, network: Network, alice: User, make_person: Any
) -> None:
    person = network.people[1]
    intro = make_person(alice, "Rosa Introducer")
    from circleback.people.services.people import person_update

    person_update(person=person, introduced_by=intro, how_we_met="Alumni dinner", title="CTO")
    html = alice_client.get(f"/people/{person.uuid}/").content.decode()
    for expected in [
        "Person 01 Example",
        "CTO",
        "Pied Piper",
        "Alumni dinner",
        "Rosa Introducer",
        "p1@example.org",
        "mentor",
        "Person 02 Example",
        "Coffee number 1",
    ]:
        assert expected in html, expected


def test_an_outsider_gets_404_everywhere(charlie_client: Client, network: Network) -> None:
    uuid = network.first.uuid
    for url in ["", "edit/", "delete/", "merge/", f"merge/{network.people[1].uuid}/"]:
        assert charlie_client.get(f"/people/{uuid}/{url}").status_code == 404
    for url in ["log/", "ties/", "delete/", "edit/"]:
        assert charlie_client.post(f"/people/{uuid}/{url}", {"log-summary": "x"}).status_code == 404
    assert charlie_client.get("/people/not-a-uuid/").status_code == 404


def test_a_person_page_makes_a_bounded_number_of_queries(
    alice_client: Client, big_network: Network, django_assert_max_num_queries: Any
) -> None:
    # 10 for the page itself (session, account, the person with their organisation and
    # introducer, their emails, phones, links and tags, ties, who they introduced, their
    # favour balance) and 9 to 11 for the embedded journal, open loops (one more when they
    # have any), keep-in-touch (with drive-through: one more when someone is flagged) and
    # give-and-take sections: none per tie, entry or favour.
    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        alice_client.get(f"/people/{big_network.first.uuid}/")


PERSON_PAGE_QUERIES = 21


def _someone_with(owner: User, make_person: Any, name: str, n: int) -> Person:
    """A person with `n` of every kind of row their page shows: emails, phones, links, tags,
    ties (to people at organisations), people they introduced you to, journal entries with
    several people, open loops of every origin (meetings, favours, leads, introductions,
    names given), standing offers and name permissions; an introducer, a photo and a snooze."""
    import datetime as dt

    from circleback.insights.services import person_snooze
    from circleback.journal.services import interaction_log
    from circleback.loops.services.favours import favour_log, standing_offer_make
    from circleback.loops.services.introductions import introduction_make, name_give
    from circleback.loops.services.leads import lead_create
    from circleback.loops.services.meetings import meeting_schedule
    from circleback.loops.services.permissions import permission_grant
    from circleback.people.models import Photo
    from circleback.people.services.ties import tie_set

    introducer = make_person(owner, f"{name} Introducer", organisation=f"{name} Intro Org")
    person = make_person(
        owner,
        name,
        organisation=f"{name} Org",
        contact_list="C",
        is_decision_maker=True,
        introduced_by=introducer,
        emails=[f"{name.lower()}{i}@example.org" for i in range(n)],
        phones=[f"+44 20 7946 {i:04d}" for i in range(n)],
        links=[f"https://example.org/{name.lower()}/{i}" for i in range(n)],
        tags=[f"{name.lower()}-tag{i}" for i in range(n)],
    )
    Photo.objects.create(person=person, content_type="image/png", data=b"\x89PNG\r\n\x1a\n")
    person_snooze(owner=owner, person=person, until=dt.date.today() + dt.timedelta(days=9))
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    for i in range(n):
        other = make_person(owner, f"{name} Other {i}", organisation=f"{name} Org {i}")
        tie_set(owner=owner, person=person, other=other, strength=1 + i % 5)
        make_person(owner, f"{name} Introduced {i}", introduced_by=person)
        interaction_log(
            owner=owner,
            summary=f"{name} entry {i}",
            people=[person, other, introducer],
            kind="meeting",
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=i + 1),
            organisation=other.organisation,
        )
        meeting_schedule(owner=owner, person=person, scheduled_for=soon + dt.timedelta(hours=i))
        favour_log(owner=owner, person=person, direction="received", kind="advice", note=f"n{i}")
        favour_log(owner=owner, person=person, direction="given", kind="advice")
        lead_create(owner=owner, referrer=person, referred=other, organisation=f"{name} Org {i}")
        introduction_make(owner=owner, person_x=person, person_y=other, reason=f"Both {i}.")
        name_give(owner=owner, helped=other, name=person)
        standing_offer_make(owner=owner, person=person, offer=f"Offer {i}")
        permission_grant(owner=owner, person=person, organisation=f"{name} Org {i}")
    return person


def test_a_person_page_makes_as_many_queries_whatever_hangs_off_the_person(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    # A query per entry, tie, email, loop, offer or permission would show as more queries for
    # the person with nine of each than for the one with three (three, so that both are
    # flagged as contacted only while job searching: that check reads one more table).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = {
        n: _someone_with(alice, make_person, name, n) for name, n in (("Few", 3), ("Many", 9))
    }
    counts = []
    for n, person in people.items():
        alice_client.get(f"/people/{person.uuid}/")
        with CaptureQueriesContext(connection) as queries:
            html = alice_client.get(f"/people/{person.uuid}/").content.decode()
        name = person.full_name
        assert f"{name} entry {n - 1}" in html and f"{name} Other {n - 1}" in html
        assert f"Offer {n - 1}" in html and f"{name.lower()}{n - 1}@example.org" in html
        counts.append(len(queries))
    assert counts[0] == counts[1] <= PERSON_PAGE_QUERIES, (
        counts,
        [q["sql"][:120] for q in queries.captured_queries],
    )


# --- add and edit -------------------------------------------------------------------------------

VALID = {
    "full_name": "Ada Quill",
    "title": "VP Engineering",
    "organisation": "Hooli, Inc.",
    "contact_list": "C",
    "closeness": "3",
    "emails": "ada@quill.example\nada.q@hooli.example",
    "phones": "+44 20 7946 0000",
    "links": "linkedin.com/in/adaquill",
    "tags": "mentor, fintech",
    "met_on": "2025-03-04",
    "how_we_met": "Fintech Forum",
    "is_decision_maker": "on",
}


def test_it_adds_a_person_with_every_detail(alice_client: Client, network: Network) -> None:
    response = alice_client.post("/people/new/", VALID)
    person = Person.objects.get(full_name="Ada Quill")
    assert response["Location"] == f"/people/{person.uuid}/"
    assert person.organisation == network.organisations[0]  # "Hooli, Inc." is Hooli
    assert person.contact_list == "C" and person.is_decision_maker and person.closeness == 3
    assert [e.address for e in person.emails.all()] == ["ada@quill.example", "ada.q@hooli.example"]
    assert {t.name for t in person.tags.all()} == {"mentor", "fintech"}
    assert person.links.get().kind == "linkedin"


def test_the_home_pages_one_line_adds_a_person(alice_client: Client) -> None:
    response = alice_client.post("/people/new/", {"full_name": "Bart Nguyen", "contact_list": "A"})
    assert response.status_code == 302
    assert Person.objects.get().contact_list == "A"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "This field is required."),
        ("full_name", "x" * 201, "at most 200 characters"),
        ("emails", "ada@quill.example\nnot-an-email", "is not an email address"),
        ("contact_list", "D", "Select a valid choice"),
        ("closeness", "9", "Select a valid choice"),
        ("met_on", "2025-02-30", "Enter a valid date"),
        ("links", "javascript:alert(1)", "is not a web address"),
        ("tags", "x" * 61, "too long"),
        ("introduced_by", "Nobody Known", "Nobody in your network matches"),
        ("cadence_days", "0", "greater than or equal to 1"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    alice_client: Client, network: Network, field: str, value: str, message: str
) -> None:
    before = counts()
    response = alice_client.post("/people/new/", {**VALID, field: value})
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert 'value="VP Engineering"' in response.content.decode()  # what was typed is kept
    assert counts() == before


def test_someone_elses_person_cannot_be_the_introducer(
    alice_client: Client, bob: User, make_person: Any
) -> None:
    bobs = make_person(bob, "Bob Contact")
    response = alice_client.post("/people/new/", {**VALID, "introduced_by": str(bobs.uuid)})
    assert (
        response.status_code == 400 and Person.objects.filter(owner__username="alice").count() == 0
    )


def test_it_edits_a_person_keeping_what_was_not_changed(
    alice_client: Client, network: Network
) -> None:
    person = network.people[1]
    form = alice_client.get(f"/people/{person.uuid}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(title="Head of Growth", emails="new@example.org", tags="mentor")
    response = alice_client.post(f"/people/{person.uuid}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.title == "Head of Growth" and person.organisation == network.organisations[1]
    assert [e.address for e in person.emails.all()] == ["new@example.org"]
    assert [t.name for t in person.tags.all()] == ["mentor"]


def test_the_person_form_makes_no_organisation_of_self_employed(
    alice_client: Client, alice: User
) -> None:
    """ "Self-employed", "Freelance", "Retired" say how someone works, not where: the form keeps
    the words in the title, as the importer does, and adds no organisation."""
    response = alice_client.post(
        "/people/new/",
        {
            "full_name": "Gus Writer",
            "title": "Ghostwriter",
            "organisation": "Self-employed",
            "contact_list": "B",
        },
    )
    assert response.status_code == 302
    gus = Person.objects.get(full_name="Gus Writer")
    assert gus.organisation is None and gus.title == "Ghostwriter (self-employed)"
    # The home page's quick capture (no title) and an edit follow the same rule.
    alice_client.post(
        "/people/new/", {"full_name": "Rae Later", "organisation": "Retired", "contact_list": "A"}
    )
    assert Person.objects.get(full_name="Rae Later").title == "Retired"
    form = alice_client.get(f"/people/{gus.uuid}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(title="Designer", organisation="Freelance")
    assert alice_client.post(f"/people/{gus.uuid}/edit/", data).status_code == 302
    gus.refresh_from_db()
    assert gus.organisation is None and gus.title == "Designer (freelance)"
    assert not Organisation.objects.filter(owner=alice).exists()
    # A real employer is still one.
    data.update(organisation="Hooli")
    alice_client.post(f"/people/{gus.uuid}/edit/", data)
    gus.refresh_from_db()
    assert gus.organisation is not None and gus.organisation.name == "Hooli"


def test_a_bad_edit_changes_nothing(alice_client: Client, network: Network) -> None:
    person = network.people[1]
    response = alice_client.post(
        f"/people/{person.uuid}/edit/",
        {"full_name": "New Name", "contact_list": "B", "closeness": "2", "emails": "bad@@"},
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.full_name == "Person 01 Example" and person.emails.count() == 1


def test_a_person_cannot_introduce_themselves(alice_client: Client, network: Network) -> None:
    person = network.people[1]
    response = alice_client.post(
        f"/people/{person.uuid}/edit/",
        {"full_name": person.full_name, "contact_list": "B", "introduced_by": str(person.uuid)},
    )
    assert response.status_code == 400
    assert "Nobody in your network matches" in str(response.context["form"].errors)


def test_deleting_asks_first(alice_client: Client, network: Network) -> None:
    person = network.people[1]
    assert "can't be undone" in alice_client.get(f"/people/{person.uuid}/delete/").content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert alice_client.post(f"/people/{person.uuid}/delete/")["Location"] == "/people/"
    assert not Person.objects.filter(pk=person.pk).exists()


# --- logging from the page -----------------------------------------------------------------------


@time_machine.travel("2026-03-10 09:00:00+00:00", tick=False)
def test_it_logs_an_interaction_in_the_users_time_zone(
    alice_client: Client, network: Network
) -> None:
    person = network.people[1]
    response = alice_client.post(
        f"/people/{person.uuid}/log/",
        {
            "log-summary": "Coffee at the Barbican",
            "log-kind": "meeting",
            "log-day": "2026-03-09",
            "log-time": "18:30",
            "log-notes": "Offered an intro to Hooli",
        },
    )
    assert response.status_code == 302
    entry = Interaction.objects.get(summary="Coffee at the Barbican")
    assert entry.occurred_at.isoformat() == "2026-03-09T18:30:00+00:00"  # London is UTC in March
    assert list(entry.people.all()) == [person]
    html = alice_client.get(f"/people/{person.uuid}/").content.decode()
    assert "Coffee at the Barbican" in html and "9 Mar 2026, 18:30" in html


@pytest.mark.parametrize(
    "data",
    [
        {"log-summary": "", "log-kind": "meeting"},
        {"log-summary": "x" * 301, "log-kind": "meeting"},
        {"log-summary": "Call", "log-kind": "seance"},
        {"log-summary": "Call", "log-kind": "call", "log-day": "2026-02-31"},
    ],
)
def test_a_bad_log_is_refused_and_nothing_written(
    alice_client: Client, network: Network, data: dict[str, str]
) -> None:
    before = counts()
    response = alice_client.post(f"/people/{network.people[1].uuid}/log/", data)
    assert response.status_code == 400
    assert response.context["log_form"].errors
    # Shown back with its errors, not as the new form the page shows otherwise.
    assert 'class="form-error"' in response.content.decode()
    assert counts() == before


# --- ties ---------------------------------------------------------------------------------------


def test_it_ties_two_people_by_name_and_removes_the_tie(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    response = alice_client.post(
        f"/people/{ada.uuid}/ties/",
        {"tie-other": "bart", "tie-kind": "colleague", "tie-strength": "4"},
    )
    assert response.status_code == 302
    tie = Tie.objects.get()
    assert (tie.kind, tie.strength) == ("colleague", 4)
    alice_client.post(f"/people/{bart.uuid}/ties/{tie.uuid}/delete/")
    assert not Tie.objects.exists()


def test_an_ambiguous_name_offers_a_choice_without_javascript(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    first, second = (
        make_person(alice, "Sam Smith", organisation="Hooli"),
        make_person(alice, "Sam Smithers"),
    )
    response = alice_client.post(
        f"/people/{ada.uuid}/ties/", {"tie-other": "sam", "tie-kind": "other", "tie-strength": "2"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{first.uuid}"' in html and f'value="{second.uuid}"' in html
    alice_client.post(
        f"/people/{ada.uuid}/ties/",
        {
            "tie-other": "sam",
            "tie-other_choice": str(second.uuid),
            "tie-kind": "other",
            "tie-strength": "2",
        },
    )
    assert {Tie.objects.get().person_a_id, Tie.objects.get().person_b_id} == {ada.pk, second.pk}


@pytest.mark.parametrize("case", ["self", "outsider", "strength", "kind", "nobody"])
def test_bad_ties_are_refused(
    alice_client: Client, alice: User, bob: User, make_person: Any, case: str
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    bobs = make_person(bob, "Bob Contact")
    data = {"tie-other": "Bart Nguyen", "tie-kind": "other", "tie-strength": "2"}
    data.update(
        {
            "self": {"tie-other": str(ada.uuid)},
            "outsider": {"tie-other": str(bobs.uuid)},
            "strength": {"tie-strength": "9"},
            "kind": {"tie-kind": "nemesis"},
            "nobody": {"tie-other": "Zed Nobody"},
        }[case]
    )
    response = alice_client.post(f"/people/{ada.uuid}/ties/", data)
    assert response.status_code == 400
    assert response.context["tie_form"].errors
    assert not Tie.objects.exists()
    assert bart.pk


def test_a_failed_tie_comes_back_at_the_field_focused_and_described(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    """The person page is long: the failed tie must not leave its error far below the top."""
    ada = make_person(alice, "Ada Quill")
    response = alice_client.post(
        f"/people/{ada.uuid}/ties/",
        {"tie-other": "Zed Nobody", "tie-kind": "other", "tie-strength": "2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    # The form posts to the ties section, so the browser lands there, not at the top …
    assert f'action="/people/{ada.uuid}/ties/#ties"' in html
    # … the field takes the focus, and a screen reader reads the error with its label.
    field = html[html.index('name="tie-other"') - 300 : html.index('name="tie-other"') + 400]
    assert "autofocus" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="id_tie-other_helptext id_tie-other_error"' in field
    error = html[html.index('id="id_tie-other_error"') :][:300]
    assert "Nobody in your network matches “Zed Nobody”" in error
    assert 'value="Zed Nobody"' in field  # what was typed stays
    assert html.count("autofocus") == 1
    assert "messages" not in html.split('id="main"')[1][:200]  # no banner at the top


def test_removing_someone_elses_tie_does_nothing(
    alice_client: Client, alice: User, bob: User, make_person: Any
) -> None:
    from circleback.people.services.ties import tie_set

    b1, b2 = make_person(bob, "B One"), make_person(bob, "B Two")
    tie = tie_set(owner=bob, person=b1, other=b2)
    ada = make_person(alice, "Ada Quill")
    alice_client.post(f"/people/{ada.uuid}/ties/{tie.uuid}/delete/")
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_the_person_page_gathers_loops_balance_and_keep_in_touch(alice_client: Client, alice):
    import datetime as dt

    from circleback.loops.services.favours import favour_log
    from circleback.loops.services.meetings import meeting_schedule
    from circleback.people.services.people import person_create

    maya = person_create(owner=alice, full_name="Maya Rosen", contact_list="C")
    meeting_schedule(
        owner=alice,
        person=maya,
        scheduled_for=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
        purposes=["referrals"],
    )
    favour_log(owner=alice, person=maya, direction="received", kind="advice")
    html = alice_client.get(f"/people/{maya.uuid}/").content.decode()
    assert "Keep in touch" in html and "your default for list C" in html
    assert "Record what came of your meeting with Maya Rosen" in html  # the meeting's loop
    assert "Meeting on " in html
    assert "Thank Maya Rosen" in html  # the thank-you the favour opened
    assert "received <strong>1</strong>" in html  # the favour balance
    assert f"/paths/person/{maya.uuid}/" in html  # ways in, for a list C person
    assert f"/paths/person/{maya.uuid}/ego.svg" not in html  # no ties, no picture


def test_a_well_connected_person_shows_the_strongest_ties_and_how_many_in_all(
    alice_client: Client, alice
):
    from circleback.people.services.people import person_create
    from circleback.people.services.ties import tie_set
    from circleback.people.views.people import TIES_SHOWN

    hub = person_create(owner=alice, full_name="Hub Person")
    for i in range(TIES_SHOWN + 5):
        other = person_create(owner=alice, full_name=f"Spoke {i:02d}")
        tie_set(owner=alice, person=hub, other=other, strength=5 if i == 44 else 2)
    html = alice_client.get(f"/people/{hub.uuid}/").content.decode()
    assert f"The {TIES_SHOWN} strongest of {TIES_SHOWN + 5} ties." in html
    assert html.index("Spoke 44") < html.index("Spoke 00")  # strongest first
    assert f"/paths/person/{hub.uuid}/ego.svg" in html


def test_a_person_with_a_photo_shows_it(alice_client: Client, alice):
    from circleback.people.models import Photo
    from circleback.people.services.people import person_create

    ada = person_create(owner=alice, full_name="Ada Quill")
    html = alice_client.get(f"/people/{ada.uuid}/").content.decode()
    assert "Photo of Ada Quill" not in html
    Photo.objects.create(person=ada, content_type="image/png", data=b"\x89PNG\r\n\x1a\n")
    html = alice_client.get(f"/people/{ada.uuid}/").content.decode()
    assert f'src="/people/{ada.uuid}/photo"' in html and 'alt="Photo of Ada Quill"' in html


def test_last_contact_reads_as_a_person_says_it(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    ada = make_person(alice, "Ada Quill")
    # Midday, so three minutes ago is today whenever the suite runs (just after midnight it
    # would rightly read "yesterday").
    with time_machine.travel("2026-12-03 12:00:00+00:00", tick=False):
        Person.objects.filter(pk=ada.pk).update(
            last_contact_at=timezone.now() - dt.timedelta(minutes=3)
        )
        page = alice_client.get(f"/people/{ada.uuid}/").content.decode()
    assert "(today)" in page and "minutes ago" not in page
