from django.urls import path

from circleback.paths import views

app_name = "paths"

urlpatterns = [
    path("", views.index, name="index"),
    path("org/<str:uuid>/", views.organisation_paths, name="organisation"),
    path("person/<str:uuid>/", views.person_paths, name="person"),
    path("person/<str:uuid>/ego.svg", views.ego, name="ego"),
    path("draft/", views.draft, name="draft"),
    path("draft/asked/", views.ask, name="ask"),
    path("connectors/", views.connectors, name="connectors"),
    path("informers/", views.informers, name="informers"),
]
