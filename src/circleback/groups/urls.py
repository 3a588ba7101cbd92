from django.urls import path

from circleback.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:uuid>/answer/", views.request_answer, name="answer"),
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/<str:username>/", views.coach_member, name="coach_member"),
    path("coaching/<str:username>/revoke/", views.coach_revoke, name="revoke"),
    path("join/<str:token>/", views.group_join, name="join"),
    path("<str:uuid>/", views.group_show, name="show"),
    path("<str:uuid>/invite/", views.group_invite, name="invite"),
    path(
        "<str:uuid>/invitations/<str:invitation>/revoke/",
        views.invitation_revoke,
        name="revoke_invitation",
    ),
    path("<str:uuid>/add/", views.group_add, name="add"),
    path("<str:uuid>/leave/", views.group_leave, name="leave"),
    path("<str:uuid>/open/", views.group_open, name="open"),
    path("<str:uuid>/close/<str:opening>/", views.group_close, name="close"),
    path("<str:uuid>/ask/<str:person>/", views.group_ask, name="ask"),
    path("<str:uuid>/coach/", views.coach_grant, name="grant"),
    path("<str:uuid>/board/", views.board_post, name="post"),
    path("<str:uuid>/board/<str:post>/close/", views.board_close, name="close_post"),
    path("<str:uuid>/balance/", views.balance_share, name="balance"),
]
