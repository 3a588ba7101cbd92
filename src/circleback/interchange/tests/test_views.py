"""The import pages, duplicate review, export downloads and photos — owner-scoped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from circleback.accounts.models import User
from circleback.interchange.models import ImportUpload, PossibleDuplicate
from circleback.interchange.services import import_file
from circleback.people.models import Person

FIXTURES = Path(__file__).parent / "fixtures"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, name: str, **fields: str) -> Any:
    data = (FIXTURES / name).read_bytes()
    return client.post(
        "/import/", {"file": SimpleUploadedFile(name, data), "format": "auto", **fields}
    )


def test_upload_previews_then_confirm_imports(alice: User) -> None:
    client = signed_in(alice)
    assert client.get("/import/").status_code == 200
    response = upload(client, "linkedin_connections_2024.csv", tags="linkedin")
    assert response.status_code == 302
    assert not Person.objects.exists()  # a preview writes nothing
    preview = client.get(response["Location"])
    assert b"Nothing has been written yet" in preview.content
    assert b"row 8" in preview.content
    pending = ImportUpload.objects.get(owner=alice)
    done = client.post(f"/import/{pending.uuid}/confirm/", follow=True)
    assert b"Imported: linkedin_connections_2024.csv" in done.content
    assert b"Imported from a LinkedIn connections export in" in done.content
    assert Person.objects.filter(owner=alice, tags__name="linkedin").count() == 4
    # Confirming twice imports once.
    client.post(f"/import/{pending.uuid}/confirm/")
    assert Person.objects.filter(owner=alice).count() == 4


def test_the_preview_names_the_file_in_words(alice: User, make_person: Any) -> None:
    """Issue 19: "Read as linkedin" / "json" become what a person would say."""
    client = signed_in(alice)
    preview = client.get(upload(client, "linkedin_connections_2024.csv")["Location"])
    text = preview.content.decode()
    assert "This file is a LinkedIn connections export. Nothing has been written yet" in text
    assert "Read as" not in text
    make_person(alice, "Ada Quill")
    import io

    from circleback.interchange.exports import export_to

    backup = io.BytesIO()
    export_to(backup, owner=alice, format="json")
    response = client.post(
        "/import/",
        {"file": SimpleUploadedFile("backup.json", backup.getvalue()), "format": "auto"},
    )
    text = client.get(response["Location"]).content.decode()
    assert "This file is a Circleback backup." in text and ">json<" not in text


def test_broken_records_need_the_skip_choice(alice: User) -> None:
    client = signed_in(alice)
    upload(client, "vcard_truncated.vcf")
    pending = ImportUpload.objects.get(owner=alice)
    preview = client.get(f"/import/{pending.uuid}/")
    assert b"could not be read" in preview.content and b"skip_bad" in preview.content
    client.post(f"/import/{pending.uuid}/confirm/")
    assert not Person.objects.exists()
    client.post(f"/import/{pending.uuid}/confirm/", {"skip_bad": "on"})
    assert Person.objects.filter(owner=alice).count() == 1


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_form(alice: User) -> None:
    client = signed_in(alice)
    response = client.post(
        "/import/", {"file": SimpleUploadedFile("x.vcf", b"\x00\x01binary"), "format": "auto"}
    )
    assert response.status_code == 200 and b"binary" in response.content
    assert not ImportUpload.objects.exists()


def test_another_owners_import_is_not_found(alice: User, charlie: User) -> None:
    upload(signed_in(alice), "vcard40.vcf")
    pending = ImportUpload.objects.get(owner=alice)
    outsider = signed_in(charlie)
    assert outsider.get(f"/import/{pending.uuid}/").status_code == 404
    assert outsider.post(f"/import/{pending.uuid}/confirm/").status_code == 404
    assert not Person.objects.exists()


def test_the_import_pages_need_a_login(db: None) -> None:
    assert Client().get("/import/").status_code == 302
    assert Client().get("/export/json/").status_code == 302


def _pair(alice: User, make_person: Any) -> PossibleDuplicate:
    make_person(alice, "Robert Nguyen", organisation="Hooli", emails=["rob@hooli.example"])
    import_file(
        owner=alice,
        data=b"First Name,Last Name,URL,Company,Position,Connected On\n"
        b"Rob,Nguyen,https://linkedin.com/in/rob-ng,Hooli,CTO,01 Jan 2024\n",
    )
    return PossibleDuplicate.objects.get(owner=alice)


def test_possible_duplicates_can_be_merged(alice: User, make_person: Any) -> None:
    pair = _pair(alice, make_person)
    client = signed_in(alice)
    page = client.get("/import/duplicates/")
    assert b"Rob Nguyen" in page.content
    client.post(f"/import/duplicates/{pair.uuid}/", {"action": "merge"})
    [person] = Person.objects.filter(owner=alice)
    assert person.full_name == "Robert Nguyen" and person.links.count() == 1


def test_possible_duplicates_can_be_kept_apart(alice: User, make_person: Any) -> None:
    pair = _pair(alice, make_person)
    signed_in(alice).post(f"/import/duplicates/{pair.uuid}/", {"action": "apart"})
    pair.refresh_from_db()
    assert pair.status == "kept_apart" and Person.objects.count() == 2


def test_another_owners_duplicates_are_not_found(
    alice: User, charlie: User, make_person: Any
) -> None:
    pair = _pair(alice, make_person)
    outsider = signed_in(charlie)
    assert b"Rob Nguyen" not in outsider.get("/import/duplicates/").content
    response = outsider.post(f"/import/duplicates/{pair.uuid}/", {"action": "merge"})
    assert response.status_code == 404 and Person.objects.count() == 2


def test_export_downloads_only_the_owners_data(
    alice: User, charlie: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    make_person(charlie, "Carl Secret")
    client = signed_in(alice)
    response = client.get("/export/json/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.streaming  # written as it is read, never whole in memory
    names = [p["full_name"] for p in json.loads(response.getvalue())["people"]]
    assert names == ["Ada Quill"]
    assert client.get("/export/vcard/?version=3.0").getvalue().startswith(b"BEGIN:VCARD")
    assert b"Ada Quill" in client.get("/export/csv/").getvalue()
    assert client.get("/export/xml/").status_code == 404


def test_photo_is_served_to_its_owner_only(alice: User, charlie: User) -> None:
    import_file(owner=alice, data=(FIXTURES / "vcard40.vcf").read_bytes())
    person = Person.objects.get(owner=alice)
    response = signed_in(alice).get(f"/people/{person.uuid}/photo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == bytes(person.photo.data)
    assert signed_in(charlie).get(f"/people/{person.uuid}/photo").status_code == 404
    plain = Person.objects.create(owner=alice, full_name="No Photo")
    assert signed_in(alice).get(f"/people/{plain.uuid}/photo").status_code == 404
