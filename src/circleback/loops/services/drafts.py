"""Outreach drafts filled from the record (never sent by Circleback)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from circleback.accounts.models import User
from circleback.loops.models import (
    NamePermission,
)
from circleback.loops.services._checks import _mine, _org
from circleback.loops.services.meetings import clean_purposes
from circleback.people.models import Organisation, Person

# --- outreach drafts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    warnings: tuple[str, ...] = ()


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
