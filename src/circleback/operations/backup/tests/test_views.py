"""Restoring a backup in the web app: the preview says what it would restore and names a
broken record in words; confirming says what happened, also when nothing changed."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circleback.accounts.models import User
from circleback.interchange.models import ImportUpload
from circleback.loops.models import Meeting
from circleback.operations.backup.services import backup_export
from circleback.people.models import Person


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes) -> str:
    response = client.post(
        "/import/", {"file": SimpleUploadedFile("backup.json", data), "format": "auto"}
    )
    assert response.status_code == 302, response.content
    return str(response["Location"])


def test_it_previews_and_restores_a_whole_backup(account: User, bob: User) -> None:
    data = backup_export(owner=account)
    client = _signed_in(bob)
    preview = client.get(_upload(client, data)).content.decode()
    assert "Nothing has been written yet" in preview
    assert "Also from the backup" in preview and "meetings" in preview
    assert "Restore this backup" in preview
    assert not Meeting.objects.filter(owner=bob).exists()
    pending = ImportUpload.objects.get(owner=bob)
    done = client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
    assert "Imported backup.json:" in done and "meetings" in done
    assert (
        Meeting.objects.filter(owner=bob).count() == Meeting.objects.filter(owner=account).count()
    )


def test_a_backup_already_in_says_so_before_and_after(account: User) -> None:
    client = _signed_in(account)
    preview = client.get(_upload(client, backup_export(owner=account))).content.decode()
    assert "already here: importing it changes nothing" in preview
    pending = ImportUpload.objects.get(owner=account)
    done = client.post(f"/import/{pending.uuid}/confirm/", follow=True).content.decode()
    assert "everything in it was already here, so nothing changed" in done


def test_the_preview_names_a_bad_record_in_words(alice: User) -> None:
    document = {
        "format": "circleback-backup",
        "version": 2,
        "people": [
            {"full_name": "Ada Quill", "uuid": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a01"},
            {"full_name": "Bart Nguyen", "birthday": "2026-02-31"},
            {"full_name": ""},
        ],
    }
    client = _signed_in(alice)
    preview = client.get(_upload(client, json.dumps(document).encode())).content.decode()
    assert "person 2 (“Bart Nguyen”)" in preview and "2026-02-31" in preview
    assert "person 3" in preview and "could not be read" in preview
    assert "people[" not in preview
    assert not Person.objects.exists()


def test_another_owners_backup_preview_is_not_found(account: User, charlie: User) -> None:
    client = _signed_in(account)
    location = _upload(client, backup_export(owner=account))
    outsider = _signed_in(charlie)
    assert outsider.get(location).status_code == 404
    pending = ImportUpload.objects.get(owner=account)
    assert outsider.post(f"/import/{pending.uuid}/confirm/").status_code == 404
    assert not Person.objects.filter(owner=charlie).exists()
