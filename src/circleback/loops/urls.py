from django.urls import path

from circleback.loops.views import (
    drafts,
    favours,
    introductions,
    loops,
    meetings,
    permissions,
    shares,
)

app_name = "loops"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<str:uuid>/", meetings.meeting_prep, name="meeting_prep"),
    path("meetings/<str:uuid>/log/", meetings.meeting_log, name="meeting_log"),
    path("meetings/<str:uuid>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<str:uuid>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<str:uuid>/delete/", meetings.meeting_delete, name="meeting_delete"),
    path("loops/", loops.loop_list, name="loop_list"),
    path("loops/settings/", loops.loop_settings, name="loop_settings"),
    path("leads/new/", loops.lead_new, name="lead_new"),
    path("loops/<str:uuid>/done/", loops.step_advance, name="step_advance"),
    path("loops/<str:uuid>/snooze/", loops.step_snooze, name="step_snooze"),
    path("loops/<str:uuid>/thank-you/", drafts.thank_you_draft, name="step_thank_you"),
    path("favours/", favours.favour_list, name="favour_list"),
    path("favours/<str:uuid>/edit/", favours.favour_edit, name="favour_edit"),
    path("favours/<str:uuid>/delete/", favours.favour_delete, name="favour_delete"),
    path("offers/<str:uuid>/taken-up/", favours.offer_taken_up, name="offer_taken_up"),
    path("introductions/", introductions.introduction_list, name="introduction_list"),
    path("shares/", shares.share_list, name="share_list"),
    path("shares/<str:uuid>/delete/", shares.share_delete, name="share_delete"),
    path("permissions/", permissions.permission_list, name="permission_list"),
    path("permissions/<str:uuid>/revoke/", permissions.permission_revoke, name="permission_revoke"),
    path("drafts/outreach/", drafts.outreach_draft, name="draft"),
]
