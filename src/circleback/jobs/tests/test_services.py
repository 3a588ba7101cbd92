"""Openings and applications: stages, the journal, follow-ups, the referral loop and the
target organisation's stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from circleback.jobs.models import Application, FollowUp, JobStage, Opening, Role
from circleback.jobs.queries import agenda_sections, job_stats
from circleback.jobs.services import (
    application_advance,
    follow_up_done,
    interview_schedule,
    opening_add,
    opening_ask_network,
    opening_delete,
)
from circleback.journal.models import Interaction
from circleback.loops.models import LoopStep
from circleback.loops.services.loops import loop_advance
from circleback.people.models import Organisation, Stage

pytestmark = pytest.mark.usefixtures("frozen")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)


def test_it_adds_an_opening_with_its_application_found_and_in_the_journal(alice: Any) -> None:
    opening = opening_add(owner=alice, title="  Data   Analyst ", organisation="Hooli, Inc.")
    assert opening.title == "Data Analyst"
    assert opening.application.stage == JobStage.FOUND
    assert opening.found_on == TODAY
    entry = Interaction.objects.get(owner=alice)
    assert entry.summary == "Found an opening: Data Analyst at Hooli, Inc."
    assert entry.people.count() == 0  # nobody's keep-in-touch clock moves
    org = Organisation.objects.get(owner=alice)
    assert org.is_target and org.stage == Stage.NETWORKING


def test_it_links_the_referrer_and_refuses_a_referral_without_one(alice: Any, ada: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        opening_add(owner=alice, title="Analyst", organisation="Hooli", source="referral")
    assert "referred" in str(refused.value)
    assert not Opening.objects.exists()
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", source="referral", source_person=ada
    )
    [involved] = opening.application.people.all()
    assert (involved.person, involved.role) == (ada, Role.REFERRER)


def test_it_refuses_someone_elses_person_and_bad_values(
    alice: Any, charlie: Any, make_person: Any
) -> None:
    theirs = make_person(charlie, "Cleo Stranger")
    with pytest.raises(ValidationError):
        opening_add(
            owner=alice, title="A", organisation="X", source="referral", source_person=theirs
        )
    with pytest.raises(ValidationError):
        opening_add(owner=alice, title="A", organisation="X", source="telepathy")
    with pytest.raises(ValidationError):
        opening_add(owner=alice, title="A", organisation="X", url="not a url")
    with pytest.raises(ValidationError):
        opening_add(owner=alice, title="x" * 201, organisation="X")
    with pytest.raises(ValidationError):
        opening_add(
            owner=alice,
            title="A",
            organisation="X",
            found_on=TODAY,
            deadline=TODAY - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        opening_add(owner=alice, title="A", organisation="X", found_on=TODAY + dt.timedelta(days=1))
    assert not Opening.objects.exists()
    assert not Organisation.objects.filter(owner=alice).exists()


def test_each_stage_change_is_dated_in_the_journal_and_moves_the_organisation(alice: Any) -> None:
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", found_on=TODAY - dt.timedelta(days=5)
    )
    application = opening.application
    application_advance(application=application, to="applied", on=TODAY - dt.timedelta(days=2))
    org = Organisation.objects.get(owner=alice)
    assert org.stage == Stage.APPLIED
    application_advance(application=application, to="interviewing", note="Recruiter called")
    org.refresh_from_db()
    assert org.stage == Stage.INTERVIEWING
    application_advance(application=application, to="offer")
    application.refresh_from_db()
    assert application.applied_on == TODAY - dt.timedelta(days=2)
    assert application.answered_on == TODAY
    assert [c.stage for c in application.changes.order_by("pk")] == [
        "found",
        "applied",
        "interviewing",
        "offer",
    ]
    summaries = list(Interaction.objects.order_by("pk").values_list("summary", flat=True))
    assert summaries[1:] == [
        "Applied for Analyst at Hooli",
        "Interviewing for Analyst at Hooli",
        "Offer for Analyst at Hooli",
    ]
    org.refresh_from_db()
    assert org.stage == Stage.OFFER
    application_advance(application=application, to="accepted")
    org.refresh_from_db()
    assert org.stage == Stage.CLOSED


def test_it_refuses_a_stage_out_of_order_and_changes_nothing(alice: Any) -> None:
    application = opening_add(owner=alice, title="Analyst", organisation="Hooli").application
    for to in ("accepted", "rejected", "found", "hired"):
        with pytest.raises(ValidationError):
            application_advance(application=application, to=to)
    application_advance(application=application, to="withdrawn")
    with pytest.raises(ValidationError) as ended:
        application_advance(application=application, to="applied")
    assert "ended" in str(ended.value)
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    assert application.changes.count() == 2


def test_every_application_ended_sends_the_organisation_back_to_networking(alice: Any) -> None:
    application = opening_add(owner=alice, title="Analyst", organisation="Hooli").application
    application_advance(application=application, to="applied")
    application_advance(application=application, to="rejected")
    assert Organisation.objects.get(owner=alice).stage == Stage.NETWORKING


def test_a_silent_application_is_chased_a_week_later_and_an_answer_closes_it(
    alice: Any,
) -> None:
    application = opening_add(owner=alice, title="Analyst", organisation="Hooli").application
    application_advance(application=application, to="applied")
    chase = FollowUp.objects.get(kind="chase")
    assert chase.due_on == TODAY + dt.timedelta(days=7)
    assert agenda_sections(alice, TODAY + dt.timedelta(days=6), NOW)[1].items == []
    [item] = agenda_sections(alice, TODAY + dt.timedelta(days=7), NOW)[1].items
    assert item.title == "Follow up on your application for Analyst at Hooli"
    follow_up_done(follow_up=chase)
    second = FollowUp.objects.get(kind="chase", done_on__isnull=True)
    application_advance(application=application, to="interviewing")
    second.refresh_from_db()
    assert second.resolution == "answered"


def test_an_interview_moves_the_stage_and_owes_each_interviewer_a_thank_you(
    alice: Any, dana: Any, make_person: Any
) -> None:
    sam = make_person(alice, "Sam Ortiz", organisation="Hooli")
    application = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", found_on=TODAY - dt.timedelta(days=9)
    ).application
    application_advance(application=application, to="applied", on=TODAY - dt.timedelta(days=4))
    when = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
    interview_schedule(application=application, scheduled_for=when, interviewers=[dana, sam, dana])
    application.refresh_from_db()
    assert application.stage == "interviewing"
    assert application.first_interview_on == dt.date(2026, 11, 23)
    thanks = FollowUp.objects.filter(kind="thank_you")
    assert {t.person for t in thanks} == {dana, sam}
    assert {t.due_on for t in thanks} == {dt.date(2026, 11, 24)}
    follow_up_done(follow_up=thanks.get(person=dana))
    entry = Interaction.objects.get(summary__startswith="Thanked Dana")
    assert list(entry.people.all()) == [dana]
    stats = job_stats(owner=alice)
    assert stats.days_to_first_interview == [7]


def test_a_referral_keeps_a_loop_open_until_the_referrer_hears_the_outcome(
    alice: Any, ada: Any
) -> None:
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", source="referral", source_person=ada
    )
    application = opening.application
    application_advance(application=application, to="applied")
    application.refresh_from_db()
    step = application.referral_step
    assert step is not None and step.kind == LoopStep.Kind.JOB_TELL and step.person == ada
    quiet_until = step.due_at
    application_advance(application=application, to="offer")
    step.refresh_from_db()
    assert step.done_at is None and step.due_at < quiet_until
    thank = loop_advance(owner=alice, step=step, note="Told her about the offer")
    step.refresh_from_db()
    assert step.done_at is not None
    assert thank is not None and thank.kind == LoopStep.Kind.THANK_YOU and thank.person == ada


def test_asking_the_network_first_opens_an_introduction_request(
    alice: Any, ada: Any, dana: Any
) -> None:
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    step = opening_ask_network(opening=opening, via=ada, target=dana)
    assert step.kind == LoopStep.Kind.INTRO_REQUEST and step.about == dana
    assert "Analyst" in step.note
    # They agree: the lead opens, as every introduction you asked for does.
    contact = loop_advance(owner=alice, step=step, to="agreed")
    assert contact is not None and contact.lead is not None and contact.lead.referrer == ada


def test_what_worked_is_honest_about_small_numbers(alice: Any, ada: Any) -> None:
    assert "No applications yet" in job_stats(owner=alice).summary
    referred = opening_add(
        owner=alice, title="A", organisation="Hooli", source="referral", source_person=ada
    ).application
    cold = opening_add(owner=alice, title="B", organisation="Initrode").application
    application_advance(application=referred, to="applied")
    application_advance(application=referred, to="interviewing")
    application_advance(application=cold, to="applied")
    stats = job_stats(owner=alice)
    assert "too few" in stats.summary
    routes = {r.key: r for r in stats.routes}
    assert (routes["referred"].applied, routes["referred"].interviews) == (1, 1)
    assert (routes["cold"].applied, routes["cold"].interviews) == (1, 0)
    assert [(r.person, r.furthest) for r in stats.referrers] == [(ada, "interview")]
    assert stats.as_dict()["routes"][0]["enough_to_compare"] is False


def test_deleting_an_opening_leaves_the_organisation_networking(alice: Any) -> None:
    opening = opening_add(owner=alice, title="A", organisation="Hooli")
    application_advance(application=opening.application, to="applied")
    opening_delete(opening=opening)
    assert not Application.objects.exists()
    assert Organisation.objects.get(owner=alice).stage == Stage.NETWORKING


def test_the_furthest_live_application_at_an_organisation_decides_its_stage(
    alice: Any,
) -> None:
    """A target organisation's stage follows all its applications, not the last one moved."""
    org = lambda: Organisation.objects.get(owner=alice)  # noqa: E731
    first = opening_add(owner=alice, title="Analyst", organisation="Hooli").application
    assert (org().stage, org().is_target) == (Stage.NETWORKING, True)  # found: networking
    second = opening_add(owner=alice, title="Engineer", organisation="Hooli").application
    application_advance(application=first, to="applied")
    application_advance(application=second, to="applied")
    application_advance(application=second, to="interviewing")
    assert org().stage == Stage.INTERVIEWING
    application_advance(application=first, to="rejected")  # the other is still going
    assert org().stage == Stage.INTERVIEWING
    application_advance(application=second, to="offer")
    third = opening_add(owner=alice, title="Lead", organisation="Hooli, Inc.").application
    application_advance(application=third, to="applied")  # behind the offer: no step back
    assert org().stage == Stage.OFFER
    application_advance(application=second, to="declined")
    assert org().stage == Stage.APPLIED  # the one still going
    application_advance(application=third, to="offer")
    application_advance(application=third, to="accepted")
    assert org().stage == Stage.CLOSED


def test_a_referral_obtained_after_applying_opens_its_loop_and_it_stays_open_until_told(
    alice: Any, ada: Any, make_person: Any
) -> None:
    """Through the network after the fact (a referrer added, or the route edited): the loop
    opens on the referrer and stays open through an ending until they are told."""
    from circleback.jobs.services import application_person_add, opening_update

    application = opening_add(owner=alice, title="Analyst", organisation="Hooli").application
    application_advance(application=application, to="applied")
    assert application.referral_step is None
    application_person_add(application=application, person=ada, role="referrer")
    application.refresh_from_db()
    step = application.referral_step
    assert step is not None and step.person == ada and step.done_at is None
    application_advance(application=application, to="rejected")
    step.refresh_from_db()
    assert step.done_at is None  # an ending is something to tell, not a reason to forget
    loop_advance(owner=alice, step=step, note="Told her; thanked her all the same")
    step.refresh_from_db()
    assert step.done_at is not None
    # Edited into a referral once applied: the loop opens on the new referrer.
    bea = make_person(alice, "Bea Lind")
    other = opening_add(owner=alice, title="Engineer", organisation="Initech").application
    application_advance(application=other, to="applied")
    opening_update(opening=other.opening, source="referral", source_person=bea)
    other.refresh_from_db()
    assert other.referral_step is not None and other.referral_step.person == bea
    assert [(i.person, i.role) for i in other.people.all()] == [(bea, "referrer")]
