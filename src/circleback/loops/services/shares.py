"""Writes for shares: an article or event passed on."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.loops.models import (
    Favour,
    Share,
)
from circleback.loops.services._checks import _check_owner, _mine
from circleback.loops.services.favours import _favour_create
from circleback.ops import clock
from circleback.people.models import Person

MAX_SHARE_RECIPIENTS = 50


# --- shares -------------------------------------------------------------------------------


@transaction.atomic
def share_log(
    *,
    owner: User,
    people: Sequence[Person],
    title: str,
    url: str = "",
    topics: str | Sequence[str] = "",
    note: str = "",
    kind: str = Favour.Kind.INFORMATION,
) -> Share:
    """You passed an article or event on: a favour given to, and a journal entry with, each."""
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise ValidationError({"people": "Say whom you shared it with."})
    if len(unique) > MAX_SHARE_RECIPIENTS:
        raise ValidationError(
            {"people": f"Share with at most {MAX_SHARE_RECIPIENTS} people at once."}
        )
    for person in unique:
        _mine(owner, "people", person)
    if kind not in (Favour.Kind.INFORMATION, Favour.Kind.EVENT):
        raise ValidationError({"kind": "A share is an article (information) or an event."})
    if not isinstance(topics, str):
        topics = ", ".join(topics)
    topic_list = [" ".join(t.split()) for t in topics.split(",") if t.strip()]
    share = Share(
        owner=owner,
        url=url.strip(),
        title=" ".join(title.split()),
        topics=", ".join(dict.fromkeys(topic_list)),
        note=note.strip(),
        shared_on=user_today(owner),
    )
    if not share.title:
        raise ValidationError({"title": "Give what you shared a title."})
    share.full_clean(exclude=["owner"])
    share.save()
    what = "event" if kind == Favour.Kind.EVENT else "article"
    now = clock.now()
    for person in unique:
        _favour_create(
            owner=owner,
            person=person,
            direction=Favour.Direction.GIVEN,
            kind=kind,
            note=share.title,
            occurred_on=share.shared_on,
            share=share,
        )
        interaction_log(
            owner=owner,
            summary=f"Shared the {what} “{share.title}”"[:300],
            people=[person],
            kind=Interaction.Kind.MESSAGE,
            direction=Interaction.Direction.OUTGOING,
            occurred_at=now,
            notes="\n".join(filter(None, [share.url, share.note])),
        )
    return share


@transaction.atomic
def share_delete(*, owner: User, share: Share) -> None:
    """Delete a share and the favours it logged. The journal entries stay: they record that
    you passed it on, and you can delete them from the journal."""
    _check_owner(owner, share, "share")
    share.delete()
