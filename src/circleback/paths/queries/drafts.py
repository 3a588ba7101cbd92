"""Reads for an introduction request drafted along a path."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.paths import scoring
from circleback.paths.queries.paths import _first_name
from circleback.paths.signals import first_hop_signals
from circleback.people.models import Person, Tie
from circleback.text import since_words

# --- the introduction request -------------------------------------------------------------


@dataclass(frozen=True)
class IntroductionDraft:
    """The message to the first person on a path, asking for an introduction."""

    to: Person
    target: Person
    subject: str
    body: str
    # The person `to` would introduce you to (the next on the path), or None on a path of one.
    next_person: Person | None = None
    # Said when you haven't recorded permission to use `to`'s name with the target's
    # organisation, and the path goes on through them.
    warnings: tuple[str, ...] = ()


def path_from_uuids(*, owner: User, uuids: Sequence[str]) -> list[Person]:
    """The owner's people for a path's UUIDs, in order; ValidationError if it isn't one.

    Every UUID must be the owner's (others' people are "not found", never revealed), the
    people distinct, at most MAX_HOPS of them, and each tied to the next.
    """
    from circleback.people.queries import _parse_uuid

    parsed = [_parse_uuid(u.strip()) for u in uuids if u.strip()]
    if not parsed or None in parsed or len(parsed) > scoring.MAX_HOPS:
        raise ValidationError({"path": "That is not a path: give 1 to 4 people's ids."})
    if len(set(parsed)) != len(parsed):
        raise ValidationError({"path": "A path never goes through the same person twice."})
    found = {
        p.uuid: p
        for p in Person.objects.filter(owner=owner, uuid__in=parsed).select_related("organisation")
    }
    if len(found) != len(parsed):
        raise ValidationError({"path": "Some of these people are not in your network."})
    people = [found[u] for u in parsed if u is not None]
    pairs = [(min(a.pk, b.pk), max(a.pk, b.pk)) for a, b in itertools.pairwise(people)]
    if pairs:
        tied = set(
            Tie.objects.filter(owner=owner)
            .filter(person_a_id__in=[a for a, _ in pairs], person_b_id__in=[b for _, b in pairs])
            .values_list("person_a_id", "person_b_id")
        )
        if any(pair not in tied for pair in pairs):
            raise ValidationError({"path": "These people are no longer tied one to the next."})
    return people


def introduction_draft(*, owner: User, people: Sequence[Person]) -> IntroductionDraft:
    """A polite request to the first person for an introduction along the path.

    It says how you know them, why you'd like to meet the target, keeps the ask to a short
    conversation for information and advice — and never asks for a job.
    """
    first, target = people[0], people[-1]
    me = owner.sign_off()
    org = target.organisation.name if target.organisation else ""
    about = f"{target.full_name} at {org}" if org else target.full_name
    industry = target.organisation.industry if target.organisation else ""
    since = "I hope things are going well."
    if first.last_contact_at:
        when = since_words(first.last_contact_at, timezone.now(), user_zone(owner))
        if when.startswith("in "):
            since = (
                f"It's been a while since we last spoke ({when[3:]}); I hope things are going well."
            )
    if first.how_we_met:
        # Their record says how you know them in your own shorthand ("My manager at Initech
        # 2019-2023"), which no one would write in a letter: a bracketed prompt to say it in
        # your own words, as the articles ask ("remind them how you know them").
        since += f" [Remind them how you know each other: {first.how_we_met.strip()}]"
    if len(people) == 1:
        ask = (
            f"As you're at {org}, I'd value 20 to 30 minutes of your advice on how things work "
            "there."
            if org
            else "I'd value 20 to 30 minutes of your advice."
        )
    elif len(people) == 2:
        ask = (
            f"I understand you know {about}. Would you be comfortable introducing me? "
            f"I'd value 20 to 30 minutes of {_first_name(target)}'s advice"
            + (f" on {org} and {industry}." if org and industry else ".")
        )
    else:
        chain = ", who knows ".join(p.full_name for p in people[1:])
        ask = (
            f"I understand you know {chain}"
            + (f" at {org}" if org else "")
            + f". Would you be comfortable introducing me to {people[1].full_name}, so I could "
            f"ask for an introduction to {_first_name(target)}? I'd value 20 to 30 minutes of "
            f"{_first_name(target)}'s advice."
        )
    body = "\n\n".join(
        [
            f"Hi {_first_name(first)},",
            since,
            ask,
            "I'm gathering information and advice, not asking for a job. If it helps, I can "
            "send a short note you could forward, and I'd never use your name without "
            "checking with you first.",
            "And if there is anything I can do for you, or someone I could introduce you to, "
            "please say.",
            f"Thank you,\n{me}",
        ]
    )
    subject = (
        f"Could you introduce me to {people[1].full_name if len(people) > 1 else 'your team'}?"
    )
    warnings: tuple[str, ...] = ()
    if len(people) > 1:
        org_id = target.organisation_id
        signals = first_hop_signals(owner, [first.pk], org_id)
        if signals[first.pk].permission != "granted":
            warnings = (
                f"You haven't recorded permission to use {first.full_name}'s name"
                + (f" with {org}" if org else "")
                + f". Ask in this message, and don't mention {_first_name(first)} to "
                f"{people[1].full_name} until they say yes.",
            )
    return IntroductionDraft(
        to=first,
        target=target,
        subject=subject,
        body=body,
        next_person=people[1] if len(people) > 1 else None,
        warnings=warnings,
    )
