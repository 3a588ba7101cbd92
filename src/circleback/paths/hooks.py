"""Ways in that a higher area adds to the Ways in pages (groups: people other members opened).

The higher area registers a provider in its `AppConfig.ready()`; paths calls every provider
and imports nothing above itself. A provider is given the owner and the target organisation
and returns `ExtraWayIn`s, each already explained in words and scored like a path
(`scoring.py`), so the page can rank them beside the owner's own.
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
