"""What every CLI command shares: Django start-up, the acting user, errors, output.

Commands stay thin: parse options, call one service or query, print a table or `--json`.
Errors are one line on stderr — what is wrong and what to do — with exit status 2 for usage
errors and 1 for failures.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError

    from circleback.accounts.models import User
    from circleback.people.models import Organisation, Person

console = Console()
err_console = Console(stderr=True)

EXIT_FAILURE = 1
EXIT_USAGE = 2


@dataclass
class State:
    """Global options, kept on the Typer context."""

    username: str | None = None


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    err_console.print(f"[bold red]circleback:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def usage_error(message: str) -> NoReturn:
    fail(message, EXIT_USAGE)


def validation_message(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    """One line from a ValidationError: "--email: 'x' is not an email address; …".

    `labels` names a field the way the command's user knows it (e.g. contact_list -> --list).
    """
    if hasattr(exc, "error_dict"):
        parts = []
        for field, errors in exc.message_dict.items():
            name = (labels or {}).get(field, field.replace("_", " "))
            label = "" if field == "__all__" or not name else f"{name}: "
            parts.append(label + " ".join(errors))
        return "; ".join(parts)
    return " ".join(exc.messages)


def invalid(exc: ValidationError, labels: dict[str, str] | None = None) -> NoReturn:
    """A service refused the input: say why (exit 2, nothing was written)."""
    usage_error(validation_message(exc, labels) + " Nothing was saved.")


@contextmanager
def refusal_as_usage_error(labels: dict[str, str] | None = None) -> Iterator[None]:
    """Call a service inside: if it refuses the input, say why with `invalid` (exit 2).

    `labels` name the service's fields as the command's options, e.g. {"occurred_on": "--on"}.
    """
    from django.core.exceptions import ValidationError

    try:
        yield
    except ValidationError as exc:
        invalid(exc, labels)


def is_interactive() -> bool:
    """Whether someone is at the keyboard to answer a prompt."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


_ready = False


def django_setup() -> None:
    """Configure Django (settings and apps, no database yet) so commands can import models.

    Inside the test suite Django is already set up and this does nothing.
    """
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleback.settings")
    import django

    from circleback.conf import ConfigError

    try:
        django.setup()
    except ConfigError as exc:
        fail(str(exc))


def django_ready() -> None:
    """Configure Django, apply pending migrations (saying so), and check the database works."""
    global _ready
    if _ready:
        return
    django_setup()
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(
            f"cannot connect to the database ({reason}). "
            "Check DATABASE_URL, or unset it to use the embedded SQLite database."
        )
    migrate_if_needed()
    _ready = True


def unapplied_migration_files() -> set[tuple[str, str]]:
    """(app label, name) of the migration files on disk the database has no record of.

    Read from file names and the django_migrations table, importing no migration: what the
    full migration plan costs to build (every migration module, the graph) is most of the
    start-up of a command that has nothing to migrate. Names are as Django's loader finds
    them (modules not starting with _ or ~). A squashed migration whose replaced ones are all
    applied is recorded too, by `migrate`; a record without a file changes nothing.
    """
    import pkgutil
    from importlib.util import find_spec

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    on_disk: set[tuple[str, str]] = set()
    for config in apps.get_app_configs():
        module, _explicit = MigrationLoader.migrations_module(config.label)
        if module is None:
            continue
        try:
            spec = find_spec(module)
        except ModuleNotFoundError:
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        on_disk.update(
            (config.label, found.name)
            for found in pkgutil.iter_modules(spec.submodule_search_locations)
            if not found.ispkg and found.name[0] not in "_~"
        )
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return on_disk
    return on_disk - set(recorder.applied_migrations())


def migrate_if_needed(*, quiet: bool = False) -> int:
    """Apply pending migrations; returns how many there were.

    Builds the migration plan only when some migration file is not recorded as applied.
    """
    if not unapplied_migration_files():
        return 0
    from django.db import connection

    if connection.vendor != "postgresql":
        return _migrate(quiet=quiet)
    # Several app processes started at once after an upgrade take turns: the first migrates,
    # the others then find nothing left to do (the lock ends with the session at the latest).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK])
    try:
        return _migrate(quiet=quiet)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK])


# An arbitrary number that names "Circleback is migrating" among PostgreSQL's advisory locks.
_MIGRATION_LOCK = 0x43_42_4D_49  # "CBMI"


def _migrate(*, quiet: bool) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        if not quiet:
            err_console.print(
                f"Preparing the database: applying {len(plan)} pending migration"
                f"{'s' if len(plan) != 1 else ''}…",
                highlight=False,
            )
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)


def current_user(ctx: typer.Context) -> User:
    """The account the CLI acts as: --user / CIRCLEBACK_USER, or the only account there is."""
    django_ready()
    from circleback.accounts.models import User

    state = ctx.find_object(State) or State()
    if state.username:
        user = User.objects.filter(username__iexact=state.username).first()
        if user is None:
            fail(
                f"there is no account called {state.username!r}. "
                "See the accounts with `circleback user list`."
            )
        _use_time_zone(user)
        return user
    # Accounts no one signs in to (the demo's fellow club members) are never the default.
    users = list(User.objects.filter(is_active=True).order_by("pk")[:2])
    if not users:
        fail("there is no account yet. Create one with `circleback user create YOUR-NAME`.")
    if len(users) > 1:
        usage_error(
            "this database has several accounts; say which with `circleback --user NAME …` "
            "or CIRCLEBACK_USER=NAME."
        )
    _use_time_zone(users[0])
    return users[0]


def _use_time_zone(user: User) -> None:
    """Dates typed and shown are the user's, as in the web app; storage stays UTC."""
    from django.utils import timezone

    from circleback.accounts.queries import user_zone

    timezone.activate(user_zone(user))


def local_time(value: dt.datetime | None, *, with_time: bool = True) -> str:
    """A stored UTC time as the user reads it: 2026-11-20 14:30 (or just the date)."""
    if value is None:
        return "—"
    from django.utils import timezone

    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def resolve_person(owner: User, query: str) -> Person:
    """Exactly one of the owner's people for `query`, or a failure listing the candidates."""
    from circleback.people.queries import person_find

    found = person_find(owner=owner, query=query)
    if not found:
        fail(f"no one in your network matches {query!r}. Try `circleback search {query}`.")
    if len(found) > 1:
        lines = "; ".join(
            f"{p.full_name}"
            + (f" ({p.organisation.name})" if p.organisation_id and p.organisation else "")
            + f" {p.uuid}"
            for p in found[:10]
        )
        fail(f"{query!r} matches {len(found)} people: {lines}. Use a fuller name or the UUID.")
    return found[0]


def already_known(exc: Any, typed: str, how_to_pick: str) -> NoReturn:
    """Someone like the person being added is already in the network (people.services'
    PersonExists): list them with their ids, and say how to go on (exit 2, nothing written)."""
    listed = "; ".join(
        f"{m.person.full_name} ({m.details}; {m.reason}) {m.person.uuid}" for m in exc.matches
    )
    usage_error(
        f"{typed!r} may already be in your network: {listed}. Nothing was saved. {how_to_pick}"
    )


def resolve_organisation(owner: User, query: str) -> Organisation:
    from circleback.people.queries import organisation_find

    found = organisation_find(owner=owner, query=query)
    if not found:
        fail(f"no organisation matches {query!r}. See them with `circleback org list`.")
    if len(found) > 1:
        names = "; ".join(f"{o.name} {o.uuid}" for o in found[:10])
        fail(f"{query!r} matches {len(found)} organisations: {names}. Be more precise.")
    return found[0]


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A calendar date from YYYY-MM-DD (also "today" and "yesterday")."""
    if value is None or value == "":
        return None
    from django.utils import timezone

    lowered = value.strip().lower()
    today = timezone.localdate()
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        usage_error(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-20.")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2) + "\n")


def comma_list(values: Iterable[str]) -> str:
    return ", ".join(v for v in values if v)
