"""`circleback check` and `circleback migrate`: for whoever runs a Circleback server."""

from __future__ import annotations

import typer

from circleback.cli import app
from circleback.cli._common import console, django_setup, fail

PANEL = "Running a server"


@app.command(rich_help_panel=PANEL)
def check(
    deploy: bool = typer.Option(
        False, "--deploy", help="Also check the settings a production deployment needs."
    ),
) -> None:
    """Check the configuration for problems; exit status 1 if there is any warning.

    With --deploy, also the settings of a server others reach over the network: HTTPS,
    secure cookies, host names, the secret key (see docs/deploy.md for the variables).

    Example:

      CIRCLEBACK_HTTPS=1 CIRCLEBACK_ALLOWED_HOSTS=circleback.example.org circleback check --deploy
    """
    django_setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except SystemCheckError as exc:
        console.print(str(exc).strip(), highlight=False, markup=False)
        fail("the configuration has problems (above); fix them and check again.")


@app.command(rich_help_panel=PANEL)
def migrate() -> None:
    """Bring the database up to date with this version, and do nothing else.

    Every command does this by itself when it starts; run it on its own after an upgrade,
    before starting the app processes again (docs/deploy.md). Several processes starting at
    once on PostgreSQL take turns: one migrates, the others find nothing left to do.

    Example:

      DATABASE_URL=postgres://circleback@db/circleback circleback migrate
    """
    django_setup()
    from django.db import DatabaseError, connection

    from circleback.cli._common import migrate_if_needed

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        fail(f"cannot connect to the database ({str(exc).strip() or type(exc).__name__}).")
    applied = migrate_if_needed()
    if applied:
        console.print(f"Applied {applied} migration{'s' if applied != 1 else ''}.")
    else:
        console.print("The database is up to date.")
