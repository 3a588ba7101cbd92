"""Folding text: the plain-ASCII shortcut gives what the full path gives."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from circleback import text


def full_fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(text._UNDECOMPOSABLE))
    return text._COMBINING.sub("", decomposed).casefold()


@given(st.text(alphabet=string.printable))
def test_ascii_text_folds_as_the_full_path_folds_it(value: str) -> None:
    assert text.fold(value) == full_fold(value)


def test_accents_and_other_letters_still_fold() -> None:
    assert text.fold("Chloé Søren ŁUKASZ Straße") == "chloe soren lukasz strasse"
