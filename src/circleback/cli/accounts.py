"""`circleback user …`: the accounts that own a network."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    django_ready,
    emit_json,
    fail,
    is_interactive,
    local_time,
    refusal_as_usage_error,
    usage_error,
)

user_app = typer.Typer(
    help=(
        "Create, list and delete accounts. Each account owns its own network; nobody else "
        "sees it.\n\n"
        "Example: circleback user create ada --time-zone Europe/London"
    ),
    no_args_is_help=True,
)
app.add_typer(user_app, name="user", rich_help_panel="Getting started")


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            if str(password_file) == "-":
                text = typer.get_text_stream("stdin").read()
            else:
                text = password_file.read_text(encoding="utf-8")
        except OSError as exc:
            usage_error(f"cannot read --password-file {str(password_file)!r} ({exc.strerror}).")
        except UnicodeDecodeError:
            usage_error(f"--password-file {str(password_file)!r} is not a UTF-8 text file.")
        # A trailing newline is what an editor or `echo` adds, not part of the password.
        password = text.rstrip("\r\n")
        if not password:
            usage_error(f"--password-file {str(password_file)!r} is empty.")
        return password
    if not is_interactive():
        usage_error(
            "no terminal to ask for the password; "
            "pass it in a file with --password-file FILE (or --password-file - for stdin)."
        )
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@user_app.command("create")
def user_create(
    name: str = typer.Argument(..., help="The name to sign in with, e.g. ada.", show_default=False),
    password_file: Path | None = typer.Option(
        None,
        "--password-file",
        help="Read the password from this file's first line ('-' reads stdin). "
        "Without it you are asked twice, hidden.",
        show_default=False,
    ),
    time_zone: str = typer.Option(
        "UTC",
        "--time-zone",
        help="Your time zone, so journal dates are yours, e.g. Europe/London.",
    ),
    full_name: str = typer.Option(
        "",
        "--full-name",
        help="Your real name, which signs your outreach drafts, e.g. 'Ada Lovelace'.",
        show_default=False,
    ),
) -> None:
    """Create an account to sign in with (on the web and from here).

    The password needs at least 8 characters and must not be a common one.

    Example: [bold]circleback user create ada --full-name "Ada Lovelace"[/]
    """
    django_ready()
    from circleback.accounts.models import User
    from circleback.accounts.services import user_create as create

    name = name.strip()
    if not name:
        usage_error("an account needs a name, e.g. `circleback user create ada`.")
    if User.objects.filter(username__iexact=name).exists():
        fail(f"an account called {name!r} already exists. See them with `circleback user list`.")
    password = _read_password(password_file)
    with refusal_as_usage_error(
        {
            "username": "name",
            "time_zone": "--time-zone",
            "password": "password",
            "first_name": "--full-name",
            "last_name": "--full-name",
        }
    ):
        user = create(
            username=name, password=password, time_zone=time_zone.strip(), full_name=full_name
        )
    console.print(
        f"Created the account [bold]{user.username}[/] (time zone {user.time_zone}). "
        "Sign in with `circleback serve`, or add someone: "
        '`circleback person add "Ada Quill" --list B`.',
        highlight=False,
    )


@user_app.command("list")
def user_list(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the accounts in this database, with how many people each has.

    Example: [bold]circleback user list --json[/]
    """
    django_ready()
    from django.db.models import Count

    from circleback.accounts.models import User
    from circleback.people.models import Person

    users = list(User.objects.order_by("username", "pk"))
    counts = dict(
        Person.objects.values_list("owner_id").annotate(n=Count("pk")).values_list("owner_id", "n")
    )
    if as_json:
        emit_json(
            [
                {
                    "username": u.username,
                    "time_zone": u.time_zone,
                    "people": counts.get(u.pk, 0),
                    "joined_at": u.date_joined,
                    "last_login_at": u.last_login,
                }
                for u in users
            ]
        )
        return
    if not users:
        console.print("No accounts yet — create one with `circleback user create YOUR-NAME`.")
        return
    table = Table(title="Accounts")
    table.add_column("Name", style="bold")
    table.add_column("Time zone")
    table.add_column("People", justify="right")
    table.add_column("Joined")
    table.add_column("Last sign-in")
    for u in users:
        table.add_row(
            u.username,
            u.time_zone,
            str(counts.get(u.pk, 0)),
            local_time(u.date_joined, with_time=False),
            local_time(u.last_login),
        )
    console.print(table)


@user_app.command("delete")
def user_delete(
    username: str = typer.Argument(..., help="The account to delete.", show_default=False),
    yes: bool = typer.Option(False, "--yes", "-y", help="Don't ask; delete straight away."),
) -> None:
    """Delete an account and everything it owns: its people, organisations, journal, meetings,
    loops, favours, goals, pitch, settings and imports. Says what goes before and after.

    Make a backup first if you may want any of it: circleback export --format json -o b.json.
    Asks first unless you pass --yes; scripts must pass --yes.

    Example: [bold]circleback user delete ada --yes[/]
    """
    django_ready()
    from circleback.accounts.models import User
    from circleback.operations.erase import account_erase, account_erase_plan

    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        fail(f"there is no account called {username!r}. See them with `circleback user list`.")
    if not yes:
        if not is_interactive():
            usage_error(
                f"not deleting the account {user.username!r} without confirmation; "
                "add --yes to delete from a script."
            )
        plan = account_erase_plan(user=user)
        if not typer.confirm(
            f"Delete the account {user.username!r} and everything it owns "
            f"({plan.summary()})? This can't be undone."
        ):
            fail("nothing was deleted.")
    done = account_erase(user=user)
    console.print(f"Deleted the account {done.name!r}, with {done.summary()}.", highlight=False)
