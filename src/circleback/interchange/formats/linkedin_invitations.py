"""LinkedIn's Invitations.csv: each invitation sent or received becomes a journal entry.

Header: `From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl`.
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

NAME = "linkedin-invitations"
EXPECTED = "LinkedIn's Invitations.csv (a header with From, To, Sent At, Direction)"


def header_line(text: str) -> int | None:
    for number, values in enumerate(first_records(text, 4)):
        keys = {header_key(v) for v in values}
        if {"from", "to", "sent at", "direction"} <= keys:
            return number
    return None


def sniff(text: str) -> bool:
    return header_line(text) is not None


def parse(data: bytes) -> ParseResult:
    text = decode(data, EXPECTED)
    header = header_line(text)
    if header is None:
        raise InterchangeError(f"This is not a LinkedIn invitations file; expected {EXPECTED}.")
    result = ParseResult()
    for row in csv_rows(text, header):
        if row.blank():
            continue
        where = row.where
        try:
            when = parse_datetime(row.get("sent at"))
        except ValueError:
            result.skipped.append(
                Skipped(where, f"{row.get('sent at')!r} is not a date and time (Sent At)")
            )
            continue
        sender, recipient = clean_name(row.get("from")), clean_name(row.get("to"))
        outgoing = row.get("direction").upper() == "OUTGOING"
        other, other_url = (
            (recipient, row.get("inviteeprofileurl"))
            if outgoing
            else (sender, row.get("inviterprofileurl"))
        )
        summary = (
            f"LinkedIn invitation sent to {other}"
            if outgoing
            else f"LinkedIn invitation from {other}"
        )
        key_source = "\x1f".join([row.get("sent at"), sender, recipient])
        result.interactions.append(
            InteractionRecord(
                where=where,
                occurred_at=when,
                summary=summary[:300],
                kind="social",
                direction="outgoing" if outgoing else "incoming",
                notes=row.get("message"),
                source="linkedin",
                external_key="linkedin-inv:" + hashlib.sha1(key_source.encode()).hexdigest(),
                participants=[(other_url, other)] if other_url or other else [],
            )
        )
    return result
