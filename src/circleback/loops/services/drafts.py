"""Outreach drafts filled from the record (never sent by Circleback)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.loops.models import Favour, LoopStep, NamePermission
from circleback.loops.services._checks import _mine, _org
from circleback.loops.services.meetings import clean_purposes
from circleback.ops import clock
from circleback.people.models import Organisation, Person
from circleback.text import in_words

# --- outreach drafts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    warnings: tuple[str, ...] = ()
    # What your record holds that the message could mention, shown beside it, not in it.
    notes: tuple[str, ...] = ()


def _has_permission(owner: User, person: Person, organisation: Organisation | None) -> bool:
    permissions = NamePermission.objects.filter(owner=owner, person=person, revoked_on__isnull=True)
    if organisation is None:
        return permissions.filter(organisation__isnull=True).exists()
    return (
        permissions.filter(organisation__isnull=True).exists()
        or permissions.filter(organisation=organisation).exists()
    )


def outreach_draft(
    *,
    owner: User,
    person: Person,
    kind: str = "invitation",
    about: Organisation | str | None = None,
    referrer: Person | None = None,
    target: Person | None = None,
    purposes: Sequence[str] = (),
) -> Draft:
    """A personalised message to copy into email or LinkedIn. Nothing is written or sent.

    An `invitation` asks `person` for a short information meeting; an `introduction` asks
    `person` to introduce you to `target` (or someone at `about`). Both say how you know them,
    who referred you and why you'd like to meet — and never ask for a job. Mentioning a
    referrer who hasn't cleared the use of their name gives a warning.
    """
    if kind not in ("invitation", "introduction"):
        raise ValidationError({"kind": "A draft is an invitation or an introduction request."})
    _mine(owner, "person", person)
    _mine(owner, "referrer", referrer, required=False)
    _mine(owner, "target", target, required=False)
    if referrer is not None and referrer.pk == person.pk:
        raise ValidationError({"referrer": "They can't have referred you to themselves."})
    organisation: Organisation | None
    if isinstance(about, str):
        from circleback.text import normalize_org_name

        organisation = (
            Organisation.objects.filter(
                owner=owner, normalized_name=normalize_org_name(about)
            ).first()
            if about.strip()
            else None
        )
        about_name = " ".join(about.split())
    else:
        _org(owner, about)
        organisation = about
        about_name = about.name if about else ""
    if kind == "introduction" and target is not None and not about_name and target.organisation:
        organisation = target.organisation
        about_name = target.organisation.name
    if kind == "invitation" and not about_name and person.organisation:
        organisation, about_name = person.organisation, person.organisation.name
    if referrer is None and kind == "invitation" and person.introduced_by_id:
        referrer = person.introduced_by
    purposes = clean_purposes(purposes) if purposes else []

    warnings: list[str] = []
    first = person.given_name or person.full_name
    lines = [f"Dear {first},", ""]
    how = ""
    if referrer is not None:
        how = f"{referrer.full_name} suggested I get in touch with you."
        if not _has_permission(owner, referrer, organisation):
            where = f" with {about_name}" if about_name else ""
            warnings.append(
                f"This draft mentions {referrer.full_name}, who hasn't cleared the use of their "
                f"name{where}. Ask them first, then record it: circleback permission grant "
                f'"{referrer.full_name}"' + (f' --org "{about_name}"' if about_name else "") + "."
            )
    elif person.how_we_met:
        how = f"We met {person.how_we_met.strip().rstrip('.')}" + "."
        if how.startswith("We met Met "):
            how = person.how_we_met.strip()
    elif person.last_contact_at:
        how = f"It was good to be in touch in {person.last_contact_at:%B %Y}."
    if how:
        lines += [how, ""]

    reasons = {
        "validate": "test a career idea against your experience",
        "industry": "learn how you see the industry",
        "advice": "ask your advice on my next step",
        "seeds": "let you know what I'm working towards",
        "referrals": "hear whom else you think I should talk to",
    }
    if kind == "invitation":
        focus = f" at {about_name}" if about_name else ""
        role = f" as {person.title}" if person.title else ""
        lines.append(
            f"I'm exploring my next career move and would value your perspective on your work"
            f"{role}{focus}."
        )
        if purposes:
            lines.append("I'd especially like to " + "; ".join(reasons[p] for p in purposes) + ".")
        lines += [
            "I'm not asking about openings — I'd simply like to learn from your experience.",
            "",
            "Would you have 30 minutes in the coming weeks for a coffee or a call? I'm happy to "
            "fit around your schedule, and if now isn't a good time I understand completely.",
        ]
        subject = "Thirty minutes of your advice?"
        if referrer is not None:
            subject = f"{referrer.given_name or referrer.full_name} suggested I get in touch"
    else:
        if target is not None:
            who = target.full_name + (
                f" at {target.organisation.name}" if target.organisation else ""
            )
        elif about_name:
            who = f"someone at {about_name}"
        else:
            raise ValidationError(
                {"about": "Say whom you'd like to be introduced to: a person or an organisation."}
            )
        lines += [
            f"Would you be willing to introduce me to {who}?",
            f"I'd like to learn more about their work{' and ' + about_name if about_name else ''}"
            " and ask their advice — I'm not asking you to pass on my CV, just for an "
            "introduction if you're comfortable making one.",
            "",
            "Of course, if it isn't a good moment, no problem at all.",
        ]
        subject = f"An introduction to {who}?"
    lines += [
        "",
        "And if there's anything I can do for you in return, please just ask.",
        "",
        "With thanks,",
        owner.sign_off(),
    ]
    return Draft(subject=subject, body="\n".join(lines), warnings=tuple(warnings))


# --- thank-you notes ------------------------------------------------------------------------


def _first(person: Person) -> str:
    return person.given_name or person.full_name.split(" ")[0] or person.full_name


def _on_day(moment: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> str:
    """When a meeting was, as a note written a day or two later says it: "on Tuesday" within
    the week, "on 3 March" before that."""
    day, today = moment.astimezone(zone).date(), now.astimezone(zone).date()
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    if 0 < (today - day).days < 7:
        return f"on {day:%A}"
    return f"on {day.day} {day:%B}"


def thank_you_draft(*, owner: User, step: LoopStep) -> Draft:
    """A thank-you note to copy into email or a card, for a loop step that owes one: a
    meeting recorded, a lead met, a favour received, a referrer to thank. It says what they
    did, names whom they pointed you to, offers help back, and is signed with your own name.

    What you noted (what you learned, what you told them) is not quoted: it is given back as
    `notes`, for you to pick the detail that will mean something to them. Nothing is written
    or sent.
    """
    if step.owner_id != owner.pk:
        raise ValidationError({"step": "That loop step is not yours."})
    if step.kind not in (LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK):
        raise ValidationError({"step": "That step isn't a thank-you."})
    zone = user_zone(owner)
    now = clock.now()
    person = step.person
    notes: list[str] = []
    lines = [f"Dear {_first(person)},", ""]
    subject = "Thank you"
    if step.kind == LoopStep.Kind.LEAD_THANK and step.lead is not None:
        lead = step.lead
        referred = lead.referred
        subject = f"Thank you for introducing me to {_first(referred)}"
        lines.append(f"Thank you again for putting me in touch with {referred.full_name}.")
        met = (
            LoopStep.objects.filter(lead=lead, kind=LoopStep.Kind.LEAD_MEET)
            .exclude(done_at=None)
            .order_by("-done_at")
            .first()
        )
        if met is not None and met.resolution == "met":
            lines.append(
                f"We met {_on_day(met.done_at or now, now, zone)} and it was every bit as "
                "helpful as you said it would be."
            )
        elif met is not None and met.resolution == "declined":
            lines.append(
                f"{_first(referred)} couldn't meet just now, but I was glad of the "
                "introduction all the same, and I'll try again in a few months."
            )
        told = (
            LoopStep.objects.filter(lead=lead, kind=LoopStep.Kind.LEAD_TELL)
            .exclude(note="")
            .order_by("-done_at")
            .first()
        )
        if told is not None:
            notes.append(f"What you told {_first(person)}: {told.note}")
        lines.append("It means a lot that you were willing to lend your name to it.")
    elif step.meeting_id and step.meeting is not None:
        meeting = step.meeting
        when = _on_day(meeting.scheduled_for, now, zone)
        subject = "Thank you for your time"
        lines.append(
            f"Thank you for making the time to meet me {when}. I really appreciated your "
            "advice, and I came away with a clearer idea of my next steps."
        )
        pointed = [lead.referred for lead in meeting.leads.select_related("referred")]
        if pointed:
            names = in_words([p.full_name for p in pointed])
            lines.append(
                f"Thank you too for suggesting I speak with {names}. I'll let you know how "
                "I get on."
            )
        if meeting.referred_by_id and meeting.referred_by is not None:
            lines.append(
                f"I'll be sure to tell {_first(meeting.referred_by)} how helpful our "
                "conversation was."
            )
        if meeting.learned:
            notes.append(f"What you learned: {meeting.learned}")
        if meeting.next_steps:
            notes.append(f"Your next steps: {meeting.next_steps}")
    elif step.favour_id and step.favour is not None:
        favour = step.favour
        thanks_for: dict[str, str] = {
            Favour.Kind.INTRODUCTION: "the introduction",
            Favour.Kind.REFERRAL: "the referral",
            Favour.Kind.ADVICE: "your advice",
            Favour.Kind.INFORMATION: "passing that on to me",
            Favour.Kind.EVENT: "the invitation",
            Favour.Kind.ENDORSEMENT: "the endorsement",
        }
        what = thanks_for.get(favour.kind, "your help")
        if favour.kind == Favour.Kind.REFERRAL and favour.name_given_id and favour.name_given:
            what = f"suggesting I speak with {favour.name_given.full_name}"
        subject = f"Thank you for {what}"
        lines.append(f"Thank you so much for {what}. It was very kind of you to think of me.")
        if favour.note:
            notes.append(f"Your note about it: {favour.note}")
    else:
        # Closing a lead with "We met" opens this thank-you: the lead's step says who
        # suggested the meeting and what you learned.
        met = (
            LoopStep.objects.filter(
                owner=owner, kind=LoopStep.Kind.LEAD_MEET, person=person, resolution="met"
            )
            .select_related("about")
            .order_by("-done_at")
            .first()
        )
        when = _on_day(met.done_at, now, zone) if met is not None and met.done_at else ""
        subject = "Thank you for your time"
        lines.append(
            f"Thank you for making the time to meet me{' ' + when if when else ''}. I really "
            "appreciated your advice, and I came away with a clearer idea of my next steps."
        )
        if met is not None and met.about is not None:
            lines.append(
                f"I'm very glad {_first(met.about)} suggested we talk, and I'll let them know "
                "how helpful it was."
            )
        if met is not None and met.note:
            notes.append(f"What you learned: {met.note}")
    # Each thing said is a paragraph of its own, as a short note sets them out.
    paragraphs = [*lines[2:], "If there's ever anything I can do for you in return, please ask."]
    body = "\n\n".join([lines[0], *paragraphs, f"With thanks,\n{owner.sign_off()}"])
    warnings: tuple[str, ...] = ()
    if not owner.get_full_name():
        warnings = ("Add your name in Settings and your drafts are signed with it.",)
    return Draft(subject=subject, body=body, warnings=warnings, notes=tuple(notes))
