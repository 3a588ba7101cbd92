"""The people area's URLs."""

from django.urls import path

from circleback.people.views import organisations as organisation_views
from circleback.people.views import people as people_views

urlpatterns = [
    # people
    path("people/", people_views.people_index, name="people"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/suggest/", people_views.people_suggestions, name="people_suggest"),
    path("people/bulk/", people_views.people_bulk, name="people_bulk"),
    path("people/<str:uuid>/", people_views.person_detail, name="person"),
    path("people/<str:uuid>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<str:uuid>/delete/", people_views.person_remove, name="person_delete"),
    path("people/<str:uuid>/ties/", people_views.tie_add, name="tie_add"),
    path(
        "people/<str:uuid>/ties/<str:tie_uuid>/delete/",
        people_views.tie_remove,
        name="tie_delete",
    ),
    path("people/<str:uuid>/merge/", people_views.merge_pick, name="person_merge"),
    path(
        "people/<str:uuid>/merge/<str:other_uuid>/",
        people_views.merge_confirm,
        name="person_merge_confirm",
    ),
    # organisations
    path("organisations/", organisation_views.organisations_index, name="organisations"),
    path("organisations/new/", organisation_views.organisation_new, name="organisation_new"),
    path("organisations/<str:uuid>/", organisation_views.organisation_detail, name="organisation"),
    path(
        "organisations/<str:uuid>/edit/",
        organisation_views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<str:uuid>/target/",
        organisation_views.organisation_target,
        name="organisation_target",
    ),
    path(
        "organisations/<str:uuid>/delete/",
        organisation_views.organisation_remove,
        name="organisation_delete",
    ),
]
