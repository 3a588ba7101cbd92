"""The jobs screens: the list and its empty state, adding an opening with the network panel,
moving it on, interviews and their prep brief, follow-ups, what worked — and another
owner's openings answer 404 on every one of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.jobs.models import FollowUp, Interview, Opening
from circleback.jobs.services import application_advance, interview_schedule, opening_add
from circleback.loops.models import LoopStep


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_empty_list_says_what_to_do(alice: User) -> None:
    page = signed_in(alice).get("/jobs/")
    assert page.status_code == 200
    assert b"No openings yet" in page.content and b"/jobs/new/" in page.content


def test_the_stage_filter_marks_its_choice_not_a_second_current_page(alice: User) -> None:
    """Only the menus say which page this is ("Jobs", "Openings"); the stage chosen is the
    current one of a set (aria-current="true"), so a screen reader doesn't hear "current
    page" on the filter as well."""
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    client = signed_in(alice)
    for url, chosen in (("/jobs/", "All"), ("/jobs/?stage=found", "Found")):
        html = client.get(url).content.decode()
        stage_filter = html.split('aria-label="Filter by stage"')[1].split("</nav>")[0]
        assert 'aria-current="page"' not in stage_filter, url
        assert stage_filter.count('aria-current="true"') == 1, url
        assert f'aria-current="true">{chosen}' in stage_filter, url
    assert opening.title in html


def test_on_a_phone_each_cell_of_the_list_says_what_it_is(alice: User) -> None:
    opening_add(owner=alice, title="Analyst", organisation="Hooli", found_on=dt.date(2026, 11, 2))
    html = signed_in(alice).get("/jobs/").content.decode()
    for label in ("Organisation", "Stage", "Came from", "Found"):
        assert f'data-label="{label}"' in html
    assert '<td data-label="Found">2 Nov 2026</td>' in html
    assert '<td data-label="Deadline" class="none">' in html  # no deadline: no empty line
    assert "jobs/jobs.css" in html


def test_adding_an_opening_shows_who_you_know_there_and_the_ways_in(
    alice: User, ada: Any, dana: Any, tie: Any
) -> None:
    client = signed_in(alice)
    page = client.post(
        "/jobs/new/",
        {
            "title": "Data Analyst",
            "organisation": "Hooli",
            "url": "https://jobs.example.org/1",
            "source": "board",
            "found_on": "",
        },
        follow=True,
    )
    assert page.status_code == 200
    opening = Opening.objects.get(owner=alice)
    assert page.redirect_chain[-1][0] == f"/jobs/{opening.uuid}/"
    text = page.content.decode()
    assert "who you know at Hooli" in text and "Dana Hale" in text
    assert "You → Ada Quill" in text  # a ranked way in through Ada
    asked = client.post(
        f"/jobs/{opening.uuid}/ask/", {"via": str(ada.uuid), "target": str(dana.uuid)}
    )
    assert asked.status_code == 302
    step = LoopStep.objects.get(owner=alice, kind="intro_request")
    assert (step.person, step.about) == (ada, dana)


def test_a_bad_opening_is_shown_again_with_the_reason_and_nothing_saved(alice: User) -> None:
    page = signed_in(alice).post(
        "/jobs/new/", {"title": "", "organisation": "Hooli", "source": "referral"}
    )
    assert page.status_code == 200
    assert b"This field is required" in page.content or b"title" in page.content
    page = signed_in(alice).post(
        "/jobs/new/", {"title": "Analyst", "organisation": "Hooli", "source": "referral"}
    )
    assert "Say who referred you" in page.content.decode()
    assert not Opening.objects.exists()


def test_moving_it_on_and_scheduling_an_interview_with_its_prep(alice: User, dana: Any) -> None:
    client = signed_in(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    assert client.post(f"/jobs/{opening.uuid}/advance/", {"to": "applied"}).status_code == 302
    opening.application.refresh_from_db()
    assert opening.application.stage == "applied"
    bad = client.post(f"/jobs/{opening.uuid}/advance/", {"to": "accepted"}, follow=True)
    assert "Nothing changed" in bad.content.decode()
    when = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        f"/jobs/{opening.uuid}/interviews/",
        {
            "scheduled_for": when,
            "duration_minutes": "45",
            "kind": "video",
            "interviewers": "Dana Hale",
        },
        follow=True,
    )
    interview = Interview.objects.get(owner=alice)
    assert page.redirect_chain[-1][0] == f"/jobs/interviews/{interview.uuid}/prep/"
    assert "Who interviews you" in page.content.decode() and "Dana Hale" in page.content.decode()
    thank = FollowUp.objects.get(kind="thank_you")
    assert client.post(f"/jobs/follow-ups/{thank.uuid}/done/").status_code == 302
    thank.refresh_from_db()
    assert thank.done_on is not None
    detail = client.get(f"/jobs/{opening.uuid}/").content.decode()
    assert "Interviewing" in detail and "Timeline" in detail


def test_what_worked_draws_an_accessible_chart_with_a_table(alice: User, ada: Any) -> None:
    referred = opening_add(
        owner=alice, title="A", organisation="Hooli", source="referral", source_person=ada
    ).application
    application_advance(application=referred, to="applied")
    page = signed_in(alice).get("/jobs/what-worked/").content.decode()
    assert '<svg viewBox="0 0 340' in page and 'role="img"' in page
    assert '<title id="routes-title">' in page and '<desc id="routes-desc">' in page
    assert "too few" in page
    assert "<caption>The same numbers as a table</caption>" in page
    assert "Ada Quill" in page


@pytest.fixture
def charlies(charlie: User, make_person: Any) -> dict[str, str]:
    sam = make_person(charlie, "Sam Ortiz")
    opening = opening_add(owner=charlie, title="Secret role", organisation="Umbrella")
    application_advance(application=opening.application, to="applied")
    interview = interview_schedule(
        application=opening.application,
        scheduled_for=dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC),
        interviewers=[sam],
    )
    follow_up = FollowUp.objects.filter(owner=charlie).first()
    assert follow_up is not None
    return {
        "opening": str(opening.uuid),
        "interview": str(interview.uuid),
        "follow_up": str(follow_up.uuid),
        "sam": str(sam.uuid),
        "part": str(interview.people.get().uuid),
    }


def test_another_owners_openings_are_not_found_anywhere(
    alice: User, charlies: dict[str, str]
) -> None:
    client = signed_in(alice)
    o, i, f = charlies["opening"], charlies["interview"], charlies["follow_up"]
    gets = (f"/jobs/{o}/", f"/jobs/{o}/delete/", f"/jobs/{o}/edit/", f"/jobs/interviews/{i}/prep/")
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/jobs/{o}/advance/", {"to": "interviewing"}),
        (f"/jobs/{o}/ask/", {"via": charlies["sam"], "target": charlies["sam"]}),
        (f"/jobs/{o}/people/", {"person": "Sam Ortiz", "role": "recruiter"}),
        (
            f"/jobs/{o}/interviews/",
            {"scheduled_for": "2030-01-02T10:00", "duration_minutes": "30", "kind": "video"},
        ),
        (f"/jobs/{o}/delete/", {}),
        (f"/jobs/{o}/edit/", {"title": "Taken", "source": "board"}),
        (f"/jobs/{o}/people/{charlies['part']}/remove/", {}),
        (f"/jobs/interviews/{i}/cancel/", {}),
        (f"/jobs/follow-ups/{f}/done/", {}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert b"Secret role" not in client.get("/jobs/").content
    assert b"Sam Ortiz" not in client.get("/jobs/what-worked/").content
    theirs = Opening.objects.get(uuid=o)
    assert theirs.application.stage == "interviewing" and theirs.title == "Secret role"
    assert theirs.application.people.count() == 1
    # Their part named under my own opening is not found either.
    mine = opening_add(owner=alice, title="Mine", organisation="Hooli")
    remove = f"/jobs/{mine.uuid}/people/{charlies['part']}/remove/"
    assert client.post(remove).status_code == 404
    assert not FollowUp.objects.filter(owner=alice).exists()


def test_signed_out_visitors_go_to_sign_in(charlies: dict[str, str]) -> None:
    assert Client().get("/jobs/").status_code == 302
    assert Client().get(f"/jobs/{charlies['opening']}/").status_code == 302


def test_an_opening_is_edited_with_its_details_shown_to_change(
    alice: User, ada: Any, dana: Any
) -> None:
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli", notes="From a fair")
    client = signed_in(alice)
    page = client.get(f"/jobs/{opening.uuid}/edit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="Analyst"' in text and "From a fair" in text
    refused = client.post(
        f"/jobs/{opening.uuid}/edit/",
        {"title": "Analyst", "source": "referral", "source_person": "", "notes": "x"},
    )
    assert refused.status_code == 200 and "Say who referred you" in refused.content.decode()
    early = client.post(
        f"/jobs/{opening.uuid}/edit/",
        {"title": "Analyst", "source": "board", "deadline": "2001-01-01"},
    )
    assert "be before the day you found" in early.content.decode()
    opening.refresh_from_db()
    assert (opening.source, opening.notes) == ("board", "From a fair")
    saved = client.post(
        f"/jobs/{opening.uuid}/edit/",
        {
            "title": "Senior Analyst",
            "url": "jobs.example.org/7",
            "source": "referral",
            "source_person": "Ada Quill",
            "notes": "",
        },
        follow=True,
    )
    assert saved.redirect_chain[-1][0] == f"/jobs/{opening.uuid}/"
    opening.refresh_from_db()
    assert (opening.title, opening.url, opening.source_person) == (
        "Senior Analyst",
        "https://jobs.example.org/7",
        ada,
    )
    assert opening.notes == ""
    assert [(i.person, i.role) for i in opening.application.people.all()] == [(ada, "referrer")]


def test_a_person_is_taken_off_but_the_one_it_came_through_is_changed_instead(
    alice: User, ada: Any, dana: Any
) -> None:
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", source="referral", source_person=ada
    )
    client = signed_in(alice)
    client.post(f"/jobs/{opening.uuid}/people/", {"person": "Dana Hale", "role": "hiring_manager"})
    parts = {i.person.full_name: i for i in opening.application.people.all()}
    page = client.get(f"/jobs/{opening.uuid}/").content.decode()
    assert 'Remove<span class="visually-hidden"> Dana Hale as hiring manager' in page
    assert "change where it came from" in page  # Ada's part: not a remove button
    kept = client.post(
        f"/jobs/{opening.uuid}/people/{parts['Ada Quill'].uuid}/remove/", follow=True
    )
    assert "Not taken off" in kept.content.decode()
    gone = client.post(
        f"/jobs/{opening.uuid}/people/{parts['Dana Hale'].uuid}/remove/", follow=True
    )
    assert "Took Dana Hale off as hiring manager" in gone.content.decode()
    assert [i.person for i in opening.application.people.all()] == [ada]
