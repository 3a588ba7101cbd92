"""/api/v1/people/{id}/photo: a person's picture — read, set from an upload, removed."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, etag_of
from circleback.api.parsing import refuse_unknown_parts
from circleback.api.problems import Problem
from circleback.api.schemas import IfMatch
from circleback.people import queries
from circleback.people.models import MAX_PHOTO_BYTES, PHOTO_TYPES, Person, Photo, image_type
from circleback.people.services import photos as photos_services

router = Router(tags=["people"])


class PhotoOut(Schema):
    person: UUID
    content_type: str | None
    size: int
    sha256: str | None


def _photo_out(person: Person) -> dict[str, Any]:
    """What the photo is, without its bytes; its ETag is the photo's ETag."""
    row = Photo.objects.filter(person=person).values_list("data", flat=True).first()
    data = bytes(row) if row is not None else b""
    return {
        "person": str(person.uuid),
        "content_type": image_type(data) or None if row is not None else None,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest() if row else None,
    }


@router.get(
    "/people/{uuid:person_uuid}/photo",
    summary="A person's photo, as an image",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The picture; its type is read from its bytes.",
                "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in PHOTO_TYPES
                },
            }
        }
    },
)
def person_photo(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    person = queries.get_person_for(owner_of(request), person_uuid)
    picture = Photo.objects.filter(person=person).first()
    data = bytes(picture.data) if picture is not None else b""
    kind = image_type(data)  # never what was stored beside it: what the bytes are
    if not kind:
        raise Http404("This person has no photo.")
    response = HttpResponse(data, content_type=kind)
    response["ETag"] = etag_of(_photo_out(person))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/people/{uuid:person_uuid}/photo",
    response=PhotoOut,
    summary="Set a person's photo (a JPEG, PNG, GIF or WebP of at most 5 MB)",
)
def set_photo(
    request: HttpRequest,
    person_uuid: UUID,
    response: HttpResponse,
    file: UploadedFile = File(..., description="The picture, as multipart/form-data."),
    if_match: str | None = IfMatch,
) -> Any:
    """Replaces the photo they had. Send `If-Match` with the photo's ETag (from GET or from
    this answer) to replace only the picture you saw."""
    refuse_unknown_parts(request, "file")
    if file.size is not None and file.size > MAX_PHOTO_BYTES:
        raise Problem(
            413,
            f"This picture is {file.size / 1024 / 1024:.1f} MB; a photo may be at most 5 MB.",
            errors=[{"field": "file", "location": "body", "message": "larger than 5 MB"}],
        )
    data = file.read(MAX_PHOTO_BYTES + 1)
    owner = owner_of(request)

    def change(person: Person) -> Photo:
        try:
            return photos_services.person_photo_set(person=person, data=data)
        except ValidationError as exc:  # the model names its column; the client sent `file`
            raise ValidationError({"file": exc.messages}) from None

    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=_photo_out,
        change=change,
        response=response,
    )


@router.delete(
    "/people/{uuid:person_uuid}/photo", response=PhotoOut, summary="Remove a person's photo"
)
def remove_photo(
    request: HttpRequest, person_uuid: UUID, response: HttpResponse, if_match: str | None = IfMatch
) -> Any:
    """Removing a photo they don't have changes nothing and answers the same."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=_photo_out,
        change=lambda person: photos_services.person_photo_remove(person=person),
        response=response,
    )
