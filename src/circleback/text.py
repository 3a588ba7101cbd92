"""Small text helpers shared by search, dedupe and import: folding and normalising."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")
_WORD = re.compile(r"\w+", re.UNICODE)
# Legal-form suffixes that don't make two organisations different ("Hooli, Inc." is "Hooli").
_ORG_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "sarl",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "spa",
    "srl",
    "pty",
    "pte",
    "lp",
    "llp",
    "kk",
    "the",
}


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Chloé" and "chloe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return _COMBINING.sub("", decomposed).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def normalize_org_name(name: str) -> str:
    """A key under which spellings of one organisation's name coincide.

    "Hooli, Inc.", "HOOLI inc" and "Hooli" all give "hooli"; "The Hooli Company" too.
    A name made only of suffixes keeps its words, so "The Company" stays distinct.
    """
    tokens = words(name.replace("&", " and "))
    kept = [t for t in tokens if t not in _ORG_SUFFIXES]
    return " ".join(kept or tokens)


def split_full_name(full_name: str) -> tuple[str, str]:
    """A best guess at (given, family) from a full name: the last word is the family name."""
    parts = full_name.split()
    if len(parts) <= 1:
        return (parts[0] if parts else "", "")
    return (" ".join(parts[:-1]), parts[-1])
