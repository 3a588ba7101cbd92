from django.urls import include, path

urlpatterns = [
    path("", include("circleback.web.urls")),
]
