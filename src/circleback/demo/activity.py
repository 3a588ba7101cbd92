"""A sample network's give and take: meetings at every stage with referrals, leads at every
step of their loop, favours both ways, standing offers, introductions, shares, permissions,
goals, cadences, snoozes and a pitch with its practice — so every page and list command of
the demo has something to show.

Made through the areas' own services, as a user's clicks would make them (the network
itself is bulk-written for speed; these are a few dozen records whatever its size), each
at the moment it would have happened in the weeks before today (`circleback.ops.clock.at`): a
lead is contacted days after it was given and met later still, and the journal entries, due
dates and thank-yous follow — not all stamped with the minute the demo ran.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.insights import services as insights
from circleback.insights.models import Pitch, PitchPractice, Snooze
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopStep,
    Meeting,
    NamePermission,
    Purpose,
    Share,
    StandingOffer,
)
from circleback.loops.services import (
    favours,
    introductions,
    meetings,
    permissions,
    settings,
    shares,
)
from circleback.loops.services import leads as leads_services
from circleback.loops.services import loops as loops_services
from circleback.ops.clock import at
from circleback.people.models import ContactList, Person
from circleback.people.services.people import person_update

# What each pick of people needs at least; smaller networks make fewer records.
_REFERRALS = (
    ("Priya Patel", "Globex", "Head of Platform", "hiring for a platform team"),
    ("Tomás Herrera", "Initech", "Engineering Manager", "knows their data group"),
    ("Mei Lin", "Hooli", "VP Product", "a product role opening in spring"),
    ("Kwame Mensah", "Umbrella Labs", "CTO", "advice on moving into research tooling"),
    ("Sofia Rossi", "Vandelay Industries", "Director of Operations", "their operations team"),
    ("Oskar Berg", "Stark Analytics", "Data Lead", "the analytics guild"),
    ("Amara Okafor", "Wayne Logistics", "Recruiting Partner", "how their hiring works"),
)
_SHARES = (
    ("The state of platform engineering", "https://news.example/platform-2026", "platform, devops"),
    ("Career fair at the Guildhall", "https://events.example/guildhall-fair", "events, hiring"),
    ("A guide to informational interviews", "https://blog.example/info-interviews", "networking"),
)
PITCH = (
    "I'm a platform engineer with eight years of building the tools other engineers rely on: "
    "deployment pipelines, observability and the internal platforms that let teams ship "
    "safely several times a day. At my last company I led the move to a single deploy "
    "pipeline that cut release time from a day to twenty minutes. I'm now exploring teams "
    "where developer experience is treated as a product, ideally in fintech or logistics, "
    "and I'd value your view on which organisations do that well and who I should talk to."
)


# The give and take happens over the weeks before now: the oldest of it this many days ago.
BEFORE_DAYS = 45


def activity_size(people: int) -> int:
    """How many of each kind of record a network of this many people gets (0: none)."""
    return min(len(_REFERRALS), people // 6)


def activity_people(people: int) -> int:
    """How many people the give and take adds (each referral becomes one)."""
    size = activity_size(people)
    held = min(4, size)
    return held + min(len(_REFERRALS) - held, size)


def demo_activity(*, owner: User, size: int, seed: int = 1) -> dict[str, int]:
    """Give the owner's (demo) network a realistic few of every kind of record (`size`
    from activity_size); how many of each the account now has.

    Each action is taken at its own moment in the weeks before now (`at`), in the order it
    would have happened, so the journal, the loops' due dates and their "done" days agree.
    """
    rng = random.Random(seed)
    now = timezone.now()
    # People already in the network when the weeks replayed below began.
    people = list(
        Person.objects.filter(owner=owner, created_at__lte=now - dt.timedelta(days=BEFORE_DAYS))
        .select_related("organisation")
        .order_by("pk")[:400]
    )
    if size < 1 or len(people) < 4:
        return _counts(owner)
    rng.shuffle(people)
    list_a = [p for p in people if p.contact_list == ContactList.A] or people
    career = [p for p in people if p.contact_list == ContactList.B] or people
    pool = iter(career + [p for p in people if p not in career])

    def someone() -> Person:
        return next(pool, rng.choice(people))

    def ago(days: float, hour: int | None = None) -> dt.datetime:
        """A working-day moment `days` before now (and never later than an hour ago)."""
        moment = (now - dt.timedelta(days=days)).replace(
            hour=hour if hour is not None else rng.choice([9, 10, 11, 14, 15, 16]),
            minute=rng.choice([0, 10, 20, 30, 40, 50]),
            second=0,
            microsecond=0,
        )
        return min(moment, now - dt.timedelta(hours=1))

    # Settings first: everything after falls due by them.
    settings.loop_settings_update(owner=owner, lead_contact_days=4, check_back_days=21)
    insights.cadence_defaults_update(owner=owner, list_b_days=60)
    insights.goals_update(owner=owner, new_contacts=4, meetings=3, favours_given=2)

    # Meetings held, with referrals (each a person and a lead), at several ages: each recorded
    # an hour after it ended, so its referrals' leads start then.
    held: list[meetings.MeetingOutcome] = []
    for n in range(min(4, size)):
        person = someone()
        when = ago(3 + n * 9)
        with at(when + dt.timedelta(hours=1)):
            meeting = meetings.meeting_schedule(
                owner=owner,
                person=person,
                scheduled_for=when,
                location=rng.choice(["Video call", "Coffee at the Corner Café", "Their office"]),
                purposes=rng.sample([p.value for p in Purpose], 2),
                referred_by=someone() if n % 2 else None,
                prep_notes="Read their team's latest post; ask what they'd do in my place.",
                held=True,
            )
            name, org, title, about = _REFERRALS[n]
            outcome = meetings.meeting_log_outcome(
                meeting=meeting,
                learned="Platform teams there are growing; they value on-call experience.",
                outcome="Warm; offered two names.",
                next_steps="Write to the referrals this week.",
                referrals=[
                    meetings.ReferralInput(
                        full_name=name,
                        organisation=org,
                        title=title,
                        about=about,
                        may_use_name=n % 2 == 0,
                        # The demo's own invented person, even beside a network that has a
                        # namesake (`demo --force` adds a second network).
                        choice="new",
                    )
                ],
                offered=meetings.OfferInput(
                    kind=Favour.Kind.INFORMATION,
                    note="Will send the deploy-pipeline write-up.",
                    standing=n == 0,
                ),
            )
        held.append(outcome)
    # Meetings to come (scheduled today), and one called off.
    for n in range(min(3, size)):
        meetings.meeting_schedule(
            owner=owner,
            person=someone(),
            scheduled_for=(now + dt.timedelta(days=2 + n * 5)).replace(
                hour=10, minute=0, second=0, microsecond=0
            ),
            location="Video call",
            purposes=[Purpose.ADVICE.value, Purpose.REFERRALS.value],
        )
    with at(ago(6)):
        cancelled = meetings.meeting_schedule(
            owner=owner,
            person=someone(),
            scheduled_for=now + dt.timedelta(days=9),
            purposes=["seeds"],
        )
    with at(ago(2)):
        meetings.meeting_cancel(
            meeting=cancelled, note="They moved abroad; try again in the spring."
        )
    # One thank-you for a meeting already sent: a card, the morning after the latest meeting.
    if held and held[0].thank_you is not None:
        with at(min(held[0].meeting.scheduled_for + dt.timedelta(hours=18), now)):
            loops_services.thank_you_mark_sent(owner=owner, step=held[0].thank_you, how="card")

    # Leads at every step of their loop: the meetings' referrals (given when each meeting was
    # held), and names given elsewhere, longer ago the further their loop has gone.
    steps = [
        [],  # received
        ["contacted"],
        ["contacted", "met"],
        ["contacted", "declined"],
        ["contacted", "met", "referrer_told"],
        ["contacted", "met", "referrer_told", "referrer_thanked"],
    ]
    given: list[tuple[Lead, dt.datetime]] = [
        (lead, outcome.meeting.scheduled_for) for outcome in held for lead in outcome.leads
    ]
    for n in range(len(_REFERRALS) - len(given)):
        if n >= size:
            break
        name, org, _title, about = _REFERRALS[len(held) + n]
        path = steps[len(given)] if len(given) < len(steps) else []
        received = ago(6 + 6 * len(path))
        with at(received):
            lead = leads_services.lead_record(
                owner=owner,
                referrer=someone(),
                full_name=name,
                organisation=org,
                about=about,
                may_use_name=n == 0,
                choice="new",  # the demo's own invented person, as for referrals above
            )
        given.append((lead, received))
    # The people those names brought were added when the name was given (the services stamp a
    # new row with the real time; the network's own people are bulk-written the same way).
    for lead, received in given:
        Person.objects.filter(pk=lead.referred_id, created_at__gt=received).update(
            created_at=received
        )
    for (lead, received), path in zip(given, steps, strict=False):
        # Each step a few days after the one before, the last at least a day ago.
        gap = (now - dt.timedelta(days=1) - received) / (len(path) + 1)
        for k, to in enumerate(path, start=1):
            moment = received + gap * k
            with at(moment.replace(hour=rng.choice([9, 11, 14, 16]), minute=rng.randrange(60))):
                loops_services.lead_advance(lead=lead, to=to)

    # Favours both ways, a name given, standing offers.
    for days, (direction, kind, note) in zip(
        (34, 19, 11, 5),
        (
            (Favour.Direction.RECEIVED, Favour.Kind.ADVICE, "Reviewed my CV line by line."),
            (Favour.Direction.GIVEN, Favour.Kind.ENDORSEMENT, "Endorsed them for Kubernetes."),
            (Favour.Direction.RECEIVED, Favour.Kind.EVENT, "Invited me to their team's meet-up."),
            (Favour.Direction.GIVEN, Favour.Kind.ADVICE, "Talked through their move into product."),
        ),
        strict=True,
    ):
        when = ago(days)
        with at(when):
            favours.favour_log(
                owner=owner,
                person=someone(),
                direction=direction,
                kind=kind,
                note=note,
                occurred_on=when.date(),
            )
    helped, name_given = someone(), someone()
    if helped.pk != name_given.pk:
        with at(ago(9)):
            introductions.name_give(owner=owner, helped=helped, name=name_given)
    with at(ago(40)):
        offer = favours.standing_offer_make(
            owner=owner, person=someone(), offer="Happy to review their team's job ads any time."
        )
    with at(ago(16)):
        favours.standing_offer_taken_up(owner=owner, offer=offer)
    with at(ago(8)):
        favours.standing_offer_make(
            owner=owner, person=someone(), offer="Call on me for an intro to the platform guild."
        )

    # Introductions at each step of the double opt-in (each made earlier the further it has
    # gone, a step every few days), a declined one, and one you asked for.
    paths = [[], ["asked_x"], ["asked_x", "asked_y"], ["asked_x", "asked_y", "introduced"]]
    paths.append([*paths[-1], "checked_back"])
    for path in paths[: max(1, size)]:
        x, y = someone(), someone()
        if x.pk == y.pk:
            continue
        made = ago(2 + 6 * len(path))
        with at(made):
            intro = introductions.introduction_make(
                owner=owner,
                person_x=x,
                person_y=y,
                reason="Both are moving into developer tooling and could compare notes.",
            )
        for k, to in enumerate(path, start=1):
            with at(min(made + dt.timedelta(days=5 * k, hours=rng.randint(0, 4)), ago(1))):
                introductions.introduction_advance(introduction=intro, to=to)
    declined = [someone(), someone()]
    if declined[0].pk != declined[1].pk:
        with at(ago(27)):
            intro = introductions.introduction_make(
                owner=owner,
                person_x=declined[0],
                person_y=declined[1],
                reason="Same city, same field.",
            )
        with at(ago(24)):
            introductions.introduction_advance(introduction=intro, to="declined")
    decision_maker = next((p for p in people if p.is_decision_maker and p.organisation_id), None)
    via = someone()
    if decision_maker is not None and via.pk != decision_maker.pk:
        with at(ago(4)):
            introductions.introduction_request(
                owner=owner,
                via=via,
                target=decision_maker,
                organisation=decision_maker.organisation,
                note="Asked over coffee whether they'd introduce me.",
            )

    # Shares of articles and events, a week or two apart.
    for n, (title, url, topics) in enumerate(_SHARES[: max(1, size)]):
        with at(ago(2 + 10 * n, hour=rng.choice([8, 12, 18]))):
            shares.share_log(
                owner=owner,
                people=[someone() for _ in range(rng.randint(1, 3))],
                title=title,
                url=url,
                topics=topics,
                note="Thought of you when I read this.",
            )

    # Permissions to use a name: anywhere, with one organisation, and one taken back.
    with at(ago(30)):
        first = permissions.permission_grant(
            owner=owner, person=someone(), note="Said to mention them."
        )
    target = next((p.organisation for p in people if p.organisation_id), None)
    if target is not None:
        with at(ago(14)):
            permissions.permission_grant(owner=owner, person=someone(), organisation=target)
    with at(ago(12)):
        permissions.permission_revoke(owner=owner, permission=first)

    # News: someone was promoted a few days ago (a give on Today: congratulate them). A
    # promotion in place, so colleagues stay colleagues.
    senior = ("senior", "head", "lead", "director", "vp", "chief", "principal")
    movers = [p for p in career if p.title and not p.title.lower().startswith(senior)]
    if movers:
        mover = rng.choice(movers)
        mover.refresh_from_db()
        with at(ago(3)):
            person_update(person=mover, title=f"Senior {mover.title}")

    # Keep in touch: a cadence of someone's own, snoozes.
    # Read afresh: person_update saves the whole row, and the journal has moved on since.
    chosen = someone()
    chosen.refresh_from_db()
    insights.cadence_set(owner=owner, person=chosen, days=14)
    today = user_today(owner)
    for n in range(min(3, size)):
        insights.person_snooze(
            owner=owner, person=someone(), until=today + dt.timedelta(days=20 + 15 * n)
        )

    # The two-minute pitch: a first draft, the current version, practised on list A.
    first_pitch = insights.pitch_add(
        owner=owner,
        text=PITCH.split(". I'm now")[0] + ".",
        label="First draft",
        created_at=now - dt.timedelta(days=40),
    )
    pitch = insights.pitch_add(owner=owner, text=PITCH, label="With what I'm looking for")
    insights.pitch_practice_log(
        owner=owner,
        pitch=first_pitch,
        person=rng.choice(list_a),
        practised_on=today - dt.timedelta(days=38),
        notes="Too long on the history; lead with what I'm after.",
    )
    for days in (6, 1):
        insights.pitch_practice_log(
            owner=owner,
            pitch=pitch,
            person=rng.choice(list_a),
            practised_on=today - dt.timedelta(days=days),
            notes="Landed in under two minutes.",
        )
    return _counts(owner)


def _counts(owner: User) -> dict[str, int]:
    return {
        name: model.objects.filter(owner=owner).count()
        for name, model in (
            ("meetings", Meeting),
            ("leads", Lead),
            ("favours", Favour),
            ("standing_offers", StandingOffer),
            ("introductions", Introduction),
            ("shares", Share),
            ("permissions", NamePermission),
            ("loop_steps", LoopStep),
            ("pitches", Pitch),
            ("practices", PitchPractice),
            ("snoozes", Snooze),
        )
    }
