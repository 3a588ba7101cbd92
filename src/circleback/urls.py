from django.urls import include, path

urlpatterns = [
    path("", include("circleback.web.urls")),
    path("", include("circleback.reminders.urls")),
]
