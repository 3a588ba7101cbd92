"""The OpenAPI document is complete, and the interactive docs work with no network: a real
Chromium loads /api/v1/docs with every request off this machine made to fail."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from circleback.api.root import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")


def test_it_is_openapi_3_1_with_every_error_documented_as_a_problem() -> None:
    assert SCHEMA["openapi"].startswith("3.1")
    assert SCHEMA["components"]["securitySchemes"]
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (method, path)
            assert all(isinstance(code, str) for code in responses), (method, path)
            for code in ("401", "422", "429", "500"):
                content = responses[code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method != "get":
                assert "403" in responses, (method, path)
            if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
                assert "412" in responses
            assert operation.get("summary"), (method, path)


def test_the_document_is_served_and_has_examples(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["paths"].keys() == SCHEMA["paths"].keys()
    assert "example" in str(served["components"]["schemas"]["PersonIn"])
    problem = served["paths"]["/api/v1/people"]["post"]["responses"]["422"]
    assert problem["content"]["application/problem+json"]["example"]["errors"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_works_offline(browser: Any, live_server: Any) -> None:
    local = urlparse(live_server.url).netloc
    off_machine: list[str] = []
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if urlparse(url).netloc == local or url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            off_machine.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/api/v1/docs")
    page.get_by_text("Circleback API").first.wait_for()
    page.get_by_text("/api/v1/people", exact=True).first.wait_for()
    context.close()
    assert off_machine == []
    assert errors == []


def test_the_api_reference_in_docs_is_generated_from_this_document() -> None:
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[4] / "tools" / "api_reference.py"
    spec = importlib.util.spec_from_file_location("api_reference", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.TARGET.read_text()
    assert written == module.render(), "docs/api.md is stale: run tools/api_reference.py"
    for path in SCHEMA["paths"]:
        assert f"`{path.removeprefix('/api/v1')}`" in written


def _operations_by_id() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op)
        for path, ops in SCHEMA["paths"].items()
        for method, op in ops.items()
    }


def test_every_link_names_an_operation_and_what_it_fills_exists_there() -> None:
    """A link a client (or schemathesis) follows must lead somewhere real: its operation, each
    path parameter it fills, and each body field it fills."""
    by_id = _operations_by_id()
    components = SCHEMA["components"]["schemas"]
    count = 0
    for path, ops in SCHEMA["paths"].items():
        for method, op in ops.items():
            for response in op["responses"].values():
                for name, link in response.get("links", {}).items():
                    count += 1
                    assert link["operationId"] in by_id, (method, path, name)
                    _, target, operation = by_id[link["operationId"]]
                    for param, expression in link.get("parameters", {}).items():
                        assert "{" + param + "}" in target, (path, name, param)
                        # From the answer, or (a parent's id) from the request's own path.
                        assert expression.startswith("$response.body#/") or (
                            expression == f"$request.path.{param}" and "{" + param + "}" in path
                        ), (path, name, expression)
                    for field in link.get("requestBody", {}):
                        ref = operation["requestBody"]["content"]["application/json"]["schema"]
                        properties = components[ref["$ref"].rsplit("/", 1)[1]]["properties"]
                        assert field in properties, (path, name, field)
    assert count > 80


def test_an_introduction_request_links_to_following_up_its_step(
    alice: Any, alice_api: Any, make_person: Any
) -> None:
    links = SCHEMA["paths"]["/api/v1/introduction-requests"]["post"]["responses"]["201"]["links"]
    by_id = _operations_by_id()
    targets = {by_id[link["operationId"]][1] for link in links.values()}
    assert targets == {"/api/v1/loops/{step_uuid}/advance", "/api/v1/loops/{step_uuid}/snooze"}
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    asked = alice_api.call(
        "POST", "introduction-requests", {"via": str(ada.uuid), "target": str(bart.uuid)}
    )
    assert asked.status_code == 201
    step = asked.json()["uuid"]  # where the links say the id is: $response.body#/uuid
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    snoozed = alice_api.call("POST", f"loops/{step}/snooze", {"until": until})
    assert snoozed.status_code == 200, snoozed.content
    assert snoozed.json()["snoozed_until"] == until
    to = asked.json()["actions"][0]  # the step says how it can close (agreed, declined)
    advanced = alice_api.call("POST", f"loops/{step}/advance", {"to": to})
    assert advanced.status_code == 200, advanced.content
