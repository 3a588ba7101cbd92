"""Reads for meetings, loops, favours and permissions, always scoped to one owner.

`open_loops` is the single query behind the loops page, the home page's overdue list and the
person page: every open step, oldest loop first, with the one action that closes it.
`favour_balances` and `name_permissions` answer for many people in one query each, for pages
and for path-finding.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from circleback.accounts.models import User
from circleback.loops import flow
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopStep,
    Meeting,
    NamePermission,
    Share,
    StandingOffer,
)
from circleback.people.models import Person
from circleback.text import full_stop

K = LoopStep.Kind
M = TypeVar("M", bound=Model)


def _get_for(
    model: type[M],
    owner: User,
    value: str | uuid_module.UUID,
    what: str,
    related: Sequence[str] = (),
) -> M:
    """The owner's row with this UUID (with `related` rows joined), or Http404 — also for
    someone else's row. Its owner is the one given, not read again."""
    try:
        parsed = value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        raise Http404(f"No such {what}.") from None
    rows = model._default_manager.filter(owner=owner, uuid=parsed)
    found = (rows.select_related(*related) if related else rows).first()
    if found is None:
        raise Http404(f"No such {what}.")
    found.owner = owner  # type: ignore[attr-defined]
    return found


def get_meeting_for(owner: User, meeting_uuid: str | uuid_module.UUID) -> Meeting:
    return _get_for(
        Meeting, owner, meeting_uuid, "meeting", ("person__organisation", "referred_by")
    )


def get_step_for(owner: User, step_uuid: str | uuid_module.UUID) -> LoopStep:
    return _get_for(
        LoopStep, owner, step_uuid, "loop step", ("person", "about", "lead", "introduction")
    )


def get_lead_for(owner: User, lead_uuid: str | uuid_module.UUID) -> Lead:
    return _get_for(Lead, owner, lead_uuid, "lead")


def get_introduction_for(owner: User, uuid: str | uuid_module.UUID) -> Introduction:
    return _get_for(Introduction, owner, uuid, "introduction")


def get_permission_for(owner: User, uuid: str | uuid_module.UUID) -> NamePermission:
    return _get_for(NamePermission, owner, uuid, "permission")


def get_favour_for(owner: User, uuid: str | uuid_module.UUID) -> Favour:
    favour = _get_for(Favour, owner, uuid, "favour")
    return Favour.objects.select_related("person").get(pk=favour.pk)


def get_share_for(owner: User, uuid: str | uuid_module.UUID) -> Share:
    return _get_for(Share, owner, uuid, "share")


def get_offer_for(owner: User, uuid: str | uuid_module.UUID) -> StandingOffer:
    return _get_for(StandingOffer, owner, uuid, "standing offer")


# --- loops --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    to: str
    label: str
    asks: str = ""  # a question whose answer goes in the journal with the step


@dataclass(frozen=True)
class LoopItem:
    """One open loop step as every interface shows it."""

    step: LoopStep
    title: str  # "Contact Dana Lee"
    context: str  # "Ada Quill referred you — for the data team at Hooli"
    actions: tuple[Action, ...]  # each closes the step; the first is the usual one
    overdue: bool
    is_thank_you: bool
    # Some steps close on their own page (recording a meeting's outcome).
    url_name: str = ""

    @property
    def uuid(self) -> uuid_module.UUID:
        return self.step.uuid

    @property
    def due_at(self) -> dt.datetime:
        return self.step.due_at

    @property
    def person(self) -> Person:
        return self.step.person


def _describe(step: LoopStep) -> tuple[str, str]:
    """(title, context) for a step, from its kind and the rows it points at."""
    person = step.person.full_name
    about = step.about.full_name if step.about is not None else ""
    lead, introduction = step.lead, step.introduction
    for_what = ""
    if lead is not None:
        parts = [lead.about, lead.organisation.name if lead.organisation else ""]
        for_what = " — " + ", ".join(p for p in parts if p) if any(parts) else ""
    # The reason is the user's own sentence ("Both work on search"): it follows a full stop,
    # never a dash, so its capital reads right.
    reason = full_stop(introduction.reason.strip()) if introduction is not None else ""
    meeting = step.meeting
    texts: dict[str, tuple[str, str]] = {
        K.MEETING_LOG: (
            f"Record what came of your meeting with {person}",
            f"{'Held' if meeting.scheduled_for <= timezone.now() else 'Meeting on'} "
            f"{timezone.localtime(meeting.scheduled_for):%d %b %Y, %H:%M}: afterwards, record "
            "what you learned, the referrals you got and what you offered in return."
            if meeting
            else "",
        ),
        K.THANK_YOU: (
            f"Thank {person}",
            "For the meeting — their time, information and referrals."
            if meeting
            else (
                f"For the favour: {step.favour.get_kind_display().lower()}"
                + (f". {full_stop(step.favour.note)}" if step.favour.note else "")
                if step.favour
                # "We met" on a lead opens this thank-you: say whose lead it was.
                else "For meeting you"
                + (f", at {about}'s suggestion" if about else "")
                + " — their time, information and advice."
            ),
        ),
        K.LEAD_CONTACT: (f"Contact {person}", f"{about} gave you this lead{for_what}."),
        K.LEAD_MEET: (
            f"Meet {person}",
            f"You contacted them ({about}'s lead{for_what}). Not now? Snooze and follow up later.",
        ),
        K.LEAD_TELL: (
            f"Tell {person} what came of {about}",
            f"Close the loop: {person} gave you the lead; let them know the outcome.",
        ),
        K.LEAD_THANK: (f"Thank {person} for the referral to {about}", "The loop's last step."),
        K.INTRO_ASK_X: (f"Ask {person} whether they'd like to meet {about}", reason),
        K.INTRO_ASK_Y: (
            f"Ask {person} whether they'd like to meet {about}",
            f"{about} said yes. {reason}".strip(),
        ),
        K.INTRO_MAKE: (f"Introduce {person} and {about}", f"Both said yes. {reason}".strip()),
        K.INTRO_CHECK_BACK: (
            f"Check back with {person} about meeting {about}",
            "Was the introduction useful? Does either need anything more?",
        ),
        K.NAME_EXPECT_CALL: (
            f"Tell {person} to expect a call from {about}",
            f"You gave {about} their name.",
        ),
        K.NAME_CHECK_BACK: (
            f"Check back with {person}",
            f"Was {about} helpful? Do they need anything more?",
        ),
        K.INTRO_REQUEST: (
            f"Follow up: you asked {person} to introduce you to {about}",
            (f"{full_stop(step.note)} " if step.note else "")
            + (f"{about} is at {full_stop(step.organisation.name)} " if step.organisation else "")
            + 'Ask for an introduction, not to pass your CV to HR: "ask them if they could '
            'introduce you to a member of their company so that you can learn more". Not now? '
            "Snooze and follow up later.",
        ),
        K.JOB_TELL: (
            f"Tell {person} what came of the application"
            + (f" at {step.organisation.name}" if step.organisation else ""),
            (f"{full_stop(step.note)} " if step.note else "")
            + f"{person} referred you: close the loop and let them know the outcome.",
        ),
    }
    return texts.get(step.kind, (str(step.get_kind_display()), ""))


def loop_item(step: LoopStep, now: dt.datetime | None = None) -> LoopItem:
    title, context = _describe(step)
    return LoopItem(
        step=step,
        title=title,
        context=context,
        actions=tuple(Action(t.to, t.label, t.asks) for t in flow.transitions(step.kind)),
        overdue=step.due_at < (now or timezone.now()),
        is_thank_you=step.kind in (K.THANK_YOU, K.LEAD_THANK),
        url_name="loops:meeting_log" if step.kind == K.MEETING_LOG else "",
    )


def _open_steps(owner: User) -> QuerySet[LoopStep]:
    return (
        LoopStep.objects.filter(owner=owner, done_at__isnull=True)
        .select_related(
            "person",
            "about",
            "lead__organisation",
            "introduction",
            "meeting",
            "favour",
            "organisation",
        )
        .order_by("loop_started_at", "due_at", "pk")
    )


def open_loops(
    *,
    owner: User,
    person: Person | None = None,
    kinds: Sequence[str] = (),
    overdue_only: bool = False,
    limit: int | None = None,
) -> list[LoopItem]:
    """Every open loop step, oldest loop first, each with the action that closes it."""
    now = timezone.now()
    steps = open_loop_steps(
        owner=owner, person=person, kinds=kinds, overdue_only=overdue_only, now=now
    )
    if limit is not None:
        steps = steps[:limit]
    if person is not None:
        # Few people have an open step (31 of 1,500 in a demo network), and the full query
        # joins nine tables: Django takes ~3 ms to compile it and PostgreSQL 2-8 ms to plan
        # it, to find nothing. The ids first, a cheap query; the joined rows only if any.
        ids = list(steps.values_list("pk", flat=True))
        if not ids:
            return []
        steps = open_loop_steps(owner, overdue_only=overdue_only, now=now).filter(pk__in=ids)
    return [loop_item(s, now) for s in steps]


def open_loop_steps(
    owner: User,
    *,
    person: Person | None = None,
    kinds: Sequence[str] = (),
    overdue_only: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[LoopStep]:
    """Every open step (or those for `person`, of `kinds`, overdue), oldest loop first, as a
    queryset to page through or count (see `loop_item`)."""
    steps = _open_steps(owner)
    if person is not None:
        steps = steps.filter(Q(person=person) | Q(about=person))
    if kinds:
        steps = steps.filter(kind__in=list(kinds))
    if overdue_only:
        steps = steps.filter(due_at__lt=now or timezone.now()).order_by("due_at", "pk")
    return steps


def open_introduction_request(*, owner: User, via: Person, target: Person) -> LoopStep | None:
    """The open follow-up for an introduction you asked `via` for, to `target`, if any."""
    return (
        LoopStep.objects.filter(
            owner=owner, kind=K.INTRO_REQUEST, person=via, about=target, done_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def thank_yous_owed(*, owner: User, limit: int | None = None) -> list[LoopItem]:
    return open_loops(owner=owner, kinds=[K.THANK_YOU, K.LEAD_THANK], limit=limit)


def open_loop_count(*, owner: User) -> tuple[int, int]:
    """(open steps, of which overdue) — one query."""
    counts = LoopStep.objects.filter(owner=owner, done_at__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=timezone.now()))
    )
    return counts["open"], counts["overdue"]


# --- favours --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    given: int = 0
    received: int = 0

    @property
    def net(self) -> int:
        """Positive: you've given more than you got. Negative: you owe them."""
        return self.given - self.received


def favour_balances(owner: User, person_ids: Iterable[int]) -> dict[int, Balance]:
    """Favours given and received per person, for many people in one query.

    People with no favours are absent from the result (read them as Balance()).
    """
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = (
        Favour.objects.filter(owner=owner, person_id__in=ids)
        .values("person_id")
        .annotate(
            given=Count("pk", filter=Q(direction=Favour.Direction.GIVEN)),
            received=Count("pk", filter=Q(direction=Favour.Direction.RECEIVED)),
        )
        .order_by()
    )
    return {r["person_id"]: Balance(r["given"], r["received"]) for r in rows}


@dataclass(frozen=True)
class LedgerRow:
    person: Person
    balance: Balance


def favour_ledger_rows(owner: User) -> QuerySet[Any]:
    """Given, received and net per person, the people you owe most first — ordered in the
    database, so a page of it is one query (with `ledger_rows` for the people)."""
    return (
        Favour.objects.filter(owner=owner)
        .values("person_id")
        .annotate(
            given=Count("pk", filter=Q(direction=Favour.Direction.GIVEN)),
            received=Count("pk", filter=Q(direction=Favour.Direction.RECEIVED)),
        )
        .annotate(net=F("given") - F("received"))
        .order_by("net", "-received", "person_id")
    )


def ledger_rows(owner: User, rows: Iterable[dict[str, Any]]) -> list[LedgerRow]:
    """`LedgerRow`s for rows of `favour_ledger_rows`, their people fetched in one query."""
    rows = list(rows)
    people = (
        Person.objects.filter(owner=owner)
        .select_related("organisation")
        .in_bulk([r["person_id"] for r in rows])
    )
    return [
        LedgerRow(people[r["person_id"]], Balance(r["given"], r["received"]))
        for r in rows
        if r["person_id"] in people
    ]


def favour_ledger(*, owner: User, limit: int = 200) -> list[LedgerRow]:
    """Per-person balances, the people you owe most first (two queries)."""
    return ledger_rows(owner, favour_ledger_rows(owner)[:limit])


def favours_list(
    *, owner: User, person: Person | None = None, direction: str = ""
) -> QuerySet[Favour]:
    favours = Favour.objects.filter(owner=owner).select_related("person", "name_given")
    if person is not None:
        favours = favours.filter(person=person)
    if direction:
        favours = favours.filter(direction=direction)
    return favours.order_by("-occurred_on", "-pk")


def standing_offers(*, owner: User, person: Person | None = None) -> QuerySet[StandingOffer]:
    offers = StandingOffer.objects.filter(owner=owner, taken_up_on__isnull=True).select_related(
        "person"
    )
    if person is not None:
        offers = offers.filter(person=person)
    return offers.order_by("-made_on", "-pk")


# --- permissions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Permission:
    uuid: uuid_module.UUID
    organisation_id: int | None  # None: any organisation
    organisation_name: str  # "" for any organisation
    granted_on: dt.date
    note: str

    @property
    def covers_any(self) -> bool:
        return self.organisation_id is None

    def covers(self, organisation_id: int | None) -> bool:
        return self.organisation_id is None or self.organisation_id == organisation_id


def name_permissions(owner: User, person_ids: Iterable[int]) -> dict[int, list[Permission]]:
    """The standing permissions to use each person's name, for many people in one query."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    result: dict[int, list[Permission]] = {}
    rows = (
        NamePermission.objects.filter(owner=owner, person_id__in=ids, revoked_on__isnull=True)
        .select_related("organisation")
        .order_by("person_id", "-granted_on", "pk")
    )
    for p in rows:
        result.setdefault(p.person_id, []).append(
            Permission(
                uuid=p.uuid,
                organisation_id=p.organisation_id,
                organisation_name=p.organisation.name if p.organisation else "",
                granted_on=p.granted_on,
                note=p.note,
            )
        )
    return result


def permissions_list(*, owner: User, include_revoked: bool = False) -> QuerySet[NamePermission]:
    permissions = NamePermission.objects.filter(owner=owner).select_related(
        "person", "organisation"
    )
    if not include_revoked:
        permissions = permissions.filter(revoked_on__isnull=True)
    return permissions.order_by("-granted_on", "-pk")


# --- meetings, introductions, shares -----------------------------------------------------------


def meetings_list(
    *, owner: User, status: str = "", person: Person | None = None
) -> QuerySet[Meeting]:
    """Upcoming meetings soonest first, then the rest newest first."""
    meetings = Meeting.objects.filter(owner=owner).select_related(
        "person__organisation", "referred_by"
    )
    if status:
        meetings = meetings.filter(status=status)
    if person is not None:
        meetings = meetings.filter(person=person)
    if status == Meeting.Status.SCHEDULED:
        return meetings.order_by("scheduled_for", "pk")
    return meetings.order_by("-scheduled_for", "-pk")


def introductions_list(*, owner: User) -> QuerySet[Introduction]:
    return (
        Introduction.objects.filter(owner=owner)
        .select_related("person_x", "person_y")
        .order_by("-created_at", "-pk")
    )


def shares_list(*, owner: User) -> QuerySet[Share]:
    from django.db.models import Prefetch

    return (
        Share.objects.filter(owner=owner)
        .prefetch_related(
            Prefetch("favours", queryset=Favour.objects.select_related("person").order_by("pk"))
        )
        .order_by("-shared_on", "-pk")
    )


def leads_list(*, owner: User, person: Person | None = None) -> QuerySet[Lead]:
    leads = Lead.objects.filter(owner=owner).select_related("referrer", "referred", "organisation")
    if person is not None:
        leads = leads.filter(Q(referrer=person) | Q(referred=person))
    return leads.order_by("-created_at", "-pk")
