"""The API as a program uses it: `circleback serve` as a real process, tokens made and revoked
with the real `circleback token` commands, requests sent with urllib as curl would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from circleback.api.tests.live import live_server


@pytest.mark.django_db(transaction=True)
def test_a_script_adds_a_person_reads_them_back_and_loses_access_on_revoke(
    tmp_path: Path,
) -> None:
    with live_server(tmp_path) as server:
        token = server.token("alice", "script", "--expires", "30")
        reader = server.token("alice", "reader", "--read-only")
        listed = json.loads(server.cli("--user", "alice", "token", "list", "--json").stdout)
        assert {t["name"]: t["read_only"] for t in listed} == {"script": False, "reader": True}
        assert all(token not in json.dumps(t) for t in listed)  # never shown again

        status, headers, person = server.request(
            "POST",
            "/api/v1/people",
            token,
            {"full_name": "Ada Quill", "organization": "Hooli", "list": "C"},
            headers={"Idempotency-Key": "add-ada"},
        )
        assert status == 201 and headers["Location"].endswith(person["uuid"])
        status, _, again = server.request(
            "POST",
            "/api/v1/people",
            token,
            {"full_name": "Ada Quill", "organization": "Hooli", "list": "C"},
            headers={"Idempotency-Key": "add-ada"},
        )
        assert status == 201 and again["uuid"] == person["uuid"]
        status, _, page = server.request("GET", "/api/v1/people?list=C", reader)
        assert status == 200 and [p["full_name"] for p in page["items"]] == ["Ada Quill"]
        status, _, problem = server.request("DELETE", f"/api/v1/people/{person['uuid']}", reader)
        assert status == 403 and problem["errors"] == []

        # charlie's token finds nothing of alice's.
        other = server.token("charlie", "mine")
        status, _, problem = server.request("GET", f"/api/v1/people/{person['uuid']}", other)
        assert status == 404 and problem["title"] == "Not Found"

        revoked = server.cli("--user", "alice", "token", "revoke", "script").stdout
        assert "Revoked" in revoked
        status, headers, problem = server.request("GET", "/api/v1/people", token)
        assert status == 401 and headers["Content-Type"] == "application/problem+json"
        assert "revoked" in problem["detail"]

        status, _, docs = server.request("GET", "/api/v1/docs")
        assert status == 200 and "swagger-ui" in docs
    assert server.server.finished is not None
    assert "Traceback" not in server.server.finished.err, server.server.finished.err
