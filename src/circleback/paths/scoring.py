"""How introduction paths are ranked — the one documented score.

A path is you → p1 → … → t, where t works at the target organisation (or is the target
person) and at most three people stand in between. Its score, from 0 to 1, is

    score = your_link(p1) * first_hop(p1) * Π tie_link(pᵢ, pᵢ₊₁) * LENGTH_PENALTY^(hops-1) * end(t)

your_link(p) — how well you know p, from what you recorded:
    0.40 * closeness/5                        (1 "met once" … 5 "inner circle")
  + 0.25 * recency      = 1 / (1 + days since you last spoke / 90)   (0 if never)
  + 0.20 * frequency    = 1 - e^(-interactions / 6)
  + 0.15 * reciprocity  = 2·min(they, you) / (they + you) over who reached out
                          ("mutual" counts for both; 0 without interactions)
  floored at 0.05, so a weak tie stays a real candidate — the weakest ties often lead
  to the job. You know p first-hand if p is on list A or B, or you have logged an
  interaction with them; a list C person you have never spoken to is not a first hop.

tie_link(a, b) — how well two of your people know each other:
    strength/5 * KIND_FACTOR[kind]  (a close colleague 0.95 … "knows" 0.80)

first_hop(p1) — what you may ask of p1 (read from loops & favours through
`paths.signals.first_hop_signals`):
    * 1.00 if p1 has cleared you to use their name (for this organisation or any),
      0.90 while unknown;
    * 1 / (1 + 0.25 * favours you owe p1) — asking again before returning a favour costs.

LENGTH_PENALTY = 0.8 per person in between; end(t) = 1.0 for a decision maker and 0.6
for anyone else there, so a slightly longer way to a decision maker can beat a short one
to someone who can't say yes.

The best paths are listed most-diverse-first: at most MAX_PER_FIRST_HOP paths through the
same first person, the rest filled in afterwards by score. Into an organisation, every path that
ends at a decision maker is listed before any that doesn't (`paths_to_organisation`): the score
weighs the end, but a user asking for a way in wants the way to whoever can say yes first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from circleback.paths.signals import Signals

MAX_IN_BETWEEN = 3
MAX_HOPS = MAX_IN_BETWEEN + 1
LENGTH_PENALTY = 0.8
DECISION_MAKER_END = 1.0
OTHER_END = 0.6
MAX_PER_FIRST_HOP = 2
WEAKEST_LINK = 0.05
PERMISSION_UNKNOWN = 0.9
OWED_WEIGHT = 0.25
RECENCY_DAYS = 90.0
FREQUENCY_SCALE = 6.0

# Index = the code the graph stores for a tie's kind (see graph.KIND_CODES).
KIND_FACTOR: dict[str, float] = {
    "colleague": 0.95,
    "former_colleague": 0.85,
    "manager": 1.0,
    "friend": 1.0,
    "family": 1.0,
    "classmate": 0.85,
    "mentor": 1.0,
    "client": 0.9,
    "other": 0.8,
}

FloatArray = npt.NDArray[np.float32]


def tie_link(strength: int, kind: str) -> float:
    return strength / 5.0 * KIND_FACTOR.get(kind, 0.8)


def your_links(
    *,
    closeness: npt.NDArray[np.int8],
    days_since: npt.NDArray[np.float64],
    interactions: npt.NDArray[np.int32],
    they_reached: npt.NDArray[np.int32],
    you_reached: npt.NDArray[np.int32],
    first_hand: npt.NDArray[np.bool_],
) -> FloatArray:
    """your_link for every person at once (0 where you don't know them first-hand).

    `days_since` is NaN where you have never logged contact.
    """
    close = closeness.astype(np.float64) / 5.0
    with np.errstate(invalid="ignore"):
        recency = np.where(
            np.isnan(days_since), 0.0, 1.0 / (1.0 + np.maximum(days_since, 0) / RECENCY_DAYS)
        )
    frequency = 1.0 - np.exp(-interactions / FREQUENCY_SCALE)
    total = they_reached + you_reached
    reciprocity = np.divide(
        2.0 * np.minimum(they_reached, you_reached),
        total,
        out=np.zeros(len(total), dtype=np.float64),
        where=total > 0,
    )
    link = 0.40 * close + 0.25 * recency + 0.20 * frequency + 0.15 * reciprocity
    link = np.maximum(link, WEAKEST_LINK)
    return np.where(first_hand, link, 0.0).astype(np.float32)


def first_hop(signals: Signals) -> float:
    permission = 1.0 if signals.permission == "granted" else PERMISSION_UNKNOWN
    return permission / (1.0 + OWED_WEIGHT * signals.owed)


def end(is_decision_maker: bool) -> float:
    return DECISION_MAKER_END if is_decision_maker else OTHER_END
