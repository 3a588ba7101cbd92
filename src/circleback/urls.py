from django.urls import include, path

from circleback.api.root import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("circleback.api.urls")),
    path("", include("circleback.web.urls")),
    path("", include("circleback.reminders.urls")),
]
