"""Screens for permissions to use a name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.loops import queries
from circleback.loops.forms import (
    PermissionForm,
)
from circleback.loops.services import (
    permissions,
)
from circleback.loops.views._pages import _page, _prefill_person
from circleback.web.helpers import (
    redirect_back,
    refusal_on_form,
    request_owner,
)


@login_required
@require_http_methods(["GET", "POST"])
def permission_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = PermissionForm(
        request.POST or None, owner=owner, initial=_prefill_person(request, owner)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            permissions.permission_grant(
                owner=owner,
                person=data["person"],
                organisation=data["organisation"] or None,
                note=data["note"],
            )
            messages.success(request, "Permission recorded.")
            return redirect("loops:permission_list")
    return render(
        request,
        "loops/permission_list.html",
        {"form": form, "permissions": _page(request, queries.permissions_list(owner=owner))},
    )


@login_required
@require_POST
def permission_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    permission = queries.get_permission_for(owner, uuid)
    permissions.permission_revoke(owner=owner, permission=permission)
    messages.success(request, f"Revoked: {permission}.")
    return redirect_back(request, reverse("loops:permission_list"))
