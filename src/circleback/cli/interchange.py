"""`circleback import` and `circleback export`: bring a network in, take it out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    emit_json,
    err_console,
    fail,
    usage_error,
    validation_message,
)

IMPORT_FORMATS = (
    "auto",
    "linkedin",
    "linkedin-messages",
    "linkedin-invitations",
    "vcard",
    "google-csv",
    "outlook-csv",
    "json",
)


@app.command(name="import", rich_help_panel="Import and export")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ...,
        help="The file to import (at most 50 MB; a Circleback backup up to 512 MB).",
        exists=False,
        dir_okay=False,
    ),
    format: str = typer.Option(
        "auto",
        "--format",
        "-f",
        help="What the file is: " + ", ".join(IMPORT_FORMATS) + ". auto reads the content.",
    ),
    contact_list: str | None = typer.Option(
        None, "--list", "-l", help="Put new people on list A, B or C (default B)."
    ),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Tag everyone imported (repeatable)."),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Report what the import would do, writing nothing (others may save meanwhile).",
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Import the readable records and skip the broken ones."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import people (and journal entries) from a file, merging with who you already know.

    Reads LinkedIn's Connections.csv, messages.csv and Invitations.csv, vCards (.vcf),
    Google Contacts and Outlook CSV exports, and Circleback JSON backups. The same LinkedIn
    profile or personal email means the same person: merged, never duplicated. A shared
    phone, a shared role address (info@, sales@) or a similar name at the same organisation
    only lists the two as possible duplicates to review in the web app. A value that isn't
    valid (an odd phone, an email that isn't one) costs that value, not the person: it is kept
    in their notes where it can be and reported with its place. Only records that can't be
    read at all stop the import, unless you --skip-bad them. Everything is written in one
    transaction; --dry-run works the import out with the same rules and reports it, writing
    nothing and locking no one out; importing a file twice changes nothing.

    A newer export read again updates the people whose title or organisation changed, lists
    them ("Ana Lima: Product Manager at Acme → Head of Product at Acme"), and `circleback
    today` suggests congratulating them; the same title written differently changes nothing.
    An export older than what you have of someone (its dates say so) keeps its title in
    their notes instead.

    A Circleback backup restores the whole account: its own ids decide who is who (names
    never merge its people), and everything else it holds comes back with them.

    Examples:

      circleback import ~/Downloads/Connections.csv --tag linkedin

      circleback import contacts.vcf --list A --dry-run

      circleback import backup.json
    """
    if format not in IMPORT_FORMATS:
        usage_error(f"--format {format!r} is not a format; use one of {', '.join(IMPORT_FORMATS)}.")
    if contact_list is not None and contact_list.strip().upper() not in ("A", "B", "C"):
        usage_error(f"--list {contact_list!r} is not a list; use A, B or C.")
    if not file.is_file():
        fail(f"{file} is not a file you can read.")
    from circleback.interchange.records import max_import_bytes

    with file.open("rb") as stream:
        limit = max_import_bytes(stream.read(4096))
    if file.stat().st_size > limit:
        fail(
            f"{file} is {file.stat().st_size / 1024 / 1024:.0f} MB; Circleback imports files of "
            f"at most {limit // 1024 // 1024} MB. Split it, or export less at a time."
        )
    owner = current_user(ctx)

    from django.core.exceptions import ValidationError

    from circleback.interchange.records import InterchangeError
    from circleback.interchange.services import STAGES, import_file

    show_progress = err_console.is_terminal and file.stat().st_size > 256 * 1024
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not show_progress,
    )
    tasks: dict[str, TaskID] = {}

    def report_progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=max(total, 1))
        progress.update(tasks[stage], completed=done, total=max(total, 1))

    try:
        # The open file, not its bytes: a backup is read from it as it is restored.
        with progress, file.open("rb") as data:
            report = import_file(
                owner=owner,
                data=data,
                format=format,
                contact_list=contact_list,
                tags=tag,
                dry_run=dry_run,
                skip_bad=skip_bad,
                progress=report_progress,
            )
    except ValidationError as exc:
        fail(validation_message(exc))
    except InterchangeError as exc:
        fail(f"{file.name}: {exc}")

    if as_json:
        emit_json(report.as_json())
        return
    _print_report(report)


def _print_report(report: object) -> None:
    from circleback.interchange.services import ImportReport

    assert isinstance(report, ImportReport)
    from circleback.interchange.formats import described

    prefix = "Dry run — nothing was written. Would have added" if report.dry_run else "Added"
    people = "person" if report.created == 1 else "people"
    console.print(
        f"{prefix} {report.created} {people}, "
        f"merged into {report.merged}, {report.unchanged} already up to date"
        + (
            f", {report.merged_within_file} duplicate rows folded together"
            if report.merged_within_file
            else ""
        )
        + f" — read as {described(report.format)}, in {report.seconds:.1f} s.",
        highlight=False,
    )
    if report.organisations_created:
        console.print(f"New organisations: {report.organisations_created}.", highlight=False)
    if report.interactions_created or report.interactions_unchanged:
        console.print(
            f"Journal entries: {report.interactions_created} new, "
            f"{report.interactions_unchanged} already there.",
            highlight=False,
        )
    if report.ties_created:
        console.print(f"Ties: {report.ties_created} new.", highlight=False)
    if report.restored:
        from circleback.interchange.formats.circleback_json import restored_summary

        also = restored_summary(report.restored)
        console.print(
            f"Also {'would restore' if report.dry_run else 'restored'}: {also}."
            if also
            else "Everything else in the backup was already here.",
            highlight=False,
        )
    if report.skipped:
        console.print(f"Skipped {len(report.skipped)}:", highlight=False)
        for item in report.skipped[:50]:
            console.print(f"  {item.where}: {item.reason}", highlight=False)
        if len(report.skipped) > 50:
            console.print(f"  … and {len(report.skipped) - 50} more (see --json).")
    if report.problems:
        console.print(
            f"Values not imported as they were ({len(report.problems)}) — the rest of each "
            "record was:",
            highlight=False,
        )
        for problem in report.problems[:50]:
            console.print(f"  {problem.where}: {problem.value!r} {problem.reason}", highlight=False)
        if len(report.problems) > 50:
            console.print(f"  … and {len(report.problems) - 50} more (see --json).")
    if report.role_changes:
        console.print(
            f"New roles ({len(report.role_changes)}) — "
            + (
                "importing would update them and suggest congratulating them:"
                if report.dry_run
                else "updated; `circleback today` suggests congratulating them:"
            ),
            highlight=False,
        )
        for change in report.role_changes[:50]:
            console.print(
                f"  {change['person']}: {change['before']} → {change['after']}", highlight=False
            )
        if len(report.role_changes) > 50:
            console.print(f"  … and {len(report.role_changes) - 50} more (see --json).")
    if report.possible_duplicates:
        console.print(
            f"Possible duplicates to review ({len(report.possible_duplicates)}) — "
            "merge or keep apart at /import/duplicates/ in the web app:",
            highlight=False,
        )
        for pair in report.possible_duplicates[:20]:
            console.print(f"  {pair['a']} ↔ {pair['b']} ({pair['reason']})", highlight=False)


@app.command(name="export", rich_help_panel="Import and export")
def export_command(
    ctx: typer.Context,
    format: str = typer.Option(
        "json", "--format", "-f", help="json (full backup), vcard or csv (one row a person)."
    ),
    vcard_version: str = typer.Option(
        "4.0", "--vcard-version", help="4.0, or 3.0 for older address books."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output."
    ),
) -> None:
    """Export your network: a full JSON backup, vCards, or a CSV.

    The JSON backup holds the whole account — people with every field and photo,
    organisations, ties, the journal, meetings, leads and loop steps, favours and offers,
    introductions, shares, permissions, the pitch, snoozes and settings — and `circleback
    import` restores it exactly (docs/backup.schema.json describes it).

    Examples:

      circleback export -o backup.json

      circleback export --format vcard --vcard-version 3.0 -o contacts.vcf
    """
    if format not in ("json", "vcard", "csv"):
        usage_error(f"--format {format!r} is not an export format; use json, vcard or csv.")
    if vcard_version not in ("4.0", "3.0"):
        usage_error(f"--vcard-version {vcard_version!r} is not supported; use 4.0 or 3.0.")
    owner = current_user(ctx)
    from circleback.interchange.exports import export_to

    if output is None:
        export_to(sys.stdout.buffer, owner=owner, format=format, vcard_version=vcard_version)
        sys.stdout.flush()
        return
    # Written as it is read, into a file beside the output that replaces it when complete:
    # an export that fails half way leaves no half-written file (nor a damaged older one).
    # A device or pipe (-o /dev/stdout) is written straight.
    direct = output.exists() and not output.is_file()
    partial = output if direct else output.with_name(f".{output.name}.partial")
    try:
        # Owner-only from the first byte: an export is the whole network's personal data.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if not direct:
            os.fchmod(fd, 0o600)  # a partial file left by an older version may be looser
        with os.fdopen(fd, "wb") as stream:
            size = export_to(stream, owner=owner, format=format, vcard_version=vcard_version)
        if not direct:
            partial.replace(output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}.")
    finally:
        if not direct:
            partial.unlink(missing_ok=True)
    err_console.print(f"Wrote {output} ({size / 1024:.0f} KB).", highlight=False)
