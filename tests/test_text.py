"""Folding text: the plain-ASCII shortcut gives what the full path gives."""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circleback import text
from circleback.text import in_words, since_words


def full_fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(text._UNDECOMPOSABLE))
    return text._COMBINING.sub("", decomposed).casefold()


@given(st.text(alphabet=string.printable))
def test_ascii_text_folds_as_the_full_path_folds_it(value: str) -> None:
    assert text.fold(value) == full_fold(value)


def test_accents_and_other_letters_still_fold() -> None:
    assert text.fold("Chloé Søren ŁUKASZ Straße") == "chloe soren lukasz strasse"


# --- words for people ------------------------------------------------------------------------

_LONDON = zoneinfo.ZoneInfo("Europe/London")
_NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (dt.timedelta(minutes=1), "today"),  # never "0 minutes ago"
        (dt.timedelta(days=1), "yesterday"),
        (dt.timedelta(days=5), "5 days ago"),
        (dt.timedelta(days=20), "2 weeks ago"),
        (dt.timedelta(days=100), "in August"),
        (dt.timedelta(days=700), "in January 2025"),
    ],
)
def test_since_words_reads_as_a_person_would_say_it(ago: dt.timedelta, words: str) -> None:
    assert since_words(_NOW - ago, _NOW, _LONDON) == words


def test_since_words_counts_days_in_the_users_zone() -> None:
    # 23:30 in Auckland yesterday is still "yesterday" there, though the same day in UTC.
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=auckland)
    assert since_words(dt.datetime(2026, 12, 2, 23, 30, tzinfo=auckland), now, auckland) == (
        "yesterday"
    )


def test_in_words_joins_names_as_a_sentence_does() -> None:
    assert in_words([]) == ""
    assert in_words(["Ada"]) == "Ada"
    assert in_words(["Ada", "Bart"]) == "Ada and Bart"
    assert in_words(["Ada", "Bart", "Chloé"]) == "Ada, Bart and Chloé"
