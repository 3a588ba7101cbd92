"""The prep brief for an information-and-referral meeting: everything to read beforehand."""

from __future__ import annotations

from dataclasses import dataclass, field

from circleback.jobs.models import Interview
from circleback.journal.models import Interaction
from circleback.journal.queries import person_timeline
from circleback.loops.models import Meeting, Purpose, StandingOffer
from circleback.loops.queries import (
    Balance,
    LoopItem,
    Permission,
    favour_balances,
    name_permissions,
    open_loops,
    standing_offers,
)
from circleback.people.models import Organisation, Person, Tie
from circleback.people.queries import person_ties

NO_PITCH = "No pitch yet — write one: a spontaneous, succinct two-minute drill to open with."

# Good questions for each purpose, from the articles: ask for advice, information and
# referrals — never for a job.
QUESTIONS: dict[str, tuple[str, ...]] = {
    Purpose.VALIDATE: (
        "Here is the direction I'm considering — where do you see gaps in my thinking?",
        "What does it take to do well in this kind of role, in your experience?",
        "If you were in my position, what would you test first?",
    ),
    Purpose.INDUSTRY: (
        "How is {industry} changing, and what is driving it?",
        "Which organisations are doing the most interesting work in this space?",
        "What do people in a role like yours spend most of their time on?",
    ),
    Purpose.ADVICE: (
        "How did you come to be where you are — what would you do differently?",
        "What skills or experience would make me stronger in this field?",
        "Which groups, events or resources would you recommend?",
    ),
    Purpose.SEEDS: (
        "May I tell you in two minutes what I'm working towards, so you can keep me in mind?",
        "What is the best way to keep you posted on how it goes?",
    ),
    Purpose.REFERRALS: (
        "Who else would you suggest I talk to, to learn more?",
        "Do you know anyone at {targets} you'd be comfortable introducing me to?",
        "May I mention your name when I get in touch with them?",
    ),
}
ALWAYS_ASK = "Is there anything I can help you with? (Always offer help in return.)"


@dataclass
class PrepBrief:
    meeting: Meeting
    person: Person
    organisation: Organisation | None
    connections: list[str]
    ties: list[tuple[Person, Tie]]
    referred_by: Person | None
    past: list[Interaction]
    pitch: str
    has_pitch: bool
    questions: list[tuple[str, list[str]]]
    interests: list[str]
    balance: Balance
    offers: list[StandingOffer]
    loops: list[LoopItem]
    permissions: list[Permission]
    reminders: list[str] = field(default_factory=list)


def _current_pitch(meeting: Meeting) -> str | None:
    """The text of the owner's current two-minute pitch, or None when there is none yet."""
    from circleback.insights.queries.pitch import pitch_current

    pitch = pitch_current(meeting.owner)
    return pitch.text if pitch is not None else None


def meeting_prep(*, meeting: Meeting) -> PrepBrief:
    """Who they are, how you're connected, who referred you, their organisation and its stage,
    your history, your pitch, questions for the purposes you chose and what you could offer."""
    owner = meeting.owner
    person = meeting.person
    organisation = person.organisation
    connections = []
    if person.introduced_by_id and person.introduced_by:
        connections.append(f"{person.introduced_by.full_name} introduced you.")
    if person.how_we_met:
        connections.append(person.how_we_met)
    if person.met_on:
        connections.append(f"You first met on {person.met_on:%d %b %Y}.")
    connections.append(f"On your list {person.contact_list} ({person.get_contact_list_display()}).")
    ties = person_ties(person, limit=8).ties
    targets = (
        ", ".join(
            o.name
            for o in Organisation.objects.filter(owner=owner, is_target=True).order_by(
                "priority", "name"
            )[:3]
        )
        or "the organisations on your list C"
    )
    industry = (organisation.industry if organisation else "") or "the industry"
    questions = []
    for purpose in meeting.purposes or [Purpose.ADVICE, Purpose.REFERRALS]:
        label = dict(Purpose.choices)[purpose]
        questions.append(
            (
                str(label),
                [q.format(industry=industry, targets=targets) for q in QUESTIONS[purpose]],
            )
        )
    questions.append(("Give back", [ALWAYS_ASK]))
    pitch = _current_pitch(meeting)
    balance = favour_balances(owner, [person.pk]).get(person.pk, Balance())
    reminders = [
        f"Keep to the {meeting.duration_minutes} minutes you asked for"
        + (
            " — the articles advise never asking for more than 30."
            if meeting.duration_minutes > 30
            else "."
        ),
        "Open with your two-minute drill, then listen beyond your expectations: it may turn "
        "into an interview, and you may be talking to the decision maker.",
        "Don't ask for a job. Ask for advice, information and referrals.",
    ]
    if meeting.referred_by is not None:
        reminders.insert(
            0,
            f"{meeting.referred_by.full_name} referred you — your conduct reflects on them.",
        )
    if balance.received > balance.given:
        reminders.append(
            f"You've received {balance.received} favours from "
            f"{person.given_name or person.full_name} and given {balance.given}: "
            "look for a way to return one."
        )
    return PrepBrief(
        meeting=meeting,
        person=person,
        organisation=organisation,
        connections=connections,
        ties=ties,
        referred_by=meeting.referred_by,
        past=list(person_timeline(person, limit=10)),
        pitch=pitch or NO_PITCH,
        has_pitch=pitch is not None,
        questions=questions,
        interests=[t.name for t in person.tags.all()],
        balance=balance,
        offers=list(standing_offers(owner=owner, person=person)),
        loops=open_loops(owner=owner, person=person),
        permissions=name_permissions(owner, [person.pk]).get(person.pk, []),
        reminders=reminders,
    )


# --- interviews (jobs) ------------------------------------------------------------------------

INTERVIEW_QUESTIONS = (
    "What would success look like in this role after six months?",
    "What is the team working on now, and what is in its way?",
    "How did this role come to be open?",
    "What do you enjoy most about working at {organisation}?",
)


@dataclass
class Interviewer:
    person: Person
    ties: list[tuple[Person, Tie]]
    past: list[Interaction]
    balance: Balance


@dataclass
class InterviewBrief:
    """The meeting prep's parts, for an interview: who you know there, who interviews you
    (and how you're connected to them), who referred you, your pitch, what you could offer."""

    interview: Interview
    organisation: Organisation
    people_there: list[Person]
    interviewers: list[Interviewer]
    referred_by: Person | None
    pitch: str
    has_pitch: bool
    questions: list[str]
    offers: list[StandingOffer]
    reminders: list[str] = field(default_factory=list)


def interview_prep(*, interview: Interview) -> InterviewBrief:
    """The prep brief for an interview, built from the same reads as a meeting's."""
    owner = interview.owner
    application = interview.application
    opening = application.opening
    organisation = opening.organisation
    people = [i.person for i in interview.people.select_related("person__organisation")]
    balances = favour_balances(owner, [p.pk for p in people])
    interviewers = [
        Interviewer(
            person=p,
            ties=person_ties(p, limit=5).ties,
            past=list(person_timeline(p, limit=5)),
            balance=balances.get(p.pk, Balance()),
        )
        for p in people
    ]
    referrer = opening.source_person if opening.source == "referral" else None
    from circleback.insights.queries.pitch import pitch_current

    pitch = pitch_current(owner)
    reminders = [
        "Open with your two-minute drill, then listen: you are learning whether you want this too.",
        "Send each interviewer a thank-you within a day (the agenda will remind you).",
    ]
    if referrer is not None:
        reminders.insert(
            0,
            f"{referrer.full_name} referred you — your conduct reflects on them; tell them "
            "how it went.",
        )
    if opening.deadline:
        reminders.append(f"The opening's deadline: {opening.deadline:%d %b %Y}.")
    return InterviewBrief(
        interview=interview,
        organisation=organisation,
        people_there=list(
            Person.objects.filter(owner=owner, organisation=organisation)
            .exclude(pk__in=[p.pk for p in people])
            .order_by("-is_decision_maker", "-closeness", "full_name")[:8]
        ),
        interviewers=interviewers,
        referred_by=referrer,
        pitch=pitch.text if pitch is not None else NO_PITCH,
        has_pitch=pitch is not None,
        questions=[q.format(organisation=organisation.name) for q in INTERVIEW_QUESTIONS]
        + [ALWAYS_ASK],
        offers=list(StandingOffer.objects.filter(owner=owner, person__in=people)),
        reminders=reminders,
    )
