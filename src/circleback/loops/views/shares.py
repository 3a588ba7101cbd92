"""Screens for shares."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from circleback.loops import queries
from circleback.loops.forms import (
    ShareForm,
)
from circleback.loops.services import (
    shares,
)
from circleback.loops.views._pages import _confirm, _page
from circleback.web.helpers import (
    refusal_on_form,
    request_owner,
)


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = ShareForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            share = shares.share_log(
                owner=owner,
                people=data["people"],
                title=data["title"],
                url=data["url"],
                topics=data["topics"],
                kind="event" if data["event"] else "information",
            )
            messages.success(
                request, f"Shared “{share.title}” — a favour and a journal entry for each."
            )
            return redirect("loops:share_list")
    return render(
        request,
        "loops/share_list.html",
        {"form": form, "shares": _page(request, queries.shares_list(owner=owner))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    share = queries.get_share_for(owner, uuid)
    if request.method == "POST":
        shares.share_delete(owner=owner, share=share)
        messages.success(request, f"Deleted the share “{share.title}”.")
        return redirect("loops:share_list")
    return _confirm(
        request,
        title=f"Delete the share “{share.title}”?",
        consequences=[
            "The favours it logged go with it.",
            "The journal entries stay: you did pass it on. Delete them from the journal if "
            "they're wrong.",
        ],
        cancel_url=reverse("loops:share_list"),
    )
