from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from circleback.accounts.middleware import TimezoneMiddleware


def test_it_uses_the_users_zone_during_a_request_and_resets_it_after(alice):
    alice.time_zone = "Asia/Tokyo"
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = alice
    TimezoneMiddleware(view)(request)
    assert seen == ["Asia/Tokyo"]
    assert timezone.get_current_timezone_name() == "UTC"


def test_an_unknown_zone_falls_back_to_utc(alice):
    alice.time_zone = "Mars/Olympus_Mons"
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = alice
    TimezoneMiddleware(view)(request)
    assert seen == ["UTC"]
