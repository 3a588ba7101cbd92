from django.urls import path

from circleback.reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/digest/", views.digest_settings, name="digest"),
    path("reminders/digest/verify/", views.digest_verify_send, name="digest_verify_send"),
    path("reminders/verify/<str:token>/", views.digest_verify, name="verify"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reminders/calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
