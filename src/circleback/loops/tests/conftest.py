from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Any:
    """Time stands still at 10:00 UTC on Friday 20 November 2026."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ada(alice: Any, make_person: Any) -> Any:
    return make_person(alice, "Ada Quill", organisation="Hooli", title="VP Eng", tags=["fintech"])


@pytest.fixture
def bart(alice: Any, make_person: Any) -> Any:
    return make_person(alice, "Bart Nguyen", organisation="Initech")
