"""The web side of the API app: the settings page's token section, and a problem+json 404
for any address under /api/ that names nothing (the API itself is mounted in circleback.urls)."""

from django.urls import path, re_path

from circleback.api import views

app_name = "api_site"

urlpatterns = [
    path("settings/tokens/", views.tokens_settings, name="tokens"),
    re_path(r"^api/", views.not_found),
]
