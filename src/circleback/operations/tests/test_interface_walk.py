"""One definition of a valid value, walked through every interface that writes it.

For every model a user writes (the backup's sections say which: whatever a backup restores,
some interface made), each field's out-of-bounds values are read from the model's own
definition (`bad_values`, from its validators, lengths and choices) and fed through every way
in: the service, the web form, the CLI, the API (wherever an endpoint writes the model) and a
restore. Each must refuse with a message that names the field (the API: a problem+json 4xx
whose `errors` name it; a restore keeps the record and reports the value it left out), and
the database must stay exactly as it was.

The cases are generated from the models; only how each interface spells a field is written
here. A new model, or a new field no interface is known to offer or to leave to the code,
fails `test_every_model_a_user_writes_is_walked` and `test_every_bounded_field_is_offered…`
until it is added. (Person's fields are walked the same way in people/tests/
test_valid_values.py, from which `bad_values` comes.)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm
from django.test import Client

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli  # noqa: F401  (the fixture)
from circleback.insights.models import (
    CadenceSettings,
    MonthlyGoals,
    Pitch,
    PitchPractice,
    Snooze,
)
from circleback.jobs.models import (
    Application,
    FollowUp,
    Interview,
    Involvement,
    Opening,
    StageChange,
)
from circleback.journal.models import Interaction
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopSettings,
    LoopStep,
    Meeting,
    NamePermission,
    Share,
    StandingOffer,
)
from circleback.operations.backup.sections import SECTIONS, SETTINGS
from circleback.people.models import Organisation, Person, RoleChange, Tie
from circleback.people.tests.test_valid_values import bad_values

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2036, 11, 24, 14, 30, tzinfo=dt.UTC)  # ahead: meetings are planned


@dataclass
class Base:
    """What every way in needs to exist first: two people, an organisation, a pitch."""

    owner: User
    ada: Person
    bart: Person
    pitch: Pitch
    opening: Any  # a job opening at Hooli, found (its application is the stage walked)


def _base(owner: User) -> Base:
    from circleback.insights.services import pitch_add
    from circleback.jobs.services import opening_add
    from circleback.people.services.organisations import organisation_create
    from circleback.people.services.people import person_create

    organisation_create(owner=owner, name="Hooli")
    return Base(
        owner=owner,
        ada=person_create(owner=owner, full_name="Ada Quill", organisation="Hooli"),
        bart=person_create(owner=owner, full_name="Bart Nguyen"),
        pitch=pitch_add(owner=owner, text="I build payment systems that people trust."),
        opening=opening_add(owner=owner, title="Data Analyst", organisation="Hooli"),
    )


@dataclass
class Service:
    call: Callable[[Base, dict[str, Any]], Any]
    names: dict[str, str] = field(default_factory=dict)  # model field -> keyword, if not its own


@dataclass
class Form:
    url: Callable[[Base], str]
    data: Callable[[Base], dict[str, str]]
    prefix: str = ""
    names: dict[str, str] = field(default_factory=dict)  # model field -> form field
    offered: tuple[str, ...] = ()  # the model fields the form has
    # Model field -> the words a message after a redirect names it by, if not its own name.
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Command:
    args: Callable[[Base], list[str]]
    options: dict[str, str]  # model field -> the option (or the argument's name, in words)
    argument: str | None = None  # the model field given as the last argument, if any


@dataclass
class Api:
    """An endpoint that writes the model, under /api/v1/ with a token."""

    method: str
    path: Callable[[Base], str]
    body: Callable[[Base], dict[str, Any]]
    names: dict[str, str] = field(default_factory=dict)  # model field -> JSON key
    offered: tuple[str, ...] = ()  # the model fields the endpoint takes


@dataclass
class Ways:
    service: Service | None = None
    form: Form | None = None
    cli: Command | None = None
    api: Api | None = None
    # Fields no one types: the code sets them (a state that moves with the loop, an import's
    # source). Each with the reason.
    set_by_code: dict[str, str] = field(default_factory=dict)


def _svc(path: str, name: str) -> Any:
    module = __import__(path, fromlist=[name])
    return getattr(module, name)


LOOPS = "circleback.loops.services"
JOBS = "circleback.jobs.services"
FLOW = "the loop moves it: each step's service sets it, no one types it"

WAYS: dict[type[models.Model], Ways] = {
    Organisation: Ways(
        api=Api(
            "post",
            lambda b: "organisations",
            lambda b: {"name": "Globex"},
            offered=("name", "domain", "industry", "location", "priority", "stage", "notes"),
        ),
        service=Service(
            lambda b, v: _svc("circleback.people.services.organisations", "organisation_create")(
                owner=b.owner, **{"name": "Globex", **v}
            )
        ),
        form=Form(
            lambda b: "/organisations/new/",
            lambda b: {"name": "Globex"},
            offered=("name", "domain", "industry", "location", "priority", "stage", "notes"),
        ),
        cli=Command(
            lambda b: ["org", "add"],
            {
                "name": "name",
                "domain": "--domain",
                "industry": "--industry",
                "location": "--location",
                "priority": "--priority",
                "stage": "--stage",
                "notes": "--notes",
            },
            argument="name",
        ),
    ),
    Tie: Ways(
        api=Api(
            "post",
            lambda b: "ties",
            lambda b: {"person": str(b.ada.uuid), "other": str(b.bart.uuid)},
            offered=("kind", "strength", "notes"),
        ),
        service=Service(
            lambda b, v: _svc("circleback.people.services.ties", "tie_set")(
                owner=b.owner, person=b.ada, other=b.bart, **v
            )
        ),
        form=Form(
            lambda b: f"/people/{b.ada.uuid}/ties/",
            lambda b: {"tie-other": "Bart Nguyen", "tie-kind": "friend", "tie-strength": "3"},
            prefix="tie",
            offered=("kind", "strength"),
        ),
        cli=Command(
            lambda b: ["tie", "Ada Quill", "Bart Nguyen"],
            {"kind": "--kind", "strength": "--strength", "notes": "--notes"},
        ),
    ),
    Interaction: Ways(
        api=Api(
            "post",
            lambda b: "journal",
            lambda b: {"summary": "Coffee", "people": [str(b.ada.uuid)]},
            offered=("summary", "kind", "direction", "notes"),
        ),
        service=Service(
            lambda b, v: _svc("circleback.journal.services", "interaction_log")(
                owner=b.owner, people=[b.ada], **{"summary": "Coffee", **v}
            )
        ),
        form=Form(
            lambda b: "/journal/new/",
            lambda b: {
                "log-summary": "Coffee",
                "log-people": "Ada Quill",
                "log-kind": "meeting",
                "log-direction": "mutual",
                "log-day": "2026-11-20",
                "once": "walk-token-0123456789",
            },
            prefix="log",
            offered=("kind", "direction", "summary", "notes"),
        ),
        cli=Command(
            lambda b: ["log", "--with", "Ada Quill"],
            {
                "summary": "summary",
                "kind": "--kind",
                "direction": "--direction",
                "notes": "--notes",
            },
            argument="summary",
        ),
        set_by_code={
            "source": "where an entry came from (an import, a meeting) is set by the code",
            "external_key": "an import's own key for the entry, set by the import",
        },
    ),
    Pitch: Ways(
        api=Api(
            "post",
            lambda b: "pitches",
            lambda b: {"text": "A second version of it."},
            offered=("label", "text"),
        ),
        service=Service(
            lambda b, v: _svc("circleback.insights.services", "pitch_add")(
                owner=b.owner, **{"text": "A second version of it.", **v}
            )
        ),
        form=Form(
            lambda b: "/pitch/",
            lambda b: {"text": "A second version of it."},
            offered=("label", "text"),
        ),
        cli=Command(
            lambda b: ["pitch", "add"], {"label": "--label", "text": "pitch"}, argument="text"
        ),
    ),
    PitchPractice: Ways(
        api=Api(
            "post", lambda b: f"pitches/{b.pitch.uuid}/practices", lambda b: {}, offered=("notes",)
        ),
        service=Service(
            lambda b, v: _svc("circleback.insights.services", "pitch_practice_log")(
                owner=b.owner, pitch=b.pitch, **v
            )
        ),
        form=Form(
            lambda b: f"/pitch/{b.pitch.uuid}/practice/",
            lambda b: {"person": str(b.ada.uuid), "practised_on": "2026-11-20"},
            offered=("notes",),
            labels={"notes": "What you learned"},
        ),
        cli=Command(lambda b: ["pitch", "practice", "--with", "Ada Quill"], {"notes": "--notes"}),
    ),
    Meeting: Ways(
        api=Api(
            "post",
            lambda b: "meetings",
            lambda b: {"person": str(b.ada.uuid), "scheduled_for": WHEN.isoformat()},
            offered=("duration_minutes", "location", "prep_notes"),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.meetings", "meeting_schedule")(
                owner=b.owner, person=b.ada, scheduled_for=WHEN, **v
            )
        ),
        form=Form(
            lambda b: "/meetings/new/",
            lambda b: {
                "person": "Ada Quill",
                "scheduled_for": "2036-11-24T14:30",
                "duration_minutes": "30",
            },
            offered=("duration_minutes", "location", "prep_notes"),
        ),
        cli=Command(
            lambda b: ["meeting", "schedule", "Ada Quill", "--when", "2036-11-24 14:30"],
            {"duration_minutes": "--minutes", "location": "--where", "prep_notes": "--notes"},
        ),
        set_by_code={
            "status": "scheduling, holding and cancelling a meeting set it",
            # What came of it is written when the meeting is recorded: walked by
            # test_a_meetings_outcome_is_walked_too below, through meeting_log_outcome.
            "learned": "recorded with the outcome (walked below)",
            "outcome": "recorded with the outcome (walked below)",
            "next_steps": "recorded with the outcome (walked below)",
        },
    ),
    Lead: Ways(
        api=Api(
            "post",
            lambda b: "leads",
            lambda b: {"referrer": str(b.ada.uuid), "person": str(b.bart.uuid)},
            offered=("about",),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.leads", "lead_create")(
                owner=b.owner, referrer=b.ada, referred=b.bart, **v
            )
        ),
        form=Form(
            lambda b: "/leads/new/",
            lambda b: {
                "referrer": "Ada Quill",
                "person": "Bart Nguyen",
                "contact_list": "C",
                "once": "walk-lead-0123456789",
            },
            offered=("about",),
        ),
        set_by_code={"state": FLOW},
    ),
    Share: Ways(
        api=Api(
            "post",
            lambda b: "shares",
            lambda b: {"people": [str(b.ada.uuid)], "title": "An article"},
            offered=("url", "title", "topics", "note"),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.shares", "share_log")(
                owner=b.owner, people=[b.ada], **{"title": "An article", **v}
            )
        ),
        form=Form(
            lambda b: "/shares/",
            lambda b: {"people": "Ada Quill", "title": "An article"},
            offered=("url", "title", "topics"),
        ),
        cli=Command(
            lambda b: ["share", "log", "--with", "Ada Quill"],
            {"title": "title", "url": "--url", "topics": "--topic", "note": "--note"},
            argument="title",
        ),
    ),
    Introduction: Ways(
        api=Api(
            "post",
            lambda b: "introductions",
            lambda b: {"person_x": str(b.ada.uuid), "person_y": str(b.bart.uuid), "reason": "Both"},
            offered=("reason",),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.introductions", "introduction_make")(
                owner=b.owner, person_x=b.ada, person_y=b.bart, **{"reason": "Both", **v}
            )
        ),
        form=Form(
            lambda b: "/introductions/",
            lambda b: {"person_x": "Ada Quill", "person_y": "Bart Nguyen", "reason": "Both"},
            offered=("reason",),
        ),
        set_by_code={
            "state": FLOW,
            "outcome": "set when the introduction moves on (introduction_advance)",
        },
    ),
    Favour: Ways(
        api=Api(
            "post",
            lambda b: "favours",
            lambda b: {"person": str(b.ada.uuid), "direction": "given"},
            offered=("direction", "kind", "note"),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.favours", "favour_log")(
                owner=b.owner, person=b.ada, **{"direction": "given", **v}
            )
        ),
        form=Form(
            lambda b: "/favours/",
            lambda b: {
                "form": "favour",
                "favour-person": "Ada Quill",
                "favour-direction": "given",
                "favour-kind": "advice",
                "favour-occurred_on": "2026-11-20",
            },
            prefix="favour",
            offered=("direction", "kind", "note"),
        ),
        cli=Command(
            lambda b: ["favour", "log", "Ada Quill", "--given"],
            {"kind": "--kind", "note": "--note"},
        ),
    ),
    StandingOffer: Ways(
        api=Api(
            "post",
            lambda b: "standing-offers",
            lambda b: {"person": str(b.ada.uuid), "offer": "An intro"},
            offered=("offer",),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.favours", "standing_offer_make")(
                owner=b.owner, person=b.ada, **{"offer": "An intro", **v}
            )
        ),
        cli=Command(lambda b: ["favour", "offer", "Ada Quill"], {"offer": "offer"}, "offer"),
    ),
    NamePermission: Ways(
        api=Api(
            "post",
            lambda b: "permissions",
            lambda b: {"person": str(b.ada.uuid)},
            offered=("note",),
        ),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.permissions", "permission_grant")(
                owner=b.owner, person=b.ada, **v
            )
        ),
        form=Form(lambda b: "/permissions/", lambda b: {"person": "Ada Quill"}, offered=("note",)),
        cli=Command(lambda b: ["permission", "grant", "Ada Quill"], {"note": "--note"}),
    ),
    LoopSettings: Ways(
        api=Api("patch", lambda b: "settings/loops", lambda b: {}, offered=SETTINGS["loops"][2]),
        service=Service(
            lambda b, v: _svc(f"{LOOPS}.settings", "loop_settings_update")(owner=b.owner, **v)
        ),
        form=Form(
            lambda b: "/loops/settings/",
            lambda b: {
                "thank_you_hours": "24",
                "lead_contact_days": "3",
                "lead_meet_days": "14",
                "lead_tell_days": "2",
                "check_back_days": "14",
            },
            offered=SETTINGS["loops"][2],
        ),
        cli=Command(
            lambda b: ["loop", "settings"],
            {name: "--" + name.replace("_", "-") for name in SETTINGS["loops"][2]},
        ),
    ),
    CadenceSettings: Ways(
        api=Api("patch", lambda b: "cadences", lambda b: {}, offered=SETTINGS["cadence"][2]),
        service=Service(
            lambda b, v: _svc("circleback.insights.services", "cadence_defaults_update")(
                owner=b.owner, **v
            )
        ),
        form=Form(
            lambda b: "/keep-in-touch/",
            lambda b: {
                "inner_circle_days": "14",
                "list_a_days": "30",
                "list_b_days": "60",
                "list_c_days": "90",
            },
            offered=SETTINGS["cadence"][2],
        ),
        cli=Command(
            lambda b: ["cadence", "defaults"],
            {
                "inner_circle_days": "--inner-circle",
                "list_a_days": "--list-a",
                "list_b_days": "--list-b",
                "list_c_days": "--list-c",
            },
        ),
    ),
    MonthlyGoals: Ways(
        api=Api("patch", lambda b: "goals", lambda b: {}, offered=SETTINGS["goals"][2]),
        service=Service(
            lambda b, v: _svc("circleback.insights.services", "goals_update")(owner=b.owner, **v)
        ),
        form=Form(
            lambda b: "/goals/",
            lambda b: {"new_contacts": "4", "meetings": "4", "favours_given": "4"},
            offered=SETTINGS["goals"][2],
        ),
        cli=Command(
            lambda b: ["goals", "set"],
            {"new_contacts": "--contacts", "meetings": "--meetings", "favours_given": "--favours"},
        ),
    ),
    LoopStep: Ways(
        set_by_code={
            "kind": "each step is opened by the service of what it follows (a lead, a favour)",
            "resolution": "set by the action that closes the step",
            "note": "what happened, written by the action that closes the step",
        }
    ),
    Opening: Ways(
        api=Api(
            "post",
            lambda b: "openings",
            lambda b: {"title": "Data Engineer", "organization": "Hooli"},
            names={"source": "via"},
            offered=("title", "url", "source", "notes"),
        ),
        service=Service(
            lambda b, v: _svc(JOBS, "opening_add")(
                owner=b.owner, **{"title": "Data Engineer", "organisation": "Hooli", **v}
            )
        ),
        form=Form(
            lambda b: "/jobs/new/",
            lambda b: {"title": "Data Engineer", "organisation": "Hooli", "source": "board"},
            offered=("title", "url", "source", "notes"),
        ),
        cli=Command(
            lambda b: ["job", "add", "--org", "Hooli"],
            {"title": "title", "url": "--url", "source": "--via", "notes": "--notes"},
            argument="title",
        ),
    ),
    Application: Ways(
        api=Api(
            "post",
            lambda b: f"openings/{b.opening.uuid}/advance",
            lambda b: {},
            names={"stage": "to"},
            offered=("stage",),
        ),
        service=Service(
            lambda b, v: _svc(JOBS, "application_advance")(application=b.opening.application, **v),
            names={"stage": "to"},
        ),
        form=Form(
            lambda b: f"/jobs/{b.opening.uuid}/advance/",
            lambda b: {},
            names={"stage": "to"},
            offered=("stage",),
            labels={"stage": "move to"},
        ),
        cli=Command(lambda b: ["job", "advance", str(b.opening.uuid)], {"stage": "--to"}),
    ),
    StageChange: Ways(
        api=Api(
            "post",
            lambda b: f"openings/{b.opening.uuid}/advance",
            lambda b: {"to": "applied"},
            names={"stage": "to"},
            offered=("stage", "note"),
        ),
        service=Service(
            lambda b, v: _svc(JOBS, "application_advance")(
                application=b.opening.application, **{"to": "applied", **v}
            ),
            names={"stage": "to"},
        ),
        form=Form(
            lambda b: f"/jobs/{b.opening.uuid}/advance/",
            lambda b: {"to": "applied"},
            names={"stage": "to"},
            offered=("stage", "note"),
            labels={"stage": "move to"},
        ),
        cli=Command(
            lambda b: ["job", "advance", str(b.opening.uuid), "--to", "applied"],
            {"stage": "--to", "note": "--note"},
        ),
    ),
    Involvement: Ways(
        api=Api(
            "post",
            lambda b: f"openings/{b.opening.uuid}/people",
            lambda b: {"person": str(b.bart.uuid), "role": "recruiter"},
            offered=("role",),
        ),
        service=Service(
            lambda b, v: _svc(JOBS, "application_person_add")(
                application=b.opening.application, person=b.bart, **v
            )
        ),
        form=Form(
            lambda b: f"/jobs/{b.opening.uuid}/people/",
            lambda b: {"person": "Bart Nguyen", "role": "recruiter"},
            offered=("role",),
            labels={"role": "their part"},
        ),
        cli=Command(
            lambda b: ["job", "add-person", str(b.opening.uuid), "Bart Nguyen"],
            {"role": "--as"},
        ),
    ),
    Interview: Ways(
        api=Api(
            "post",
            lambda b: f"openings/{b.opening.uuid}/interviews",
            lambda b: {"scheduled_for": "2036-11-24T14:30:00+00:00"},
            offered=("duration_minutes", "kind", "location"),
        ),
        service=Service(
            lambda b, v: _svc(JOBS, "interview_schedule")(
                application=b.opening.application, scheduled_for=WHEN, **v
            )
        ),
        form=Form(
            lambda b: f"/jobs/{b.opening.uuid}/interviews/",
            lambda b: {
                "scheduled_for": "2036-11-24T14:30",
                "duration_minutes": "45",
                "kind": "video",
            },
            offered=("duration_minutes", "kind", "location"),
            labels={"duration_minutes": "minutes", "location": "where or how"},
        ),
        cli=Command(
            lambda b: ["job", "interview", str(b.opening.uuid), "--when", "2036-11-24 14:30"],
            {
                "duration_minutes": "--minutes",
                "kind": "--kind",
                "location": "--where",
                "notes": "--notes",
            },
        ),
        set_by_code={"status": "scheduled, then done or cancelled by the interview's actions"},
    ),
    FollowUp: Ways(
        set_by_code={
            "kind": "a chase or a thank-you, opened by applying or by an interview",
            "resolution": "set by the action that closes the follow-up",
        }
    ),
}
# Written by a user, but walked elsewhere or with no bounded value to walk.
NOT_WALKED = {
    Person: "walked field by field in people/tests/test_valid_values.py",
    Snooze: "its one value is a date (until): no number or text to go out of bounds",
    RoleChange: "written by person_update and by a re-import (role_changes_note) from a "
    "person's own title and organisation, which are walked in "
    "people/tests/test_valid_values.py; no interface types it",
}


def _bounded(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not f.is_relation and bad_values(f)
    ]


def _written_by_users() -> set[type[models.Model]]:
    """Every model a backup restores as a record of its own: someone made each."""
    return {
        Organisation,
        Person,
        Tie,
        Interaction,
        *(section.model for section in SECTIONS),
        *(model for model, _owner, _fields in SETTINGS.values()),
    }


def _cases(way: str) -> list[tuple[str, str, Any]]:
    cases: list[tuple[str, str, Any]] = []
    for model, ways in WAYS.items():
        for name in _bounded(model):
            if way == "service" and ways.service and name not in ways.set_by_code:
                offered = True
            elif way == "form" and ways.form:
                offered = name in ways.form.offered
            elif way == "cli" and ways.cli:
                offered = name in ways.cli.options
            elif way == "api" and ways.api:
                offered = name in ways.api.offered
            else:
                offered = False
            if offered:
                field_ = model._meta.get_field(name)
                assert isinstance(field_, models.Field)
                cases.extend((model._meta.label, name, value) for value in bad_values(field_))
    return cases


def _id(case: Any) -> str:
    return str(case)[:24]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of ours, as values: 'the database as it was'."""
    rows = {}
    for model in apps.get_models():
        if model.__module__.startswith("circleback."):
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


# --- the walk's own completeness ------------------------------------------------------------


def test_every_model_a_user_writes_is_walked() -> None:
    missing = _written_by_users() - set(WAYS) - set(NOT_WALKED)
    assert not missing, f"add these to WAYS (or NOT_WALKED, with why): {missing}"


def test_every_bounded_field_is_offered_by_an_interface_or_left_to_the_code() -> None:
    """A bounded field no interface offers would never be walked: say who types it."""
    unwalked = []
    for model, ways in WAYS.items():
        for name in _bounded(model):
            typed = (
                (ways.service is not None and name not in ways.set_by_code)
                or (ways.form is not None and name in ways.form.offered)
                or (ways.cli is not None and name in ways.cli.options)
                or (ways.api is not None and name in ways.api.offered)
            )
            if not typed and name not in ways.set_by_code:
                unwalked.append(f"{model._meta.label}.{name}")
    assert unwalked == []


# --- the walk ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "name", "value"), _cases("service"), ids=_id)
def test_the_service_refuses_it_on_the_field(
    alice: User, label: str, name: str, value: Any
) -> None:
    ways = WAYS[_model(label)]
    assert ways.service is not None
    base = _base(alice)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        ways.service.call(base, {ways.service.names.get(name, name): value})
    errors = refused.value.message_dict if hasattr(refused.value, "error_dict") else {}
    assert ways.service.names.get(name, name) in errors, refused.value.messages
    assert snapshot() == before


def _forms_in(response: Any) -> list[BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound:
                found.append(value)
    return found


@pytest.mark.parametrize(("label", "name", "value"), _cases("form"), ids=_id)
def test_the_web_form_refuses_it_on_the_field(
    client: Client, alice: User, label: str, name: str, value: Any
) -> None:
    form = WAYS[_model(label)].form
    assert form is not None
    base = _base(alice)
    client.force_login(alice)
    before = snapshot()
    field_name = form.names.get(name, name)
    posted = f"{form.prefix}-{field_name}" if form.prefix else field_name
    response = client.post(form.url(base), {**form.data(base), posted: str(value)}, follow=True)
    if response.redirect_chain:
        # A form on a list page says why as a message on the page it goes back to.
        said = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        words = form.labels.get(name) or str(_model(label)._meta.get_field(name).verbose_name)
        assert any(m.lower().count(words.lower()) for m in said), (words, said)
    else:
        # The page again with the message on the field (400 on most forms, 200 on a few).
        assert response.status_code in (200, 400), response.status_code
        errors = {key: e for f in _forms_in(response) for key, e in f.errors.items()}
        assert field_name in errors, errors
        assert errors[field_name] and all(str(message).strip() for message in errors[field_name])
    assert snapshot() == before


@pytest.mark.parametrize(("label", "name", "value"), _cases("cli"), ids=_id)
def test_the_cli_refuses_it_naming_the_option(
    cli: Run,  # noqa: F811
    alice: User,
    label: str,
    name: str,
    value: Any,
) -> None:
    command = WAYS[_model(label)].cli
    assert command is not None
    base = _base(alice)
    before = snapshot()
    option = command.options[name]
    args = command.args(base)
    if name == command.argument:
        args = [*args, str(value)]
    else:
        if command.argument is not None:
            args = [*args, "A fine value"]
        args = [*args, option, str(value)]
    result = cli("--user", "alice", *args)
    assert result.exit_code == 2, result.output
    named = option.lstrip("-").replace("-", " ").lower()  # an argument as --help shows it: TITLE
    assert named in result.stderr.replace("-", " ").lower(), result.stderr
    assert "Traceback" not in result.output
    assert snapshot() == before


def _without_api_bookkeeping(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The database as the walk compares it after an API call: the API's own record of the
    token's use (when it was last used, the rate-limit count) changes with every request."""
    return {label: value for label, value in rows.items() if not label.startswith("api.")}


@pytest.mark.parametrize(("label", "name", "value"), _cases("api"), ids=_id)
def test_the_api_refuses_it_naming_the_field(
    alice: User, label: str, name: str, value: Any
) -> None:
    from circleback.api.services import token_create
    from circleback.api.tests.conftest import ApiClient

    api = WAYS[_model(label)].api
    assert api is not None
    base = _base(alice)
    client = ApiClient(token_create(owner=alice, name="walk").secret)
    before = _without_api_bookkeeping(snapshot())
    key = api.names.get(name, name)
    response = client.call(api.method, api.path(base), {**api.body(base), key: value})
    assert 400 <= response.status_code < 500, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert any(error["field"] == key for error in problem["errors"]), problem
    assert all(error["message"].strip() for error in problem["errors"])
    assert _without_api_bookkeeping(snapshot()) == before


# --- restore: a readable record keeps its place, the bad value is left out and named -----------


@pytest.fixture(scope="module")
def backup(django_db_setup: Any, django_db_blocker: Any) -> bytes:
    """A backup with a few of every kind of record, made once (and its account rolled back)."""
    from django.db import transaction

    from circleback.operations.backup.services import backup_export
    from circleback.operations.backup.tests.conftest import full_account

    with django_db_blocker.unblock(), transaction.atomic():
        owner = User.objects.create(username="walked")
        full_account(owner, people=12)
        data = backup_export(owner=owner)
        transaction.set_rollback(True)
    return data


def _restore_cases() -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    """(section, the bad values to put in its first record at once). A value the record can
    do without is left out alone, so a section's values go in together, the first of each
    field's bad values in one restore and the second in another; a value it can't do without
    makes the record broken, so each of those goes alone."""
    from circleback.operations.backup.restore import _MISSING, _fallback

    places: list[tuple[str, tuple[str, ...], type[models.Model]]] = [
        (section.key, section.fields, section.model) for section in SECTIONS
    ]
    places += [(f"settings.{key}", fields, model) for key, (model, _o, fields) in SETTINGS.items()]
    cases: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    for key, fields, model in places:
        together: dict[int, list[tuple[str, Any]]] = {}
        for name in fields:
            field_ = model._meta.get_field(name)
            assert isinstance(field_, models.Field)
            for i, value in enumerate(bad_values(field_)):
                if _fallback(field_) is _MISSING:
                    cases.append((key, ((name, value),)))
                else:
                    together.setdefault(i, []).append((name, value))
        cases.extend((key, tuple(values)) for values in together.values())
    return cases


@pytest.mark.parametrize(("section", "bad"), _restore_cases(), ids=_id)
def test_a_restore_leaves_the_value_out_and_names_it(
    backup: bytes, bob: User, section: str, bad: tuple[tuple[str, Any], ...]
) -> None:
    from circleback.interchange.services import BrokenRecordsError
    from circleback.operations.backup.services import backup_restore

    document = json.loads(backup)
    if section.startswith("settings."):
        key = section.removeprefix("settings.")
        assert document["settings"][key] is not None, f"the fixture never changed {key}"
        document["settings"][key].update(bad)
        model = SETTINGS[key][0]
    else:
        rows = document[section]
        assert rows, f"the fixture has no {section}"
        rows[0].update(bad)
        model = next(s.model for s in SECTIONS if s.key == section)
    before = snapshot()
    try:
        report = backup_restore(owner=bob, data=json.dumps(document).encode())
    except BrokenRecordsError as refused:
        # A value the record can't be without: the record is named and nothing is written.
        assert len(bad) == 1 and bad[0][0] in str(refused), str(refused)
        assert snapshot() == before
        return
    said = [f"{s.where}: {s.reason}" for s in report.skipped]
    owner_field = "user" if model is LoopSettings else "owner"
    for name, value in bad:
        assert any(name in line for line in said), (name, said)
        kept = model._default_manager.filter(**{owner_field: bob}).values_list(name, flat=True)
        assert value not in list(kept), name


# --- a meeting's outcome, written when it is recorded -----------------------------------------


@pytest.mark.parametrize("name", ["learned", "outcome", "next_steps"])
def test_a_meetings_outcome_is_walked_too(alice: User, name: str) -> None:
    from circleback.loops.services.meetings import meeting_log_outcome, meeting_schedule

    base = _base(alice)
    meeting = meeting_schedule(owner=alice, person=base.ada, scheduled_for=WHEN)
    field_ = Meeting._meta.get_field(name)
    assert isinstance(field_, models.Field)
    for value in bad_values(field_):
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            meeting_log_outcome(meeting=meeting, **{name: value})
        assert name in refused.value.message_dict
        assert snapshot() == before
