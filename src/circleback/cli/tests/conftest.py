"""The CLI tests' fixtures live in support.py so that other apps' CLI tests can import them."""

from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error

__all__ = ["Run", "as_json", "cli", "cli_environment", "one_line_error"]
