"""Import, duplicate review, export download and photos. Thin: each calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circleback.interchange import background
from circleback.interchange.applications import FORMAT as APPLICATIONS
from circleback.interchange.duplicates import duplicate_keep_apart, duplicates_with_reasons
from circleback.interchange.exports import EXPORTERS, export_stream
from circleback.interchange.formats import described
from circleback.interchange.formats.circleback_json import restored_summary
from circleback.interchange.forms import ApplicationsUploadForm, ConfirmForm, UploadForm
from circleback.interchange.models import ImportUpload
from circleback.interchange.queries import (
    duplicates_open,
    duplicates_open_count,
    get_pair_for,
    get_upload_for,
    imports_recent,
)
from circleback.interchange.records import InterchangeError
from circleback.interchange.uploads import upload_confirm, upload_preview
from circleback.operations.merge import person_merge
from circleback.people.contact import image_type
from circleback.people.models import Photo
from circleback.people.queries import get_person_for
from circleback.web.helpers import refusal_as_message, request_owner

_EXTENSIONS = {"json": "json", "vcard": "vcf", "csv": "csv"}


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = upload_preview(
                owner=owner,
                filename=upload.name,
                data=upload,  # read from where the server spooled it, a buffer at a time
                format=form.cleaned_data["format"],
                contact_list=form.cleaned_data["contact_list"],
                tags=form.tag_list(),
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error("tags" if "tag" in error.lower() else None, error)
        except InterchangeError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("interchange:import_detail", upload_uuid=pending.uuid)
    recent = imports_recent(owner=owner)
    open_duplicates = duplicates_open_count(owner=owner)
    return render(
        request,
        "interchange/import.html",
        {"form": form, "recent": recent, "open_duplicates": open_duplicates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_applications(request: HttpRequest) -> HttpResponse:
    """A job tracker's applications: the same upload, preview and confirmation as contacts."""
    owner = request_owner(request)
    form = ApplicationsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = upload_preview(
                owner=owner, filename=upload.name, data=upload, format=APPLICATIONS
            )
        except InterchangeError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("interchange:import_detail", upload_uuid=pending.uuid)
    recent = imports_recent(owner=owner, format=APPLICATIONS)
    return render(request, "interchange/import_applications.html", {"form": form, "recent": recent})


@login_required
@require_GET
def import_detail(request: HttpRequest, upload_uuid: str) -> HttpResponse:
    upload = get_upload_for(request_owner(request), upload_uuid)
    progress = background.progress_of(upload)
    waiting = progress is not None and background.waiting_for_worker(upload)
    report = upload.report
    broken = [s for s in report.get("skipped", []) if s.get("broken")]
    restored = report.get("restored", {})
    return render(
        request,
        "interchange/import_detail.html",
        {
            "upload": upload,
            "report": report,
            "broken": broken,
            "others": [s for s in report.get("skipped", []) if not s.get("broken")],
            "form": ConfirmForm(),
            "took_s": upload.took_ms / 1000,
            "progress": progress,
            "restored": restored_summary(restored),
            "changes": _changes(report),
            "waiting": waiting,
            "described": described(report.get("format", "")),
            "applications": upload.format == APPLICATIONS,
        },
    )


def _changes(report: dict[str, Any]) -> int:
    """How many things an import would add or change (0: the file is already in)."""
    return (
        sum(
            report.get(key, 0)
            for key in ("created", "merged", "organisations_created", "interactions_created")
        )
        + report.get("ties_created", 0)
        + sum(report.get("restored", {}).values())
    )


def _imported_message(filename: str, report: dict[str, Any]) -> str:
    """What an import did, from the report it recorded on its upload."""
    if not _changes(report):
        return f"Imported {filename}: everything in it was already here, so nothing changed."
    if report.get("format") == APPLICATIONS:
        created = report["created"]
        return f"Imported {filename}: {created} new application{'s' if created != 1 else ''}" + (
            f", {report['unchanged']} already here." if report["unchanged"] else "."
        )
    people = "person" if report["created"] == 1 else "people"
    parts = [f"{report['created']} new {people}", f"{report['merged']} merged"]
    if report["unchanged"]:
        parts.append(f"{report['unchanged']} already up to date")
    also = restored_summary(report.get("restored", {}))
    return f"Imported {filename}: {', '.join(parts)}" + (f"; also {also}." if also else ".")


@login_required
@require_GET
def import_status(request: HttpRequest, upload_uuid: str) -> JsonResponse:
    """How far a background import has got, for the page to poll."""
    upload = get_upload_for(request_owner(request), upload_uuid)
    progress = background.progress_of(upload)
    return JsonResponse(
        {
            "status": upload.status,
            "stage": progress.stage if progress else "",
            "label": progress.label if progress else "",
            "step": progress.step if progress else 0,
            "steps": progress.steps if progress else 0,
            "done": progress.done if progress else 0,
            "total": progress.total if progress else 0,
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, upload_uuid: str) -> HttpResponse:
    upload = get_upload_for(request_owner(request), upload_uuid)
    form = ConfirmForm(request.POST)
    skip_bad = form.is_valid() and form.cleaned_data["skip_bad"]
    if not upload_confirm(upload=upload, skip_bad=skip_bad):
        messages.info(request, "This file has already been imported.")
        return redirect("interchange:import_detail", upload_uuid=upload.uuid)
    upload.refresh_from_db()
    if upload.status != ImportUpload.Status.IMPORTED:  # in the background, or it failed
        return redirect("interchange:import_detail", upload_uuid=upload.uuid)
    messages.success(request, _imported_message(upload.filename, upload.report))
    return redirect("interchange:import_detail", upload_uuid=upload.uuid)


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = duplicates_with_reasons(list(duplicates_open(owner=request_owner(request))))
    return render(request, "interchange/duplicates.html", {"pairs": pairs})


@login_required
@require_POST
def duplicate_resolve(request: HttpRequest, pair_uuid: str) -> HttpResponse:
    pair = get_pair_for(request_owner(request), pair_uuid)
    action = request.POST.get("action")
    if action == "merge":
        keep_b = request.POST.get("keep") == "b"
        keep, other = (pair.person_b, pair.person_a) if keep_b else (pair.person_a, pair.person_b)
        with refusal_as_message(request):
            person_merge(keep=keep, other=other)
            messages.success(request, f"Merged into {keep.full_name}; nothing was lost.")
    elif action == "apart":
        duplicate_keep_apart(pair=pair)
        messages.success(
            request,
            f"{pair.person_a.full_name} and {pair.person_b.full_name} are kept apart; "
            "they won't be proposed again.",
        )
    else:
        messages.error(request, "Choose to merge them or to keep them apart.")
    return redirect("interchange:duplicates")


@login_required
@require_GET
def export_download(request: HttpRequest, format: str) -> StreamingHttpResponse:
    if format not in EXPORTERS:
        raise Http404("No such export format.")
    version = "3.0" if request.GET.get("version") == "3.0" else "4.0"
    # Streamed as it is read: a large network's backup never sits whole in the app's memory.
    pieces = export_stream(owner=request_owner(request), format=format, vcard_version=version)
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(pieces, content_type=f"{EXPORTERS[format]}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="circleback-{stamp}.{_EXTENSIONS[format]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def photo(request: HttpRequest, uuid: str) -> HttpResponse:
    """A person's picture, to their owner only; the type is checked from the bytes."""
    person = get_person_for(request_owner(request), uuid)
    picture = Photo.objects.filter(person=person).first()
    if picture is None:
        raise Http404("No photo.")
    data = bytes(picture.data)
    kind = image_type(data)
    if not kind:
        raise Http404("No photo.")
    response = HttpResponse(data, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
