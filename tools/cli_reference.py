"""Write docs/cli.md from the CLI's own help: `python tools/cli_reference.py [--check]`.

The reference is generated, never edited by hand, so it cannot drift from `--help`; the test
suite runs this with --check and fails when the file is stale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import typer.main

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleback.settings")
os.environ["COLUMNS"] = "100"
os.environ["NO_COLOR"] = "1"
os.environ["TERM"] = "dumb"

from circleback.cli import app

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    """Every command path, depth first, in the order --help lists them."""
    found = [path]
    if hasattr(command, "list_commands"):
        ctx = command.make_context("circleback", [], resilient_parsing=True)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found.extend(_walk(sub, [*path, name]))
    return found


def _help_text(command: Any, path: list[str]) -> str:
    import typer.testing

    # One click command for every help, not one made again for each of the hundred-odd (the
    # walk's own: the contexts it makes outside a run would change the help it shows).
    with mock.patch.object(typer.testing, "_get_command", lambda _app: command):
        result = typer.testing.CliRunner().invoke(
            app, [*path, "--help"], terminal_width=100, color=False
        )
    lines = [line.rstrip() for line in result.output.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip() + "\n"


def render() -> str:
    root = typer.main.get_command(app)
    parts = [
        "# Command-line reference\n",
        "Generated from `circleback --help` by `tools/cli_reference.py`; do not edit by hand.\n",
    ]
    command = typer.main.get_command(app)
    for path in _walk(root, []):
        title = " ".join(["circleback", *path])
        parts.append(f"## `{title}`\n\n```text\n{_help_text(command, path)}```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run `python tools/cli_reference.py`.")
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
