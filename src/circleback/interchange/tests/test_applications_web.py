"""Applications from a job tracker's CSV through the web: the contacts' upload → preview
(what would be added, what is already here, what was refused, each with its row) → confirm
→ progress when it runs in the background; another owner's import is not found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circleback.accounts.models import User
from circleback.interchange import background
from circleback.interchange.models import ImportUpload
from circleback.interchange.tests.test_job_tracker import _tracker_csv
from circleback.jobs.models import Opening
from circleback.journal.models import Interaction
from circleback.reminders.worker import run_pending

TRACKERS = Path(__file__).parent / "fixtures" / "job-trackers"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, name: str, data: bytes | None = None) -> Any:
    data = (TRACKERS / name).read_bytes() if data is None else data
    return client.post("/import/applications/", {"file": SimpleUploadedFile(name, data)})


def test_a_trackers_file_is_previewed_then_imported(alice: User) -> None:
    client = signed_in(alice)
    start = client.get("/import/applications/").content.decode()
    assert "Bring in your applications" in start and "Referred By" in start
    sent = upload(client, "jobapplier-full.csv")
    assert sent.status_code == 302
    assert not Opening.objects.exists() and not Interaction.objects.exists()  # a preview
    preview = client.get(sent["Location"]).content.decode()
    assert "Preview: jobapplier-full.csv" in preview
    assert "This file is a job tracker&#x27;s export of applications" in preview
    assert "<dt>New applications</dt><dd>5</dd>" in preview
    assert "<strong>row 6, Application Status</strong>: “ghosted”" in preview
    assert "<strong>row 6, URL</strong>: “not a link”" in preview
    assert "Import 5 applications" in preview and "New people" not in preview
    pending = ImportUpload.objects.get(owner=alice)
    done = client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
    assert "Imported: jobapplier-full.csv" in done
    assert "Imported jobapplier-full.csv: 5 new applications." in done
    assert "See your openings" in done
    assert Opening.objects.filter(owner=alice).count() == 5
    # The same file again: everything is already here.
    again = client.get(upload(client, "jobapplier-full.csv")["Location"]).content.decode()
    assert "<dt>Already here</dt><dd>5</dd>" in again and "importing it changes nothing" in again


def test_broken_rows_must_be_skipped_knowingly(alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill")
    client = signed_in(alice)
    preview = client.get(upload(client, "tracker-board.csv")["Location"]).content.decode()
    assert "1 record could not be read" in preview
    assert "<strong>row 5</strong>: it has no title" in preview
    assert 'name="skip_bad"' in preview
    pending = ImportUpload.objects.get(owner=alice)
    refused = client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
    assert "could not be read" in refused and not Opening.objects.exists()
    client.post(f"/import/{pending.uuid}/confirm/", {"skip_bad": "on"})
    assert Opening.objects.filter(owner=alice).count() == 4
    hooli = Opening.objects.get(organisation__name="Hooli")
    assert hooli.source_person is not None and hooli.source_person.full_name == "Ada Quill"


def test_a_file_that_is_not_applications_is_refused_on_the_form(alice: User) -> None:
    client = signed_in(alice)
    page = upload(client, "people.csv", b"First Name,Last Name\nAda,Quill\n")
    assert page.status_code == 200
    assert "no title and company columns" in page.content.decode()
    assert not ImportUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_big_file_imports_in_the_background_with_its_own_steps(
    alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    client = signed_in(alice)
    data = _tracker_csv(2800, 800)
    assert len(data) > background.BACKGROUND_BYTES
    upload(client, "big.csv", data)
    pending = ImportUpload.objects.get(owner=alice)
    client.post(f"/import/{pending.uuid}/confirm/")
    pending.refresh_from_db()
    assert pending.status == "importing"
    page = client.get(f"/import/{pending.uuid}/").content.decode()
    assert "Importing: big.csv" in page and "of 2:" in page
    status = client.get(f"/import/{pending.uuid}/status/").json()
    assert status["steps"] == 2 and status["status"] == "importing"
    run_pending()
    pending.refresh_from_db()
    assert pending.status == "imported" and pending.report["created"] == 2800
    assert Opening.objects.filter(owner=alice).count() == 2800


def test_someone_elses_applications_import_is_not_found(alice: User, charlie: User) -> None:
    sent = upload(signed_in(charlie), "jobapplier-full.csv")
    theirs = sent["Location"]
    client = signed_in(alice)
    assert client.get(theirs).status_code == 404
    assert client.get(f"{theirs}status/").status_code == 404
    assert client.post(f"{theirs}confirm/").status_code == 404
    assert "jobapplier-full.csv" not in client.get("/import/applications/").content.decode()
    assert not Opening.objects.exists()
    assert Client().get("/import/applications/").status_code == 302  # signed out: sign in


def test_the_api_imports_applications_through_the_same_preview(alice: User, charlie: User) -> None:
    from circleback.api.services import token_create

    secret = token_create(owner=alice, name="alice-tracker").secret

    def post(data: bytes) -> Any:
        return Client().post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile("apps.csv", data), "format": "job-tracker-csv"},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )

    sent = post((TRACKERS / "jobapplier-summary.csv").read_bytes())
    assert sent.status_code == 201, sent.content
    preview = sent.json()
    assert preview["status"] == "previewed" and preview["report"]["created"] == 3
    assert not Opening.objects.exists()
    confirmed = Client().post(
        f"/api/v1/imports/{preview['uuid']}/confirm",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "imported"
    assert Opening.objects.filter(owner=alice).count() == 3
    refused = post(b"First Name,Last Name\nAda,Quill\n")
    assert refused.status_code == 422 and "title and company" in refused.content.decode()
    # Charlie's token can't read or confirm Alice's import.
    theirs = token_create(owner=charlie, name="charlie-tracker").secret
    for method, path in (("get", ""), ("post", "/confirm")):
        answer = getattr(Client(), method)(
            f"/api/v1/imports/{preview['uuid']}{path}",
            **({"data": "{}", "content_type": "application/json"} if method == "post" else {}),
            HTTP_AUTHORIZATION=f"Bearer {theirs}",
        )
        assert answer.status_code == 404, path
