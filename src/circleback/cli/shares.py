"""`circleback share`: articles and events passed on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    refusal_as_usage_error,
    resolve_person,
    usage_error,
)
from circleback.cli.loops_lists import LoopsList, add_list_command
from circleback.cli.meetings import confirm_delete, short_id_lookup

if TYPE_CHECKING:
    from circleback.loops.models import (
        Share,
    )


PANEL = "Meetings and loops"
share_app = typer.Typer(
    help=(
        "Pass on an article or event: a favour given and a journal entry with each person.\n\n"
        'Example: circleback share log "State of fintech" --url https://… --with "Ada Quill"'
    ),
    no_args_is_help=True,
)


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
    from circleback.loops.services.shares import share_log

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


add_list_command(
    share_app,
    "list",
    LoopsList(
        query="shares_list",
        title="Shares",
        columns=("Id", "On", "What", "With"),
        cells=lambda s: (
            str(s.uuid)[:8],
            str(s.shared_on),
            s.title,
            ", ".join(f.person.full_name for f in s.favours.all()),
        ),
        to_json=_share_to_dict,
        empty="Nothing shared yet. Read something useful? Pass it on.",
        what="shares",
    ),
    help="What you've passed on, newest first. Example: circleback share list --json",
)


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
    from circleback.loops.services.shares import share_delete

    owner = current_user(ctx)
    found = short_id_lookup(Share.objects.filter(owner=owner), share)
    if found is None:
        usage_error(f"no share has the id {share!r}; see them with `circleback share list`.")
    label = f"the share “{found.title}”"
    confirm_delete(yes, f"Delete {label} and its favours?", label)
    share_delete(owner=owner, share=found)
    console.print(f"Deleted {label}.", highlight=False)


app.add_typer(share_app, name="share", rich_help_panel=PANEL)
