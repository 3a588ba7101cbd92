"""/api/v1 import (upload → the same preview → confirm → progress) and export (the full
backup, vCard or CSV), through the import and export services the settings pages use."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from pydantic import StrictBool

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, check_if_match, etag_of, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.parsing import refuse_unknown_parts
from circleback.api.problems import Problem
from circleback.api.schemas import IfMatch, RequestBody, Text
from circleback.interchange import background
from circleback.interchange.duplicates import duplicate_keep_apart, duplicates_with_reasons
from circleback.interchange.exports import EXPORTERS, export_stream
from circleback.interchange.formats import FORMAT_NAMES
from circleback.interchange.models import ImportUpload, PossibleDuplicate
from circleback.interchange.queries import get_pair_for
from circleback.interchange.records import InterchangeError, max_import_bytes
from circleback.interchange.uploads import upload_confirm, upload_preview
from circleback.operations.merge import person_merge
from circleback.people.api.people import person_out

router = Router(tags=["import and export"])

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    FormatName = str
else:
    # A job tracker's applications too (never found by "auto": its rows aren't people).
    FormatName = Literal[(*FORMAT_NAMES, "job-tracker-csv")]


class ProgressOut(Schema):
    stage: str
    label: str
    step: int
    steps: int
    done: int
    total: int
    percent: int


class ImportOut(Schema):
    uuid: UUID
    filename: str
    format: str
    status: Literal["previewed", "importing", "imported"] = Field(
        description="previewed: waiting for your confirmation."
    )
    report: dict[str, Any] = Field(
        description=(
            "The preview (a dry run), then what the import did: the same report as the "
            "import page and `circleback import --json` — format, created, merged, unchanged, "
            "skipped (where, reason, broken), possible_duplicates, role_changes (where, "
            "person, before, after: people already here the file shows in a new role), "
            "organisations_created, …"
        ),
        examples=[{"format": "vcard", "dry_run": True, "created": 1, "merged": 0, "skipped": []}],
    )
    error: str
    progress: ProgressOut | None
    created_at: dt.datetime


def _import_out(upload: ImportUpload) -> dict[str, Any]:
    progress = background.progress_of(upload)
    return {
        "uuid": upload.uuid,
        "filename": upload.filename,
        "format": upload.format,
        "status": upload.status,
        "report": upload.report or {},
        "error": upload.error,
        "progress": (
            {
                "stage": progress.stage,
                "label": progress.label,
                "step": progress.step,
                "steps": progress.steps,
                "done": progress.done,
                "total": progress.total,
                "percent": progress.percent,
            }
            if progress
            else None
        ),
        "created_at": upload.created_at,
    }


def _upload(owner: Any, upload_uuid: UUID) -> ImportUpload:
    upload = ImportUpload.objects.filter(owner=owner, uuid=upload_uuid).first()
    if upload is None:
        raise Http404("No such import.")
    return upload


@router.get("/imports", response=page_of(ImportOut), summary="Your imports, newest first")
def list_imports(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    uploads = ImportUpload.objects.filter(owner=owner_of(request))
    return paginate(
        request,
        uploads,
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_import_out(u) for u in rows],
    )


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="Upload a file: nothing is written until you confirm its preview",
)
@decorate_view(idempotent)
def upload_file(
    request: HttpRequest,
    response: HttpResponse,
    file: UploadedFile = File(
        ...,
        description="LinkedIn, vCard, Google/Outlook CSV or backup; or, with format "
        "job-tracker-csv, a job tracker's applications.",
    ),
    format: FormatName = Form("auto"),
    list: Literal["", "A", "B", "C"] = Form("", description="Put new people on this list."),
    tags: Text(200) = Form("", description="Tags for everyone imported, comma-separated."),  # type: ignore[valid-type]
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    refuse_unknown_parts(request, "file", "format", "list", "tags")
    # A whole-account backup may be bigger than other files (as on the web page and the CLI).
    limit = max_import_bytes(next(file.chunks(4096), b""))
    file.seek(0)
    if file.size is not None and file.size > limit:
        most = limit // 1024 // 1024
        raise Problem(
            413,
            f"This file is {file.size / 1024 / 1024:.0f} MB; imports are at most {most} MB.",
            errors=[{"field": "file", "location": "body", "message": f"larger than {most} MB"}],
        )
    try:
        upload = upload_preview(
            owner=owner_of(request),
            filename=file.name or "upload",
            data=file,  # read from where the server spooled it, a buffer at a time
            format=format,
            contact_list=list,
            tags=[t.strip() for t in tags.split(",") if t.strip()],
        )
    except InterchangeError as exc:
        raise ValidationError({"file": str(exc)}) from None
    response["Location"] = f"{request.path.rstrip('/')}/{upload.uuid}"
    return Status(201, _import_out(upload))


@router.get(
    "/imports/{uuid:upload_uuid}",
    response=ImportOut,
    summary="An import: its preview, then its progress and result",
)
def get_import(request: HttpRequest, upload_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _import_out(_upload(owner_of(request), upload_uuid)))


class ConfirmIn(RequestBody):
    skip_bad: StrictBool = Field(
        False, description="Import the readable records, skip broken ones."
    )


@router.post(
    "/imports/{uuid:upload_uuid}/confirm",
    response={200: ImportOut, 202: ImportOut},
    summary="Confirm an import: done at once (200), or in the background (202: poll it)",
)
def confirm_import(
    request: HttpRequest, upload_uuid: UUID, payload: ConfirmIn, if_match: str | None = IfMatch
) -> Any:
    """`If-Match`, if sent, names the import's ETag (GET /imports/{id}): confirm only the
    preview you read. A second confirm is refused (409) whatever it sends."""
    upload = _upload(owner_of(request), upload_uuid)
    check_if_match(request, _import_out(upload))
    if not upload_confirm(upload=upload, skip_bad=payload.skip_bad):
        raise Problem(409, "This file has already been imported (or is importing now).")
    upload.refresh_from_db()
    status = 202 if upload.status == ImportUpload.Status.IMPORTING else 200
    return Status(status, _import_out(upload))


_EXTENSIONS = {"json": "json", "vcard": "vcf", "csv": "csv"}


@router.get(
    "/export",
    summary="Export everything: the full JSON backup (import it to restore), vCard or CSV",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The export, streamed as it is read.",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/vcard": {"schema": {"type": "string"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def export(
    request: HttpRequest,
    format: Literal["json", "vcard", "csv"] = "json",
    vcard_version: Literal["3.0", "4.0"] = "4.0",
) -> StreamingHttpResponse:
    pieces = export_stream(owner=owner_of(request), format=format, vcard_version=vcard_version)
    response = StreamingHttpResponse(pieces, content_type=f"{EXPORTERS[format]}; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="circleback-{stamp}.{_EXTENSIONS[format]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- possible duplicates ------------------------------------------------------------------


class PairPerson(Schema):
    uuid: UUID
    full_name: str
    title: str
    organization: str | None


class DuplicateOut(Schema):
    uuid: UUID
    person_a: PairPerson
    person_b: PairPerson
    reason: str = Field(
        description="What the two really share now (a phone, a similar name at one employer…)."
    )


def _pair_person(person: Any) -> dict[str, Any]:
    return {
        "uuid": person.uuid,
        "full_name": person.full_name,
        "title": person.title,
        "organization": person.organisation.name if person.organisation_id else None,
    }


def _pairs_out(pairs: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "uuid": pair.uuid,
            "person_a": _pair_person(pair.person_a),
            "person_b": _pair_person(pair.person_b),
            "reason": pair.shown_reason,  # type: ignore[attr-defined]
        }
        for pair in duplicates_with_reasons(pairs)
    ]


@router.get(
    "/duplicates",
    response=page_of(DuplicateOut),
    tags=["duplicates"],
    summary="Possible duplicates to review, with what each pair really shares",
)
def list_duplicates(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    pairs = (
        PossibleDuplicate.objects.filter(owner=owner_of(request), status="open")
        .select_related("person_a__organisation", "person_b__organisation")
        .annotate(name_key=F("person_a__full_name"))
    )
    return paginate(
        request,
        pairs,
        order=[("name_key", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=_pairs_out,
    )


def _pair(owner: Any, pair_uuid: UUID) -> PossibleDuplicate:
    return get_pair_for(owner, str(pair_uuid))


class DuplicateMergeIn(RequestBody):
    keep: Literal["a", "b"] = Field(
        "a", description="Which of the two to keep; the other is folded into it."
    )


class KeptOut(Schema):
    kept: PairPerson


def _pair_shown(owner: Any, pair: PossibleDuplicate) -> dict[str, Any]:
    """What a merge acts on, for its ETag: the pair and both people as GET /people/{id}
    shows them, so a change to either person since the pair was read makes it stale."""
    return {
        "pair": _pairs_out([pair])[0],
        "person_a": person_out(owner, pair.person_a.uuid),
        "person_b": person_out(owner, pair.person_b.uuid),
    }


def _pair_read(owner: Any, pair_uuid: UUID) -> PossibleDuplicate:
    pair = _pair(owner, pair_uuid)
    return PossibleDuplicate.objects.select_related(
        "person_a__organisation", "person_b__organisation"
    ).get(pk=pair.pk)


@router.get(
    "/duplicates/{uuid:pair_uuid}",
    response=DuplicateOut,
    tags=["duplicates"],
    summary="A possible duplicate, with the ETag a merge's If-Match names",
)
def get_duplicate(request: HttpRequest, pair_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    pair = _pair_read(owner, pair_uuid)
    response["ETag"] = etag_of(_pair_shown(owner, pair))
    return _pairs_out([pair])[0]


@router.post(
    "/duplicates/{uuid:pair_uuid}/merge",
    response=KeptOut,
    tags=["duplicates"],
    summary="They are one person: merge them (nothing of either is lost)",
)
def merge_duplicate(
    request: HttpRequest,
    pair_uuid: UUID,
    payload: DuplicateMergeIn,
    if_match: str | None = Header(
        None,
        alias="If-Match",
        description=("The pair's ETag (GET /duplicates/{id}): 412 if either person changed since."),
    ),
) -> Any:
    """For choosing field by field which value wins, use POST /people/{id}/merge."""
    owner = owner_of(request)

    def change(_locked: PossibleDuplicate) -> Any:
        pair = _pair_read(owner, pair_uuid)
        keep, other = (
            (pair.person_b, pair.person_a)
            if payload.keep == "b"
            else (pair.person_a, pair.person_b)
        )
        return person_merge(keep=keep, other=other)

    return change_guarded(
        request,
        fetch=lambda: _pair_read(owner, pair_uuid),
        show=lambda pair: _pair_shown(owner, pair),
        change=change,
        answer=lambda kept: {"kept": _pair_person(kept)},
    )


class KeptApartOut(Schema):
    uuid: UUID
    status: Literal["kept_apart"]


@router.post(
    "/duplicates/{uuid:pair_uuid}/keep-apart",
    response=KeptApartOut,
    tags=["duplicates"],
    summary="They are two people: keep them apart (they won't be proposed again)",
)
def keep_apart(request: HttpRequest, pair_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the pair's ETag (GET /duplicates/{id}), as a merge's does."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _pair_read(owner, pair_uuid),
        show=lambda pair: _pair_shown(owner, pair),
        change=lambda pair: duplicate_keep_apart(pair=pair),
        answer=lambda pair: {"uuid": pair.uuid, "status": pair.status},
    )
