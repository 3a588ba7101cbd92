"""`circleback meeting …` and `circleback draft outreach`: information-and-referral meetings.

Meet for advice, information and referrals — never to ask for a job — for 30 minutes at most,
prepared; afterwards record what you learned and the names you were given, and say thank you.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import typer
from rich.panel import Panel

from circleback.cli import app
from circleback.cli._common import (
    already_known,
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    is_interactive,
    local_time,
    refusal_as_usage_error,
    resolve_organisation,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import check_page, limit_option, offset_option, print_list

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.loops.models import Meeting

# Each command starts with django_setup(), as in the other command modules: it imports models
# before current_user() sets Django up. (Not in a group callback: --help needs no Django.)
meeting_app = typer.Typer(
    help=(
        "Information-and-referral meetings: schedule, prepare, record the outcome.\n\n"
        "Ask for 30 minutes to validate an idea, gather information, seek advice, plant seeds "
        "and obtain referrals — never for a job.\n\n"
        'Example: circleback meeting schedule "Ada Quill" --when "2026-11-24 14:30" '
        "--purpose advice --purpose referrals"
    ),
    no_args_is_help=True,
)
app.add_typer(meeting_app, name="meeting", rich_help_panel="Meetings and loops")

draft_app = typer.Typer(
    help="Draft a personalised message to copy into email or LinkedIn. Nothing is sent.",
    no_args_is_help=True,
)
app.add_typer(draft_app, name="draft", rich_help_panel="Meetings and loops")

PURPOSES = "validate, industry, advice, seeds, referrals"
H_JSON = "Print JSON instead of a table."


def parse_when(owner: User, value: str, option: str = "--when") -> dt.datetime:
    """'2026-11-24 14:30' (or with a T) in the owner's time zone, as an aware datetime."""
    try:
        naive = dt.datetime.fromisoformat(value.strip().replace("T", " "))
    except ValueError:
        usage_error(f"{option} {value!r} is not a date and time; use 'YYYY-MM-DD HH:MM'.")
    if naive.tzinfo is not None:
        return naive
    from circleback.accounts.queries import user_zone

    zone: dt.tzinfo = user_zone(owner)
    return naive.replace(tzinfo=zone)


def resolve_meeting(owner: User, query: str) -> Meeting:
    """A meeting by its UUID or short id, or a person's next scheduled (else latest) meeting."""
    from circleback.loops.models import Meeting

    found = short_id_lookup(Meeting.objects.filter(owner=owner), query)
    if found is not None:
        return found
    person = resolve_person(owner, query)
    meetings = Meeting.objects.filter(owner=owner, person=person)
    meeting = (
        meetings.filter(status=Meeting.Status.SCHEDULED).order_by("scheduled_for").first()
        or meetings.order_by("-scheduled_for").first()
    )
    if meeting is None:
        fail(
            f"you have no meeting with {person.full_name}. "
            f'Schedule one: circleback meeting schedule "{person.full_name}" --when …'
        )
    return meeting


def short_id_lookup(queryset: Any, query: str) -> Any:
    """The row whose UUID is `query` or starts with it (at least 6 hex digits), else None."""
    import re
    import uuid

    text = query.strip().lower()
    try:
        return queryset.filter(uuid=uuid.UUID(text)).first()
    except ValueError:
        pass
    if not re.fullmatch(r"[0-9a-f]{6,8}", text):
        return None
    matches = list(queryset.filter(uuid__startswith=text)[:2])
    if len(matches) > 1:
        usage_error(f"{query!r} matches more than one; use more of the id.")
    return matches[0] if matches else None


def confirm_delete(yes: bool, question: str, what: str) -> None:
    """Ask before deleting, unless --yes; a script without --yes is stopped, not guessed for."""
    if yes:
        return
    if not is_interactive():
        usage_error(f"not deleting {what} without confirmation; add --yes to delete from a script.")
    if not typer.confirm(question):
        fail("nothing was deleted.")


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    return {
        "uuid": str(meeting.uuid),
        "id": str(meeting.uuid)[:8],
        "person": {"uuid": str(meeting.person.uuid), "full_name": meeting.person.full_name},
        "scheduled_for": meeting.scheduled_for.isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "purposes": meeting.purposes,
        "referred_by": meeting.referred_by.full_name if meeting.referred_by else None,
        "status": meeting.status,
        "learned": meeting.learned,
        "outcome": meeting.outcome,
        "next_steps": meeting.next_steps,
    }


@meeting_app.command("schedule")
def schedule(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Whom you're meeting: a name, email or UUID."),
    when: str = typer.Option(..., "--when", help="'YYYY-MM-DD HH:MM' in your time zone."),
    minutes: int = typer.Option(30, "--minutes", help="How long you asked for (advice: ≤ 30)."),
    where: str = typer.Option("", "--where", help="Where or how: 'Café Nero', 'video call'."),
    purpose: list[str] = typer.Option([], "--purpose", help=f"Repeat: {PURPOSES}."),
    referred_by: str | None = typer.Option(None, "--referred-by", help="Who referred you."),
    notes: str = typer.Option("", "--notes", help="Prep notes."),
    held: bool = typer.Option(False, "--held", help="It already happened: record it as held."),
) -> None:
    """Schedule an information-and-referral meeting (or record one with --held).

    Example: circleback meeting schedule "Ada Quill" --when "2026-11-24 14:30" --where "video
    call" --purpose industry --purpose referrals --referred-by "Bart Nguyen"
    """
    django_setup()
    from circleback.loops.services.meetings import meeting_schedule, meeting_warnings

    owner = current_user(ctx)
    contact = resolve_person(owner, person)
    referrer = resolve_person(owner, referred_by) if referred_by else None
    with refusal_as_usage_error(
        {
            "scheduled_for": "--when",
            "duration_minutes": "--minutes",
            "location": "--where",
            "purposes": "--purpose",
            "referred_by": "--referred-by",
            "prep_notes": "--notes",
        }
    ):
        meeting = meeting_schedule(
            owner=owner,
            person=contact,
            scheduled_for=parse_when(owner, when),
            duration_minutes=minutes,
            location=where,
            purposes=purpose,
            referred_by=referrer,
            prep_notes=notes,
            held=held,
        )
    console.print(
        f"Meeting with [bold]{contact.full_name}[/] on {local_time(meeting.scheduled_for)} "
        f"for {meeting.duration_minutes} minutes (id {str(meeting.uuid)[:8]}).",
        highlight=False,
    )
    for warning in meeting_warnings(meeting):
        console.print(f"[yellow]Note:[/] {warning}", highlight=False, soft_wrap=True)
    if not held:
        console.print(f"Prepare with: circleback meeting prep {str(meeting.uuid)[:8]}")


@meeting_app.command("prep")
def prep(
    ctx: typer.Context,
    meeting: str = typer.Argument(..., help="A meeting id, or a person (their next meeting)."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """The prep brief: who they are, how you're connected, who referred you, their
    organisation, your history, your pitch, questions to ask and what you could offer.

    Example: circleback meeting prep "Ada Quill"
    """
    django_setup()
    from circleback.operations.prep import meeting_prep

    owner = current_user(ctx)
    brief = meeting_prep(meeting=resolve_meeting(owner, meeting))
    person, org = brief.person, brief.organisation
    if as_json:
        emit_json(
            {
                "meeting": meeting_to_dict(brief.meeting),
                "person": {
                    "uuid": str(person.uuid),
                    "full_name": person.full_name,
                    "title": person.title,
                    "list": person.contact_list,
                },
                "organisation": (
                    {"name": org.name, "stage": org.stage, "is_target": org.is_target}
                    if org
                    else None
                ),
                "connections": brief.connections,
                "ties": [{"full_name": p.full_name, "kind": t.kind} for p, t in brief.ties],
                "referred_by": brief.referred_by.full_name if brief.referred_by else None,
                "past_interactions": [
                    {"occurred_at": i.occurred_at, "kind": i.kind, "summary": i.summary}
                    for i in brief.past
                ],
                "pitch": brief.pitch if brief.has_pitch else None,
                "questions": {label: qs for label, qs in brief.questions},
                "interests": brief.interests,
                "favours": {"given": brief.balance.given, "received": brief.balance.received},
                "standing_offers": [o.offer for o in brief.offers],
                "open_loops": [item.title for item in brief.loops],
                "reminders": brief.reminders,
            }
        )
        return
    m = brief.meeting
    head = f"{person.full_name}" + (f", {person.title}" if person.title else "")
    if org:
        head += f" at {org.name}"
        if org.is_target:
            head += f" (a target: {org.get_stage_display().lower()})"
    console.print(
        Panel(
            f"{local_time(m.scheduled_for)} · {m.duration_minutes} min"
            + (f" · {m.location}" if m.location else "")
            + (f"\nPurposes: {', '.join(m.purpose_labels())}" if m.purposes else ""),
            title=head,
            title_align="left",
        ),
        highlight=False,
    )
    for reminder in brief.reminders:
        console.print(f"• {reminder}", highlight=False)
    console.print("\n[bold]How you're connected[/]", highlight=False)
    for line in brief.connections:
        console.print(f"  {line}", highlight=False)
    for other, tie in brief.ties:
        console.print(f"  Knows {other.full_name} ({tie.get_kind_display()})", highlight=False)
    console.print("\n[bold]Your two-minute pitch[/]", highlight=False)
    console.print(f"  {brief.pitch}", highlight=False)
    console.print("\n[bold]Questions[/]", highlight=False)
    for label, questions in brief.questions:
        console.print(f"  {label}", highlight=False)
        for q in questions:
            console.print(f"    - {q}", highlight=False)
    console.print("\n[bold]What you might offer[/]", highlight=False)
    if brief.interests:
        console.print(f"  They care about: {', '.join(brief.interests)}", highlight=False)
    console.print(
        f"  Favours: you gave {brief.balance.given}, received {brief.balance.received}",
        highlight=False,
    )
    for offer in brief.offers:
        console.print(f"  Standing offer: {offer.offer}", highlight=False)
    if brief.past:
        console.print("\n[bold]Past interactions[/]", highlight=False)
        for entry in brief.past:
            console.print(
                f"  {local_time(entry.occurred_at, with_time=False)}  {entry.summary}",
                highlight=False,
            )


def _referral(
    owner: User, value: str, contact_list: str, name_ok: bool, about: str, new: bool
) -> Any:
    """--referral 'Name@Organisation', or the id of someone already in the network."""
    from circleback.loops.services.meetings import ReferralInput
    from circleback.people.queries import get_person_for

    text = value.strip()
    if _looks_like_uuid(text):
        person = get_person_for(owner, text) if _owned(owner, text) else None
        if person is None:
            fail(f"--referral {value!r}: no one in your network has that id.")
        organisation = person.organisation.name if person.organisation else ""
        return ReferralInput(
            full_name=person.full_name,
            organisation=organisation,
            contact_list=contact_list,
            may_use_name=name_ok,
            about=about,
            choice=str(person.uuid),
        )
    name, _, organisation = text.partition("@")
    if not name.strip():
        usage_error(f"--referral {value!r} needs a name, e.g. --referral 'Dana Lee@Hooli'.")
    return ReferralInput(
        full_name=name.strip(),
        organisation=organisation.strip(),
        contact_list=contact_list,
        may_use_name=name_ok,
        about=about,
        choice="new" if new else "",
    )


def _looks_like_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _owned(owner: User, text: str) -> bool:
    from circleback.people.models import Person

    return Person.objects.filter(owner=owner, uuid=text).exists()


@meeting_app.command("log")
def log(
    ctx: typer.Context,
    meeting: str = typer.Argument(..., help="A meeting id, or a person (their next meeting)."),
    learned: str = typer.Option("", "--learned", help="What you learned."),
    outcome: str = typer.Option("", "--outcome", help="What came of it."),
    next_steps: str = typer.Option("", "--next", help="Your next steps."),
    referral: list[str] = typer.Option(
        [], "--referral", help="A name you were given, 'Name@Organisation'; repeat for several."
    ),
    referral_list: str = typer.Option("C", "--referral-list", help="B or C for the referrals."),
    referral_for: str = typer.Option("", "--for", help="What the referrals are for."),
    name_ok: bool = typer.Option(
        False, "--name-ok", help="They said you may use their name when you contact them."
    ),
    offered: str | None = typer.Option(
        None, "--offered", help="What you offered in return: a kind (advice, information…)."
    ),
    offer_note: str = typer.Option("", "--offer-note", help="What exactly you offered."),
    standing: bool = typer.Option(False, "--standing", help="Keep it as a standing offer."),
    new: bool = typer.Option(
        False,
        "--new",
        help="Add each --referral name as a new person even if someone of that name is "
        "already in your network.",
    ),
) -> None:
    """Record what came of a meeting: it goes in the journal, each referral becomes a person
    and a lead, and a thank-you falls due.

    A referral who may already be in your network (the same name, at the same organisation or
    not) is not added twice: you are shown who, with their ids; give --referral ID to mean
    them, or --new to add new people anyway.

    Example: circleback meeting log "Ada Quill" --learned "Hooli is hiring into data"
    --referral "Dana Lee@Hooli" --referral "Eli Moss" --name-ok --offered information
    --offer-note "Send her the payments report"
    """
    django_setup()
    from circleback.loops.services.meetings import OfferInput, meeting_log_outcome
    from circleback.people.services.people import PeopleToChoose, PersonExists

    owner = current_user(ctx)
    found = resolve_meeting(owner, meeting)
    letter = referral_list.strip().upper()
    if letter not in ("B", "C"):
        usage_error("--referral-list must be B (career) or C (target employers).")
    referrals = [_referral(owner, r, letter, name_ok, referral_for, new) for r in referral]
    offer = OfferInput(kind=offered, note=offer_note, standing=standing) if offered else None
    with refusal_as_usage_error({"referrals": "--referral", "offered": "--offered"}):
        try:
            result = meeting_log_outcome(
                meeting=found,
                learned=learned,
                outcome=outcome,
                next_steps=next_steps,
                referrals=referrals,
                offered=offer,
            )
        except PeopleToChoose as exc:
            number, matches = next(iter(exc.matches.items()))
            typed = referrals[int(number.split(".")[1])].full_name
            already_known(
                PersonExists(matches),
                typed,
                "Give --referral ID to mean one of them, or --new to add new people anyway.",
            )
    console.print(f"Recorded your meeting with {found.person.full_name}.", highlight=False)
    for person in result.referrals:
        console.print(f"  New lead: {person.full_name} (list {person.contact_list})")
    if result.thank_you is not None:
        console.print(
            f"Thank {found.person.full_name} by {local_time(result.thank_you.due_at)}; "
            f"then: circleback loop advance {str(result.thank_you.uuid)[:8]} --how email",
            highlight=False,
            soft_wrap=True,
        )


@meeting_app.command("cancel")
def cancel(
    ctx: typer.Context,
    meeting: str = typer.Argument(..., help="A meeting id, or a person (their next meeting)."),
) -> None:
    """Cancel a scheduled meeting. Example: circleback meeting cancel 3f2a9c1b"""
    django_setup()
    from circleback.loops.services.meetings import meeting_cancel

    owner = current_user(ctx)
    found = resolve_meeting(owner, meeting)
    with refusal_as_usage_error():
        meeting_cancel(meeting=found)
    console.print(f"Cancelled the meeting with {found.person.full_name}.", highlight=False)


@meeting_app.command("edit")
def edit(
    ctx: typer.Context,
    meeting: str = typer.Argument(..., help="A meeting id, or a person (their next meeting)."),
    when: str | None = typer.Option(
        None, "--when", help="Reschedule: 'YYYY-MM-DD HH:MM' in your time zone."
    ),
    minutes: int | None = typer.Option(None, "--minutes", help="How long you asked for."),
    where: str | None = typer.Option(None, "--where", help="Where or how."),
    purpose: list[str] = typer.Option(
        [], "--purpose", help=f"Replaces the purposes; repeat: {PURPOSES}."
    ),
    referred_by: str | None = typer.Option(None, "--referred-by", help="Who referred you."),
    no_referrer: bool = typer.Option(False, "--no-referrer", help="Nobody referred you."),
    notes: str | None = typer.Option(None, "--notes", help="Replaces the prep notes."),
    learned: str | None = typer.Option(None, "--learned", help="A held meeting: what you learned."),
    outcome: str | None = typer.Option(None, "--outcome", help="A held meeting: what came of it."),
    next_steps: str | None = typer.Option(None, "--next", help="A held meeting: next steps."),
) -> None:
    """Change a meeting; what you leave out stays as it is.

    Rescheduling an upcoming meeting moves its "record the outcome" step (it must stay in the
    future); a held meeting can move earlier but not into the future.

    Examples: circleback meeting edit 3f2a9c1b --when "2026-11-26 09:00";
    circleback meeting edit "Ada Quill" --where "video call" --purpose advice
    """
    django_setup()
    from circleback.loops.services.meetings import UNSET, meeting_update, meeting_warnings

    owner = current_user(ctx)
    found = resolve_meeting(owner, meeting)
    if referred_by and no_referrer:
        usage_error("use --referred-by or --no-referrer, not both.")
    referrer: Any = UNSET
    if referred_by:
        referrer = resolve_person(owner, referred_by)
    elif no_referrer:
        referrer = None
    with refusal_as_usage_error(
        {
            "scheduled_for": "--when",
            "duration_minutes": "--minutes",
            "location": "--where",
            "purposes": "--purpose",
            "referred_by": "--referred-by",
            "learned": "--learned",
            "outcome": "--outcome",
            "next_steps": "--next",
        }
    ):
        meeting_update(
            owner=owner,
            meeting=found,
            scheduled_for=parse_when(owner, when) if when else None,
            duration_minutes=minutes,
            location=where,
            purposes=purpose or None,
            referred_by=referrer,
            prep_notes=notes,
            learned=learned,
            outcome=outcome,
            next_steps=next_steps,
        )
    console.print(
        f"Meeting with {found.person.full_name}: {local_time(found.scheduled_for)}, "
        f"{found.duration_minutes} minutes (id {str(found.uuid)[:8]}).",
        highlight=False,
    )
    for warning in meeting_warnings(found):
        console.print(f"[yellow]Note:[/] {warning}", highlight=False, soft_wrap=True)


@meeting_app.command("delete")
def delete(
    ctx: typer.Context,
    meeting: str = typer.Argument(..., help="A meeting id, or a person (their next meeting)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Don't ask; delete straight away."),
) -> None:
    """Delete a meeting and its open loop steps; a held one also loses its journal entry and
    the favours recorded with it (the people and leads it gave you stay).

    Asks first unless you pass --yes. Example: circleback meeting delete 3f2a9c1b --yes
    """
    django_setup()
    from circleback.loops.services.meetings import meeting_delete

    owner = current_user(ctx)
    found = resolve_meeting(owner, meeting)
    label = f"the meeting with {found.person.full_name} on {local_time(found.scheduled_for)}"
    confirm_delete(yes, f"Delete {label}?", label)
    meeting_delete(owner=owner, meeting=found)
    console.print(f"Deleted {label}.", highlight=False)


@meeting_app.command("list")
def list_meetings(
    ctx: typer.Context,
    upcoming: bool = typer.Option(False, "--upcoming", help="Only meetings still to come."),
    person: str | None = typer.Option(None, "--person", help="Only meetings with this person."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Your meetings: upcoming soonest first with --upcoming, else newest first.

    Example: circleback meeting list --upcoming
    """
    django_setup()
    from circleback.loops.models import Meeting
    from circleback.loops.queries import meetings_list

    check_page(limit, offset)
    owner = current_user(ctx)
    who = resolve_person(owner, person) if person else None
    status = Meeting.Status.SCHEDULED if upcoming else ""
    print_list(
        meetings_list(owner=owner, status=status, person=who),
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=meeting_to_dict,
        empty=(
            "No meetings yet. Ask someone on list A for 30 minutes of advice first — "
            'mistakes are cheap there: circleback meeting schedule "NAME" --when …'
        ),
        title="Meetings",
        columns=("Id", "When", "With", "Purposes", "Status"),
        cells=lambda m: (
            str(m.uuid)[:8],
            local_time(m.scheduled_for),
            m.person.full_name,
            ", ".join(m.purposes),
            m.get_status_display(),
        ),
        what="meetings",
    )


@draft_app.command("outreach")
def outreach(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Whom you're writing to."),
    about: str | None = typer.Option(None, "--about", help="The organisation it's about."),
    referrer: str | None = typer.Option(None, "--referrer", help="Who referred you to them."),
    intro_to: str | None = typer.Option(
        None, "--intro-to", help="Ask them to introduce you to this person instead."
    ),
    kind: str = typer.Option(
        "invitation", "--kind", help="invitation (a meeting) or introduction (ask for one)."
    ),
    purpose: list[str] = typer.Option([], "--purpose", help=f"Repeat: {PURPOSES}."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """A personalised invitation or introduction request, filled from your records, to copy
    into email or LinkedIn. Circleback never sends it. Mentioning someone who hasn't cleared
    the use of their name gives a warning.

    Examples: circleback draft outreach "Dana Lee" --referrer "Ada Quill" --purpose advice;
    circleback draft outreach "Ada Quill" --kind introduction --about Initech
    """
    django_setup()
    from circleback.loops.services.drafts import outreach_draft

    owner = current_user(ctx)
    to = resolve_person(owner, person)
    by = resolve_person(owner, referrer) if referrer else None
    target = resolve_person(owner, intro_to) if intro_to else None
    if target is not None:
        kind = "introduction"
    organisation: Any = None
    if about:
        from circleback.people.queries import organisation_find

        organisation = (
            resolve_organisation(owner, about)
            if organisation_find(owner=owner, query=about)
            else about
        )
    with refusal_as_usage_error({"about": "--about", "kind": "--kind", "purposes": "--purpose"}):
        draft = outreach_draft(
            owner=owner,
            person=to,
            kind=kind,
            about=organisation,
            referrer=by,
            target=target,
            purposes=purpose,
        )
    if as_json:
        emit_json({"subject": draft.subject, "body": draft.body, "warnings": list(draft.warnings)})
        return
    for warning in draft.warnings:
        console.print(f"[yellow]Warning:[/] {warning}", highlight=False, soft_wrap=True)
    console.print(f"Subject: {draft.subject}\n", highlight=False)
    console.print(draft.body, highlight=False, markup=False)
