"""The `circleback` command: the web app's work from a terminal and scripts.

Each command group lives in its own module and registers itself on `app` when imported below.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn

import typer
import typer.main
from typer.exceptions import TyperException

from circleback import __version__
from circleback.cli._common import EXIT_FAILURE, EXIT_USAGE, State, err_console

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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI. Parse errors come out as one line, like every other error, exit status 2."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="circleback", standalone_mode=False)
    except TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        message = (exc.format_message() if hasattr(exc, "format_message") else str(exc)).strip()
        if not message:  # a group run without a command: its help was the whole answer
            _finish(getattr(exc, "exit_code", EXIT_USAGE))
        hint = f" See `{ctx.command_path} --help`." if ctx is not None else ""
        if message and message[-1] not in ".!?":
            message += "."
        err_console.print(
            f"[bold red]circleback:[/] {message}{hint}", highlight=False, soft_wrap=True
        )
        _finish(getattr(exc, "exit_code", EXIT_USAGE))
    except typer.Abort:
        err_console.print("[bold red]circleback:[/] stopped; nothing more was done.")
        _finish(EXIT_FAILURE)
    _finish(result if isinstance(result, int) else 0)


def _finish(code: int) -> NoReturn:
    """Exit with `code`, skipping the interpreter's teardown.

    Tearing down Django, Rich, Typer and every module they import takes 0.15-0.2 s of every
    command, after its work is done and written. What the teardown would do that matters
    still happens: database connections close (SQLite checkpoints its log), exit handlers run
    (logging flushes), and standard output and error are flushed. With other threads still
    running, the ordinary exit waits for them.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    if "django.db" in sys.modules:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (`circleback export | head`): what was read is all anyone wanted.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
