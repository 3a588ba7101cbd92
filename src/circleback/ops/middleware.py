"""Operations middleware: the load balancer's health probe."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from circleback.ops.health import health

HEALTHZ = "/healthz"


class HealthzMiddleware:
    """Answers GET /healthz before anything else runs.

    Placed first, so that a load balancer probing an app process by its address (a Host
    header no ALLOWED_HOSTS names) over plain HTTP gets the answer rather than a 400 or a
    redirect to HTTPS. The answer names checks only, never data: no sign-in needed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != HEALTHZ:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = JsonResponse({"error": "Use GET."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        result = health()
        response = JsonResponse(result.as_dict(), status=200 if result.ok else 503)
        response["Cache-Control"] = "no-store"
        return response
