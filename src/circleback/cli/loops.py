"""`circleback loop`, `favour`, `intro`, `share` and `permission`: give and take, and closing
every loop.

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
    emit_json,
    local_time,
    parse_date,
    refusal_as_usage_error,
    resolve_organisation,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import (
    Page,
    check_page,
    limit_option,
    offset_option,
    page_of,
    print_page,
)
from circleback.cli.meetings import confirm_delete, short_id_lookup

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.loops.models import (
        Favour,
        Introduction,
        LoopStep,
        NamePermission,
        Share,
        StandingOffer,
    )
    from circleback.loops.queries import LedgerRow, LoopItem

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
favour_app = typer.Typer(
    help=(
        "The favours ledger: what you gave and what you received. Give as much as you get.\n\n"
        'Example: circleback favour log "Ada Quill" --received --kind referral'
    ),
    no_args_is_help=True,
)
intro_app = typer.Typer(
    help=(
        "Introductions you make between two people (ask each first, then introduce), and "
        "the ones you ask for (follow up until they introduce you).\n\n"
        'Example: circleback intro make "Ada Quill" "Bart Nguyen" --reason "Both hiring in '
        'payments"; circleback intro request "Maya Rosen" "Sam Okafor"'
    ),
    no_args_is_help=True,
)
share_app = typer.Typer(
    help=(
        "Pass on an article or event: a favour given and a journal entry with each person.\n\n"
        'Example: circleback share log "State of fintech" --url https://… --with "Ada Quill"'
    ),
    no_args_is_help=True,
)
permission_app = typer.Typer(
    help=(
        "Permission to use someone's name (never mention a name without clearing it first).\n\n"
        'Example: circleback permission grant "Ada Quill" --org Hooli'
    ),
    no_args_is_help=True,
)
for sub, name in (
    (loop_app, "loop"),
    (favour_app, "favour"),
    (intro_app, "intro"),
    (share_app, "share"),
    (permission_app, "permission"),
):
    app.add_typer(sub, name=name, rich_help_panel=PANEL)


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
    limit: int = limit_option(),
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
    page = page_of(steps, limit, offset)
    print_page(
        page.with_rows([loop_item(s, now) for s in page.rows]),
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
    from circleback.loops.services import loop_advance, thank_you_mark_sent

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
    from circleback.loops.services import loop_snooze

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
    from circleback.loops.services import lead_record

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
    from circleback.loops.services import loop_settings_for, loop_settings_update

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
    from circleback.loops.services import favour_log

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


@favour_app.command("list")
def favour_list_command(
    ctx: typer.Context,
    person: str | None = typer.Option(None, "--person", help="Only favours with this person."),
    limit: int = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Favours given and received, newest first. Example: circleback favour list --json"""
    django_setup()
    from circleback.loops.queries import favours_list

    check_page(limit, offset)
    owner = current_user(ctx)
    who = resolve_person(owner, person) if person else None
    print_page(
        page_of(favours_list(owner=owner, person=who), limit, offset),
        as_json=as_json,
        to_json=_favour_to_dict,
        empty="No favours yet. Ask yourself “who can I help?” and log what you give.",
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
        what="favours",
    )


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


@favour_app.command("balance")
def favour_balance_command(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="One person; all by default."),
    limit: int = limit_option(),
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
    if person:
        who = resolve_person(owner, person)
        rows = [LedgerRow(who, favour_balances(owner, [who.pk]).get(who.pk, Balance()))]
        page: Page[Any] = Page(rows, 0, 1)
    else:
        page = page_of(favour_ledger_rows(owner), limit, offset)
        page = page.with_rows(ledger_rows(owner, page.rows))
    print_page(
        page,
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
    from circleback.loops.services import favour_update

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
    from circleback.loops.services import favour_delete

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
    from circleback.loops.services import name_give

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
    from circleback.loops.services import standing_offer_make

    owner = current_user(ctx)
    with refusal_as_usage_error():
        standing_offer_make(owner=owner, person=resolve_person(owner, person), offer=offer)
    console.print("Standing offer recorded.")


@favour_app.command("offers")
def favour_offers(
    ctx: typer.Context,
    person: str | None = typer.Option(None, "--person", help="Only offers to this person."),
    limit: int = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Standing offers not yet taken up, newest first. Example: circleback favour offers"""
    django_setup()
    from circleback.loops.queries import standing_offers

    check_page(limit, offset)
    owner = current_user(ctx)
    who = resolve_person(owner, person) if person else None
    print_page(
        page_of(standing_offers(owner=owner, person=who), limit, offset),
        as_json=as_json,
        to_json=_offer_to_dict,
        empty="No standing offers open. “Call on me any time” — offer help in return.",
        title="Standing offers",
        columns=("Id", "Made", "To", "Offer"),
        cells=lambda o: (str(o.uuid)[:8], str(o.made_on), o.person.full_name, o.offer),
        what="offers",
    )


def _offer_to_dict(o: StandingOffer) -> dict[str, Any]:
    return {
        "id": str(o.uuid)[:8],
        "uuid": str(o.uuid),
        "person": o.person.full_name,
        "offer": o.offer,
        "made_on": o.made_on,
    }


@favour_app.command("taken-up")
def favour_taken_up(
    ctx: typer.Context,
    offer: str = typer.Argument(..., help="The offer's id from `circleback favour offers`."),
) -> None:
    """They took you up on a standing offer. Example: circleback favour taken-up 4d5e6f70"""
    django_setup()
    from circleback.loops.models import StandingOffer
    from circleback.loops.services import standing_offer_taken_up

    owner = current_user(ctx)
    found = short_id_lookup(
        StandingOffer.objects.filter(owner=owner, taken_up_on__isnull=True), offer
    )
    if found is None:
        usage_error(f"no open standing offer has the id {offer!r}; see `circleback favour offers`.")
    standing_offer_taken_up(owner=owner, offer=found)
    console.print(f"Taken up: {found.offer}.", highlight=False)


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
    from circleback.loops.services import introduction_make

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
    from circleback.loops.services import introduction_request

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
    from circleback.loops.services import introduction_advance

    owner = current_user(ctx)
    found = short_id_lookup(Introduction.objects.filter(owner=owner), introduction)
    if found is None:
        usage_error(f"no introduction has the id {introduction!r}; see `circleback intro list`.")
    with refusal_as_usage_error({"to": "--to"}):
        introduction_advance(introduction=found, to=to, note=note)
    found.refresh_from_db()
    console.print(f"{found}: {found.get_state_display()}.", highlight=False)


@intro_app.command("list")
def intro_list(
    ctx: typer.Context,
    limit: int = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Introductions you've made or are making. Example: circleback intro list"""
    django_setup()
    from circleback.loops.queries import introductions_list

    check_page(limit, offset)
    owner = current_user(ctx)
    print_page(
        page_of(introductions_list(owner=owner), limit, offset),
        as_json=as_json,
        to_json=_introduction_to_dict,
        empty="No introductions yet. Be a connector: who could help each other?",
        title="Introductions",
        columns=("Id", "Between", "Why", "State"),
        cells=lambda i: (str(i.uuid)[:8], str(i), i.reason, i.get_state_display()),
        what="introductions",
    )


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


# --- shares ---------------------------------------------------------------------------------


@share_app.command("log")
def share_log_command(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What you shared."),
    with_: list[str] = typer.Option(..., "--with", help="With whom; repeat for several."),
    url: str = typer.Option("", "--url", help="Its web address."),
    topic: list[str] = typer.Option([], "--topic", help="A topic; repeat for several."),
    event: bool = typer.Option(False, "--event", help="It's an event invitation."),
    note: str = typer.Option("", "--note"),
) -> None:
    """Log an article or event you passed on.

    Example: circleback share log "State of fintech" --url https://example.org/r --with "Ada
    Quill" --with "Bart Nguyen" --topic fintech
    """
    django_setup()
    from circleback.loops.services import share_log

    owner = current_user(ctx)
    people = [resolve_person(owner, p) for p in with_]
    with refusal_as_usage_error({"people": "--with", "url": "--url"}):
        share = share_log(
            owner=owner,
            people=people,
            title=title,
            url=url,
            topics=topic,
            note=note,
            kind="event" if event else "information",
        )
    console.print(f"Shared “{share.title}” with {len(people)} — logged in the journal.")


@share_app.command("list")
def share_list(
    ctx: typer.Context,
    limit: int = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """What you've passed on, newest first. Example: circleback share list --json"""
    django_setup()
    from circleback.loops.queries import shares_list

    check_page(limit, offset)
    owner = current_user(ctx)
    print_page(
        page_of(shares_list(owner=owner), limit, offset),
        as_json=as_json,
        to_json=_share_to_dict,
        empty="Nothing shared yet. Read something useful? Pass it on.",
        title="Shares",
        columns=("Id", "On", "What", "With"),
        cells=lambda s: (
            str(s.uuid)[:8],
            str(s.shared_on),
            s.title,
            ", ".join(f.person.full_name for f in s.favours.all()),
        ),
        what="shares",
    )


def _share_to_dict(s: Share) -> dict[str, Any]:
    return {
        "id": str(s.uuid)[:8],
        "uuid": str(s.uuid),
        "title": s.title,
        "url": s.url,
        "topics": s.topic_list(),
        "shared_on": s.shared_on,
        "with": [f.person.full_name for f in s.favours.all()],
    }


@share_app.command("delete")
def share_delete_command(
    ctx: typer.Context,
    share: str = typer.Argument(..., help="The share's id from `circleback share list`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Don't ask; delete straight away."),
) -> None:
    """Delete a share and the favours it logged (the journal entries stay).

    Asks first unless you pass --yes. Example: circleback share delete 5e6f7a8b --yes
    """
    django_setup()
    from circleback.loops.models import Share
    from circleback.loops.services import share_delete

    owner = current_user(ctx)
    found = short_id_lookup(Share.objects.filter(owner=owner), share)
    if found is None:
        usage_error(f"no share has the id {share!r}; see them with `circleback share list`.")
    label = f"the share “{found.title}”"
    confirm_delete(yes, f"Delete {label} and its favours?", label)
    share_delete(owner=owner, share=found)
    console.print(f"Deleted {label}.", highlight=False)


# --- permissions -----------------------------------------------------------------------------


@permission_app.command("grant")
def permission_grant_command(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Who said you may use their name."),
    org: str | None = typer.Option(None, "--org", help="With this organisation only."),
    note: str = typer.Option("", "--note"),
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default today)."),
) -> None:
    """Record that someone cleared the use of their name (with one organisation, or anywhere).

    Example: circleback permission grant "Ada Quill" --org Hooli
    """
    django_setup()
    from circleback.loops.services import permission_grant

    owner = current_user(ctx)
    with refusal_as_usage_error({"organisation": "--org", "granted_on": "--on"}):
        permission = permission_grant(
            owner=owner,
            person=resolve_person(owner, person),
            organisation=org,
            note=note,
            granted_on=parse_date(on, "--on"),
        )
    console.print(f"Recorded: {permission}.", highlight=False)


@permission_app.command("revoke")
def permission_revoke_command(
    ctx: typer.Context, permission: str = typer.Argument(..., help="The permission's id.")
) -> None:
    """Withdraw a permission. Example: circleback permission revoke 9a8b7c6d"""
    django_setup()
    from circleback.loops.models import NamePermission
    from circleback.loops.services import permission_revoke

    owner = current_user(ctx)
    found = short_id_lookup(NamePermission.objects.filter(owner=owner), permission)
    if found is None:
        usage_error(f"no permission has the id {permission!r}; see `circleback permission list`.")
    permission_revoke(owner=owner, permission=found)
    console.print(f"Revoked: {found}.", highlight=False)


@permission_app.command("list")
def permission_list(
    ctx: typer.Context,
    limit: int = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Whose names you may use, and where. Example: circleback permission list"""
    django_setup()
    from circleback.loops.queries import permissions_list

    check_page(limit, offset)
    owner = current_user(ctx)
    print_page(
        page_of(permissions_list(owner=owner), limit, offset),
        as_json=as_json,
        to_json=_permission_to_dict,
        empty="No permissions recorded. Ask “may I use your name?” before you do.",
        title="Permission to use a name",
        columns=("Id", "Person", "With", "Since"),
        cells=lambda p: (
            str(p.uuid)[:8],
            p.person.full_name,
            p.organisation.name if p.organisation else "any organisation",
            str(p.granted_on),
        ),
        what="permissions",
    )


def _permission_to_dict(p: NamePermission) -> dict[str, Any]:
    return {
        "id": str(p.uuid)[:8],
        "uuid": str(p.uuid),
        "person": p.person.full_name,
        "organisation": p.organisation.name if p.organisation else None,
        "granted_on": p.granted_on,
        "note": p.note,
    }
