"""`circleback loop`: closing every loop.

"If someone gives you a lead, be sure to pursue it and let your contacts know the outcome."
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    local_time,
    parse_date,
    refusal_as_usage_error,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import (
    check_page,
    limit_option,
    offset_option,
    print_list,
)
from circleback.cli.meetings import short_id_lookup

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.loops.models import (
        LoopStep,
    )
    from circleback.loops.queries import LoopItem


H_JSON = "Print JSON instead of a table."
PANEL = "Meetings and loops"

# Each command starts with django_setup(), as in the other command modules: it imports models
# before current_user() sets Django up. (Not in a group callback: --help needs no Django.)
loop_app = typer.Typer(
    help=(
        "Open loops: every lead to pursue, thank-you to send and check-back to make, oldest "
        "first, with the one action that closes each.\n\n"
        "Example: circleback loop list --overdue; circleback loop advance 3f2a9c1b"
    ),
    no_args_is_help=True,
)


def _resolve_step(owner: User, query: str) -> LoopStep:
    from circleback.loops.models import LoopStep

    step = short_id_lookup(LoopStep.objects.filter(owner=owner), query)
    if step is None:
        usage_error(f"no loop step has the id {query!r}; see them with `circleback loop list`.")
    return step


def item_to_dict(item: LoopItem) -> dict[str, Any]:
    step = item.step
    return {
        "id": str(step.uuid)[:8],
        "uuid": str(step.uuid),
        "kind": step.kind,
        "title": item.title,
        "context": item.context,
        "person": {"uuid": str(step.person.uuid), "full_name": step.person.full_name},
        "due_at": step.due_at.isoformat(),
        "overdue": item.overdue,
        "snoozed_until": step.snoozed_until,
        "loop_started_at": step.loop_started_at.isoformat(),
        "actions": [{"to": a.to, "label": a.label} for a in item.actions],
    }


@loop_app.command("list")
def loop_list(
    ctx: typer.Context,
    overdue: bool = typer.Option(False, "--overdue", help="Only steps past their due time."),
    person: str | None = typer.Option(None, "--person", help="Only loops with this person."),
    thanks: bool = typer.Option(False, "--thanks", help="Only thank-yous you owe."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Every open loop step, oldest loop first, with the action that closes it.

    Example: circleback loop list --overdue
    """
    django_setup()
    from django.utils import timezone

    from circleback.loops.models import LoopStep
    from circleback.loops.queries import loop_item, open_loop_steps

    check_page(limit, offset)
    owner = current_user(ctx)
    who = resolve_person(owner, person) if person else None
    kinds = [LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK] if thanks else []
    now = timezone.now()
    steps = open_loop_steps(owner=owner, person=who, overdue_only=overdue, kinds=kinds, now=now)
    print_list(
        steps,
        limit=limit,
        offset=offset,
        batch=lambda rows: [loop_item(s, now) for s in rows],
        as_json=as_json,
        to_json=item_to_dict,
        empty="No open loops. Every lead pursued, every thank-you sent.",
        title="Open loops",
        columns=("Id", "Due", "Step", "Close it with"),
        cells=_loop_cells,
        what="open steps",
    )


def _loop_cells(item: LoopItem) -> tuple[str, ...]:
    due = local_time(item.due_at)
    if item.overdue:
        due = f"[bold red]{due} overdue[/]"
    elif item.step.snoozed_until:
        due += " (snoozed)"
    actions = " | ".join(f"--to {a.to}" if len(item.actions) > 1 else a.label for a in item.actions)
    if item.url_name:
        actions = (
            f"circleback meeting log {str(item.step.meeting.uuid)[:8]}"
            if item.step.meeting
            else actions
        )
    return (str(item.uuid)[:8], due, f"{item.title}\n[dim]{item.context}[/]", actions)


@loop_app.command("advance")
def loop_advance_command(
    ctx: typer.Context,
    step: str = typer.Argument(..., help="The step's id from `circleback loop list`."),
    to: str | None = typer.Option(None, "--to", help="How it went, when there's a choice."),
    how: str | None = typer.Option(
        None, "--how", help="For a thank-you: email, card, call, message or 'in person'."
    ),
    note: str = typer.Option(
        "",
        "--note",
        help="What happened, for the journal: what you learned when you met, what you told "
        "the referrer.",
    ),
) -> None:
    """Close a loop step (it goes in the journal) and open the next one. Meeting a lead also
    opens a thank-you to them.

    Examples: circleback loop advance 3f2a9c1b; circleback loop advance 3f2a9c1b --to declined;
    circleback loop advance 77aa01c2 --how card
    """
    django_setup()
    from circleback.loops.models import LoopStep
    from circleback.loops.queries import loop_item
    from circleback.loops.services.loops import loop_advance, thank_you_mark_sent

    owner = current_user(ctx)
    found = _resolve_step(owner, step)
    with refusal_as_usage_error({"to": "--to", "how": "--how", "step": ""}):
        if how is not None or (
            found.kind in (LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK) and to is None
        ):
            thank_you_mark_sent(owner=owner, step=found, how=how or "email", note=note)
            following = None
        else:
            following = loop_advance(owner=owner, step=found, to=to, note=note)
    console.print(f"Done: {loop_item(found).title}.", highlight=False)
    if following is not None:
        item = loop_item(following)
        console.print(
            f"Next: {item.title}, due {local_time(following.due_at)} "
            f"(id {str(following.uuid)[:8]}).",
            highlight=False,
        )


@loop_app.command("snooze")
def loop_snooze_command(
    ctx: typer.Context,
    step: str = typer.Argument(..., help="The step's id from `circleback loop list`."),
    until: str = typer.Option(..., "--until", help="YYYY-MM-DD: when to follow up."),
    note: str = typer.Option("", "--note", help="e.g. 'Busy until the new year'."),
) -> None:
    """ "Not now — maybe later": put a step aside until a date. Be patient.

    Example: circleback loop snooze 3f2a9c1b --until 2027-01-10 --note "After the holidays"
    """
    django_setup()
    from circleback.loops.services.loops import loop_snooze

    owner = current_user(ctx)
    found = _resolve_step(owner, step)
    day = parse_date(until, "--until")
    assert day is not None
    with refusal_as_usage_error({"until": "--until", "step": ""}):
        loop_snooze(owner=owner, step=found, until=day, note=note)
    console.print(f"Snoozed until {day:%Y-%m-%d}.")


@loop_app.command("lead")
def loop_lead(
    ctx: typer.Context,
    referrer: str = typer.Argument(..., help="Who gave you the name."),
    referred: str = typer.Argument(..., help="The person you were given (see --new)."),
    about: str = typer.Option("", "--for", help="What for, e.g. 'the data team'."),
    new: bool = typer.Option(
        False, "--new", help="They're not in your network yet: add them, introduced by REFERRER."
    ),
    org: str = typer.Option("", "--org", help="The organisation the lead is at."),
    contact_list: str = typer.Option("C", "--list", help="With --new: list B or C."),
    name_ok: bool = typer.Option(
        False, "--name-ok", help="REFERRER said you may use their name when you get in touch."
    ),
) -> None:
    """Record a lead someone gave you outside a meeting; its loop opens with "contact them".

    Examples: circleback loop lead "Ada Quill" "Dana Lee" --for "the data team";
    circleback loop lead "Ada Quill" "Eli Moss" --new --org Initech --name-ok
    """
    django_setup()
    from circleback.loops.services.leads import lead_record

    owner = current_user(ctx)
    giver = resolve_person(owner, referrer)
    person = None if new else resolve_person(owner, referred)
    with refusal_as_usage_error(
        {"person": "REFERRED", "contact_list": "--list", "organisation": "--org"}
    ):
        lead = lead_record(
            owner=owner,
            referrer=giver,
            person=person,
            full_name=referred if new else "",
            organisation=org,
            about=about,
            contact_list=contact_list,
            may_use_name=name_ok,
            # --new is the explicit choice to add them, namesakes or not.
            choice="new" if new else "",
        )
    step = lead.steps.order_by("pk").first()
    due = f" by {local_time(step.due_at)}" if step is not None else ""
    console.print(
        f"Lead recorded: contact {lead.referred.full_name}{due}, then tell "
        f"{giver.full_name} what came of it.",
        highlight=False,
    )


@loop_app.command("settings")
def loop_settings(
    ctx: typer.Context,
    thank_you_hours: int | None = typer.Option(
        None, "--thank-you-hours", help="Thank someone within this many hours (1-168; 24)."
    ),
    lead_contact_days: int | None = typer.Option(
        None, "--lead-contact-days", help="Contact a lead within this many days (1-90; 3)."
    ),
    lead_meet_days: int | None = typer.Option(
        None, "--lead-meet-days", help="Meet them within this many days of contact (1-90; 14)."
    ),
    lead_tell_days: int | None = typer.Option(
        None, "--lead-tell-days", help="Tell the referrer the outcome within (1-90; 2)."
    ),
    check_back_days: int | None = typer.Option(
        None, "--check-back-days", help="Check back with someone you helped after (1-90; 14)."
    ),
) -> None:
    """Show or change when loop steps fall due. "Close the loop": pursue every lead and tell
    whoever gave it what came of it. New steps follow the settings; open ones keep their dates.

    Example: circleback loop settings --thank-you-hours 12 --lead-contact-days 2
    """
    django_setup()
    from circleback.loops.services.settings import loop_settings_for, loop_settings_update

    owner = current_user(ctx)
    changes = {
        "thank_you_hours": thank_you_hours,
        "lead_contact_days": lead_contact_days,
        "lead_meet_days": lead_meet_days,
        "lead_tell_days": lead_tell_days,
        "check_back_days": check_back_days,
    }
    with refusal_as_usage_error({name: "--" + name.replace("_", "-") for name in changes}):
        settings = (
            loop_settings_update(owner=owner, **changes)
            if any(v is not None for v in changes.values())
            else loop_settings_for(owner)
        )
    console.print(
        f"Thank-yous fall due {settings.thank_you_hours} hours after a meeting or favour. "
        f"Leads: contact within {settings.lead_contact_days} days, meet within "
        f"{settings.lead_meet_days}, tell the referrer within {settings.lead_tell_days}. "
        f"Check back {settings.check_back_days} days after helping someone.",
        highlight=False,
        soft_wrap=True,
    )


app.add_typer(loop_app, name="loop", rich_help_panel=PANEL)
