"""The journal area's URLs."""

from django.urls import path

from circleback.journal import views as journal_views

urlpatterns = [
    # journal
    path("journal/", journal_views.journal_index, name="journal"),
    path("journal/new/", journal_views.journal_new, name="journal_new"),
    path("journal/event/", journal_views.event_new, name="event_new"),
    path("journal/<str:uuid>/", journal_views.journal_edit, name="journal_edit"),
    path("journal/<str:uuid>/delete/", journal_views.journal_delete, name="journal_delete"),
    # logging from a person's page
    path("people/<str:uuid>/log/", journal_views.person_log, name="person_log"),
]
