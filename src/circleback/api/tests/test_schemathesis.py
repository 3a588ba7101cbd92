"""schemathesis, a tool none of us wrote, fuzzes the live API: a real `circleback serve`
process, every operation of /api/v1/openapi.json, examples, boundary (coverage) cases both
valid and invalid, random fuzzing, and stateful sequences it links from the responses.

Every check runs except `positive_data_acceptance`: the schema says what JSON is well-formed,
while the services refuse more than a schema can say (an email address that is not one, a
second organisation of the same name), answering 422 with the field at fault — correctly.
Revoking a token is left out: the fuzzer would revoke its own and test nothing after it
(test_tokens and the outsider tests cover revoking).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from circleback.api.tests.live import live_server

# Bounded so the whole run takes a minute or two on the 2-core machine.
MAX_EXAMPLES = "3"


def _seed(server: Any, token: str) -> None:
    """A little network, so that operations on existing records have records to find."""
    status, _, ada = server.request(
        "POST",
        "/api/v1/people",
        token,
        {"full_name": "Ada Quill", "organization": "Hooli", "emails": ["ada@example.org"]},
    )
    assert status == 201, ada
    status, _, bart = server.request(
        "POST", "/api/v1/people", token, {"full_name": "Bart Nguyen", "list": "A"}
    )
    assert status == 201, bart
    status, _, tie = server.request(
        "POST", "/api/v1/ties", token, {"person": ada["uuid"], "other": bart["uuid"]}
    )
    assert status == 200, tie


# Once, on the stricter database: PostgreSQL refuses what SQLite stores (a NUL character in
# text, for one), so a fuzzed request that slips past validation can fail only there.
@pytest.mark.only_on("postgresql", reason="the fuzzer finds more on the stricter database")
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    tmp_path: Path,
) -> None:
    with live_server(tmp_path, CIRCLEBACK_API_RATE_PER_MINUTE="1000000") as server:
        token = server.token("alice", "fuzz")
        _seed(server, token)
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                server.base + "/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                "20261203",
                "--workers",
                "2",
                "--exclude-path-regex",
                "^/api/v1/tokens/",
                "--request-timeout",
                "120",
                "--no-color",
                "--suppress-health-check",
                "all",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**server.env, "SCHEMATHESIS_HOOKS": ""},
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
    assert "No issues found" in result.stdout or "passed" in result.stdout, result.stdout
