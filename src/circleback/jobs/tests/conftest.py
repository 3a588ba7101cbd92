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
    """Ada, who knows Dana at Hooli: Alice's way in."""
    return make_person(alice, "Ada Quill", organisation="Initech", title="Engineer", closeness=4)


@pytest.fixture
def dana(alice: Any, make_person: Any) -> Any:
    return make_person(
        alice, "Dana Hale", organisation="Hooli", title="Head of Data", is_decision_maker=True
    )


@pytest.fixture
def tie(alice: Any, ada: Any, dana: Any) -> Any:
    from circleback.people.services.ties import tie_set

    return tie_set(owner=alice, person=ada, other=dana, kind="former_colleague", strength=4)
