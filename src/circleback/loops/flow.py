"""How each kind of loop step closes, and which step it opens next.

One table drives `loop_advance`, the loops page's buttons and the CLI's `--to` choices, so a
new kind of loop is a new row here rather than new code in every interface.
"""

from __future__ import annotations

from dataclasses import dataclass

from circleback.journal.models import Interaction
from circleback.loops.models import LoopStep

K = LoopStep.Kind


@dataclass(frozen=True)
class Transition:
    to: str  # the resolution recorded on the step (and the loop's new state)
    label: str  # the button: one action that closes the step
    next_kind: str | None = None  # the step this opens
    # When that next step falls due, counted from now: the user's `LoopSettings` field of
    # that name (days, or hours for thank_you_hours).
    due_after: str = ""
    # Journal entry the action stands for (you contacted someone), or None.
    logs: str | None = None
    # The journal entry is something they told you (they agreed, they declined).
    incoming: bool = False
    # Closing the step opens a lead (referrer: the step's person; referred: whom it is about)
    # whose own loop runs on from "contact them"; `next_kind` is that lead's first step.
    opens_lead: bool = False
    # What happened, asked beside the button; the answer is the journal entry's notes.
    asks: str = ""
    # Closing it also opens a thank-you to the step's person (you met them: thank them).
    thanks: bool = False


FLOW: dict[str, tuple[Transition, ...]] = {
    K.MEETING_LOG: (Transition("held", "Record the outcome"),),
    K.THANK_YOU: (Transition("sent", "Thank-you sent", logs=Interaction.Kind.EMAIL),),
    K.LEAD_CONTACT: (
        Transition(
            "contacted", "Contacted", K.LEAD_MEET, "lead_meet_days", logs=Interaction.Kind.MESSAGE
        ),
    ),
    K.LEAD_MEET: (
        Transition(
            "met",
            "We met",
            K.LEAD_TELL,
            "lead_tell_days",
            logs=Interaction.Kind.MEETING,
            asks="What you learned",
            thanks=True,
        ),
        Transition(
            "declined",
            "They declined",
            K.LEAD_TELL,
            "lead_tell_days",
            logs=Interaction.Kind.MESSAGE,
            incoming=True,
        ),
    ),
    K.LEAD_TELL: (
        Transition(
            "referrer_told",
            "Told the referrer",
            K.LEAD_THANK,
            "thank_you_hours",
            logs=Interaction.Kind.MESSAGE,
            asks="What you told them",
        ),
    ),
    K.LEAD_THANK: (
        Transition("referrer_thanked", "Thanked the referrer", logs=Interaction.Kind.EMAIL),
    ),
    K.INTRO_ASK_X: (
        Transition(
            "asked_x",
            "They'd like to",
            K.INTRO_ASK_Y,
            "intro_ask_days",
            logs=Interaction.Kind.MESSAGE,
        ),
        Transition("declined", "They declined", logs=Interaction.Kind.MESSAGE),
    ),
    K.INTRO_ASK_Y: (
        Transition(
            "asked_y",
            "They'd like to",
            K.INTRO_MAKE,
            "intro_ask_days",
            logs=Interaction.Kind.MESSAGE,
        ),
        Transition("declined", "They declined", logs=Interaction.Kind.MESSAGE),
    ),
    K.INTRO_MAKE: (
        Transition(
            "introduced",
            "Introduced them",
            K.INTRO_CHECK_BACK,
            "check_back_days",
            Interaction.Kind.EMAIL,
        ),
    ),
    K.INTRO_CHECK_BACK: (
        Transition("checked_back", "Checked back", logs=Interaction.Kind.MESSAGE),
    ),
    K.NAME_EXPECT_CALL: (Transition("told", "Told them", logs=Interaction.Kind.MESSAGE),),
    K.NAME_CHECK_BACK: (Transition("checked_back", "Checked back", logs=Interaction.Kind.MESSAGE),),
    # You asked someone to introduce you along a path. "Not now" is the snooze every step has.
    K.INTRO_REQUEST: (
        Transition(
            "agreed",
            "They'll introduce you",
            K.LEAD_CONTACT,
            "lead_contact_days",
            logs=Interaction.Kind.MESSAGE,
            incoming=True,
            opens_lead=True,
        ),
        Transition("declined", "They declined", logs=Interaction.Kind.MESSAGE, incoming=True),
    ),
    # An application made through a referral (jobs): the loop stays open until the referrer
    # hears what came of it — then a thank-you, as for any favour.
    K.JOB_TELL: (
        Transition(
            "referrer_told",
            "Told them the outcome",
            K.THANK_YOU,
            "thank_you_hours",
            logs=Interaction.Kind.MESSAGE,
            asks="What you told them",
        ),
    ),
}

# The loop each step kind belongs to, and that loop's states in order, so an out-of-order
# request can be told apart from a nonsense one.
LEAD_STATES = ("received", "contacted", "met", "declined", "referrer_told", "referrer_thanked")
INTRODUCTION_STATES = ("proposed", "asked_x", "asked_y", "introduced", "checked_back", "declined")


def transitions(kind: str) -> tuple[Transition, ...]:
    return FLOW.get(kind, ())


def loop_states(kind: str) -> tuple[str, ...]:
    if kind == K.INTRO_REQUEST:
        return tuple(t.to for t in FLOW[kind])
    if kind.startswith("lead_"):
        return LEAD_STATES
    if kind.startswith("intro_"):
        return INTRODUCTION_STATES
    return tuple(t.to for t in FLOW.get(kind, ()))
