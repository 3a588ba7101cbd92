"""Write docs/api.md from the API's own OpenAPI document: `python tools/api_reference.py
[--check]`.

The list of endpoints is generated, never edited by hand, so it cannot drift from the code;
the test suite fails when the file is stale (src/circleback/api/tests/test_docs.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parent.parent / "docs" / "api.md"

INTRO = """\
# The REST API

Generated from the OpenAPI document (`/api/v1/openapi.json`) by `tools/api_reference.py`; do
not edit by hand. The document itself is the full reference — every field, status and example
— and `/api/v1/docs` shows it interactively, offline. This page is the map.

## Conventions every endpoint keeps

- **Tokens.** `Authorization: Bearer cb_…`, a personal access token from Settings → API tokens
  or `circleback token create NAME [--read-only] [--expires DAYS]`. A read-only token gets 403
  on every write; a revoked or expired one gets 401. The app's own pages may use the session
  cookie with an `X-CSRFToken` header instead.
- **Your records only.** Ids are UUIDs. Another account's record is 404, exactly as a record
  that does not exist; an id of someone else's in a request's body is a 422 on that field.
- **One error shape.** Every failure is `application/problem+json` (RFC 9457) with an `errors`
  list naming each field at fault (`field`, `location`: body, query, path or header,
  `message`). Nothing is saved when a request fails.
- **Pages.** Lists answer `{"items": [...], "next": URL or null}` in a stable order; follow
  `next` (its cursor is opaque). `limit` is 1 to 200 (default 50).
- **No lost updates.** A record you can read alone carries an `ETag`. Send it back as
  `If-Match` when you change it — with PATCH, DELETE, or an action that changes it (a
  meeting's cancel and outcome, a lead's or an introduction's advance, a merge, a photo, a
  person's cadence) — and a change someone made meanwhile is refused with 412.
- **Safe retries.** A creating request sent with an `Idempotency-Key` creates one thing
  however often it is retried (409 while the first is still being handled).
- **Links.** A response that creates a record names, in the OpenAPI document, the operation
  that reads it (`links`), so generated clients and tools can follow it.
- **Limits.** `CIRCLEBACK_API_RATE_PER_MINUTE` requests a minute per token (default 600; past
  it, 429 with `Retry-After`). Imports are at most 50 MB (a Circleback backup 512 MB),
  photos 5 MB (413 beyond).
"""


def _marks(path: str, method: str, operation: dict[str, Any]) -> str:
    params = {p["name"] for p in operation.get("parameters", [])}
    marks = []
    if "cursor" in params:
        marks.append("paged")
    if "If-Match" in params:
        marks.append("If-Match")
    if "Idempotency-Key" in params:
        marks.append("Idempotency-Key")
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        marks.append("upload")
    for response in operation.get("responses", {}).values():
        links = response.get("links", {})
        reads = [name for name in links if name.startswith("Get")]
        if reads:
            more = len(links) - len(reads)
            marks.append(f"links to {', '.join(reads)}" + (f" (+{more} more)" if more else ""))
    return ", ".join(marks)


def render() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleback.settings")
    import django

    django.setup()
    from circleback.api.root import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append((method.upper(), path, operation))
    count = sum(len(v) for v in by_tag.values())
    parts = [INTRO, f"## Endpoints ({count} operations on {len(schema['paths'])} paths)\n"]
    for tag, operations in by_tag.items():
        parts.append(f"### {tag[:1].upper()}{tag[1:]}\n")
        parts.append("| method | path | what it does | notes |")
        parts.append("| --- | --- | --- | --- |")
        for method, path, operation in operations:
            summary = operation.get("summary", "").replace("|", "\\|")
            short = path.removeprefix("/api/v1")
            parts.append(
                f"| {method} | `{short}` | {summary} | {_marks(path, method, operation)} |"
            )
        parts.append("")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run `python tools/api_reference.py`.")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
