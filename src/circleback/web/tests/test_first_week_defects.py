"""Issue 19's defects that had no test of their own: the 90-minute warning looks like a
warning, a LinkedIn connection date is "First met" (not "How we met"), and importing a file
with nothing new in it says so instead of reloading without a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circleback.accounts.models import User
from circleback.interchange.models import ImportUpload
from circleback.interchange.services import import_file
from circleback.people.models import Person

pytestmark = pytest.mark.django_db
CONNECTIONS = (
    Path(__file__).resolve().parents[2]
    / "interchange"
    / "tests"
    / "fixtures"
    / "linkedin_connections_2024.csv"
)


def test_a_90_minute_meeting_warns_in_a_warning_not_a_success(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    when = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = alice_client.post(
        "/meetings/new/",
        {"person": str(ada.uuid), "scheduled_for": when, "duration_minutes": "90"},
        follow=True,
    ).content.decode()
    warning = page.split('class="message message-warning"')[1].split("</p>")[0]
    assert "Take note: " in warning and "never requesting more than 30 minutes" in warning
    success = page.split('class="message message-success"')[1].split("</p>")[0]
    assert "30 minutes" not in success


def test_a_linkedin_connection_date_is_first_met_not_how_we_met(
    alice_client: Client, alice: User
) -> None:
    import_file(owner=alice, data=CONNECTIONS.read_bytes(), format="linkedin")
    ada = Person.objects.get(owner=alice, full_name="Ada Quill")
    assert ada.how_we_met == ""
    page = alice_client.get(f"/people/{ada.uuid}/").content.decode()
    assert "<dt>First met</dt><dd>5 Mar 2024</dd>" in page
    assert "How we met" not in page


def test_importing_a_file_with_nothing_new_says_so(alice_client: Client, alice: User) -> None:
    import_file(owner=alice, data=CONNECTIONS.read_bytes(), format="linkedin")
    sent = alice_client.post(
        "/import/",
        {"file": SimpleUploadedFile(CONNECTIONS.name, CONNECTIONS.read_bytes()), "format": "auto"},
    )
    preview = alice_client.get(sent["Location"]).content.decode()
    assert "Import anyway" in preview
    pending = ImportUpload.objects.get(owner=alice)
    done = alice_client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
    assert "everything in it was already here, so nothing changed" in done
    assert Person.objects.filter(owner=alice).count() == 4
