"""Big imports run in the background: the page shows how far they have got, then the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.interchange import background
from circleback.interchange.models import ImportUpload
from circleback.interchange.services import ImportReport
from circleback.interchange.upload_files import upload_keep, upload_path
from circleback.people.models import Person
from circleback.reminders.worker import run_pending

FIXTURES = Path(__file__).parent / "fixtures"


def connections_csv(rows: int) -> bytes:
    """A LinkedIn Connections.csv of `rows` different people (about 100 bytes a row)."""
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [
        f"Ada{n},Quill{n},https://www.linkedin.com/in/ada-quill-{n:06d},,"
        f"Hooli {n % 40},Engineer,{1 + n % 28:02d} Mar 2024"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def importing(owner: User, **fields: object) -> ImportUpload:
    """An upload whose import is under way, as the background runner records it."""
    values: dict[str, object] = {
        "owner": owner,
        "filename": "Connections.csv",
        "size": 1,
        "format": "linkedin",
        "status": ImportUpload.Status.IMPORTING,
        "report": ImportReport(format="linkedin", created=3000).as_json(),
        "progress_stage": "people",
        "progress_done": 1200,
        "progress_total": 3000,
        "progress_at": timezone.now(),
        **fields,
    }
    data = values.pop("data", None)
    upload = ImportUpload(**values)
    if isinstance(data, bytes):  # the file waiting for the import, where it waits
        upload.size = upload_keep(upload.uuid, data)
    upload.save()
    return upload


def test_an_import_under_way_shows_its_progress(alice: User) -> None:
    upload = importing(alice)
    page = signed_in(alice).get(f"/import/{upload.uuid}/")
    assert b"Importing: Connections.csv" in page.content
    assert b'<progress aria-labelledby="progress-title" max="3000" value="1200">' in page.content
    assert b"Matching and adding people" in page.content and b"1200 of 3000" in page.content
    assert b'http-equiv="refresh"' in page.content  # without JavaScript, the page reloads
    status = signed_in(alice).get(f"/import/{upload.uuid}/status/").json()
    assert status == {
        "status": "importing",
        "stage": "people",
        "label": "Matching and adding people",
        "step": 2,
        "steps": 4,
        "done": 1200,
        "total": 3000,
    }


def test_the_status_of_someone_elses_import_is_not_found(alice: User, charlie: User) -> None:
    upload = importing(alice)
    assert signed_in(charlie).get(f"/import/{upload.uuid}/status/").status_code == 404
    assert signed_in(charlie).get(f"/import/{upload.uuid}/").status_code == 404


def test_an_import_waiting_for_a_worker_says_so(alice: User) -> None:
    upload = importing(alice, progress_stage="", progress_done=0, progress_total=0)
    page = signed_in(alice).get(f"/import/{upload.uuid}/")
    assert b"No background worker is running" in page.content
    assert b"Waiting for the worker" in page.content


@pytest.mark.django_db(transaction=True)
def test_an_import_started_three_times_gives_up_and_goes_back_to_its_preview(
    alice: User,
) -> None:
    """GIVEN an import whose worker died twice (each time the import rolled back)
    WHEN a worker starts it a third... fourth time THEN it stops trying and says so."""
    from django_tasks_db.models import DBTaskResult

    upload = importing(alice, data=connections_csv(3))
    result = background.import_upload.enqueue(upload.pk, False)
    DBTaskResult.objects.filter(id=result.id).update(worker_ids=["dead-1", "dead-2", "dead-3"])
    run_pending()
    upload.refresh_from_db()
    assert upload.status == ImportUpload.Status.PREVIEWED
    assert "stopped 3 times before it finished" in upload.error
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_big_file_imports_in_the_background(alice: User) -> None:
    client = signed_in(alice)
    data = connections_csv(3000)
    assert len(data) > background.BACKGROUND_BYTES
    client.post("/import/", {"file": SimpleUploadedFile("Connections.csv", data), "format": "auto"})
    upload = ImportUpload.objects.get(owner=alice)
    confirmed = client.post(f"/import/{upload.uuid}/confirm/")
    assert confirmed.status_code == 302
    upload.refresh_from_db()
    assert upload.status in ("importing", "imported")
    run_pending()
    upload.refresh_from_db()
    assert upload.status == "imported" and upload.size == 0
    assert not upload_path(upload.uuid).exists()  # the file went once it was imported
    assert upload.report["created"] == Person.objects.filter(owner=alice).count() == 3000
    page = client.get(f"/import/{upload.uuid}/")
    assert b"Imported: Connections.csv" in page.content and b"<progress" not in page.content
    # Confirming again imports nothing more.
    client.post(f"/import/{upload.uuid}/confirm/")
    assert Person.objects.filter(owner=alice).count() == upload.report["created"]


@pytest.mark.django_db(transaction=True)
def test_a_background_import_of_broken_records_writes_nothing_and_says_why(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "BACKGROUND_BYTES", 0)
    client = signed_in(alice)
    data = (FIXTURES / "vcard_truncated.vcf").read_bytes()
    client.post("/import/", {"file": SimpleUploadedFile("contacts.vcf", data), "format": "auto"})
    upload = ImportUpload.objects.get(owner=alice)
    client.post(f"/import/{upload.uuid}/confirm/")
    run_pending()
    upload.refresh_from_db()
    assert upload.status == "previewed" and "could not be read" in upload.error
    assert not Person.objects.exists()
    page = client.get(f"/import/{upload.uuid}/")
    assert b"Nothing was imported" in page.content
    client.post(f"/import/{upload.uuid}/confirm/", {"skip_bad": "on"})
    run_pending()
    assert Person.objects.filter(owner=alice).count() == 1


def test_an_upload_may_be_as_big_as_the_biggest_file_an_import_reads() -> None:
    from circleback.interchange.records import MAX_BACKUP_BYTES, MAX_IMPORT_BYTES

    field = ImportUpload._meta.get_field("size")
    assert MAX_BACKUP_BYTES in [v.limit_value for v in field.validators]  # type: ignore[attr-defined]
    assert MAX_BACKUP_BYTES >= MAX_IMPORT_BYTES
