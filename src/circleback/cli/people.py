"""`circleback person …`, `circleback people`, `circleback tie` and `untie`: your network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from circleback.cli import app
from circleback.cli._common import (
    already_known,
    comma_list,
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    invalid,
    is_interactive,
    local_time,
    parse_date,
    refusal_as_usage_error,
    resolve_organisation,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import (
    DEFAULT_LIMIT,
    check_page,
    limit_option,
    offset_option,
    page_of,
    stream_json,
)

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.people.models import Person

person_app = typer.Typer(
    help=(
        "Add, show, edit and delete the people in your network.\n\n"
        'Example: circleback person add "Ada Quill" --email ada@x.org --org Hooli --list B'
    ),
    no_args_is_help=True,
)
app.add_typer(person_app, name="person", rich_help_panel="Your network")

LISTS = {"A": "personal", "B": "career", "C": "target employers"}
# How a service's field names read on this command line.
PERSON_LABELS = {
    "full_name": "name",
    "given_name": "name",
    "family_name": "name",
    "contact_list": "--list",
    "emails": "--email",
    "phones": "--phone",
    "links": "--link",
    "tags": "--tag",
    "closeness": "--closeness",
    "cadence_days": "--cadence",
    "met_on": "--met-on",
    "organisation": "--org",
    "name": "--org",
    "title": "--title",
    "location": "--location",
    "how_we_met": "--how-we-met",
    "introduced_by": "--introduced-by",
    "notes": "--notes",
    "birthday_day": "--birthday",
    "birthday_month": "--birthday",
    "birthday_year": "--birthday",
}

H_BIRTHDAY = "Their birthday: YYYY-MM-DD, or MM-DD without the year."


def parse_birthday(value: str | None) -> dict[str, int | None] | None:
    """--birthday as the three fields: 1990-02-14 or 02-14 (the model checks the day exists)."""
    if value is None:
        return None
    text = value.strip().lstrip("-")
    if not text:
        return {"birthday_year": None, "birthday_month": None, "birthday_day": None}
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        usage_error(
            f"--birthday {value!r} is not a birthday; use YYYY-MM-DD or MM-DD, e.g. 1990-02-14."
        )
    numbers = [int(p) for p in parts]
    year = numbers[0] if len(numbers) == 3 else None
    return {"birthday_year": year, "birthday_month": numbers[-2], "birthday_day": numbers[-1]}


# Help texts shared by `person add` and `person edit`.
H_EMAIL = "An email address; repeat for several."
H_PHONE = "A phone number; repeat for several."
H_LINK = "A web address such as a LinkedIn profile; repeat for several."
H_ORG = "Their current organisation (created if new; 'Hooli, Inc.' is 'Hooli')."
H_TITLE = "Their job title, e.g. 'VP Eng'."
H_LIST = "A personal (friends, family), B career (colleagues, mentors), C target employers."
H_TAG = "A tag such as mentor or recruiter; repeat for several."
H_CLOSENESS = "How well you know them: 1 met once … 5 inner circle."
H_CADENCE = "Keep in touch every this many days (1 to 3650)."
H_DM = "They can hire or decide at their organisation (a decision maker)."
H_HOW = "How you met, e.g. 'Spoke after my talk at PyCon'."
H_MET_ON = "When you met, YYYY-MM-DD."
H_INTRO = "Who introduced you: a name, email or UUID of someone already in your network."
H_LOCATION = "Where they are, e.g. 'London'."
H_NOTES = "Anything worth remembering."
H_JSON = "Print JSON instead of a table."


def check_list(letter: str | None) -> str | None:
    if letter is None:
        return None
    cleaned = letter.strip().upper()
    if cleaned not in LISTS:
        usage_error(
            f"--list {letter!r} is not a list; use A (personal), B (career) "
            "or C (target employers)."
        )
    return cleaned


def check_range(value: int | None, option: str, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        usage_error(f"{option} must be from {low} to {high}, not {value}.")
    return value


def _check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        usage_error('a person needs a name, e.g. `circleback person add "Ada Quill"`.')
    return cleaned


def _detailed(person: Person) -> Person:
    """The person again with everything a card or --json shows, in a fixed number of queries."""
    from circleback.people.models import Person
    from circleback.people.queries import with_details

    return with_details(
        Person.objects.filter(pk=person.pk).select_related("organisation", "introduced_by")
    ).get()


def _list_label(letter: str) -> str:
    return f"{letter} — {LISTS.get(letter, '')}"


def _person_card(
    person: Person, ties: list[tuple[Person, Any]], journal: list[Any], journal_count: int
) -> None:
    from circleback.cli.journal import journal_table
    from circleback.people.models import Closeness
    from circleback.text import role_words

    heading = Text(person.full_name, style="bold")
    org_name = person.organisation.name if person.organisation else ""
    role = role_words(person.title, org_name)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    rows: list[tuple[str, str]] = [
        ("Role", role),
        ("List", _list_label(person.contact_list)),
        ("Emails", comma_list(e.address for e in person.emails.all())),
        ("Phones", comma_list(p.number for p in person.phones.all())),
        ("Links", comma_list(link.url for link in person.links.all())),
        ("Location", person.location),
        ("Tags", comma_list(sorted((t.name for t in person.tags.all()), key=str.lower))),
        ("Closeness", Closeness(person.closeness).label if person.closeness else ""),
        ("Cadence", f"every {person.cadence_days} days" if person.cadence_days else ""),
        ("Decision maker", "yes" if person.is_decision_maker else ""),
        ("How we met", person.how_we_met),
        ("Met on", person.met_on.isoformat() if person.met_on else ""),
        ("Introduced by", person.introduced_by.full_name if person.introduced_by else ""),
        ("Last contact", local_time(person.last_contact_at) if person.last_contact_at else "never"),
        ("Notes", person.notes),
        ("UUID", str(person.uuid)),
    ]
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))
    console.print(Panel(grid, title=heading, title_align="left", expand=False))
    if ties:
        table = Table(title="Ties", title_justify="left")
        table.add_column("Knows", style="bold")
        table.add_column("Organisation")
        table.add_column("How")
        table.add_column("Strength", justify="right")
        for other, tie in ties:
            table.add_row(
                other.full_name,
                other.organisation.name if other.organisation else "",
                tie.get_kind_display(),
                str(tie.strength),
            )
        console.print(table)
    else:
        console.print(
            f'No ties yet — record one with `circleback tie "{person.full_name}" "OTHER NAME" '
            "--kind colleague`.",
            highlight=False,
        )
    if journal:
        title = "Journal" + (f" (latest 10 of {journal_count})" if journal_count > 10 else "")
        console.print(journal_table(journal, title=title, show_people=True))
    else:
        console.print(
            f'Nothing in the journal yet — `circleback log "Coffee" --with "{person.full_name}" '
            "--kind meeting`.",
            highlight=False,
        )


def _introducer(owner: User, query: str | None) -> Person | None:
    if query is None or not query.strip():
        return None
    return resolve_person(owner, query)


def _print_saved(verb: str, person: Person, as_json: bool) -> None:
    from circleback.people.serializers import person_to_dict

    person = _detailed(person)
    if as_json:
        emit_json(person_to_dict(person))
        return
    where = f" at {person.organisation.name}" if person.organisation else ""
    console.print(
        f"{verb} [bold]{person.full_name}[/]{where} on list {person.contact_list} — {person.uuid}",
        highlight=False,
    )


@person_app.command("add")
def person_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Their full name.", show_default=False),
    email: list[str] | None = typer.Option(None, "--email", "-e", metavar="EMAIL", help=H_EMAIL),
    phone: list[str] | None = typer.Option(None, "--phone", metavar="PHONE", help=H_PHONE),
    link: list[str] | None = typer.Option(None, "--link", metavar="URL", help=H_LINK),
    org: str | None = typer.Option(None, "--org", "-o", help=H_ORG),
    title: str = typer.Option("", "--title", "-t", help=H_TITLE),
    contact_list: str = typer.Option("B", "--list", "-l", help=H_LIST),
    tag: list[str] | None = typer.Option(None, "--tag", metavar="TAG", help=H_TAG),
    closeness: int = typer.Option(2, "--closeness", help=H_CLOSENESS),
    cadence: int | None = typer.Option(None, "--cadence", help=H_CADENCE),
    decision_maker: bool = typer.Option(False, "--decision-maker", help=H_DM),
    how_we_met: str = typer.Option("", "--how-we-met", help=H_HOW),
    met_on: str | None = typer.Option(None, "--met-on", help=H_MET_ON),
    introduced_by: str | None = typer.Option(None, "--introduced-by", help=H_INTRO),
    location: str = typer.Option("", "--location", help=H_LOCATION),
    notes: str = typer.Option("", "--notes", help=H_NOTES),
    birthday: str | None = typer.Option(None, "--birthday", help=H_BIRTHDAY),
    new: bool = typer.Option(
        False,
        "--new",
        help="Add them even if someone with the same name, email or LinkedIn profile is "
        "already in your network (without it, you are shown who and nothing is added).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the new person as JSON."),
) -> None:
    """Add someone to your network.

    If someone already in your network may be them — the same email or LinkedIn profile, the
    same name at the same organisation, or the same name — nothing is added: you are shown who,
    with their ids. Add them anyway with --new.

    Example: [bold]circleback person add "Ada Quill" --email ada@x.org --org Hooli
    --title "VP Eng" --list B --tag mentor[/]
    """
    django_setup()
    from circleback.people.services.people import PersonExists

    name = _check_name(name)
    letter = check_list(contact_list)
    check_range(closeness, "--closeness", 1, 5)
    check_range(cadence, "--cadence", 1, 3650)
    owner = current_user(ctx)  # first: "today" is the day in the account's time zone
    met = parse_date(met_on, "--met-on")
    introducer = _introducer(owner, introduced_by)
    try:
        person = _create(
            owner=owner,
            if_exists="new" if new else "ask",
            full_name=name,
            emails=email or [],
            phones=phone or [],
            links=link or [],
            organisation=org,
            title=title,
            contact_list=letter,
            tags=tag or [],
            closeness=closeness,
            cadence_days=cadence,
            is_decision_maker=decision_maker,
            how_we_met=how_we_met,
            met_on=met,
            introduced_by=introducer,
            location=location,
            notes=notes,
            **(parse_birthday(birthday) or {}),
        )
    except PersonExists as exc:
        already_known(
            exc,
            name,
            "See them with `circleback person show ID`; add a new person anyway with --new.",
        )
    _print_saved("Added", person, as_json)


def _create(**fields: Any) -> Person:
    """person_create, a refusal said as a usage error naming the options (PersonExists, the
    question of who they are, is left to the caller)."""
    from django.core.exceptions import ValidationError

    from circleback.people.services.people import PersonExists, person_create

    try:
        return person_create(**fields)
    except PersonExists:
        raise
    except ValidationError as exc:
        invalid(exc, PERSON_LABELS)


@person_app.command("show")
def person_show(
    ctx: typer.Context,
    query: str = typer.Argument(
        ..., help="A name, part of one, an email or a UUID.", show_default=False
    ),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Show a person's card: details, ties and the last 10 journal entries.

    Example: [bold]circleback person show "Ada Quill"[/]  (or: person show ada@x.org --json)
    """
    django_setup()
    from circleback.cli.journal import interaction_to_dict
    from circleback.journal.models import Participation
    from circleback.journal.queries import person_timeline
    from circleback.people.queries import person_ties
    from circleback.people.serializers import person_to_dict

    owner = current_user(ctx)
    person = _detailed(resolve_person(owner, query))
    ties = person_ties(person).ties
    journal = list(person_timeline(person, limit=10).select_related("organisation"))
    if as_json:
        data = person_to_dict(person)
        data["ties"] = [
            {
                "uuid": str(tie.uuid),
                "person": str(other.uuid),
                "full_name": other.full_name,
                "kind": tie.kind,
                "strength": tie.strength,
                "notes": tie.notes,
            }
            for other, tie in ties
        ]
        data["journal"] = [interaction_to_dict(i) for i in journal]
        emit_json(data)
        return
    count = Participation.objects.filter(person=person).count() if len(journal) == 10 else 0
    _person_card(person, ties, journal, count)


@person_app.command("edit")
def person_edit(
    ctx: typer.Context,
    query: str = typer.Argument(
        ..., help="Who to change: a name, email or UUID.", show_default=False
    ),
    name: str | None = typer.Option(None, "--name", help="Their new full name."),
    email: list[str] | None = typer.Option(
        None,
        "--email",
        "-e",
        metavar="EMAIL",
        help="Replaces their emails; repeat for several, '' for none.",
    ),
    phone: list[str] | None = typer.Option(
        None,
        "--phone",
        metavar="PHONE",
        help="Replaces their phones; repeat for several, '' for none.",
    ),
    link: list[str] | None = typer.Option(
        None, "--link", metavar="URL", help="Replaces their links; repeat for several, '' for none."
    ),
    org: str | None = typer.Option(None, "--org", "-o", help=H_ORG),
    clear_org: bool = typer.Option(False, "--clear-org", help="They have no organisation now."),
    title: str | None = typer.Option(None, "--title", "-t", help=H_TITLE),
    contact_list: str | None = typer.Option(None, "--list", "-l", help=H_LIST),
    tag: list[str] | None = typer.Option(
        None, "--tag", metavar="TAG", help="Replaces their tags; repeatable."
    ),
    add_tag: list[str] | None = typer.Option(
        None, "--add-tag", metavar="TAG", help="Adds a tag; repeatable."
    ),
    remove_tag: list[str] | None = typer.Option(
        None, "--remove-tag", metavar="TAG", help="Removes a tag; repeatable."
    ),
    closeness: int | None = typer.Option(None, "--closeness", help=H_CLOSENESS),
    cadence: int | None = typer.Option(
        None, "--cadence", help=H_CADENCE + " 0 goes back to the list's default."
    ),
    decision_maker: bool | None = typer.Option(
        None, "--decision-maker/--not-decision-maker", help=H_DM, show_default=False
    ),
    how_we_met: str | None = typer.Option(None, "--how-we-met", help=H_HOW),
    met_on: str | None = typer.Option(None, "--met-on", help=H_MET_ON + " '' clears it."),
    introduced_by: str | None = typer.Option(
        None, "--introduced-by", help=H_INTRO + " '' clears it."
    ),
    location: str | None = typer.Option(None, "--location", help=H_LOCATION),
    notes: str | None = typer.Option(None, "--notes", help="Replaces the notes."),
    birthday: str | None = typer.Option(None, "--birthday", help=H_BIRTHDAY + " '' clears it."),
    as_json: bool = typer.Option(False, "--json", help="Print the changed person as JSON."),
) -> None:
    """Change someone's details; only the options you give change.

    Example: [bold]circleback person edit "Ada Quill" --title CTO --org Initech
    --add-tag referrer[/]
    """
    django_setup()
    from circleback.people.services.people import person_update

    if org is not None and clear_org:
        usage_error("give either --org NAME or --clear-org, not both.")
    owner = current_user(ctx)  # first: "today" is the day in the account's time zone
    fields: dict[str, Any] = {}
    if name is not None:
        fields["full_name"] = _check_name(name)
    if title is not None:
        fields["title"] = title
    if contact_list is not None:
        fields["contact_list"] = check_list(contact_list)
    if closeness is not None:
        fields["closeness"] = check_range(closeness, "--closeness", 1, 5)
    if cadence is not None:
        fields["cadence_days"] = check_range(cadence, "--cadence", 0, 3650) or None
    if decision_maker is not None:
        fields["is_decision_maker"] = decision_maker
    if how_we_met is not None:
        fields["how_we_met"] = how_we_met
    if met_on is not None:
        fields["met_on"] = parse_date(met_on, "--met-on")
    if location is not None:
        fields["location"] = location
    if notes is not None:
        fields["notes"] = notes
    fields.update(parse_birthday(birthday) or {})
    extra: dict[str, Any] = {}
    for key, values in (("emails", email), ("phones", phone), ("links", link)):
        if values is not None and len(values):
            extra[key] = [v for v in values if v.strip()]
    if org is not None or clear_org:
        extra["organisation"] = None if clear_org else org
    if not (fields or extra or tag or add_tag or remove_tag or introduced_by is not None):
        usage_error(
            "nothing to change; give at least one option, e.g. --title CTO. "
            "See `circleback person edit --help`."
        )
    person = resolve_person(owner, query)
    if introduced_by is not None:
        extra["introduced_by"] = _introducer(owner, introduced_by)
    if tag or add_tag or remove_tag:
        current = list(tag) if tag else [t.name for t in person.tags.all()]
        removed = {t.strip().lower() for t in remove_tag or []}
        wanted = [t for t in [*current, *(add_tag or [])] if t.strip().lower() not in removed]
        extra["tags"] = wanted
    with refusal_as_usage_error(PERSON_LABELS):
        person = person_update(person=person, **extra, **fields)
    _print_saved("Saved", person, as_json)


@person_app.command("delete")
def person_delete(
    ctx: typer.Context,
    query: str = typer.Argument(
        ..., help="Who to delete: a name, email or UUID.", show_default=False
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Don't ask; delete straight away."),
) -> None:
    """Delete someone and everything that identifies them: details, photo, ties, journal
    entries with only them, their meetings, leads, loop steps, favours, introductions and
    permissions. Journal entries with other people stay, without them; wherever your notes
    name them, the name becomes "someone". Says what goes before and after.

    Asks first unless you pass --yes; scripts must pass --yes.

    Example: [bold]circleback person delete "Ada Quill" --yes[/]
    """
    django_setup()
    from circleback.operations.erase import person_erase, person_erase_plan

    owner = current_user(ctx)
    person = resolve_person(owner, query)
    if not yes:
        if not is_interactive():
            usage_error(
                f"not deleting {person.full_name} without confirmation; "
                "add --yes to delete from a script."
            )
        plan = person_erase_plan(person=person)
        if not typer.confirm(f"Delete {person.full_name} ({person.uuid}) with {plan.summary()}?"):
            fail("nothing was deleted.")
    done = person_erase(person=person)
    console.print(done.deleted(done.name), highlight=False)


SORTS = {"name": "name", "last-contact": "last_contact", "added": "-added"}


@app.command("people", rich_help_panel="Your network")
def people(
    ctx: typer.Context,
    contact_list: str | None = typer.Option(None, "--list", "-l", help="Only list A, B or C."),
    tag: str | None = typer.Option(None, "--tag", help="Only people with this tag."),
    org: str | None = typer.Option(None, "--org", "-o", help="Only people at this organisation."),
    search: str | None = typer.Option(
        None, "--search", "-s", help="Only people matching these words (names, title, notes …)."
    ),
    sort: str = typer.Option(
        "name",
        "--sort",
        help="name (A to Z), last-contact (longest without contact first), added (newest first).",
    ),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """List the people in your network.

    Example: [bold]circleback people --list C --org Hooli --sort last-contact[/]
    """
    django_setup()
    from circleback.people.queries import PeopleFilter, people_list, with_details
    from circleback.people.serializers import people_dicts_of_rows, person_rows

    letter = check_list(contact_list)
    if sort not in SORTS:
        usage_error(f"--sort {sort!r} is not a sort order; use {', '.join(SORTS)}.")
    check_page(limit, offset)
    owner = current_user(ctx)
    organisation = resolve_organisation(owner, org) if org else None
    if search is not None and not search.strip():
        usage_error("--search needs some words to look for.")
    filters = PeopleFilter(
        query=search or "",
        contact_list=letter or "",
        tag=(tag or "").strip(),
        organisation=organisation,
        sort=SORTS[sort],  # type: ignore[arg-type]
    )
    listed = people_list(owner=owner, filters=filters)
    if as_json:
        # Plain rows and a few queries a batch: models and prefetches cost a millisecond a row.
        stream_json(
            person_rows(listed),
            limit=limit,
            offset=offset,
            to_json=lambda row: people_dicts_of_rows([row])[0],
            to_json_batch=people_dicts_of_rows,
            what="people",
        )
        return
    found = with_details(listed)
    paged = page_of(found, limit or DEFAULT_LIMIT, offset)
    page = paged.rows
    if not paged.total:
        narrowed = any([letter, tag, org, search])
        if narrowed:
            console.print("No one matches. Try fewer options, or `circleback search WORDS`.")
        else:
            console.print(
                'No people yet — add one with `circleback person add "Ada Quill" --list B`.',
                highlight=False,
            )
        return
    table = Table(title=f"People ({paged.total})", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("List", justify="center")
    table.add_column("Organisation")
    table.add_column("Title")
    table.add_column("Tags")
    table.add_column("Last contact")
    for p in page:
        table.add_row(
            p.full_name + (" ★" if p.is_decision_maker else ""),
            p.contact_list,
            p.organisation.name if p.organisation else "",
            p.title,
            comma_list(sorted((t.name for t in p.tags.all()), key=str.lower)),
            local_time(p.last_contact_at, with_time=False) if p.last_contact_at else "never",
        )
    if page:
        console.print(table)
    paged.say_more("people")
    if any(p.is_decision_maker for p in page):
        console.print("★ decision maker", style="dim")


def _tie_kind(kind: str) -> str:
    from circleback.people.models import Tie

    cleaned = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in Tie.Kind.values:
        usage_error(
            f"--kind {kind!r} is not a kind of tie; use one of "
            f"{', '.join(v.replace('_', '-') for v in Tie.Kind.values)}."
        )
    return cleaned


@app.command("tie", rich_help_panel="Your network")
def tie(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="One person (name, email or UUID).", show_default=False),
    other: str = typer.Argument(..., help="Someone they know.", show_default=False),
    kind: str = typer.Option(
        "other",
        "--kind",
        "-k",
        help="How they know each other: colleague, former-colleague, manager, friend, family, "
        "classmate, mentor, client or other.",
    ),
    strength: int = typer.Option(2, "--strength", help="How strong the tie is, 1 (weak) to 5."),
    notes: str = typer.Option("", "--notes", help="Anything worth remembering about it."),
    as_json: bool = typer.Option(False, "--json", help="Print the tie as JSON."),
) -> None:
    """Record that two people in your network know each other (or change how).

    Weak ties matter: they often lead to the job. Running it again updates the tie.

    Example: [bold]circleback tie "Ada Quill" "Bart Nguyen" --kind colleague --strength 3[/]
    """
    django_setup()
    from circleback.people.serializers import tie_to_dict
    from circleback.people.services.ties import tie_set

    kind = _tie_kind(kind)
    check_range(strength, "--strength", 1, 5)
    owner = current_user(ctx)
    first = resolve_person(owner, person)
    second = resolve_person(owner, other)
    if first.pk == second.pk:
        usage_error(
            f"{person!r} and {other!r} are both {first.full_name}; "
            "a tie joins two different people."
        )
    with refusal_as_usage_error({"kind": "--kind", "strength": "--strength", "notes": "--notes"}):
        saved = tie_set(
            owner=owner, person=first, other=second, kind=kind, strength=strength, notes=notes
        )
    if as_json:
        a, b = (first, second) if first.pk == saved.person_a_id else (second, first)
        emit_json(tie_to_dict(saved, person_a_uuid=str(a.uuid), person_b_uuid=str(b.uuid)))
        return
    console.print(
        f"Tied [bold]{first.full_name}[/] ↔ [bold]{second.full_name}[/] "
        f"({saved.get_kind_display().lower()}, strength {saved.strength}).",
        highlight=False,
    )


@app.command("untie", rich_help_panel="Your network")
def untie(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="One person (name, email or UUID).", show_default=False),
    other: str = typer.Argument(..., help="The other person.", show_default=False),
) -> None:
    """Remove the tie between two people.

    Example: [bold]circleback untie "Ada Quill" "Bart Nguyen"[/]
    """
    django_setup()
    from circleback.people.models import Tie
    from circleback.people.services.ties import tie_delete

    owner = current_user(ctx)
    first = resolve_person(owner, person)
    second = resolve_person(owner, other)
    a, b = sorted((first.pk, second.pk))
    found = Tie.objects.filter(owner=owner, person_a_id=a, person_b_id=b).first()
    if found is None:
        fail(f"{first.full_name} and {second.full_name} have no tie to remove.")
    tie_delete(tie=found)
    console.print(f"Removed the tie between {first.full_name} and {second.full_name}.")
