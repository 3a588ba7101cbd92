"""Ways in that a higher area adds to the Ways in pages (groups: people other members opened).

The higher area registers a provider in its `AppConfig.ready()` (and a counter, for the
index's count a target); paths calls every one and imports nothing above itself. A provider
is given the owner and the target organisation and returns `ExtraWayIn`s, each already
explained in words and scored like a path (`scoring.py`), so the page can rank them beside
the owner's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from circleback.accounts.models import User
from circleback.people.models import Organisation


@dataclass(frozen=True)
class ExtraWayIn:
    score: float
    sentence: str  # "Maya Rosen (Thursday job club) knows Vera Holt, VP Engineering at Globex"
    why: str
    source: str  # where it comes from, in words: "Thursday job club"
    action_url: str = ""  # where to ask for the introduction
    action_label: str = ""


Provider = Callable[[User, Organisation, int], list[ExtraWayIn]]
_PROVIDERS: dict[str, Provider] = {}


def ways_in_register(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def extra_ways_in(*, owner: User, organisation: Organisation, limit: int) -> list[ExtraWayIn]:
    found: list[ExtraWayIn] = []
    for provider in _PROVIDERS.values():
        found += provider(owner, organisation, limit)
    return sorted(found, key=lambda way: -way.score)[:limit]


# How many ways in a provider has at each of several organisations, at most `limit` each
# (the Ways in index): one call for the whole page, never one an organisation.
Counter = Callable[[User, list[Organisation], int], dict[int, int]]
_COUNTERS: dict[str, Counter] = {}


def ways_in_count_register(name: str, counter: Counter) -> None:
    _COUNTERS[name] = counter


def extra_ways_in_counts(
    *, owner: User, organisations: list[Organisation], limit: int
) -> dict[int, int]:
    """Organisation id -> ways in the registered areas add there (at most `limit`)."""
    counts: dict[int, int] = {}
    for counter in _COUNTERS.values():
        for pk, n in counter(owner, organisations, limit).items():
            counts[pk] = min(limit, counts.get(pk, 0) + n)
    return counts
