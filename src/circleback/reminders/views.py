"""The digest's and the calendar's settings, the links mailed out, and the feed. Thin."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.reminders import services
from circleback.reminders.forms import DigestForm
from circleback.reminders.mail import MailError, mail_configured
from circleback.reminders.queries import calendar_events, digest_status, feed_owner
from circleback.web.helpers import request_owner

_SETTINGS = "/settings/#reminders"


def _send_link(request: HttpRequest, owner: User) -> None:
    try:
        services.digest_verification_send(owner=owner)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except MailError as exc:
        messages.error(request, f"The verification link could not be sent: {exc}. Try again later.")
    else:
        messages.success(
            request,
            f"A link to verify {owner.email} is on its way: the digest starts once you follow it.",
        )


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = DigestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often and at what hour.")
        return redirect(_SETTINGS)
    data = form.cleaned_data
    services.digest_configure(
        owner=owner,
        enabled=data["enabled"],
        frequency=data["frequency"],
        hour=data["hour"],
        weekday=data["weekday"],
        send_when_empty=data["send_when_empty"],
    )
    messages.success(request, "Digest settings saved." if data["enabled"] else "The digest is off.")
    if data["enabled"] and mail_configured() and not digest_status(owner).verified:
        _send_link(request, owner)
    return redirect(_SETTINGS)


@login_required
@require_POST
def digest_verify_send(request: HttpRequest) -> HttpResponse:
    _send_link(request, request_owner(request))
    return redirect(_SETTINGS)


@require_GET
def digest_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to the address: following it proves the address is the user's."""
    try:
        owner = services.digest_verify(token=token)
    except ValidationError as exc:
        return render(
            request, "reminders/verified.html", {"error": " ".join(exc.messages)}, status=400
        )
    return render(request, "reminders/verified.html", {"email": owner.email})


@csrf_exempt  # the token in the address is the credential (RFC 8058: mail clients POST here)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link checkers follow links); POST — one click in the mail client — stops it."""
    owner = services.unsubscribe_owner(token)
    if owner is None:
        raise Http404("No such digest.")
    if request.method == "POST":
        services.digest_unsubscribe(token=token)
        return render(request, "reminders/unsubscribe.html", {"done": True})
    return render(request, "reminders/unsubscribe.html", {"done": False})


@login_required
@require_POST
def calendar_settings(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(owner=owner)
        messages.success(request, "The calendar feed is stopped; its address no longer works.")
        return redirect(_SETTINGS)
    token = services.calendar_token_reset(owner=owner)
    response = render(
        request, "reminders/calendar_created.html", {"url": services.calendar_feed_url(token)}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the token is the credential; any other answers 404."""
    owner = feed_owner(token)
    if owner is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    zone = user_zone(owner)
    calendar = Calendar()
    calendar.add("prodid", "-//Circleback//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Circleback")
    calendar.add("x-wr-timezone", str(zone))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in calendar_events(owner, now=now):
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("dtstamp", now)
        event.add("last-modified", item.changed)
        if item.url:
            event.add("url", item.url)
            event.add("description", item.url)
        # A step due on a day doesn't make the user busy; a meeting does.
        event.add("transp", "OPAQUE" if isinstance(item.start, dt.datetime) else "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    services.calendar_fetched(owner=owner, now=now)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="circleback.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
