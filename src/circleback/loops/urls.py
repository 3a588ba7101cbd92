from django.urls import path

from circleback.loops import views

app_name = "loops"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<str:uuid>/", views.meeting_prep, name="meeting_prep"),
    path("meetings/<str:uuid>/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<str:uuid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<str:uuid>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<str:uuid>/delete/", views.meeting_delete, name="meeting_delete"),
    path("loops/", views.loop_list, name="loop_list"),
    path("loops/settings/", views.loop_settings, name="loop_settings"),
    path("loops/people.json", views.people_json, name="people_json"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("loops/<str:uuid>/done/", views.step_advance, name="step_advance"),
    path("loops/<str:uuid>/snooze/", views.step_snooze, name="step_snooze"),
    path("favours/", views.favour_list, name="favour_list"),
    path("favours/<str:uuid>/edit/", views.favour_edit, name="favour_edit"),
    path("favours/<str:uuid>/delete/", views.favour_delete, name="favour_delete"),
    path("offers/<str:uuid>/taken-up/", views.offer_taken_up, name="offer_taken_up"),
    path("introductions/", views.introduction_list, name="introduction_list"),
    path("shares/", views.share_list, name="share_list"),
    path("shares/<str:uuid>/delete/", views.share_delete, name="share_delete"),
    path("permissions/", views.permission_list, name="permission_list"),
    path("permissions/<str:uuid>/revoke/", views.permission_revoke, name="permission_revoke"),
    path("drafts/outreach/", views.outreach_draft, name="draft"),
]
