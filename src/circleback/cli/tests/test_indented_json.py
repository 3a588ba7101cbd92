"""`indented` writes what json.dumps(indent=2) writes, whatever the value."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from circleback.cli._common import _json_default
from circleback.cli._paging import indented

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.uuids()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
        | st.tuples(inner, inner)
    ),
    max_leaves=20,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, indent=2)


@given(_VALUES)
def test_it_writes_what_json_writes(value: Any) -> None:
    assert indented(value) == _dumps(value)


def test_it_writes_a_journal_entry_as_json_does() -> None:
    entry = {
        "uuid": uuid.UUID("7ed621c9-927f-44a7-a7a7-e56d559e8b16"),
        "occurred_at": dt.datetime(2026, 12, 3, 21, 2, tzinfo=dt.UTC),
        "summary": 'Coffee with "Zoë"\nabout the role',
        "people": [{"uuid": "a", "full_name": "Zoë Ng"}],
        "organization": None,
        "notes": "",
        "tags": [],
    }
    assert indented(entry, "\n  ") == _dumps(entry).replace("\n", "\n  ")
    assert '"summary": "Coffee with \\"Zoë\\"\\nabout the role"' in indented(entry)
