"""The API itself: one NinjaAPI at /api/v1/, each area's router mounted here and nowhere else.

Conventions every endpoint keeps (README "The API"):
- a personal access token (`Authorization: Bearer cb_…`) or the browser's session with CSRF;
- read-only tokens read; revoked or expired tokens get 401; other owners' records are 404;
- one error shape: application/problem+json with a field-by-field `errors` list;
- lists are cursor-paginated: {"items": [...], "next": url or null};
- updates and deletes honour If-Match (412 when stale); creations honour Idempotency-Key;
- a rate limit per token (429 with Retry-After).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.security.http import HttpAuthBase

from circleback.api import problems
from circleback.api.auth import PerCallerRate, authenticate
from circleback.api.parsing import StrictJSONParser

PROBLEM = "application/problem+json"


class OfflineSwagger(Swagger):
    """Swagger UI from the files django-ninja ships, served by the app, never a CDN.

    ninja renders its offline page only when it is an installed app; installing it would make
    every CLI command import ninja and pydantic at start-up (a fifth of a second) for a page
    only the web server shows. So its packaged page is rendered as the "CDN" one, and its
    templates and static files are found through settings (see NINJA_FILES there)."""

    template_cdn = str(settings.NINJA_FILES / "templates" / "ninja" / "swagger.html")


_DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "No token, or the token is revoked, expired or mistyped.",
    403: "A read-only token tried to change something, or a session's CSRF token is missing.",
    404: "Nothing of yours has this id (another account's records are not found either).",
    409: "A request with the same Idempotency-Key is still being handled.",
    412: "If-Match names an ETag that is no longer current: read again, then retry.",
    415: "The body is not JSON.",
    422: "Some fields are not valid; `errors` names each one. Nothing was saved.",
    429: "Too many requests for this token; wait the seconds Retry-After says.",
    500: "Something went wrong on our side; nothing was saved.",
    502: "A server this one relies on (the mail server) did not take the request.",
}
_EXAMPLE = {
    "type": "about:blank",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "Some fields are not valid; nothing was saved.",
    "instance": "/api/v1/people",
    "errors": [
        {"field": "emails", "location": "body", "message": "'ada@' is not an email address."}
    ],
}


class CallerAuth(HttpAuthBase):
    """A personal access token as a bearer token; the browser session works too."""

    openapi_scheme = "bearer"
    openapi_description = (
        "A personal access token (Settings → API tokens, or `circleback token create NAME`). "
        "The app's own pages may instead use the session cookie with an X-CSRFToken header."
    )

    def __call__(self, request: HttpRequest) -> Any:
        return authenticate(request)


class CirclebackAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        _complete(schema)
        return schema


def _problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    description = description or _DESCRIPTIONS[status]
    example = copy.deepcopy(_EXAMPLE)
    if status != 422:
        example.update(
            status=status,
            title=problems.HTTPStatus(status).phrase,
            detail=description,
            errors=[],
        )
    return {
        "description": description,
        "content": {
            PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}, "example": example}
        },
    }


# Creations whose record is read at another path than theirs + "/{id}": (path of the
# operation, where the new record's id is in the answer, its methods).
_CREATED_ELSEWHERE: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "/api/v1/favours/names-given": [("/api/v1/favours/{favour_uuid}", "/uuid", ("get",))],
    "/api/v1/people/{person_uuid}/reconnect": [
        ("/api/v1/journal/{entry_uuid}", "/journal_entry", ("get",))
    ],
    "/api/v1/duplicates/{pair_uuid}/merge": [
        ("/api/v1/people/{person_uuid}", "/kept/uuid", ("get",))
    ],
    # An interview is read, and cancelled, at its own address; a request asked through a
    # group, and a coach's access, likewise.
    "/api/v1/openings/{opening_uuid}/interviews": [
        ("/api/v1/job-interviews/{job_interview_uuid}", "/uuid", ("get",)),
        ("/api/v1/job-interviews/{job_interview_uuid}/cancel", "/uuid", ("post",)),
    ],
    "/api/v1/groups/{group_uuid}/people/{opened_uuid}/requests": [
        ("/api/v1/group-requests/{request_uuid}", "/uuid", ("get",))
    ],
    "/api/v1/groups/{group_uuid}/coach-grants": [
        ("/api/v1/coaching/grants/{grant_uuid}", "/uuid", ("get", "delete"))
    ],
    # Asking for an introduction opens a loop step: follow it up, or not now.
    "/api/v1/introduction-requests": [
        ("/api/v1/loops/{step_uuid}/advance", "/uuid", ("post",)),
        ("/api/v1/loops/{step_uuid}/snooze", "/uuid", ("post",)),
    ],
}

# Where the people a request names come from: the person just added, or the people list.
# (operation, body fields → where in the answer) — a client reads them the same way.
_PEOPLE_IN_BODY: dict[str, dict[str, Any]] = {
    "/api/v1/favours": {"person": 0},
    "/api/v1/standing-offers": {"person": 0},
    "/api/v1/meetings": {"person": 0},
    "/api/v1/leads": {"referrer": 0},
    "/api/v1/permissions": {"person": 0},
    "/api/v1/favours/names-given": {"helped": 0},
    "/api/v1/drafts/outreach": {"person": 0},
    "/api/v1/shares": {"people": [0]},
    "/api/v1/journal": {"people": [0]},
    "/api/v1/ways-in/draft": {"people": [0]},
    "/api/v1/people/bulk": {"people": [0]},
    "/api/v1/agenda/gives": {"people": [0]},
    "/api/v1/ties": {"person": 0, "other": 1},
    "/api/v1/introductions": {"person_x": 0, "person_y": 1},
    "/api/v1/introduction-requests": {"via": 0, "target": 1},
}


def _name(target: str, method: str) -> str:
    param = target[target.index("{") + 1 : target.index("}")] if "{" in target else ""
    thing = "".join(w.title() for w in param.removesuffix("_uuid").split("_"))
    rest = target.split("}", 1)[1] if "{" in target else target.removeprefix("/api/v1")
    rest = re.sub(r"\{\w+\}", "", rest)
    action = rest.strip("/").replace("-", " ").replace("/", " ").title().replace(" ", "")
    verb = {"get": "Get", "patch": "Change", "delete": "Delete", "put": "Set"}.get(method, "")
    return f"{verb}{thing}{action}"


def _link(
    schema: dict[str, Any],
    path: str,
    status: str,
    target: str,
    pointer: str,
    method: str = "get",
    source_method: str = "post",
) -> None:
    """An OpenAPI link from an answer to an operation on the record it names (clients and
    schemathesis's stateful phase follow them)."""
    paths = schema["paths"]
    operation = paths.get(target, {}).get(method)
    response = paths[path][source_method]["responses"].get(status)
    if operation is None or response is None:
        return
    # The new record's id is the target's last parameter; those before it (a group's, say)
    # are the request's own.
    params = re.findall(r"\{(\w+)\}", target)
    parameters = {name: f"$request.path.{name}" for name in params[:-1]}
    parameters[params[-1]] = f"$response.body#{pointer}"
    response.setdefault("links", {})[_name(target, method)] = {
        "operationId": operation["operationId"],
        "parameters": parameters,
        "description": f"{operation.get('summary', '')} (the id is at {pointer}).",
    }


def _body_link(
    schema: dict[str, Any], path: str, method: str, status: str, target: str, fields: Any
) -> None:
    """A link that fills a creating request's body with the people an answer names."""
    paths = schema["paths"]
    operation = paths.get(target, {}).get("post")
    response = paths[path][method]["responses"].get(status)
    if operation is None or response is None:
        return
    added = method == "post"  # a person just added; else the people list
    refs: dict[int, str | None] = (
        {0: "$response.body#/uuid", 1: None}
        if added
        else {0: "$response.body#/items/0/uuid", 1: "$response.body#/items/1/uuid"}
    )
    body: dict[str, Any] = {}
    for field, where in fields.items():
        ref = refs[where[0] if isinstance(where, list) else where]
        if ref is not None:
            body[field] = [ref] if isinstance(where, list) else ref
    response.setdefault("links", {})["With" + _name(target, "post")] = {
        "operationId": operation["operationId"],
        "requestBody": body,
        "description": f"{operation.get('summary', '')}, naming "
        + ("the person just added." if added else "people from the list."),
    }


def _add_links(schema: dict[str, Any]) -> None:
    """From each creation to reading what it created (first), and to what can be done to it;
    from a person added, and from the people list, to the requests that name people."""
    paths = schema["paths"]
    for path, operations in paths.items():
        post = operations.get("post")
        if post is None:
            continue
        status = "201" if "201" in post["responses"] else "200"
        for target, pointer, methods in _CREATED_ELSEWHERE.get(path, []):
            for method in methods:
                _link(schema, path, status, target, pointer, method)
        if path in _CREATED_ELSEWHERE:
            continue
        record = [
            t for t in paths if t.startswith(path + "/{") and t.count("{") == path.count("{") + 1
        ]
        for target in sorted(record, key=len):
            for method in paths[target]:
                _link(schema, path, status, target, "/uuid", method)
    for target, fields in _PEOPLE_IN_BODY.items():
        _body_link(schema, "/api/v1/people", "post", "201", target, fields)
        _body_link(schema, "/api/v1/people", "get", "200", target, fields)


def _state_headers(operation: dict[str, Any]) -> None:
    """The conditional and idempotency headers, as the server checks them (whichever area's
    endpoint declares them): a key's form and rules, an If-Match that is not empty."""
    from circleback.api.idempotency import KEY_MAX, KEY_PATTERN, KEY_RULES

    for param in operation.get("parameters", []):
        if param.get("in") != "header":
            continue
        if param["name"] == "Idempotency-Key":
            param["schema"] = {
                "type": "string",
                "minLength": 1,
                "maxLength": KEY_MAX,
                "pattern": KEY_PATTERN,
                "title": "Idempotency-Key",
            }
            param["description"] = KEY_RULES
        elif param["name"] == "If-Match":
            param["schema"] = {"type": "string", "minLength": 1, "title": "If-Match"}
            param["description"] = (
                param.get("description", "An ETag you read.").rstrip(".")
                + ". One ETag, several separated by commas, or * (any); 412 when none is "
                "current. Leave the header out to change without the check."
            )


def _complete(schema: dict[str, Any]) -> None:
    """Every operation documents every error it can answer with, as problem+json, and links
    what it creates to reading it."""
    from circleback.api.schemas import ProblemSchema

    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = ProblemSchema.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem.pop("$defs", {}).items():
        components[name] = definition
    components["Problem"] = problem
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # ninja keys statuses by int, openapi_extra by str: one key each, extra winning.
            declared = operation.get("responses", {})
            responses = {str(k): v for k, v in declared.items() if not isinstance(k, str)}
            responses.update({k: v for k, v in declared.items() if isinstance(k, str)})
            # The ones a handler declared (e.g. 404) are problems too; one it described
            # itself (openapi_extra) keeps its own words.
            own = {
                int(k): v["description"]
                for k, v in declared.items()
                if isinstance(k, str) and int(k) >= 400 and "content" not in v
            }
            responses = {k: v for k, v in responses.items() if int(k) < 400}
            operation["responses"] = responses
            _state_headers(operation)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                # Uploads refuse unknown parts as JSON bodies refuse unknown keys.
                if "properties" in content.get("schema", {}):
                    content["schema"]["additionalProperties"] = False
            params = {p.get("name") for p in operation.get("parameters", [])}
            codes = {401, 422, 429, 500}
            if "{" in path:
                codes.add(404)
            if method != "get":
                codes.add(403)
            if "requestBody" in operation:
                codes |= {400, 415}
            if "If-Match" in params:
                codes.add(412)
            if "Idempotency-Key" in params:
                codes.add(409)
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                codes.add(413)
            codes |= set(own)
            for code in sorted(codes):
                if code == 422 and "Idempotency-Key" in params and code not in own:
                    responses["422"] = _problem_response(
                        422,
                        _DESCRIPTIONS[422] + " Or the Idempotency-Key was already used for a "
                        "different request, or is not 1 to 255 visible ASCII characters.",
                    )
                elif code in own:
                    responses[str(code)] = _problem_response(code, own[code])
                elif code in _DESCRIPTIONS:
                    responses[str(code)] = _problem_response(code)
                else:
                    responses[str(code)] = {
                        "description": "The upload is larger than this operation takes "
                        "(an import 50 MB, a photo 5 MB).",
                        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    }

    _add_links(schema)


api = CirclebackAPI(
    title="Circleback API",
    version="1",
    description=(
        "Everything the Circleback web app and CLI do, for your own programs. Authenticate "
        "with a personal access token: `Authorization: Bearer cb_…`. Errors are "
        "application/problem+json (RFC 9457) with an `errors` list naming each field. Lists "
        "are paged by cursor: follow `next`. Send `If-Match` with an ETag you read to change "
        "a record safely — with PATCH, DELETE or an action on it (cancel, advance, merge, "
        "photo) — and `Idempotency-Key` to make a creating request safe to retry. A creating "
        "response links to the operation that reads what it created."
    ),
    urls_namespace="api",
    auth=CallerAuth(),
    throttle=[PerCallerRate()],
    parser=StrictJSONParser(),
    docs=OfflineSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)


def _mount() -> None:
    """Each area's router, in the order the docs list them."""
    from circleback.api.tokens_api import router as tokens_router
    from circleback.people.api import router as people_router

    api.add_router("/tokens", tokens_router)
    from circleback.journal.api import router as journal_router

    api.add_router("", people_router)
    from circleback.loops.api import router as loops_router

    api.add_router("", journal_router)
    from circleback.insights.api import router as insights_router
    from circleback.interchange.api import router as interchange_router
    from circleback.paths.api import router as paths_router

    api.add_router("", loops_router)
    api.add_router("", insights_router)
    api.add_router("", paths_router)
    from circleback.groups.api import router as groups_router

    api.add_router("", groups_router)
    api.add_router("", interchange_router)
    from circleback.api.account_api import router as accounts_router
    from circleback.reminders.api import router as reminders_router

    api.add_router("", accounts_router)
    api.add_router("", reminders_router)
    from circleback.jobs.api import router as jobs_router

    api.add_router("", jobs_router)


_mount()
