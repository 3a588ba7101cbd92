"""`circleback token …`: personal access tokens for the REST API."""

from __future__ import annotations

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    emit_json,
    local_time,
    refusal_as_usage_error,
)

token_app = typer.Typer(
    help=(
        "Personal access tokens for the REST API at /api/v1/ (documented at /api/v1/docs).\n\n"
        "Example: circleback token create phone-shortcut --expires 90"
    ),
    no_args_is_help=True,
)
app.add_typer(token_app, name="token", rich_help_panel="Data in and out")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., help="A name to know the token by, e.g. phone-shortcut.", show_default=False
    ),
    read_only: bool = typer.Option(
        False, "--read-only", help="The token can read but never change anything."
    ),
    expires: int | None = typer.Option(
        None,
        "--expires",
        metavar="DAYS",
        help="The token stops working after this many days (1 to 3650). Default: never.",
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Create a token and print it — this once only; only a digest of it is kept.

    Send it with every request: [bold]Authorization: Bearer TOKEN[/].

    Example: [bold]circleback token create laptop-script --read-only --expires 30[/]
    """
    owner = current_user(ctx)
    from circleback.api.services import token_create as create

    with refusal_as_usage_error({"name": "NAME", "expires": "--expires"}):
        new = create(owner=owner, name=name, read_only=read_only, expires_in_days=expires)
    if as_json:
        emit_json(
            {
                "name": new.token.name,
                "token": new.secret,
                "read_only": new.token.read_only,
                "expires_at": new.token.expires_at,
            }
        )
        return
    access = "read-only" if new.token.read_only else "read-write"
    expiry = (
        f"expires {local_time(new.token.expires_at, with_time=False)}"
        if new.token.expires_at
        else "never expires"
    )
    console.print(
        f"Created the {access} token [bold]{new.token.name}[/] ({expiry}). "
        "Copy it now — it is not shown again:",
        highlight=False,
    )
    # Printed plainly, on a line of its own, so that it can be copied or piped whole.
    typer.echo(new.secret)


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List your tokens: access, expiry and when each was last used (never the secret).

    Example: [bold]circleback token list --json[/]
    """
    owner = current_user(ctx)
    from circleback.api.queries import tokens_list

    tokens = list(tokens_list(owner=owner))
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "prefix": t.prefix,
                    "read_only": t.read_only,
                    "expires_at": t.expires_at,
                    "last_used_at": t.last_used_at,
                    "created_at": t.created_at,
                }
                for t in tokens
            ]
        )
        return
    if not tokens:
        console.print("No tokens yet — create one with `circleback token create NAME`.")
        return
    table = Table(title="API tokens")
    table.add_column("Name", style="bold")
    table.add_column("Starts with")
    table.add_column("Access")
    table.add_column("Expires")
    table.add_column("Last used")
    for t in tokens:
        table.add_row(
            t.name,
            t.prefix + "…",
            "read only" if t.read_only else "read and write",
            local_time(t.expires_at, with_time=False) if t.expires_at else "never",
            local_time(t.last_used_at) if t.last_used_at else "not yet",
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The token's name.", show_default=False),
) -> None:
    """Revoke a token: it stops working at once.

    Example: [bold]circleback token revoke phone-shortcut[/]
    """
    owner = current_user(ctx)
    from circleback.api.services import token_revoke as revoke

    with refusal_as_usage_error({"name": "NAME"}):
        token = revoke(owner=owner, name=name)
    console.print(f"Revoked [bold]{token.name}[/]: requests with it now get 401.", highlight=False)
