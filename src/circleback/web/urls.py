from django.contrib.auth import views as auth_views
from django.urls import include, path

from circleback.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.welcome, name="welcome"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("", include("circleback.people.urls")),
    path("", include("circleback.journal.urls")),
    path("", include("circleback.loops.urls")),
    path("paths/", include("circleback.paths.urls")),
    path("groups/", include("circleback.groups.urls")),
    path("jobs/", include("circleback.jobs.urls")),
    path("", include("circleback.interchange.urls")),
    path("", include("circleback.insights.urls")),
]
