from django.urls import path

from circleback.loops import views

app_name = "loops"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<str:uuid>/", views.meeting_prep, name="meeting_prep"),
    path("meetings/<str:uuid>/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<str:uuid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("loops/", views.loop_list, name="loop_list"),
    path("loops/<str:uuid>/done/", views.step_advance, name="step_advance"),
    path("loops/<str:uuid>/snooze/", views.step_snooze, name="step_snooze"),
    path("favours/", views.favour_list, name="favour_list"),
    path("introductions/", views.introduction_list, name="introduction_list"),
    path("shares/", views.share_list, name="share_list"),
    path("permissions/", views.permission_list, name="permission_list"),
    path("permissions/<str:uuid>/revoke/", views.permission_revoke, name="permission_revoke"),
    path("drafts/outreach/", views.outreach_draft, name="draft"),
]
