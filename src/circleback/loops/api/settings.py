"""/api/v1/settings/loops: when each kind of loop step falls due (as /loops/settings/ and
`circleback loop settings` set it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import StrictInt

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.schemas import IfMatch, RequestBody
from circleback.loops.models import MAX_SETTING_DAYS, MAX_THANK_YOU_HOURS, LoopSettings
from circleback.loops.services.settings import (
    SETTING_FIELDS,
    loop_settings_for,
    loop_settings_update,
)

router = Router(tags=["settings"])


class LoopSettingsOut(Schema):
    thank_you_hours: int = Field(description="A thank-you falls due this many hours after.")
    lead_contact_days: int = Field(description="Contact a lead within this many days.")
    lead_meet_days: int = Field(description="Meet a lead within this many days of contact.")
    lead_tell_days: int = Field(description="Tell the referrer what came of it, in days.")
    check_back_days: int = Field(description="Check back with someone you helped, in days.")


Days = StrictInt | None


class LoopSettingsPatch(RequestBody):
    thank_you_hours: StrictInt | None = Field(None, ge=1, le=MAX_THANK_YOU_HOURS)
    lead_contact_days: Days = Field(None, ge=1, le=MAX_SETTING_DAYS)
    lead_meet_days: Days = Field(None, ge=1, le=MAX_SETTING_DAYS)
    lead_tell_days: Days = Field(None, ge=1, le=MAX_SETTING_DAYS)
    check_back_days: Days = Field(None, ge=1, le=MAX_SETTING_DAYS)


def _settings_out(settings: LoopSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in SETTING_FIELDS}


@router.get("/settings/loops", response=LoopSettingsOut, summary="When loop steps fall due")
def get_loop_settings(request: HttpRequest, response: HttpResponse) -> Any:
    return with_etag(response, _settings_out(loop_settings_for(owner_of(request))))


@router.patch(
    "/settings/loops", response=LoopSettingsOut, summary="Change when loop steps fall due"
)
def update_loop_settings(
    request: HttpRequest,
    payload: LoopSettingsPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Steps already open keep their due dates; new steps use the new settings."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: loop_settings_for(owner),
        show=_settings_out,
        change=lambda _: loop_settings_update(owner=owner, **payload.dict(exclude_unset=True)),
        response=response,
    )
