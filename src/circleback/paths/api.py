"""/api/v1 ways in: introduction paths to a target organisation or person, each explained in
words, the draft asking for the first introduction, and suggestions — the Ways in pages'
queries, unchanged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from circleback.api.common import owner_of
from circleback.api.pagination import MAX_LIMIT, page_of, paginate_ranked
from circleback.api.schemas import RequestBody, Text
from circleback.paths.queries import drafts, suggestions
from circleback.paths.queries import paths as paths_queries
from circleback.people.queries import get_organisation_for, get_person_for

router = Router(tags=["ways in"])


class PathPerson(Schema):
    uuid: UUID
    name: str
    title: str
    organisation: str
    decision_maker: bool
    note: str = Field(description="Why this step: how you or they know each other.")
    tie_kind: str
    tie_strength: int


class PathOut(Schema):
    score: float
    hops: int
    sentence: str = Field(description="The path in words: You → Ada (…) → Dana (…).")
    people: list[PathPerson]


class OpeningOut(Schema):
    uuid: UUID
    name: str
    kind: str
    reason: str


class PathsOut(Schema):
    target: str
    organisation: UUID | None
    person: UUID | None
    people_there: int
    paths: list[PathOut]
    openings: list[OpeningOut] = Field(description="Where to start when there is no path.")


@router.get(
    "/organisations/{uuid:organisation_uuid}/ways-in",
    response=PathsOut,
    summary="Ranked introduction paths to people at an organisation, explained",
)
def ways_in_organisation(
    request: HttpRequest,
    organisation_uuid: UUID,
    limit: int = Query(paths_queries.DEFAULT_LIMIT, ge=1, le=paths_queries.MAX_LIMIT),
) -> Any:
    owner = owner_of(request)
    organisation = get_organisation_for(owner, organisation_uuid)
    return paths_queries.paths_to_organisation(
        owner=owner, organisation=organisation, limit=limit
    ).as_dict()


@router.get(
    "/people/{uuid:person_uuid}/ways-in",
    response=PathsOut,
    summary="Ranked introduction paths to one person, explained",
)
def ways_in_person(
    request: HttpRequest,
    person_uuid: UUID,
    limit: int = Query(paths_queries.DEFAULT_LIMIT, ge=1, le=paths_queries.MAX_LIMIT),
) -> Any:
    owner = owner_of(request)
    return paths_queries.paths_to_person(
        owner=owner, person=get_person_for(owner, person_uuid), limit=limit
    ).as_dict()


class PathDraftIn(RequestBody):
    people: list[UUID] = Field(
        ..., min_length=1, max_length=4, description="A path's people, in order."
    )


class PathDraftOut(Schema):
    to: UUID
    target: UUID
    subject: str
    body: str
    warnings: list[str]


@router.post(
    "/ways-in/draft",
    response=PathDraftOut,
    summary="Draft the request for the first introduction along a path (nothing is sent)",
)
def path_draft(request: HttpRequest, payload: PathDraftIn) -> Any:
    owner = owner_of(request)
    people = drafts.path_from_uuids(owner=owner, uuids=[str(u) for u in payload.people])
    draft = drafts.introduction_draft(owner=owner, people=people)
    return {
        "to": draft.to.uuid,
        "target": draft.target.uuid,
        "subject": draft.subject,
        "body": draft.body,
        "warnings": list(draft.warnings),
    }


class SidePerson(Schema):
    uuid: UUID
    name: str


class ConnectorOut(Schema):
    a: SidePerson
    b: SidePerson
    score: float
    reason: str


class InformerOut(Schema):
    uuid: UUID
    name: str
    score: float
    reason: str


# Suggestions are ranked whole, then paged: the best this many, as `circleback suggest` gives
# at most.
SUGGESTIONS = paths_queries.MAX_LIMIT
RANKING = (
    f"Best first: by score (as shown, to 2 places), then name; the best {SUGGESTIONS} at most, "
    "as `circleback suggest` gives, a page at a time."
)


def _score_key(score: float) -> int:
    """A score as the cursor keeps it: hundredths (as shown), negated for best first."""
    return -round(score * 100)


@router.get(
    "/suggestions/introductions",
    response=page_of(ConnectorOut),
    summary="Two of your contacts who could help each other, and why",
    description=RANKING,
)
def suggest_introductions(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> Any:
    found = suggestions.connector_suggestions(owner=owner_of(request), limit=SUGGESTIONS)
    return paginate_ranked(
        request,
        found,
        key=lambda s: (
            _score_key(s.score),
            s.a.full_name,
            s.b.full_name,
            str(s.a.uuid),
            str(s.b.uuid),
        ),
        limit=limit,
        cursor=cursor,
        serialize=lambda page: [s.as_dict() for s in page],
    )


@router.get(
    "/suggestions/informers",
    response=page_of(InformerOut),
    summary="Who would value an article or event you could pass on",
    description=RANKING,
)
def suggest_informers(
    request: HttpRequest,
    title: Text(300) = "",  # type: ignore[valid-type]
    topics: list[Text(60)] = Query([], max_length=20),  # type: ignore[valid-type]
    url: Text(500) = "",  # type: ignore[valid-type]
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> Any:
    found = suggestions.informer_suggestions(
        owner=owner_of(request), title=title, topics=topics, url=url, limit=SUGGESTIONS
    )
    return paginate_ranked(
        request,
        found,
        key=lambda s: (_score_key(s.score), s.person.full_name, str(s.person.uuid)),
        limit=limit,
        cursor=cursor,
        serialize=lambda page: [s.as_dict() for s in page],
    )
