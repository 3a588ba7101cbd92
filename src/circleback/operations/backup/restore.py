"""Restoring a version-2 backup's sections beyond people and the journal.

Called by the import service inside the import's transaction, once the people,
organisations, ties and journal are in (so every uuid they bring is known). The backup's
own ids decide identity: a row whose uuid the account already has is left as it is (so
restoring twice changes nothing); a uuid another account holds gets a new one. A value that
can't be read (a date that isn't one, a number out of range) costs that value — the field's
default, reported — not the record; a record is only broken when it lacks what it can't
exist without (its person, say), and then it is reported by what it is, in words.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from circleback.accounts.models import User
from circleback.db import bulk
from circleback.db.bulk import update_rows
from circleback.insights.models import count_words
from circleback.interchange.models import PossibleDuplicate
from circleback.interchange.records import Skipped
from circleback.interchange.services import BrokenRecordsError, ImportReport, backup_alias
from circleback.journal.models import Interaction
from circleback.loops.models import LoopStep
from circleback.loops.services.meetings import clean_purposes
from circleback.operations.backup.groups import groups_restore
from circleback.operations.backup.sections import (
    ACCOUNT_FIELDS,
    SECTIONS,
    SETTINGS,
    Section,
    json_name,
)
from circleback.people.models import Tag
from circleback.people.services.tags import tags_get_or_create

_CHUNK = 900
# Rows of a section restored at a time: what is held of a section is one batch.
_BATCH = 2000
_MISSING = object()


class _Bad(Exception):
    """The record can't be restored at all."""


def restore_sections(importer: Any, refuse_broken: bool) -> None:
    """Restore what `importer` (interchange's, having written people and the journal)
    parsed from a version-2 backup besides them. Raises BrokenRecordsError, rolling the
    whole import back, when a record can't be restored and the import may not skip it."""
    owner: User = importer.owner
    report: ImportReport = importer.report
    sections: dict[str, Any] = importer.parsed.backup
    ids: dict[str, dict[str, int]] = {
        "people": {u: pid for u, pid in importer.uuid_to_pid.items() if pid > 0},
        "organizations": {
            record.uuid: importer.org_ids[key]
            for record in importer.parsed.organisations
            if record.uuid and (key := importer.keys.org(record.name)) in importer.org_ids
        },
        # Looked up a batch at a time, for the entries the rows being restored name.
        "interactions": {},
    }
    lost: list[Skipped] = []
    _settings(owner, sections.get("settings", {}), lost, report)
    _tags(owner, sections.get("tags", []), lost, report)
    for section in SECTIONS:
        ids[section.key] = _restore(owner, section, sections.get(section.key, []), ids, lost)
        report.restored[section.key] = ids[section.key].pop("", 0)
    report.restored["kept_apart"] = _kept_apart(owner, sections.get("kept_apart", []), ids, lost)
    report.restored["groups"] = groups_restore(owner, sections.get("groups", []), ids, lost)
    report.skipped.extend(lost)
    if refuse_broken and any(s.broken for s in lost):
        raise BrokenRecordsError(report.skipped)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _interaction_ids(owner: User, uuids: list[str]) -> dict[str, int]:
    """These journal entries of the backup by their uuid in it: their own, or (when another
    account holds that uuid) the entry the import marked with it."""
    found = {
        uuid: pk
        for uuid, (pk, owner_id) in bulk.uuid_owners(Interaction, uuids).items()
        if owner_id == owner.pk
    }
    marked = [f"backup:{u}" for u in uuids if u not in found]
    for chunk in _chunks(marked):
        found.update(
            (key.removeprefix("backup:"), pk)
            for key, pk in Interaction.objects.filter(
                owner=owner, external_key__in=chunk
            ).values_list("external_key", "pk")
        )
    return found


def _describe(error: ValidationError) -> str:
    return " ".join(m.rstrip(".") for m in error.messages)


def _value(field: models.Field[Any, Any], raw: Any) -> Any:
    """The value of one column from its JSON, checked by the model field's own rules; a
    ValidationError says what is wrong with it."""
    if raw is None:
        if not field.null:
            raise ValidationError("it can't be empty")
        return None
    if isinstance(field, models.DateTimeField):
        if not isinstance(raw, str):
            raise ValidationError("it is not a date and time")
        try:
            value: Any = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(f"{raw!r} is not a date and time") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
    elif isinstance(field, models.DateField):
        if not isinstance(raw, str):
            raise ValidationError("it is not a date")
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    elif isinstance(field, models.BooleanField):
        if not isinstance(raw, bool):
            raise ValidationError("it is not true or false")
        value = raw
    elif isinstance(field, models.IntegerField):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValidationError(f"{raw!r} is not a whole number")
        value = raw
    elif isinstance(field, models.JSONField):
        value = raw
    else:
        if not isinstance(raw, str):
            raise ValidationError(f"{raw!r} is not text")
        value = raw
    if field.max_length is not None and isinstance(value, str) and len(value) > field.max_length:
        raise ValidationError(f"it is longer than {field.max_length} characters")
    field.run_validators(value)
    if field.choices and value not in {c for c, _label in field.flatchoices}:
        raise ValidationError(f"{value!r} is not one of {', '.join(map(str, field.flatchoices))}")
    return value


def _fallback(field: models.Field[Any, Any]) -> Any:
    """What a lost value becomes, or _MISSING when the record can't be without it."""
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return None  # set on save
    if field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    return _MISSING


def _restore(
    owner: User,
    section: Section,
    items: Iterable[tuple[str, Any]],
    ids: dict[str, dict[str, int]],
    lost: list[Skipped],
) -> dict[str, int]:
    """Write the section's rows the account lacks, a batch at a time as they are read;
    their uuids in the backup -> row ids, with the count written under ""."""
    found: dict[str, int] = {}
    written = 0
    for batch in bulk.chunks(items, _BATCH):
        written += _restore_batch(owner, section, batch, ids, lost, found)
    found[""] = written
    return found


def _restore_batch(
    owner: User,
    section: Section,
    items: list[tuple[str, Any]],
    ids: dict[str, dict[str, int]],
    lost: list[Skipped],
    found: dict[str, int],
) -> int:
    model = section.model
    manager = model._default_manager
    readable: list[tuple[str, str, dict[str, Any]]] = []
    for where, item in items:
        try:
            if not isinstance(item, dict):
                raise _Bad("it is not an object")
            key = _identity(section, item, ids)
            readable.append((where, key, item))
        except _Bad as exc:
            lost.append(Skipped(where, str(exc)))
    for name, target in section.refs:
        if target == "interactions":  # the journal is big: only the entries named here
            named = [str(item.get(json_name(name))) for _w, _k, item in readable]
            ids[target].update(_interaction_ids(owner, [u for u in named if _is_uuid(u)]))
    keys = [key for _where, key, _item in readable if key not in found]
    taken: set[str] = set()
    if section.identity == "uuid":
        # A row another account held the uuid of was given an alias here (see backup_alias).
        of_alias = {backup_alias(owner.pk, k): k for k in keys}
        rows = bulk.uuid_owners(model, [*keys, *of_alias])
        for uuid, (pk, owner_id) in rows.items():
            if owner_id == owner.pk:
                found[of_alias.get(uuid, uuid)] = pk
        taken = {k for k in keys if k in rows and k not in found}
    else:
        identity = f"{section.identity}_id"
        for chunk in _chunks(keys):
            found.update(
                (str(k), pk)
                for k, pk in manager.filter(owner=owner, **{f"{identity}__in": chunk}).values_list(
                    identity, "pk"
                )
            )
    new: list[tuple[str, models.Model, Any]] = []
    seen: set[str] = set()
    for where, key, item in readable:
        if key in found or key in seen:
            continue  # already in the account: restoring again changes nothing
        try:
            row = _row(owner, section, where, item, ids, lost)
        except _Bad as exc:
            lost.append(Skipped(where, str(exc)))
            continue
        if section.identity == "uuid":
            own = backup_alias(owner.pk, key) if key in taken else key
            row.uuid = uuid_module.UUID(own)  # type: ignore[attr-defined]
        if _conflicts(owner, row):
            lost.append(
                Skipped(where, "the account already has an open step like it", broken=False)
            )
            continue
        seen.add(key)
        new.append((key, row, row.created_at))  # type: ignore[attr-defined]
    places = {key: where for where, key, _item in readable}
    _unlink_taken_one_to_ones(owner, section, new, places, lost)
    manager.bulk_create([row for _key, row, _created in new], batch_size=500)
    # created_at is set on save (auto_now_add); the backup says when each was first made.
    dated = []
    for _key, row, created in new:
        if created is not None:
            row.created_at = created  # type: ignore[attr-defined]
            dated.append(row)
    # One UPDATE by primary key executed for many rows, not bulk_update's CASE over 500 ids.
    update_rows(model, ["created_at"], [(row.pk, row.created_at) for row in dated])  # type: ignore[attr-defined]
    for key, row, _created in new:
        found[key] = row.pk
    return len(new)


def _is_uuid(value: str) -> bool:
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


def _unlink_taken_one_to_ones(
    owner: User,
    section: Section,
    new: list[tuple[str, models.Model, Any]],
    places: dict[str, str],
    lost: list[Skipped],
) -> None:
    """A one-to-one link (a meeting's journal entry) that another row of the account already
    holds is left out, reported, rather than refused by the database."""
    model = section.model
    for name, _target in section.refs:
        field = model._meta.get_field(name)
        if not (isinstance(field, models.ForeignKey) and field.unique):
            continue
        wanted = [getattr(row, f"{name}_id") for _key, row, _c in new]
        held = set(
            model._default_manager.filter(
                owner=owner, **{f"{name}_id__in": [pk for pk in wanted if pk is not None]}
            ).values_list(f"{name}_id", flat=True)
        )
        for key, row, _created in new:
            pk = getattr(row, f"{name}_id")
            if pk is None:
                continue
            if pk in held:
                setattr(row, f"{name}_id", None)
                lost.append(
                    Skipped(
                        places[key],
                        f"its {name} already belongs to another of yours; left out",
                        broken=False,
                    )
                )
            held.add(pk)


def _identity(section: Section, item: dict[str, Any], ids: dict[str, dict[str, int]]) -> str:
    if section.identity == "uuid":
        try:
            return str(uuid_module.UUID(str(item.get("uuid"))))
        except ValueError:
            raise _Bad("its uuid is missing or not a UUID") from None
    # Keyed by a person: their row id in this account.
    target = dict(section.refs)[section.identity]
    pid = ids[target].get(str(item.get(section.identity)))
    if pid is None:
        raise _Bad(f"it names a {section.identity} who is not in this backup")
    return str(pid)


def _row(
    owner: User,
    section: Section,
    where: str,
    item: dict[str, Any],
    ids: dict[str, dict[str, int]],
    lost: list[Skipped],
) -> models.Model:
    model = section.model
    values: dict[str, Any] = {}
    for name in section.fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        raw = item.get(name, _MISSING)
        if raw is _MISSING:
            fallback = _fallback(field)
            if fallback is _MISSING:
                raise _Bad(f"it has no {name}")
            values[name] = fallback
            continue
        try:
            values[name] = _value(field, raw)
            if name == "purposes":
                values[name] = clean_purposes(raw if isinstance(raw, list) else [raw])
        except ValidationError as exc:
            fallback = _fallback(field)
            if fallback is _MISSING:
                raise _Bad(f"its {name} can't be read: {_describe(exc)}") from None
            values[name] = fallback
            lost.append(Skipped(where, f"{name}: {_describe(exc)}; left out", broken=False))
    for name, target in section.refs:
        field = model._meta.get_field(name)
        assert isinstance(field, models.ForeignKey)
        raw = item.get(json_name(name))
        pk = ids[target].get(str(raw)) if raw else None
        if raw and pk is None:
            if not field.null:
                raise _Bad(f"its {name.replace('_', ' ')} is not in this backup")
            lost.append(
                Skipped(
                    where,
                    f"its {name.replace('_', ' ')} is not in this backup; left out",
                    broken=False,
                )
            )
        elif pk is None and not field.null:
            raise _Bad(f"it has no {name.replace('_', ' ')}")
        values[f"{name}_id"] = pk
    if "text" in values and hasattr(model, "word_count"):
        values["word_count"] = count_words(values["text"])
    return model(owner=owner, **values)


def _conflicts(owner: User, row: models.Model) -> bool:
    """An open "follow up on an introduction you asked for" the account already has for the
    same people: the database allows one."""
    if not isinstance(row, LoopStep) or row.kind != LoopStep.Kind.INTRO_REQUEST or row.done_at:
        return False
    return LoopStep.objects.filter(
        owner=owner,
        kind=LoopStep.Kind.INTRO_REQUEST,
        done_at__isnull=True,
        person_id=row.person_id,
        about_id=row.about_id,
    ).exists()


def _settings(
    owner: User, settings: dict[str, Any], lost: list[Skipped], report: ImportReport
) -> None:
    """The backup's settings replace the account's: restoring a backup means having its
    time zone, mode, loop timings, cadences and goals."""
    changed = []
    for name in ACCOUNT_FIELDS:
        if name not in settings:
            continue
        field = User._meta.get_field(name)
        assert isinstance(field, models.Field)
        try:
            value = _value(field, settings[name])
        except ValidationError as exc:
            lost.append(Skipped(f"setting {name}", f"{_describe(exc)}; left as it was", False))
            continue
        if getattr(owner, name) != value:
            setattr(owner, name, value)
            changed.append(name)
    if changed:
        owner.save(update_fields=changed)
    restored = len(changed)
    for key, (model, owner_field, fields) in SETTINGS.items():
        values = settings.get(key)
        if not isinstance(values, dict):
            continue
        row = model._default_manager.filter(**{owner_field: owner}).first()
        if row is None:
            row = model(**{owner_field: owner})
        dirty = row.pk is None
        for name in fields:
            if name not in values:
                continue
            field = model._meta.get_field(name)
            assert isinstance(field, models.Field)
            try:
                value = _value(field, values[name])
            except ValidationError as exc:
                lost.append(
                    Skipped(f"{key} setting {name}", f"{_describe(exc)}; left as it was", False)
                )
                continue
            if getattr(row, name) != value:
                setattr(row, name, value)
                dirty = True
        if dirty:
            row.save()
            restored += 1
    report.restored["settings"] = restored


def _tags(
    owner: User, names: list[tuple[str, Any]], lost: list[Skipped], report: ImportReport
) -> None:
    """Tags, those no one carries included."""
    good = []
    for where, name in names:
        if isinstance(name, str) and 0 < len(name.strip()) <= 60:
            good.append(name)
        else:
            lost.append(Skipped(where, f"{name!r} is not text of 1 to 60 characters", False))
    before = Tag.objects.filter(owner=owner).count()
    if good:
        tags_get_or_create(owner=owner, names=good)
    report.restored["tags"] = Tag.objects.filter(owner=owner).count() - before


def _kept_apart(
    owner: User, items: list[tuple[str, Any]], ids: dict[str, dict[str, int]], lost: list[Skipped]
) -> int:
    """Pairs the owner said are two different people stay so: never proposed again."""
    pairs: dict[tuple[int, int], str] = {}
    for where, item in items:
        a = ids["people"].get(str(item.get("person_a"))) if isinstance(item, dict) else None
        b = ids["people"].get(str(item.get("person_b"))) if isinstance(item, dict) else None
        if a is None or b is None or a == b:
            lost.append(Skipped(where, "it names people not in this backup", broken=False))
            continue
        reason = item.get("reason")
        reason = reason[:200] if isinstance(reason, str) and reason else "kept apart"
        pairs[(min(a, b), max(a, b))] = reason
    if not pairs:
        return 0
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    involved = sorted({a for a, _b in pairs})
    for chunk in _chunks(involved):
        for pk, a, b, status in PossibleDuplicate.objects.filter(
            owner=owner, person_a_id__in=chunk
        ).values_list("pk", "person_a_id", "person_b_id", "status"):
            existing[(a, b)] = (pk, status)
    reopen = [
        pk
        for pair, (pk, status) in existing.items()
        if pair in pairs and status != PossibleDuplicate.Status.KEPT_APART
    ]
    PossibleDuplicate.objects.filter(pk__in=reopen).update(
        status=PossibleDuplicate.Status.KEPT_APART
    )
    fresh = [
        PossibleDuplicate(
            owner=owner,
            person_a_id=a,
            person_b_id=b,
            reason=reason,
            status=PossibleDuplicate.Status.KEPT_APART,
        )
        for (a, b), reason in pairs.items()
        if (a, b) not in existing
    ]
    PossibleDuplicate.objects.bulk_create(fresh)
    return len(reopen) + len(fresh)
