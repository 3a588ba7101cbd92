"""`circleback favour`: the favours ledger and standing offers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
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
from circleback.cli.loops_lists import LoopsList, add_list_command
from circleback.cli.meetings import confirm_delete, short_id_lookup

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.loops.models import (
        Favour,
        StandingOffer,
    )
    from circleback.loops.queries import LedgerRow


H_JSON = "Print JSON instead of a table."
PANEL = "Meetings and loops"
favour_app = typer.Typer(
    help=(
        "The favours ledger: what you gave and what you received. Give as much as you get.\n\n"
        'Example: circleback favour log "Ada Quill" --received --kind referral'
    ),
    no_args_is_help=True,
)


# --- favours --------------------------------------------------------------------------------


@favour_app.command("log")
def favour_log_command(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="With whom."),
    given: bool = typer.Option(False, "--given", help="You did them a favour."),
    received: bool = typer.Option(False, "--received", help="They did you a favour."),
    kind: str = typer.Option(
        "other",
        "--kind",
        help="introduction, referral, advice, information, event, endorsement or other.",
    ),
    note: str = typer.Option("", "--note", help="What it was."),
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default today)."),
) -> None:
    """Log a favour given or received. A favour received puts a thank-you on your loops.

    Example: circleback favour log "Ada Quill" --received --kind endorsement --note "LinkedIn"
    """
    django_setup()
    from circleback.loops.services.favours import favour_log

    if given == received:
        usage_error("say --given or --received.")
    owner = current_user(ctx)
    who = resolve_person(owner, person)
    with refusal_as_usage_error({"kind": "--kind", "occurred_on": "--on"}):
        favour_log(
            owner=owner,
            person=who,
            direction="given" if given else "received",
            kind=kind,
            note=note,
            occurred_on=parse_date(on, "--on"),
        )
    if received:
        console.print(f"Logged. Thank {who.full_name} — it's on your loops.", highlight=False)
    else:
        console.print("Logged.")


def _favour_to_dict(f: Favour) -> dict[str, Any]:
    return {
        "id": str(f.uuid)[:8],
        "uuid": str(f.uuid),
        "person": f.person.full_name,
        "direction": f.direction,
        "kind": f.kind,
        "note": f.note,
        "occurred_on": f.occurred_on,
    }


add_list_command(
    favour_app,
    "list",
    LoopsList(
        query="favours_list",
        title="Favours",
        columns=("Id", "On", "With", "", "Kind", "Note"),
        cells=lambda f: (
            str(f.uuid)[:8],
            str(f.occurred_on),
            f.person.full_name,
            "gave →" if f.direction == "given" else "← got",
            f.get_kind_display(),
            f.note,
        ),
        to_json=_favour_to_dict,
        empty="No favours yet. Ask yourself “who can I help?” and log what you give.",
        what="favours",
    ),
    help="Favours given and received, newest first. Example: circleback favour list --json",
    person_help="Only favours with this person.",
)


@favour_app.command("balance")
def favour_balance_command(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="One person; all by default."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Given and received per person, the people you owe most first.

    Example: circleback favour balance; circleback favour balance "Ada Quill"
    """
    django_setup()
    from circleback.loops.queries import (
        Balance,
        LedgerRow,
        favour_balances,
        favour_ledger_rows,
        ledger_rows,
    )

    check_page(limit, offset)
    owner = current_user(ctx)
    rows: Any
    if person:
        who = resolve_person(owner, person)
        rows = [LedgerRow(who, favour_balances(owner, [who.pk]).get(who.pk, Balance()))]
    else:
        rows = favour_ledger_rows(owner)
    print_list(
        rows,
        limit=limit,
        offset=offset,
        batch=None if person else (lambda chunk: ledger_rows(owner, chunk)),
        as_json=as_json,
        to_json=_balance_to_dict,
        empty=None,
        title="Favour balance",
        columns=("Person", "Given", "Received", "Net"),
        cells=lambda r: (
            r.person.full_name,
            str(r.balance.given),
            str(r.balance.received),
            f"[red]{r.balance.net}[/]" if r.balance.net < 0 else str(r.balance.net),
        ),
        what="people",
    )


def _balance_to_dict(r: LedgerRow) -> dict[str, Any]:
    return {
        "person": {"uuid": str(r.person.uuid), "full_name": r.person.full_name},
        "given": r.balance.given,
        "received": r.balance.received,
        "net": r.balance.net,
    }


def _resolve_favour(owner: User, query: str) -> Any:
    from circleback.loops.models import Favour

    found = short_id_lookup(Favour.objects.filter(owner=owner).select_related("person"), query)
    if found is None:
        usage_error(f"no favour has the id {query!r}; see them with `circleback favour list`.")
    return found


@favour_app.command("edit")
def favour_edit_command(
    ctx: typer.Context,
    favour: str = typer.Argument(..., help="The favour's id from `circleback favour list`."),
    given: bool = typer.Option(False, "--given", help="It was a favour you did them."),
    received: bool = typer.Option(False, "--received", help="It was a favour they did you."),
    kind: str | None = typer.Option(None, "--kind", help="A new kind (see `favour log`)."),
    note: str | None = typer.Option(None, "--note", help="What it was."),
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD."),
) -> None:
    """Correct a favour; what you leave out stays. Turning it into one received puts a
    thank-you on your loops; the other way round takes an open one off.

    Example: circleback favour edit 1a2b3c4d --received --kind endorsement
    """
    django_setup()
    from circleback.loops.services.favours import favour_update

    if given and received:
        usage_error("say --given or --received, not both.")
    owner = current_user(ctx)
    found = _resolve_favour(owner, favour)
    with refusal_as_usage_error(
        {"kind": "--kind", "occurred_on": "--on", "direction": "--given/--received"}
    ):
        favour_update(
            owner=owner,
            favour=found,
            direction="given" if given else "received" if received else None,
            kind=kind,
            note=note,
            occurred_on=parse_date(on, "--on"),
        )
    console.print(f"Saved: {found}.", highlight=False)


@favour_app.command("delete")
def favour_delete_command(
    ctx: typer.Context,
    favour: str = typer.Argument(..., help="The favour's id from `circleback favour list`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Don't ask; delete straight away."),
) -> None:
    """Delete a favour and any open step it started (a thank-you, a check-back).

    Asks first unless you pass --yes. Example: circleback favour delete 1a2b3c4d --yes
    """
    django_setup()
    from circleback.loops.services.favours import favour_delete

    owner = current_user(ctx)
    found = _resolve_favour(owner, favour)
    label = f"the favour “{found}” on {found.occurred_on}"
    confirm_delete(yes, f"Delete {label}?", label)
    favour_delete(owner=owner, favour=found)
    console.print(f"Deleted {label}.", highlight=False)


@favour_app.command("name")
def favour_name(
    ctx: typer.Context,
    helped: str = typer.Argument(..., help="Whom you helped."),
    name: str = typer.Argument(..., help="Whose name you gave them."),
    note: str = typer.Option("", "--note"),
) -> None:
    """You gave someone a name to call: tell that person to expect a call, then check back.

    Example: circleback favour name "Bart Nguyen" "Ada Quill"
    """
    django_setup()
    from circleback.loops.services.introductions import name_give

    owner = current_user(ctx)
    with refusal_as_usage_error():
        name_give(
            owner=owner,
            helped=resolve_person(owner, helped),
            name=resolve_person(owner, name),
            note=note,
        )
    console.print("Logged. Two steps are on your loops: tell them to expect a call; check back.")


@favour_app.command("offer")
def favour_offer(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="To whom."),
    offer: str = typer.Argument(..., help="What you offered, e.g. 'Review their portfolio'."),
) -> None:
    """Record a standing offer to return the favour. Example: circleback favour offer "Ada
    Quill" "Introductions to fintech founders\""""
    django_setup()
    from circleback.loops.services.favours import standing_offer_make

    owner = current_user(ctx)
    with refusal_as_usage_error():
        standing_offer_make(owner=owner, person=resolve_person(owner, person), offer=offer)
    console.print("Standing offer recorded.")


def _offer_to_dict(o: StandingOffer) -> dict[str, Any]:
    return {
        "id": str(o.uuid)[:8],
        "uuid": str(o.uuid),
        "person": o.person.full_name,
        "offer": o.offer,
        "made_on": o.made_on,
    }


add_list_command(
    favour_app,
    "offers",
    LoopsList(
        query="standing_offers",
        title="Standing offers",
        columns=("Id", "Made", "To", "Offer"),
        cells=lambda o: (str(o.uuid)[:8], str(o.made_on), o.person.full_name, o.offer),
        to_json=_offer_to_dict,
        empty="No standing offers open. “Call on me any time” — offer help in return.",
        what="offers",
    ),
    help="Standing offers not yet taken up, newest first. Example: circleback favour offers",
    person_help="Only offers to this person.",
)


@favour_app.command("taken-up")
def favour_taken_up(
    ctx: typer.Context,
    offer: str = typer.Argument(..., help="The offer's id from `circleback favour offers`."),
) -> None:
    """They took you up on a standing offer. Example: circleback favour taken-up 4d5e6f70"""
    django_setup()
    from circleback.loops.models import StandingOffer
    from circleback.loops.services.favours import standing_offer_taken_up

    owner = current_user(ctx)
    found = short_id_lookup(
        StandingOffer.objects.filter(owner=owner, taken_up_on__isnull=True), offer
    )
    if found is None:
        usage_error(f"no open standing offer has the id {offer!r}; see `circleback favour offers`.")
    standing_offer_taken_up(owner=owner, offer=found)
    console.print(f"Taken up: {found.offer}.", highlight=False)


app.add_typer(favour_app, name="favour", rich_help_panel=PANEL)
