"""One error shape for the whole API: RFC 9457 problem details, with a field-by-field list.

    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
     "detail": "Some fields are not valid; nothing was saved.", "instance": "/api/v1/people",
     "errors": [{"field": "emails", "location": "body", "message": "'x' is not an email"}]}

Every failure comes out this way: the API's own exception handlers make most of them, and
`ProblemMiddleware` turns whatever else answers under /api/ with an error (Django's 404 for an
unknown path, ninja's 405, a 500) into the same shape, so a client needs one parser.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"

logger = logging.getLogger("circleback.api")


class Problem(Exception):
    """Raise from a handler (or a helper it calls) to answer with this status and detail."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Iterable[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}


def problem_response(
    request: HttpRequest | None,
    status: int,
    detail: str,
    errors: Iterable[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else None,
        "errors": list(errors),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Service field names as the API's JSON names them (the shape the CLI's --json and the backup
# share: `list`, `organization`).
FIELD_NAMES = {"contact_list": "list", "organisation": "organization"}


def field_errors(exc: DjangoValidationError, location: str = "body") -> list[dict[str, Any]]:
    """A service's ValidationError as the problem's `errors` list, one entry per message."""
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": None if field == "__all__" else FIELD_NAMES.get(field, field),
                "location": location,
                "message": message,
            }
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "location": location, "message": m} for m in exc.messages]


UNKNOWN_FIELD = (
    "is not a field this request takes; nothing was saved. Check its spelling against the "
    "OpenAPI document (e.g. `organization`, not `organisation`)."
)

_LOCATIONS = {"body": "body", "query": "query", "path": "path", "header": "header", "form": "body"}
_FILE_LOCATIONS = {"file": "body"}


def ninja_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors (loc like ["body", "payload", "emails", 0]) as the problem's list."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", [])]
        location = _LOCATIONS.get(loc[0], _FILE_LOCATIONS.get(loc[0], "body")) if loc else "body"
        rest = loc[1:]
        # ninja names the whole body after the handler's argument ("payload"): not a field.
        if location == "body" and rest and rest[0] in ("payload", "body", "data"):
            rest = rest[1:]
        message = str(error.get("msg", "is not valid"))
        if error.get("type") == "extra_forbidden":
            message = UNKNOWN_FIELD
        out.append({"field": ".".join(rest) or None, "location": location, "message": message})
    return out


def install(api: Any) -> None:
    """Register the handlers that give every exception the one shape."""
    from django.http.multipartparser import MultiPartParserError
    from ninja.errors import AuthenticationError, HttpError, Throttled
    from ninja.errors import ValidationError as NinjaValidationError

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return problem_response(request, exc.status, exc.detail, exc.errors, exc.headers)

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem_response(
            request,
            422,
            "Some of what was sent is not valid; nothing was saved.",
            ninja_errors(exc.errors),
        )

    def on_service_refusal(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        location = "query" if request.method in ("GET", "HEAD") else "body"
        return problem_response(
            request,
            422,
            "Some fields are not valid; nothing was saved.",
            field_errors(exc, location),
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        detail = str(exc) or "Not found."
        return problem_response(request, 404, detail if detail.endswith(".") else detail + ".")

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            request,
            401,
            "Send a personal access token as `Authorization: Bearer TOKEN` "
            "(create one in Settings or with `circleback token create NAME`).",
            headers={"WWW-Authenticate": 'Bearer realm="circleback"'},
        )

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return problem_response(
            request,
            429,
            "Too many requests for this token; wait as Retry-After says, then try again.",
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja wraps what our parser raises (415, 400, 422) in its own 400: unwrap it.
        if isinstance(exc.__cause__, Problem):
            return on_problem(request, exc.__cause__)
        return problem_response(request, exc.status_code, str(exc))

    def on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        if settings.DEBUG:
            raise exc
        return problem_response(
            request, 500, "Something went wrong on our side; nothing was saved. Try again."
        )

    def on_unreadable_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return problem_response(
            request,
            400,
            f"The upload could not be read ({exc}). Send it as multipart/form-data, "
            "with the boundary its Content-Type names.",
            [{"field": "Content-Type", "location": "header", "message": str(exc)}],
        )

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(MultiPartParserError, on_unreadable_upload)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_service_refusal)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_anything)


_GENERIC = {
    400: "The request could not be read.",
    401: "Sign in or send a personal access token.",
    403: "This request is not allowed.",
    404: "There is nothing at this address.",
    405: "This address does not take that method; see the Allow header.",
    413: "The request is too large.",
    415: "Send JSON (Content-Type: application/json).",
    500: "Something went wrong on our side; nothing was saved. Try again.",
}


class ProblemMiddleware:
    """Under /api/, any error response not already a problem becomes one (same status)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(PROBLEM_TYPE)
        ):
            status = response.status_code
            replacement = problem_response(
                request, status, _GENERIC.get(status, HTTPStatus(status).phrase + ".")
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith(API_PREFIX) and not settings.DEBUG:
            if isinstance(exc, Http404):
                return problem_response(request, 404, _GENERIC[404])
            logger.exception("API request failed: %s %s", request.method, request.path)
            return problem_response(request, 500, _GENERIC[500])
        return None
