"""`circleback group …` and `circleback coach …`: job clubs and networking groups, opening
people to them with consent, and coaches' read access."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    local_time,
    refusal_as_usage_error,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import (
    DEFAULT_LIMIT,
    check_page,
    limit_option,
    offset_option,
    page_of,
    say_more,
    stream_json,
)

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.groups.models import Group, IntroRequest
    from circleback.people.models import Person

PANEL = "Groups and coaches"
H_JSON = "Print JSON instead of text."

group_app = typer.Typer(
    help=(
        "Job clubs, networking groups and cohorts on this server: invite members, open chosen "
        "people to the group (nothing is shared until you do), find ways in through each "
        "other.\n\n"
        'Example: circleback group create "Thursday club" · circleback group open '
        '"Thursday club" --list B --consent'
    ),
    no_args_is_help=True,
)
app.add_typer(group_app, name="group", rich_help_panel=PANEL)
coach_app = typer.Typer(
    help=(
        "Let a fellow group member coach you: read access to the parts you choose, revocable "
        "at once; see what they looked at.\n\n"
        'Example: circleback coach grant maya --group "Thursday club" --part goals --part loops'
    ),
    no_args_is_help=True,
)
app.add_typer(coach_app, name="coach", rich_help_panel=PANEL)


def _group(owner: User, name: str) -> Group:
    from django.http import Http404

    from circleback.groups.queries import get_group_for

    try:
        return get_group_for(owner, name)
    except Http404:
        fail(f"you are in no group called {name!r}. See yours with `circleback group list`.")


@contextmanager
def _not_found(message: str) -> Iterator[None]:
    """A record the owner can't see (a 404 from a query or service) as a plain failure."""
    from django.http import Http404

    try:
        yield
    except Http404:
        fail(message)


def _account(username: str) -> User:
    from circleback.accounts.models import User

    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        fail(f"there is no account called {username!r} on this server.")
    return user


@group_app.command("create")
def group_create_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name."),
    description: str = typer.Option("", "--description", help="What the group is for."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Start a group; you are its first organiser.

    Example: circleback group create "Thursday club" --description "Job club at the library"
    """
    django_setup()
    from circleback.groups.services import group_create

    owner = current_user(ctx)
    with refusal_as_usage_error():
        group = group_create(owner=owner, name=name, description=description)
    if as_json:
        emit_json({"uuid": str(group.uuid), "name": group.name})
        return
    console.print(
        f"Started {group.name}. Invite members: circleback group invite {group.name!r}",
        highlight=False,
    )


@group_app.command("invite")
def group_invite_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    days: int = typer.Option(7, "--days", help="How long the link works, 1 to 30 days."),
    revoke: str | None = typer.Option(
        None,
        "--revoke",
        metavar="ID",
        help="Withdraw the unused link with this id (see `group invites NAME`) instead.",
    ),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Print an invitation link: it works once, until it expires. Send it to one person.
    Organisers only. With --revoke ID, withdraw a link you no longer want used: whoever opens
    it is told an organiser withdrew it.

    The link starts with CIRCLEBACK_BASE_URL (else http://127.0.0.1:8000).

    Example: circleback group invite "Thursday club" --days 3
    · circleback group invite "Thursday club" --revoke 5f0c…
    """
    django_setup()
    from django.conf import settings
    from django.urls import reverse

    from circleback.groups.queries import invitations_of
    from circleback.groups.services import invitation_create, invitation_revoke

    owner = current_user(ctx)
    group = _group(owner, name)
    if revoke is not None:
        with (
            _not_found(f"{group.name} has no invitation {revoke!r}; see them: group invites NAME"),
            refusal_as_usage_error({"invitation": "--revoke", "group": ""}),
        ):
            invitation_revoke(owner=owner, group=group, invitation_uuid=revoke)
        row = invitations_of(owner=owner, group=group, invitation_uuid=revoke)[0]
        if as_json:
            emit_json(row.as_dict())
            return
        console.print(f"Withdrawn: that link to {group.name} no longer works.", highlight=False)
        return
    with refusal_as_usage_error({"days": "--days", "group": ""}):
        invitation, token = invitation_create(owner=owner, group=group, days=days)
    base = settings.CIRCLEBACK_BASE_URL or "http://127.0.0.1:8000"
    link = base + reverse("groups:join", args=[token])
    if as_json:
        emit_json(
            {
                "uuid": str(invitation.uuid),
                "link": link,
                "expires_at": invitation.expires_at.isoformat(),
            }
        )
        return
    console.print(link, highlight=False, soft_wrap=True)


@group_app.command("invites")
def group_invites_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """The group's invitation links, newest first: who made each, and whether it is waiting,
    used, expired or withdrawn (organisers only; a link itself is never shown again).

    --limit and --offset page them; --json gives every link unless --limit says otherwise.

    Example: circleback group invites "Thursday club" --limit 50 --offset 50
    · circleback group invites "Thursday club" --json
    """
    django_setup()
    from circleback.groups.queries import invitation_rows, invitations_newest_first

    check_page(limit, offset)
    owner = current_user(ctx)
    group = _group(owner, name)
    with refusal_as_usage_error({"group": ""}):
        rows = invitations_newest_first(owner=owner, group=group)
    if as_json:
        stream_json(
            rows,
            limit=limit,
            offset=offset,
            to_json=lambda i: invitation_rows([i])[0].as_dict(),
            to_json_batch=lambda found: [r.as_dict() for r in invitation_rows(found)],
            what="invitation links",
        )
        return
    page = page_of(rows, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        console.print(
            f"No invitation links to {group.name} yet. Make one: "
            f"circleback group invite {group.name!r}",
            highlight=False,
        )
        return
    if page.rows:
        table = Table(title=f"Invitation links to {group.name} ({page.total})")
        for column in ("Id", "Made", "By", "Now"):
            table.add_column(column, overflow="fold")
        for r in invitation_rows(page.rows):
            table.add_row(r.uuid, local_time(r.created_at), r.made_by, r.words)
        console.print(table)
    page.say_more("invitation links")


@group_app.command("add")
def group_add_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    user: str = typer.Argument(..., help="The sign-in name of an account on this server."),
    organiser: bool = typer.Option(False, "--organiser", help="Make them an organiser too."),
) -> None:
    """Add an existing account to a group (organisers only).

    Example: circleback group add "Thursday club" maya --organiser
    """
    django_setup()
    from circleback.groups.services import member_add

    owner = current_user(ctx)
    group = _group(owner, name)
    member = _account(user)
    with refusal_as_usage_error({"group": ""}):
        membership = member_add(owner=owner, group=group, user=member, organiser=organiser)
    console.print(
        f"{member.get_username()} is in {group.name} ({membership.get_role_display().lower()}).",
        highlight=False,
    )


def _what(
    owner: User, person: str | None, contact_list: str | None, tag: str | None
) -> dict[str, object]:
    given = [x for x in (person, contact_list, tag) if x]
    if len(given) != 1:
        usage_error("say what: one of --person NAME, --list A|B|C or --tag TAG.")
    if person:
        return {"person": resolve_person(owner, person)}
    if contact_list:
        return {"contact_list": contact_list}
    return {"tag": tag}


@group_app.command("open")
def group_open_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    person: str | None = typer.Option(None, "--person", help="One person: name, email or UUID."),
    contact_list: str | None = typer.Option(None, "--list", help="A whole list: A, B or C."),
    tag: str | None = typer.Option(None, "--tag", help="Everyone with this tag."),
    consent: bool = typer.Option(
        False,
        "--consent",
        help="You have their permission, or will ask before anyone uses their name (required).",
    ),
    no_title: bool = typer.Option(False, "--no-title", help="Don't show their title."),
    no_closeness: bool = typer.Option(
        False, "--no-closeness", help="Don't show how close you are."
    ),
) -> None:
    """Open people to a group: other members then see their name, organisation and (unless
    you say otherwise) title and your closeness — never emails, phones, notes or the journal.
    A list or tag stays open as it grows.

    Example: circleback group open "Thursday club" --tag fintech --consent
    """
    django_setup()
    from circleback.groups.services import opening_open

    owner = current_user(ctx)
    group = _group(owner, name)
    what = _what(owner, person, contact_list, tag)
    with refusal_as_usage_error(
        {"consent": "--consent", "contact_list": "--list", "tag": "--tag", "kind": ""}
    ):
        opening_open(
            owner=owner,
            group=group,
            consent=consent,
            shows_title=not no_title,
            shows_closeness=not no_closeness,
            **what,  # type: ignore[arg-type]
        )
    console.print(f"Opened to {group.name}.", highlight=False)


@group_app.command("close")
def group_close_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    person: str | None = typer.Option(None, "--person", help="One person: name, email or UUID."),
    contact_list: str | None = typer.Option(None, "--list", help="A whole list: A, B or C."),
    tag: str | None = typer.Option(None, "--tag", help="Everyone with this tag."),
) -> None:
    """Close what you opened; other members stop seeing it at once. Closing one person who is
    open through a list or tag keeps just them closed.

    Example: circleback group close "Thursday club" --person "Vera Holt"
    """
    django_setup()
    from circleback.groups.services import opening_close

    owner = current_user(ctx)
    group = _group(owner, name)
    what = _what(owner, person, contact_list, tag)
    with refusal_as_usage_error({"contact_list": "--list", "tag": "--tag", "kind": ""}):
        opening_close(owner=owner, group=group, **what)  # type: ignore[arg-type]
    console.print(f"Closed: {group.name} no longer sees them.", highlight=False)


@group_app.command("leave")
def group_leave_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
) -> None:
    """Leave a group: everyone you opened to it closes at once.

    Example: circleback group leave "Thursday club"
    """
    django_setup()
    from circleback.groups.services import group_leave

    owner = current_user(ctx)
    group = _group(owner, name)
    title = group.name
    group_leave(owner=owner, group=group)
    console.print(f"You left {title}.", highlight=False)


@group_app.command("list")
def group_list_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """The groups you are in.

    Example: circleback group list --json
    """
    django_setup()
    from circleback.groups.queries import membership_as_dict, memberships_of

    rows = [membership_as_dict(m) for m in memberships_of(current_user(ctx))]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print(
            "You are in no group yet. Start one with `circleback group create NAME`, or ask "
            "an organiser for an invitation link.",
            highlight=False,
        )
        return
    table = Table(title=f"Your groups ({len(rows)})")
    for column in ("Group", "Members", "You are"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["name"]), str(row["members"]), str(row["role"]))
    console.print(table)


@group_app.command("show")
def group_show_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """A group's members and the people other members opened to it (only what they opened),
    by the member who opened them, then name.

    --limit and --offset page the opened people; --json gives the group with "opened": [...],
    every opened person unless --limit says otherwise, each with the UUID `group ask` takes.

    Example: circleback group show "Thursday club" --limit 50 --offset 50
    """
    django_setup()
    from circleback.groups.queries import (
        get_membership_for,
        group_as_dict,
        opened_as,
        opened_list,
    )

    check_page(limit, offset)
    owner = current_user(ctx)
    group = _group(owner, name)
    shown = group_as_dict(get_membership_for(owner, group.uuid), viewer=owner)
    people = opened_list(viewer=owner, group=group)

    def seen(rows: list[Person]) -> list[dict[str, object]]:
        return [p.as_dict() for p in opened_as(rows, viewer=owner, group_ids=[group.pk])]

    if as_json:
        # Every opened person from --offset unless --limit says otherwise, as board --json.
        found = list(people[offset : offset + limit] if limit is not None else people[offset:])
        emit_json({**shown, "opened": seen(found)})
        if (limit is not None and len(found) == limit) or (not found and offset):
            say_more(
                shown=len(found), offset=offset, total=shown["opened_count"], what="opened people"
            )
        return
    members = shown["member_list"]
    console.print(f"[bold]{escape(group.name)}[/] — {len(members)} members", highlight=False)
    for m in members:
        console.print(f"- {m['name'] or m['username']} ({m['role']})", highlight=False)
    page = page_of(people, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        console.print("No one has opened anyone to the group yet.", highlight=False)
        return
    if page.rows:
        table = Table(title=f"Opened by other members ({page.total})", title_justify="left")
        for column in ("Person", "Organisation", "Known by"):
            table.add_column(column)
        for p in seen(page.rows):
            table.add_row(
                escape(str(p["name"]) + (f", {p['title']}" if p["title"] else "")),
                escape(str(p["organisation"])),
                escape(str(p["member"])),
            )
        console.print(table)
        console.print(
            "Ask for an introduction: circleback group ask NAME --person UUID (see --json)",
            highlight=False,
        )
    page.say_more("opened people")


# The API's words for a request's way and state (`GET /group-requests`), said once for
# --help; the command checks them against the query's own.
DIRECTION_WORDS = "asked_of_you, you_asked"
STATE_WORDS = "asked, accepted, declined, withdrawn"


def _request_line(r: IntroRequest, owner: User) -> str:
    """One request on a line, its id first (for `group answer`), as it goes for `owner`."""
    from circleback.groups.queries import display_name

    at = f" at {r.organisation_name}" if r.organisation_name else ""
    if r.member_id == owner.pk:
        what = (
            f"{display_name(r.seeker)} ({r.group.name}) asks to meet {r.person_name}{at}: "
            f"“{r.reason}”"
        )
    else:
        what = f"You asked {display_name(r.member)} ({r.group.name}) about {r.person_name}{at}"
    now = r.get_state_display().lower() + (f": “{r.answer}”" if r.answer else "")
    return f"{r.uuid}  {local_time(r.asked_at, with_time=False)}  {escape(what)} — {escape(now)}"


@group_app.command("requests")
def group_requests_command(
    ctx: typer.Context,
    direction: str | None = typer.Option(
        None,
        "--direction",
        help=f"Only asked_of_you (fellow members ask you: you answer) or you_asked; both if "
        f"not given. One of: {DIRECTION_WORDS}.",
    ),
    state: str | None = typer.Option(
        None,
        "--state",
        help=f"Only requests in this state (asked: waiting for an answer). One of: {STATE_WORDS}.",
    ),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Introduction requests asked of you and by you, newest first.

    Each says which way it goes, as in the API's GET /group-requests. Answer one asked of you:
    circleback group answer ID --accept

    Example: circleback group requests --direction asked_of_you --state asked
    """
    django_setup()
    from circleback.groups.models import IntroRequest
    from circleback.groups.queries import (
        REQUEST_DIRECTIONS,
        request_as_dict,
        request_order,
        requests_of,
    )

    check_page(limit, offset)
    if direction is not None and direction not in REQUEST_DIRECTIONS:
        usage_error(f"--direction {direction!r} is not a direction; use one of {DIRECTION_WORDS}.")
    if state is not None and state not in IntroRequest.State.values:
        usage_error(f"--state {state!r} is not a state; use one of {STATE_WORDS}.")
    owner = current_user(ctx)
    rows = request_order(requests_of(owner=owner, direction=direction, state=state))
    if as_json:
        stream_json(
            rows,
            limit=limit,
            offset=offset,
            to_json=lambda r: request_as_dict(r, viewer=owner),
            what="requests",
        )
        return
    page = page_of(rows, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        console.print(
            "No introduction requests like that; without --direction and --state you see all "
            "of yours."
            if direction or state
            else "No introduction requests yet. Ask for one: circleback group ask NAME --person "
            "UUID --reason WHY (the UUIDs are in `group show NAME --json`).",
            highlight=False,
        )
        return
    for r in page.rows:
        console.print(_request_line(r, owner), highlight=False, soft_wrap=True)
    page.say_more("requests")


@group_app.command("ask")
def group_ask_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    person: str = typer.Option(..., "--person", help="The opened person's UUID (group show)."),
    reason: str = typer.Option(..., "--reason", help="Why you'd like to meet them."),
) -> None:
    """Ask the member who opened a person to introduce you; they accept or decline.

    Example: circleback group ask "Thursday club" --person 5f0c… --reason "Platform work"
    """
    django_setup()
    from django.http import Http404

    from circleback.groups.services import intro_request_ask

    owner = current_user(ctx)
    group = _group(owner, name)
    try:
        with refusal_as_usage_error({"reason": "--reason", "person": "--person"}):
            request = intro_request_ask(owner=owner, group=group, person_uuid=person, reason=reason)
    except Http404:
        fail(f"no one with the id {person!r} is open to you in {group.name}.")
    console.print(f"Asked. Request {request.uuid}.", highlight=False)


@group_app.command("answer")
def group_answer_command(
    ctx: typer.Context,
    request: str = typer.Argument(..., help="The request's UUID (group requests)."),
    accept: bool = typer.Option(
        False, "--accept/--decline", help="Accept (you'll introduce them) or decline kindly."
    ),
    note: str = typer.Option("", "--note", help="A word back."),
) -> None:
    """Answer an introduction request asked of you.

    Example: circleback group answer 5f0c… --accept --note "Happy to"
    """
    django_setup()
    from django.http import Http404

    from circleback.groups.queries import get_request_for_member
    from circleback.groups.services import intro_request_answer

    owner = current_user(ctx)
    try:
        row = get_request_for_member(owner, request)
    except Http404:
        fail(
            f"no request {request!r} is waiting for you. See them with `circleback group requests`."
        )
    with refusal_as_usage_error({"answer": "--note"}):
        intro_request_answer(owner=owner, request=row, accept=accept, answer=note)
    console.print("Accepted." if accept else "Declined.", highlight=False)


@coach_app.command("grant")
def coach_grant_command(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The coach's sign-in name (a member of the group)."),
    group: str = typer.Option(..., "--group", help="The group you share with them."),
    part: list[str] = typer.Option(
        [], "--part", help="agenda, goals, health, loops or journal; repeat; default all."
    ),
) -> None:
    """Let a fellow member read chosen parts of your progress (journal titles, never notes).

    Example: circleback coach grant maya --group "Thursday club" --part goals --part loops
    """
    django_setup()
    from circleback.groups.services import coach_grant

    owner = current_user(ctx)
    coach = _account(user)
    with refusal_as_usage_error({"parts": "--part", "coach": ""}):
        grant = coach_grant(owner=owner, coach=coach, group=_group(owner, group), parts=part)
    console.print(
        f"{coach.get_username()} can now see your {', '.join(grant.parts)}.", highlight=False
    )


@coach_app.command("revoke")
def coach_revoke_command(
    ctx: typer.Context, user: str = typer.Argument(..., help="The coach's sign-in name.")
) -> None:
    """End a coach's access at once.

    Example: circleback coach revoke maya
    """
    django_setup()
    from circleback.groups.services import coach_revoke

    owner = current_user(ctx)
    with refusal_as_usage_error({"coach": ""}):
        coach_revoke(owner=owner, coach=_account(user))
    console.print(f"{user} can no longer see anything of yours.", highlight=False)


@coach_app.command("log")
def coach_log_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """What your coaches looked at, newest first.

    Example: circleback coach log
    """
    django_setup()
    from circleback.groups.coaching import view_as_dict, view_log

    rows = [view_as_dict(v) for v in view_log(owner=current_user(ctx))]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("No coach has looked at anything of yours.", highlight=False)
    for r in rows:
        console.print(
            f"{local_time(r['viewed_at'])}  {r['coach']} saw your {r['part']}", highlight=False
        )


@coach_app.command("clients")
def coach_clients_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """Members who let you coach them: activity, overdue loops, and who went quiet or only asks.

    Example: circleback coach clients --json
    """
    django_setup()
    from circleback.groups.coaching import coach_dashboard

    rows = [c.as_dict() for c in coach_dashboard(coach=current_user(ctx))]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("No member has asked you to coach them.", highlight=False)
        return
    table = Table(title=f"Members you coach ({len(rows)})")
    for column in ("Member", "Journal, 30 days", "Overdue loops", "Watch for"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["name"]),
            "—" if r["journal_entries_30_days"] is None else str(r["journal_entries_30_days"]),
            "—" if r["overdue_loops"] is None else str(r["overdue_loops"]),
            "; ".join(r["flags"]) or "—",
        )
    console.print(table)


@group_app.command("post")
def group_post_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    text: str = typer.Argument(..., help="What you ask for or offer, in a line or two."),
    offer: bool = typer.Option(False, "--offer/--ask", help="An offer (default: an ask)."),
    what: str = typer.Option(
        "advice", "--what", help="advice, introduction, article or mock_interview."
    ),
) -> None:
    """Put an ask or an offer on the group's board.

    Example: circleback group post "Thursday club" "Mock PM interview" --offer --what mock_interview
    """
    django_setup()
    from circleback.groups.services import board_post

    owner = current_user(ctx)
    group = _group(owner, name)
    with refusal_as_usage_error({"what": "--what", "text": "TEXT"}):
        post = board_post(
            owner=owner, group=group, kind="offer" if offer else "ask", what=what, text=text
        )
    console.print(f"On the board ({post.uuid}).", highlight=False)


# The API's words for a post's kind and subject (`GET /groups/{id}/board`), said once for
# --help; the command checks them against the model's own.
KIND_WORDS = "ask, offer"
WHAT_WORDS = "article, introduction, advice, mock_interview"


@group_app.command("board")
def group_board_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    kind: str | None = typer.Option(
        None, "--kind", help=f"Only asks, or only offers. One of: {KIND_WORDS}."
    ),
    what: str | None = typer.Option(
        None, "--what", help=f"Only posts about this. One of: {WHAT_WORDS}."
    ),
    closed: bool | None = typer.Option(
        None,
        "--closed/--open",
        help="Only posts closed with a thank-you, or only open ones; both if neither.",
        show_default=False,
    ),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """The group's asks and offers, open ones first, and the give/get balances you may see.

    Open posts come newest first, then closed ones, the latest closed first; balances by
    name. --kind, --what and --open/--closed filter the posts as the API's GET
    /groups/{id}/board does (the balances stay whole). --limit and --offset page the posts;
    --json gives {"posts": [...], "balances": [...]}, every post unless --limit says otherwise.

    Example: circleback group board "Thursday club" --kind offer --open --limit 20
    """
    django_setup()
    from circleback.groups.models import BoardPost
    from circleback.groups.queries import Board, board_balances, board_entry, board_list

    check_page(limit, offset)
    if kind is not None and kind not in BoardPost.Kind.values:
        usage_error(f"--kind {kind!r} is not a kind of post; use one of {KIND_WORDS}.")
    if what is not None and what not in BoardPost.What.values:
        usage_error(f"--what {what!r} is not what a post is about; use one of {WHAT_WORDS}.")
    owner = current_user(ctx)
    group = _group(owner, name)
    posts = board_list(group=group, kind=kind, what=what, closed=closed)
    balances = board_balances(viewer=owner, group=group)
    if as_json:
        # Every post from --offset unless --limit says otherwise, as other lists' --json.
        found = list(posts[offset : offset + limit] if limit is not None else posts[offset:])
        emit_json(Board([board_entry(p, viewer=owner) for p in found], balances).as_dict())
        if (limit is not None and len(found) == limit) or (not found and offset):
            say_more(shown=len(found), offset=offset, total=posts.count(), what="posts")
        return
    page = page_of(posts, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        console.print(
            "No posts like that; without --kind, --what and --open/--closed you see them all."
            if kind or what or closed is not None
            else "Nothing on the board yet.",
            highlight=False,
        )
    for p in (board_entry(post, viewer=owner) for post in page.rows):
        state = f"closed, thanks to {escape(p.helper)}" if p.closed_at else p.uuid
        console.print(f"{escape(p.sentence)} [dim]({state})[/]", highlight=False, soft_wrap=True)
    for b in balances:
        console.print(f"{escape(b.member)}: {b.words}", highlight=False)
    page.say_more("posts")


@group_app.command("thank")
def group_thank_command(
    ctx: typer.Context,
    post: str = typer.Argument(..., help="Your post's UUID (group board)."),
    helper: str = typer.Option(..., "--helper", help="The member who helped: sign-in name."),
    note: str = typer.Option(..., "--note", help="Your thank-you."),
) -> None:
    """Close your post with a thank-you; the favour goes in both members' ledgers.

    Example: circleback group thank 5f0c… --helper maya --note "That mock interview was gold"
    """
    django_setup()
    from circleback.groups.models import BoardPost
    from circleback.groups.queries import parse_uuid
    from circleback.groups.services import board_close

    owner = current_user(ctx)
    parsed = parse_uuid(post)
    row = BoardPost.objects.filter(owner=owner, uuid=parsed).first() if parsed else None
    if row is None:
        fail(f"you have no post {post!r}. See the board with `circleback group board NAME`.")
    with refusal_as_usage_error({"thanks": "--note", "helper": "--helper"}):
        board_close(owner=owner, post=row, helper=_account(helper), thanks=note)
    console.print("Closed with your thanks.", highlight=False)


@group_app.command("join")
def group_join_command(
    ctx: typer.Context,
    link: str = typer.Argument(..., help="The invitation link an organiser sent you."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Join a group with the invitation link an organiser sent you. A link works once, until it
    expires; if it no longer works you are told why.

    Example: circleback group join http://127.0.0.1:8000/groups/join/Xk3…/
    """
    django_setup()
    from circleback.groups.queries import group_members, membership_as_dict
    from circleback.groups.services import invitation_accept

    owner = current_user(ctx)
    token = link.strip().rstrip("/").rsplit("/", 1)[-1]
    with refusal_as_usage_error({"token": "LINK"}):
        membership = invitation_accept(owner=owner, token=token)
    if as_json:
        emit_json(membership_as_dict(membership, group_members(membership.group).count()))
        return
    console.print(
        f"Welcome to {membership.group.name}. Nothing of yours is shared until you open it: "
        f"circleback group open {membership.group.name!r} --help",
        highlight=False,
    )


@group_app.command("openings")
def group_openings_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """What you opened to a group: people, lists and tags, and anyone you keep closed.

    People come first, then lists, tags and those you keep closed; the oldest first in each.

    --limit and --offset page them; --json gives every one unless --limit says otherwise.

    Example: circleback group openings "Thursday club" --limit 50 --offset 50
    · circleback group openings "Thursday club" --json
    """
    django_setup()
    from circleback.groups.queries import opening_as_dict, openings_of

    check_page(limit, offset)
    owner = current_user(ctx)
    group = _group(owner, name)
    rows = openings_of(owner, group)
    if as_json:
        stream_json(rows, limit=limit, offset=offset, to_json=opening_as_dict, what="openings")
        return
    page = page_of(rows, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        console.print(
            f"You have opened no one to {group.name}: nothing of yours is shared. Open someone: "
            f"circleback group open {group.name!r} --person NAME --consent",
            highlight=False,
        )
        return
    if page.rows:
        table = Table(title=f"What you opened to {group.name} ({page.total})")
        for column in ("What", "Shows", "Since"):
            table.add_column(column)
        for r in (opening_as_dict(o) for o in page.rows):
            what = {
                "person": f"{r['person_name']}",
                "list": f"list {r['list']}",
                "tag": f"tag {r['tag']}",
                "except": f"{r['person_name']} (kept closed)",
            }[str(r["kind"])]
            shows = ", ".join(
                ["name", "organisation"]
                + (["title"] if r["shows_title"] else [])
                + (["closeness"] if r["shows_closeness"] else [])
            )
            table.add_row(
                escape(what), "—" if r["kind"] == "except" else shows, local_time(r["opened_at"])
            )
        console.print(table)
    page.say_more("openings")


@group_app.command("balance")
def group_balance_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The group's name or UUID."),
    share: bool | None = typer.Option(
        None,
        "--share/--hide",
        help="Let the group see your give/get on its board, or stop. Without either: just show.",
    ),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Your give/get balance in a group (favours given and taken through its board), and
    whether the group sees it. Only you see it until you --share; --hide stops at once.

    Example: circleback group balance "Thursday club" --share
    """
    django_setup()
    from circleback.groups.queries import own_balance
    from circleback.groups.services import balance_share

    owner = current_user(ctx)
    group = _group(owner, name)
    if share is not None:
        balance_share(owner=owner, group=group, shown=share)
    balance = own_balance(owner=owner, group=group)
    if as_json:
        emit_json(balance.as_dict())
        return
    seen = "the group sees it" if balance.shown else "only you see it"
    console.print(f"In {group.name} you {balance.words} ({seen}).", highlight=False)


@coach_app.command("grants")
def coach_grants_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """The coaches who can see your progress, and which parts.

    Example: circleback coach grants --json
    """
    django_setup()
    from circleback.groups.queries import grant_as_dict, grants_given

    rows = [grant_as_dict(g) for g in grants_given(owner=current_user(ctx))]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print(
            "No coach can see anything of yours. Grant one: circleback coach grant USER "
            "--group NAME --part goals",
            highlight=False,
        )
        return
    table = Table(title=f"Your coaches ({len(rows)})")
    for column in ("Coach", "Group", "Sees", "Since"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["coach"]),
            escape(str(r["group"])),
            ", ".join(r["parts"]),
            local_time(r["granted_at"]),
        )
    console.print(table)


@coach_app.command("show")
def coach_show_command(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The sign-in name of a member who lets you coach them."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """What one member lets you see: only the parts they granted. Each look is written to
    their log, which they can read.

    Example: circleback coach show alex --json
    """
    django_setup()
    from circleback.groups.coaching import coach_member_view

    with _not_found(f"{user!r} has not asked you to coach them. See yours: coach clients"):
        view = coach_member_view(coach=current_user(ctx), username=user)
    if as_json:
        emit_json(view.as_dict())
        return
    console.print(f"[bold]{escape(view.name)}[/] lets you see: {', '.join(view.parts)}")
    for label, counts in (("Agenda", view.agenda), ("Health", view.health), ("Loops", view.loops)):
        if counts is not None:
            console.print(
                f"{label}: " + "; ".join(f"{k} {v}" for k, v in counts.items()), highlight=False
            )
    if view.goals is not None:
        for goal, this_month, target, streak in view.goals or []:
            console.print(
                f"Goal {goal}: {this_month} of {target} this month, streak {streak}",
                highlight=False,
            )
    if view.journal is not None:
        console.print(f"Journal ({len(view.journal)} latest, titles only):", highlight=False)
        for when, kind, title in view.journal:
            console.print(f"  {local_time(when)}  {kind}: {escape(title)}", highlight=False)
