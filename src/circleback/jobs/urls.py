from django.urls import path

from circleback.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.opening_list, name="opening_list"),
    path("new/", views.opening_add, name="opening_add"),
    path("what-worked/", views.what_worked, name="what_worked"),
    path("<str:uuid>/", views.opening_detail, name="opening_detail"),
    path("<str:uuid>/edit/", views.opening_edit, name="opening_edit"),
    path("<str:uuid>/advance/", views.opening_advance, name="opening_advance"),
    path("<str:uuid>/ask/", views.opening_ask, name="opening_ask"),
    path("<str:uuid>/people/", views.opening_person_add, name="opening_person_add"),
    path(
        "<str:uuid>/people/<str:person_uuid>/remove/",
        views.opening_person_remove,
        name="opening_person_remove",
    ),
    path("<str:uuid>/interviews/", views.interview_add, name="interview_add"),
    path("<str:uuid>/delete/", views.opening_delete, name="opening_delete"),
    path("interviews/<str:uuid>/prep/", views.interview_prep_page, name="interview_prep"),
    path("interviews/<str:uuid>/cancel/", views.interview_cancel, name="interview_cancel"),
    path("follow-ups/<str:uuid>/done/", views.follow_up_done, name="follow_up_done"),
    path(
        "follow-ups/<str:uuid>/thank-you/",
        views.follow_up_thank_you,
        name="follow_up_thank_you",
    ),
]
