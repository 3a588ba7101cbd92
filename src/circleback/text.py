"""Small text helpers shared by search, dedupe and import: folding and normalising."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# The most any free text (notes, how we met, what you learned …) may hold: a long letter's worth.
# Set once on the models, so every way in (forms, CLI, imports, restore, API) refuses the same.
MAX_TEXT = 50_000

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


# Letters that carry no combining accent to strip, so NFKD leaves them as they are.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "\u0131": "i", "ħ": "h",
        "Ħ": "H", "ŧ": "t", "Ŧ": "T",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Chloé" and "chloe", "Søren" and "soren",
    "Łukasz" and "lukasz" compare equal."""
    if text.isascii():
        # Nothing to decompose, translate or strip: what the rest would give, ten times faster
        # (an import folds every name, title and organisation it reads).
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return _COMBINING.sub("", decomposed).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


# The longest key: the column that keeps it (Organisation.normalized_name; a test holds the
# two equal). Folding can lengthen a name: "&" is " and ", a ligature such as "ﷺ" is 18
# letters, so a 200-character name's key was up to 3,600: refused as "normalized_name", a
# field nobody sends, or, written in bulk without that check, too long for PostgreSQL's column
# while SQLite kept it whole. Names whose keys agree that far are one organisation.
ORG_KEY_LENGTH = 200


def normalize_org_name(name: str) -> str:
    """A key under which spellings of one organisation's name coincide.

    "Hooli, Inc.", "HOOLI inc" and "Hooli" all give "hooli"; "The Hooli Company" too.
    A name made only of suffixes keeps its words, so "The Company" stays distinct.
    """
    tokens = words(name.replace("&", " and "))
    kept = [t for t in tokens if t not in _ORG_SUFFIXES]
    return " ".join(kept or tokens)[:ORG_KEY_LENGTH].rstrip()


def split_full_name(full_name: str) -> tuple[str, str]:
    """A best guess at (given, family) from a full name: the last word is the family name."""
    parts = full_name.split()
    if len(parts) <= 1:
        return (parts[0] if parts else "", "")
    return (" ".join(parts[:-1]), parts[-1])


def full_stop(text: str) -> str:
    """End a sentence on `text` with one full stop: "Cobalt Inc." never becomes "Cobalt Inc.."."""
    text = str(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def in_words(items: list[str]) -> str:
    """A list as a sentence names it: "Ada", "Ada and Bart", "Ada, Bart and Chloé"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def since_words(moment: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> str:
    """When something happened, as a person would say it after "last spoke": "today",
    "yesterday", "3 days ago", "2 weeks ago", "in March 2024" — never "0 minutes ago"."""
    then = moment.astimezone(zone).date()
    today = now.astimezone(zone).date()
    days = (today - then).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if then.year == today.year:
        return f"in {then:%B}"
    return f"in {then:%B %Y}"


# Words in a job title that name the field someone works in, so two people whose records carry
# no tags yet (a fresh LinkedIn import) can still be seen to share an interest. Kept to fields
# that two people meeting would recognise as theirs; seniority words ("senior", "head") never
# count.
_FIELDS: dict[str, str] = {
    "data": "data",
    "analytics": "data",
    "analyst": "data",
    "scientist": "research",
    "research": "research",
    "researcher": "research",
    "software": "software",
    "developer": "software",
    "engineer": "engineering",
    "engineering": "engineering",
    "product": "product management",
    "design": "design",
    "designer": "design",
    "ux": "design",
    "marketing": "marketing",
    "brand": "marketing",
    "sales": "sales",
    "account": "sales",
    "finance": "finance",
    "financial": "finance",
    "accountant": "finance",
    "recruiter": "recruiting",
    "recruiting": "recruiting",
    "talent": "recruiting",
    "hr": "people and HR",
    "operations": "operations",
    "legal": "law",
    "lawyer": "law",
    "counsel": "law",
    "teacher": "education",
    "professor": "education",
    "lecturer": "education",
    "nurse": "health care",
    "physician": "health care",
    "consultant": "consulting",
    "consulting": "consulting",
    "security": "security",
    "journalist": "journalism",
    "editor": "publishing",
    "writer": "writing",
}


def fields_of_work(title: str) -> set[str]:
    """The fields a job title names: "Senior Data Engineer" → {"data", "engineering"}."""
    return {_FIELDS[word] for word in words(title) if word in _FIELDS}


def role_words(title: str, organisation: str) -> str:
    """A role as people say it: "Head of Product at Acme", or either alone."""
    return " at ".join(filter(None, [title, organisation]))
