"""Pictures in imported files: recognised by their bytes, never by what the file claims."""

from __future__ import annotations

MAX_PHOTO_BYTES = 5 * 1024 * 1024


def image_type(data: bytes) -> str:
    """The content type of a JPEG, PNG, GIF or WebP image, or "" for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""
