from django.urls import path

from circleback.insights import views

app_name = "insights"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/gives/", views.give, name="give"),
    path("today/new-role/<str:uuid>/dismiss/", views.new_role_dismiss, name="new_role_dismiss"),
    path("goals/", views.goals, name="goals"),
    path("health/", views.health, name="health"),
    path("pitch/", views.pitch, name="pitch"),
    path("pitch/<str:uuid>/practice/", views.pitch_practice, name="pitch_practice"),
    path("keep-in-touch/", views.keep_in_touch, name="keep_in_touch"),
    path("keep-in-touch/<str:uuid>/reconnect/", views.reconnect, name="reconnect"),
    path("keep-in-touch/<str:uuid>/snooze/", views.snooze, name="snooze"),
    path("keep-in-touch/<str:uuid>/cadence/", views.cadence, name="cadence"),
]
