"""Web pages for introduction paths and suggestions: thin — parse, call one query, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from circleback.accounts.queries import user_zone
from circleback.loops.queries import open_introduction_request
from circleback.loops.services.introductions import introduction_request
from circleback.paths import scoring, svg
from circleback.paths.hooks import ExtraWayIn, extra_ways_in, extra_ways_in_counts
from circleback.paths.queries.drafts import introduction_draft, path_from_uuids
from circleback.paths.queries.paths import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    IntroPath,
    PathsResult,
    paths_to_organisation,
    paths_to_person,
    ways_in,
)
from circleback.paths.queries.suggestions import connector_suggestions, informer_suggestions
from circleback.people.queries import (
    get_organisation_for,
    get_person_for,
    organisations_ranked,
    person_ties,
)
from circleback.web.helpers import refusal_as_message, request_owner

INDEX_TARGETS = 50


def _limit(request: HttpRequest) -> tuple[int, str]:
    """?limit= as a number from 1 to MAX_LIMIT, or the default with a message saying why."""
    raw = request.GET.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT, ""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        return DEFAULT_LIMIT, (
            f"“{raw[:20]}” is not a number of paths from 1 to {MAX_LIMIT}; showing {DEFAULT_LIMIT}."
        )
    return value, ""


def _merged(own: list[IntroPath], extra: list[ExtraWayIn]) -> list[IntroPath | ExtraWayIn]:
    """Both lists in one, each keeping its own order (own paths: decision makers first, then
    diverse), an added way going before the first own path it outscores."""
    merged: list[IntroPath | ExtraWayIn] = []
    rest = list(extra)
    for path in own:
        while rest and rest[0].score > path.score:
            merged.append(rest.pop(0))
        merged.append(path)
    return merged + rest


def _paths_page(
    request: HttpRequest, result: PathsResult, limit: int, limit_error: str
) -> HttpResponse:
    # Ways in other areas add (people fellow group members opened), ranked by score beside
    # the owner's own paths; only into an organisation, not to one of the owner's people.
    extra = (
        extra_ways_in(owner=request_owner(request), organisation=result.organisation, limit=limit)
        if result.organisation is not None and result.person is None
        else []
    )
    ways = _merged(result.paths, extra)
    return render(
        request,
        "paths/paths.html",
        {
            "result": result,
            "ways": ways,
            "extra": extra,
            "limit": limit,
            "limit_error": limit_error,
            "max_limit": MAX_LIMIT,
            "picture": svg.paths_svg(result.paths, target=result.target) if result.paths else "",
            "scoring": scoring,
        },
        status=400 if limit_error else 200,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    targets = list(organisations_ranked(owner=owner, targets_only=True)[:INDEX_TARGETS])
    counts = ways_in(owner=owner, organisations=targets)
    # Ways in other areas add (people fellow group members opened), counted apart.
    extra = extra_ways_in_counts(owner=owner, organisations=targets, limit=DEFAULT_LIMIT)
    rows = [(o, counts.get(o.pk, 0), extra.get(o.pk, 0)) for o in targets]
    return render(request, "paths/index.html", {"rows": rows, "limit": DEFAULT_LIMIT})


@login_required
@require_GET
def organisation_paths(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    organisation = get_organisation_for(owner, uuid)
    limit, error = _limit(request)
    result = paths_to_organisation(owner=owner, organisation=organisation, limit=limit)
    return _paths_page(request, result, limit, error)


@login_required
@require_GET
def person_paths(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    limit, error = _limit(request)
    result = paths_to_person(owner=owner, person=person, limit=limit)
    return _paths_page(request, result, limit, error)


@login_required
@require_GET
def ego(request: HttpRequest, uuid: str) -> HttpResponse:
    """A person's ego network as an SVG image, for the person page to embed."""
    person = get_person_for(request_owner(request), uuid)
    picture = svg.ego_svg(person, person_ties(person, limit=24).ties)
    return HttpResponse(picture, content_type="image/svg+xml; charset=utf-8")


@login_required
@require_GET
def draft(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    uuids = request.GET.get("path", "")[:400].split(",")
    try:
        people = path_from_uuids(owner=owner, uuids=uuids)
    except ValidationError as exc:
        return render(
            request,
            "paths/draft.html",
            {"error": " ".join(exc.message_dict.get("path", exc.messages))},
            status=404 if "not in your network" in str(exc) else 400,
        )
    message = introduction_draft(owner=owner, people=people)
    asked = (
        open_introduction_request(owner=owner, via=people[0], target=people[1])
        if len(people) > 1
        else None
    )
    return render(
        request,
        "paths/draft.html",
        {
            "draft": message,
            "people": people,
            "path": ",".join(str(p.uuid) for p in people),
            "asked": asked,
        },
    )


@login_required
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """You sent the introduction request: open its loop (follow up with the first person)."""
    owner = request_owner(request)
    raw = request.POST.get("path", "")[:400]
    back = f"{reverse('paths:draft')}?{urlencode({'path': raw})}"
    try:
        people = path_from_uuids(owner=owner, uuids=raw.split(","))
    except ValidationError as exc:
        if "not in your network" in str(exc):
            raise Http404("No such path.") from None
        messages.error(request, " ".join(exc.message_dict.get("path", exc.messages)))
        return redirect("paths:index")
    if len(people) < 2:
        messages.error(
            request,
            f"There is no introduction to ask {people[0].full_name} for on a path of one: "
            "draft an invitation to meet instead.",
        )
        return redirect(back)
    via, target = people[0], people[1]
    with refusal_as_message(request):
        step = introduction_request(
            owner=owner,
            via=via,
            target=target,
            organisation=people[-1].organisation,
            note=f"On the way to {people[-1].full_name}" if len(people) > 2 else "",
        )
        due = timezone.localtime(step.due_at, user_zone(owner))
        messages.success(
            request,
            f"Loop opened: follow up with {via.full_name} about an introduction to "
            f"{target.full_name} by {due:%a %d %b}.",
        )
        return redirect("loops:loop_list")
    return redirect(back)


@login_required
@require_GET
def connectors(request: HttpRequest) -> HttpResponse:
    suggestions = connector_suggestions(owner=request_owner(request), limit=MAX_LIMIT)
    return render(request, "paths/connectors.html", {"suggestions": suggestions})


@login_required
@require_GET
def informers(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:300]
    topics_raw = request.GET.get("topics", "")[:300]
    url = request.GET.get("url", "")[:500]
    topics = [t.strip() for t in topics_raw.split(",") if t.strip()]
    asked = bool(title.strip() or topics or url.strip())
    suggestions = (
        informer_suggestions(owner=request_owner(request), title=title, topics=topics, url=url)
        if asked
        else []
    )
    return render(
        request,
        "paths/informers.html",
        {
            "title": title,
            "topics": topics_raw,
            "url": url,
            "asked": asked,
            "suggestions": suggestions,
        },
    )
