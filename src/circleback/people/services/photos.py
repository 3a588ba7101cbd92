"""A person's photo: set from an upload (validated on the model), or removed."""

from __future__ import annotations

from django.db import transaction

from circleback.people.models import Person, Photo, image_type


@transaction.atomic
def person_photo_set(*, person: Person, data: bytes) -> Photo:
    """Give `person` this picture (a JPEG, PNG, GIF or WebP of at most 5 MB), replacing any
    they had. Its type is read from its bytes, never taken from what the sender claims."""
    photo = Photo.objects.filter(person=person).first() or Photo(person=person)
    photo.data = data
    photo.content_type = image_type(bytes(data))
    # The type follows from the bytes: only they can be wrong, and the message says how.
    photo.full_clean(exclude=["person", "content_type"])
    photo.save()
    return photo


@transaction.atomic
def person_photo_remove(*, person: Person) -> bool:
    """Remove `person`'s picture; False when they had none."""
    deleted, _ = Photo.objects.filter(person=person).delete()
    return deleted > 0
