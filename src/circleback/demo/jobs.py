"""The sample network's job search: openings at its targets, applications at every stage —
one through a referral that reached an offer, cold ones, a recruiter's — with their
interviews, thank-yous and follow-ups, written through the jobs services."""

from __future__ import annotations

import datetime as dt
import random

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, user_zone
from circleback.jobs.models import Application, FollowUp, Interview, Opening
from circleback.jobs.services import (
    application_advance,
    application_person_add,
    follow_up_done,
    interview_schedule,
    opening_add,
)
from circleback.ops import clock
from circleback.people.models import ContactList, Organisation, Person

TITLES = (
    "Senior Data Analyst",
    "Product Manager, Payments",
    "Platform Engineer",
    "Customer Success Lead",
    "Operations Analyst",
    "Engineering Manager",
)


def demo_jobs(*, owner: User, seed: int = 1) -> dict[str, int]:
    """Six openings at the network's target organisations; how
    many openings, applications and follow-ups the account now has."""
    rng = random.Random(seed)
    # Only at targets (an opening makes its organisation one): a small network has one or
    # two, so several openings share one.
    targets = list(
        Organisation.objects.filter(owner=owner, is_target=True).order_by("priority", "pk")[:6]
    )
    career = list(
        Person.objects.filter(owner=owner, contact_list=ContactList.B).order_by("pk")[:60]
    )
    if not targets or len(career) < 3:
        return _counts(owner)
    rng.shuffle(career)
    today, zone = user_today(owner), user_zone(owner)

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def on(days: int, hour: int, minute: int = 0) -> dt.datetime:
        """A time of day `days` ago (ahead when negative), in the user's zone: what was done
        then is journaled then, not at the minute the demo ran."""
        return dt.datetime.combine(ago(days), dt.time(hour, minute), tzinfo=zone)

    def at(organisation: Organisation) -> list[Person]:
        return list(
            Person.objects.filter(owner=owner, organisation=organisation).order_by(
                "-is_decision_maker", "pk"
            )[:2]
        )

    orgs = [targets[i % len(targets)] for i in range(len(TITLES))]
    # 1. Through a referral, all the way to an offer.
    referrer = career[0]
    with clock.at(on(30, 9, 40)):
        first = opening_add(
            owner=owner,
            title=TITLES[0],
            organisation=orgs[0],
            source="referral",
            source_person=referrer,
            found_on=ago(30),
            notes="Their team is growing; they offered to pass my name to the hiring manager.",
        )
    with clock.at(on(27, 11, 15)):
        application_advance(application=first.application, to="applied", on=ago(27))
    people = at(orgs[0])
    with clock.at(on(21, 16, 5)):
        if people:
            application_person_add(
                application=first.application, person=people[0], role="hiring_manager"
            )
        held = interview_schedule(
            application=first.application,
            scheduled_for=on(18, 10, 30),
            kind="video",
            interviewers=people[:1],
        )
    with clock.at(on(17, 8, 50)):  # the thank-you, the morning after
        for follow_up in held.follow_ups.all():
            follow_up_done(follow_up=follow_up)
    held.status = Interview.Status.HELD
    held.save(update_fields=["status"])
    with clock.at(on(2, 15, 20)):
        application_advance(application=first.application, to="offer", on=ago(2))
    # 2. Cold, from a job board, no answer yet: its chase is overdue.
    with clock.at(on(14, 20, 10)):
        second = opening_add(
            owner=owner, title=TITLES[1], organisation=orgs[1],
            url="https://jobs.example.org/4417", found_on=ago(14),
        )  # fmt: skip
    with clock.at(on(10, 9, 25)):
        application_advance(application=second.application, to="applied", on=ago(10))
    # 3. A recruiter's, rejected after applying.
    with clock.at(on(40, 13, 45)):
        third = opening_add(
            owner=owner, title=TITLES[2], organisation=orgs[2], source="recruiter",
            source_person=career[1], found_on=ago(40),
        )  # fmt: skip
    with clock.at(on(38, 10, 0)):
        application_advance(application=third.application, to="applied", on=ago(38))
    with clock.at(on(25, 17, 35)):
        application_advance(application=third.application, to="rejected", on=ago(25))
    # 4. Just found, on the company's site, with a deadline.
    with clock.at(on(2, 8, 15)):
        opening_add(
            owner=owner, title=TITLES[3], organisation=orgs[3], source="site",
            url="https://careers.example.com/cs-lead", found_on=ago(2), deadline=ago(-12),
        )  # fmt: skip
    # 5. Referred again, an interview tomorrow afternoon: its prep brief is on the agenda.
    with clock.at(on(12, 12, 40)):
        fifth = opening_add(
            owner=owner, title=TITLES[4], organisation=orgs[4], source="referral",
            source_person=career[2], found_on=ago(12),
        )  # fmt: skip
    with clock.at(on(9, 10, 50)):
        application_advance(application=fifth.application, to="applied", on=ago(9))
    with clock.at(on(3, 11, 30)):
        interview_schedule(
            application=fifth.application,
            scheduled_for=on(-1, 14, 0),
            kind="onsite",
            location="Their office, 3rd floor",
            interviewers=at(orgs[4])[:2],
        )
    # 6. Cold, withdrawn.
    with clock.at(on(50, 19, 5)):
        sixth = opening_add(
            owner=owner, title=TITLES[5], organisation=orgs[5], source="board",
            found_on=ago(50),
        )  # fmt: skip
    with clock.at(on(48, 9, 0)):
        application_advance(application=sixth.application, to="applied", on=ago(48))
    with clock.at(on(30, 18, 20)):
        application_advance(
            application=sixth.application, to="withdrawn", on=ago(30), note="Took myself out."
        )
    return _counts(owner)


def _counts(owner: User) -> dict[str, int]:
    return {
        "openings": Opening.objects.filter(owner=owner).count(),
        "applications": Application.objects.filter(owner=owner).exclude(stage="found").count(),
        "job_follow_ups": FollowUp.objects.filter(owner=owner).count(),
    }
