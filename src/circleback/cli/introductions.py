"""`circleback intro`: introductions you make and ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    local_time,
    refusal_as_usage_error,
    resolve_organisation,
    resolve_person,
    usage_error,
)
from circleback.cli.loops_lists import LoopsList, add_list_command
from circleback.cli.meetings import short_id_lookup

if TYPE_CHECKING:
    from circleback.loops.models import (
        Introduction,
    )
from circleback.cli.loops import item_to_dict

PANEL = "Meetings and loops"
intro_app = typer.Typer(
    help=(
        "Introductions you make between two people (ask each first, then introduce), and "
        "the ones you ask for (follow up until they introduce you).\n\n"
        'Example: circleback intro make "Ada Quill" "Bart Nguyen" --reason "Both hiring in '
        'payments"; circleback intro request "Maya Rosen" "Sam Okafor"'
    ),
    no_args_is_help=True,
)


# --- introductions --------------------------------------------------------------------------


@intro_app.command("make")
def intro_make(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="The first person (you ask them first)."),
    second: str = typer.Argument(..., help="The second person."),
    reason: str = typer.Option(..., "--reason", help="Why they should meet."),
) -> None:
    """Plan an introduction: ask each, then introduce them, then check back.

    Example: circleback intro make "Ada Quill" "Bart Nguyen" --reason "Both hiring in payments"
    """
    django_setup()
    from circleback.loops.services.introductions import introduction_make

    owner = current_user(ctx)
    with refusal_as_usage_error({"person_y": "", "reason": "--reason"}):
        introduction = introduction_make(
            owner=owner,
            person_x=resolve_person(owner, first),
            person_y=resolve_person(owner, second),
            reason=reason,
        )
    console.print(
        f"Introduction {str(introduction.uuid)[:8]} planned: first ask "
        f"{introduction.person_x.full_name}.",
        highlight=False,
    )


@intro_app.command(
    "request",
    help=(
        "You asked VIA to introduce you to TARGET: open a loop to follow up.\n\n"
        "Ask for an introduction to someone who can tell you about their work, not to pass "
        "your CV to HR. Find who could introduce you with `circleback paths --to ORG`, send "
        "your request yourself (Circleback never sends messages), then run this.\n\n"
        "The follow-up falls due after your lead-contact days. When VIA says yes, advance it "
        "with --to agreed and TARGET becomes a lead to contact, meet, report back on and "
        'thank VIA for; --to declined closes it; `circleback loop snooze` for "not now".\n\n'
        'Example: circleback intro request "Maya Rosen" "Sam Okafor" --org Globex'
    ),
)
def intro_request(
    ctx: typer.Context,
    via: str = typer.Argument(..., help="Whom you asked for the introduction."),
    target: str = typer.Argument(..., help="Whom you asked them to introduce you to."),
    org: str = typer.Option(
        "", "--org", help="The organisation it is about (default: the target's)."
    ),
    note: str = typer.Option("", "--note", help="What for, e.g. 'the data team'."),
    as_json: bool = typer.Option(False, "--json", help="Print the new loop step as JSON."),
) -> None:
    """The follow-up loop for an introduction you asked for (the help text says how)."""
    django_setup()
    from circleback.loops.queries import loop_item
    from circleback.loops.services.introductions import introduction_request

    owner = current_user(ctx)
    asked = resolve_person(owner, via)
    wanted = resolve_person(owner, target)
    organisation = resolve_organisation(owner, org) if org.strip() else None
    with refusal_as_usage_error({"via": "VIA", "target": "TARGET", "note": "--note"}):
        step = introduction_request(
            owner=owner, via=asked, target=wanted, organisation=organisation, note=note
        )
    if as_json:
        emit_json(item_to_dict(loop_item(step)))
        return
    short = str(step.uuid)[:8]
    console.print(
        f"Loop opened: follow up with {asked.full_name} about an introduction to "
        f"{wanted.full_name} by {local_time(step.due_at)}. When they say yes: "
        f"circleback loop advance {short} --to agreed",
        highlight=False,
    )


@intro_app.command("advance")
def intro_advance(
    ctx: typer.Context,
    introduction: str = typer.Argument(..., help="The introduction's id."),
    to: str | None = typer.Option(
        None, "--to", help="asked_x, asked_y, introduced, checked_back or declined."
    ),
    note: str = typer.Option("", "--note", help="The outcome, when you check back."),
) -> None:
    """Move an introduction on one step. Example: circleback intro advance 5c1d2e3f --to asked_x"""
    django_setup()
    from circleback.loops.models import Introduction
    from circleback.loops.services.introductions import introduction_advance

    owner = current_user(ctx)
    found = short_id_lookup(Introduction.objects.filter(owner=owner), introduction)
    if found is None:
        usage_error(f"no introduction has the id {introduction!r}; see `circleback intro list`.")
    with refusal_as_usage_error({"to": "--to"}):
        introduction_advance(introduction=found, to=to, note=note)
    found.refresh_from_db()
    console.print(f"{found}: {found.get_state_display()}.", highlight=False)


def _introduction_to_dict(i: Introduction) -> dict[str, Any]:
    return {
        "id": str(i.uuid)[:8],
        "uuid": str(i.uuid),
        "first": i.person_x.full_name,
        "second": i.person_y.full_name,
        "reason": i.reason,
        "state": i.state,
        "outcome": i.outcome,
    }


add_list_command(
    intro_app,
    "list",
    LoopsList(
        query="introductions_list",
        title="Introductions",
        columns=("Id", "Between", "Why", "State"),
        cells=lambda i: (str(i.uuid)[:8], str(i), i.reason, i.get_state_display()),
        to_json=_introduction_to_dict,
        empty="No introductions yet. Be a connector: who could help each other?",
        what="introductions",
    ),
    help="Introductions you've made or are making. Example: circleback intro list",
)


app.add_typer(intro_app, name="intro", rich_help_panel=PANEL)
