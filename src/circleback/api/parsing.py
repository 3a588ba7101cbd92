"""The API's JSON parser: JSON only (415 otherwise), and no text a database can't store."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from circleback.api.problems import UNKNOWN_FIELD, Problem


def _bad_text(value: str) -> str | None:
    if "\x00" in value:
        return "must not contain the NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def check_text(value: Any, where: str, path: str = "") -> None:
    """Refuse NUL characters and lone surrogates anywhere in `value` (PostgreSQL can't store
    them, and the same input must mean the same on SQLite), naming the field."""
    if isinstance(value, str):
        message = _bad_text(value)
        if message:
            raise Problem(
                422,
                "Some of what was sent is not valid; nothing was saved.",
                errors=[{"field": path or None, "location": where, "message": message}],
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(str(key), where, path)
            check_text(item, where, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_text(item, where, f"{path}.{i}" if path else str(i))


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise Problem(
                415,
                "Send the body as JSON, with Content-Type: application/json.",
                errors=[
                    {
                        "field": "Content-Type",
                        "location": "header",
                        "message": f"{content_type or 'nothing'} is not application/json",
                    }
                ],
            )
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise Problem(
                400,
                f"The body is not valid JSON ({exc}).",
                errors=[{"field": None, "location": "body", "message": str(exc)}],
            ) from None
        if not isinstance(data, dict):
            raise Problem(
                422,
                'The body must be a JSON object, e.g. {"full_name": "Ada Quill"}.',
                errors=[{"field": None, "location": "body", "message": "not a JSON object"}],
            )
        check_text(data, "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        where = "query" if data is request.GET else "body"
        check_text(result, where)
        return result


def refuse_unknown_parts(request: HttpRequest, *names: str) -> None:
    """An upload (multipart/form-data) with a part its operation doesn't take is refused, as
    an unknown key in a JSON body is (422 naming it): a mistyped `fromat` must not quietly
    mean the default."""
    unknown = sorted((set(request.POST) | set(request.FILES)) - set(names))
    if unknown:
        raise Problem(
            422,
            "Some of what was sent is not valid; nothing was saved.",
            errors=[{"field": k, "location": "body", "message": UNKNOWN_FIELD} for k in unknown],
        )
