"""The `circleback` command: the web app's work from a terminal and scripts.

Each command group lives in its own module and registers itself on `app` when imported below.
"""

from __future__ import annotations

import typer

from circleback import __version__
from circleback.cli._common import State

app = typer.Typer(
    name="circleback",
    help=(
        "Circleback — your networking journal and relationship manager.\n\n"
        "Keep careful records of the people you know, the meetings you hold and the loops you "
        "must close. Start with `circleback user create YOUR-NAME`, then `circleback serve` for "
        'the web app, or add people here: `circleback person add "Ada Quill" --list B`.'
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"circleback {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    user: str | None = typer.Option(
        None,
        "--user",
        "-u",
        envvar="CIRCLEBACK_USER",
        help="Act as this account. Needed only when the database has more than one.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    ctx.obj = State(username=user)


# Command modules register themselves on `app`; import order is the order in --help.
from circleback.cli import commands  # noqa: E402, F401


def main() -> None:
    app()
