"""LinkedIn's messages.csv: each message becomes a journal entry with the people in it.

Header today: `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,
RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER` (older exports lack the URL columns).
The sender comes first among the people, so the import service can tell whether the message
came in (the sender is in your network) or went out. Each person is found by profile URL, else
by exactly their name (2022's export has URLs that era's Connections.csv lacks). Each entry
carries an external key, so importing the same file again adds nothing.
"""

from __future__ import annotations

import hashlib

from circleback.interchange.formats._common import (
    clean_name,
    csv_rows,
    decode,
    first_records,
    header_key,
    parse_datetime,
)
from circleback.interchange.records import (
    InteractionRecord,
    InterchangeError,
    ParseResult,
    Skipped,
)

NAME = "linkedin-messages"
EXPECTED = "LinkedIn's messages.csv (a header with FROM, TO, DATE, CONTENT)"


def header_line(text: str) -> int | None:
    for number, values in enumerate(first_records(text, 4)):
        keys = {header_key(v) for v in values}
        if {"from", "to", "date", "content"} <= keys:
            return number
    return None


def sniff(text: str) -> bool:
    return header_line(text) is not None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _participants(
    sender: str, sender_urls: list[str], recipients: list[str], recipient_urls: list[str]
) -> list[tuple[str, str]]:
    """(URL, name) of each person, sender first; a URL pairs with the name in its place when
    the file gives as many of each, else each stands alone."""
    people = [(sender_urls[0] if len(sender_urls) == 1 else "", sender)]
    if len(recipient_urls) == len(recipients):
        people += zip(recipient_urls, recipients, strict=True)
    else:
        people += [(url, "") for url in recipient_urls] + [("", name) for name in recipients]
    return [(url, name) for url, name in people if url or name]


def parse(data: bytes) -> ParseResult:
    text = decode(data, EXPECTED)
    header = header_line(text)
    if header is None:
        raise InterchangeError(f"This is not a LinkedIn messages file; expected {EXPECTED}.")
    result = ParseResult()
    for row in csv_rows(text, header):
        if row.blank():
            continue
        where = row.where
        if row.get("is message draft").lower() == "yes":
            result.skipped.append(Skipped(where, "an unsent draft", False))
            continue
        try:
            when = parse_datetime(row.get("date"))
        except ValueError:
            result.skipped.append(Skipped(where, f"{row.get('date')!r} is not a date and time"))
            continue
        sender, content = clean_name(row.get("from")), row.get("content")
        subject = clean_name(row.get("subject")) or clean_name(row.get("conversation title"))
        recipients = [clean_name(n) for n in row.get("to").split(",") if n.strip()]
        teaser = clean_name(subject or content)[:120] or "(no text)"
        summary = f"LinkedIn message from {sender}: {teaser}" if sender else teaser
        key_source = "\x1f".join(
            [row.get("conversation id"), row.get("date"), sender, row.get("to"), content]
        )
        result.interactions.append(
            InteractionRecord(
                where=where,
                occurred_at=when,
                summary=summary[:300],
                kind="message",
                direction="auto",
                notes=content,
                source="linkedin",
                external_key="linkedin-msg:" + hashlib.sha1(key_source.encode()).hexdigest(),
                participants=_participants(
                    sender,
                    _split(row.get("sender profile url")),
                    recipients,
                    _split(row.get("recipient profile urls")),
                ),
            )
        )
    return result
