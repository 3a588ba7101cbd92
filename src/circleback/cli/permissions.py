"""`circleback permission`: permission to use someone's name."""

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
from circleback.cli.loops_lists import LoopsList, add_list_command
from circleback.cli.meetings import short_id_lookup

if TYPE_CHECKING:
    from circleback.loops.models import (
        NamePermission,
    )


PANEL = "Meetings and loops"
permission_app = typer.Typer(
    help=(
        "Permission to use someone's name (never mention a name without clearing it first).\n\n"
        'Example: circleback permission grant "Ada Quill" --org Hooli'
    ),
    no_args_is_help=True,
)


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
    from circleback.loops.services.permissions import permission_grant

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
    from circleback.loops.services.permissions import permission_revoke

    owner = current_user(ctx)
    found = short_id_lookup(NamePermission.objects.filter(owner=owner), permission)
    if found is None:
        usage_error(f"no permission has the id {permission!r}; see `circleback permission list`.")
    permission_revoke(owner=owner, permission=found)
    console.print(f"Revoked: {found}.", highlight=False)


def _permission_to_dict(p: NamePermission) -> dict[str, Any]:
    return {
        "id": str(p.uuid)[:8],
        "uuid": str(p.uuid),
        "person": p.person.full_name,
        "organisation": p.organisation.name if p.organisation else None,
        "granted_on": p.granted_on,
        "note": p.note,
    }


add_list_command(
    permission_app,
    "list",
    LoopsList(
        query="permissions_list",
        title="Permission to use a name",
        columns=("Id", "Person", "With", "Since"),
        cells=lambda p: (
            str(p.uuid)[:8],
            p.person.full_name,
            p.organisation.name if p.organisation else "any organisation",
            str(p.granted_on),
        ),
        to_json=_permission_to_dict,
        empty="No permissions recorded. Ask “may I use your name?” before you do.",
        what="permissions",
    ),
    help="Whose names you may use, and where. Example: circleback permission list",
)


app.add_typer(permission_app, name="permission", rich_help_panel=PANEL)
