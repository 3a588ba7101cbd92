"""Web views of the API app: create and revoke tokens from Settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from circleback.api.problems import problem_response
from circleback.api.services import token_create, token_revoke

# The new token's secret waits in the session for the one page view that shows it.
NEW_TOKEN_KEY = "api_new_token"


@login_required
@require_POST
def tokens_settings(request: HttpRequest) -> HttpResponse:
    owner = request.user
    try:
        if request.POST.get("action") == "revoke":
            token = token_revoke(owner=owner, name=request.POST.get("name", ""))  # type: ignore[arg-type]
            messages.success(request, f"Revoked {token.name}: it stops working now.")
        else:
            days = request.POST.get("expires_in_days", "").strip()
            if days and not days.isdigit():
                raise ValidationError({"expires": "Expiry is a number of days, e.g. 90."})
            new = token_create(
                owner=owner,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
                read_only=request.POST.get("access") == "read",
                expires_in_days=int(days) if days else None,
            )
            request.session[NEW_TOKEN_KEY] = {"name": new.token.name, "secret": new.secret}
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("/settings/#tokens")


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(
        request,
        404,
        "There is nothing at this address. The API lives under /api/v1/; "
        "its documentation is at /api/v1/docs.",
    )
