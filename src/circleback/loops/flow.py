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
    due_days: int = 0  # when that next step falls due, counted from now
    # Journal entry the action stands for (you contacted someone), or None.
    logs: str | None = None


# "check back" steps fall due after the user's check_back_days; -1 marks that.
CHECK_BACK = -1

FLOW: dict[str, tuple[Transition, ...]] = {
    K.MEETING_LOG: (Transition("held", "Record the outcome"),),
    K.THANK_YOU: (Transition("sent", "Thank-you sent", logs=Interaction.Kind.EMAIL),),
    K.LEAD_CONTACT: (
        Transition("contacted", "Contacted", K.LEAD_MEET, 14, logs=Interaction.Kind.MESSAGE),
    ),
    K.LEAD_MEET: (
        Transition("met", "We met", K.LEAD_TELL, 2),
        Transition("declined", "They declined", K.LEAD_TELL, 2),
    ),
    K.LEAD_TELL: (
        Transition(
            "referrer_told", "Told the referrer", K.LEAD_THANK, 1, logs=Interaction.Kind.MESSAGE
        ),
    ),
    K.LEAD_THANK: (
        Transition("referrer_thanked", "Thanked the referrer", logs=Interaction.Kind.EMAIL),
    ),
    K.INTRO_ASK_X: (
        Transition("asked_x", "They'd like to", K.INTRO_ASK_Y, 3, logs=Interaction.Kind.MESSAGE),
        Transition("declined", "They declined", logs=Interaction.Kind.MESSAGE),
    ),
    K.INTRO_ASK_Y: (
        Transition("asked_y", "They'd like to", K.INTRO_MAKE, 2, logs=Interaction.Kind.MESSAGE),
        Transition("declined", "They declined", logs=Interaction.Kind.MESSAGE),
    ),
    K.INTRO_MAKE: (
        Transition(
            "introduced", "Introduced them", K.INTRO_CHECK_BACK, CHECK_BACK, Interaction.Kind.EMAIL
        ),
    ),
    K.INTRO_CHECK_BACK: (
        Transition("checked_back", "Checked back", logs=Interaction.Kind.MESSAGE),
    ),
    K.NAME_EXPECT_CALL: (Transition("told", "Told them", logs=Interaction.Kind.MESSAGE),),
    K.NAME_CHECK_BACK: (Transition("checked_back", "Checked back", logs=Interaction.Kind.MESSAGE),),
}

# The loop each step kind belongs to, and that loop's states in order, so an out-of-order
# request can be told apart from a nonsense one.
LEAD_STATES = ("received", "contacted", "met", "declined", "referrer_told", "referrer_thanked")
INTRODUCTION_STATES = ("proposed", "asked_x", "asked_y", "introduced", "checked_back", "declined")


def transitions(kind: str) -> tuple[Transition, ...]:
    return FLOW.get(kind, ())


def loop_states(kind: str) -> tuple[str, ...]:
    if kind.startswith("lead_"):
        return LEAD_STATES
    if kind.startswith("intro_"):
        return INTRODUCTION_STATES
    return tuple(t.to for t in FLOW.get(kind, ()))
