"""Requests waiting on the owner's answer that a higher area adds to the loops page (groups:
introductions fellow members asked of you).

A request someone else opened is a loop waiting on you, so it belongs beside your own open
steps; but it is the higher area's record, so that area registers a reader here in its
`AppConfig.ready()` and loops imports nothing above itself. A reader is given the owner and
returns a `LoopPageSection` (None when nothing waits), each item already in words, with the
address its Accept and Decline buttons post to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from circleback.accounts.models import User


@dataclass(frozen=True)
class WaitingAnswer:
    title: str  # "Alex Kim (Thursday job club) asks to meet Vera Holt at Globex"
    reason: str  # their words
    asked_at: dt.datetime
    # Where Accept and Decline post: `decision` ("accept" or "decline"), an optional
    # `answer`, and `next` (this page) to come back to.
    answer_url: str
    accept_label: str = "Accept"
    decline_label: str = "Decline kindly"
    key: str = ""  # unique on the page, for the form's ids


@dataclass(frozen=True)
class LoopPageSection:
    heading: str
    hint: str
    total: int  # how many wait in all (the items are the oldest few)
    items: list[WaitingAnswer] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


SectionRead = Callable[[User], "LoopPageSection | None"]
_SECTIONS: dict[str, SectionRead] = {}


def loop_section_register(key: str, read: SectionRead) -> None:
    _SECTIONS[key] = read


def loop_sections(*, owner: User) -> list[LoopPageSection]:
    """What every registered area has waiting on the owner, in the order they registered."""
    found = []
    for read in _SECTIONS.values():
        section = read(owner)
        if section is not None and section.total:
            found.append(section)
    return found
