"""The REST API's list endpoints at benchmark size (20,000 people, 200,000 journal entries),
timed in-process through Django's test client with a real bearer token (authentication, the
rate-limit count, the handler, SQL and JSON: the server's time, without the network).

- api_people_p50_ms / api_people_p95_ms: GET /api/v1/people (50 a page) over the default
  order, a search (?q= three letters of a name), filters (list, closeness) and the next page
  by cursor; api_people_{default,search,filter,next}_p50_ms split it, and
  api_people_queries counts the SQL statements of one page (fixed, whatever the page size).
- api_journal_p50_ms / _p95_ms: GET /api/v1/journal, first page and the next by cursor.
- api_organisations_p50_ms, api_loops_p50_ms, api_meetings_p50_ms: first pages.
- api_people_30k_p50_ms / api_people_30k_p95_ms: the same people-list requests on an account
  of 30,000 people (the largest networks users bring), generated once beside the bench account
  (`bench-30k`, one journal entry a person) and reused; api_people_30k_{variant}_p50_ms split it.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

REQUESTS = 40
WARM_UP = 5
BIG = 30_000
BIG_USER = "bench-30k"


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(ctx: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from circleback.api.models import Token
    from circleback.api.services import token_create

    Token.objects.filter(owner=ctx.owner, name="bench").delete()
    secret = token_create(owner=ctx.owner, name="bench").secret
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(url: str) -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(
                f"GET {url} answered {response.status_code}: {response.content[:200]!r}"
            )
        return response.json()

    metrics: dict[str, Any] = {}
    # The limit is for clients, not for the benchmark's own thousand requests.
    with override_settings(CIRCLEBACK_API_RATE_PER_MINUTE=10**9):
        metrics.update(_people_list(get, ctx.owner, "api_people"))
        with CaptureQueriesContext(connection) as captured:
            get("/api/v1/people?limit=200")
        metrics["api_people_queries"] = len(captured)

        journal = get("/api/v1/journal")
        pages = ["/api/v1/journal", journal["next"].split("localhost", 1)[-1]]
        samples = []
        for i in range(REQUESTS):
            started = time.perf_counter()
            get(pages[i % 2])
            samples.append((time.perf_counter() - started) * 1000)
        metrics["api_journal_p50_ms"] = round(statistics.median(samples), 1)
        metrics["api_journal_p95_ms"] = round(_percentile(samples, 0.95), 1)

        for name, url in (
            ("organisations", "/api/v1/organisations"),
            ("loops", "/api/v1/loops"),
            ("meetings", "/api/v1/meetings"),
        ):
            for _ in range(WARM_UP):
                get(url)
            samples = []
            for _ in range(REQUESTS // 2):
                started = time.perf_counter()
                get(url)
                samples.append((time.perf_counter() - started) * 1000)
            metrics[f"api_{name}_p50_ms"] = round(statistics.median(samples), 1)
    Token.objects.filter(owner=ctx.owner, name="bench").delete()

    big = _big_account()
    Token.objects.filter(owner=big, name="bench").delete()
    big_client = Client(
        HTTP_HOST="localhost",
        HTTP_AUTHORIZATION=f"Bearer {token_create(owner=big, name='bench').secret}",
    )

    def big_get(url: str) -> Any:
        response = big_client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response.json()

    with override_settings(CIRCLEBACK_API_RATE_PER_MINUTE=10**9):
        metrics.update(_people_list(big_get, big, "api_people_30k"))
    Token.objects.filter(owner=big, name="bench").delete()
    return metrics


def _big_account() -> Any:
    """The 30,000-person account, generated the first time (about a minute) and reused."""
    from circleback.accounts.models import User
    from circleback.demo.services import demo_generate
    from circleback.people.models import Person

    owner = User.objects.filter(username=BIG_USER).first()
    if owner is not None and Person.objects.filter(owner=owner).count() == BIG:
        return owner
    if owner is not None:
        owner.delete()
    owner = User.objects.create_user(username=BIG_USER, password=None, time_zone="Europe/London")
    print(f"Generating {BIG:,} people for the API's 30k bench (once)…", flush=True)
    demo_generate(owner=owner, people=BIG, seed=3, interactions_per_person=1.0)
    return owner


def _people_list(get: Any, owner: Any, prefix: str) -> dict[str, Any]:
    """GET /api/v1/people over the default order, searches, filters and a deep page."""
    from circleback.people.models import Person

    rng = random.Random(7)
    names = list(
        Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("given_name", flat=True)[:2000]
    )
    first = get("/api/v1/people")
    deep = get(first["next"].split("localhost", 1)[-1])  # page 2's next: page 3
    variants = {
        "default": ["/api/v1/people"],
        "search": [f"/api/v1/people?q={rng.choice(names)[:3]}" for _ in range(REQUESTS)],
        "filter": ["/api/v1/people?list=C", "/api/v1/people?list=B&closeness_min=3"],
        "next": [deep["next"].split("localhost", 1)[-1]],
    }
    metrics: dict[str, Any] = {}
    everything: list[float] = []
    for label, urls in variants.items():
        for url in urls[:WARM_UP]:
            get(url)
        samples = []
        for i in range(REQUESTS):
            url = urls[i % len(urls)]
            started = time.perf_counter()
            get(url)
            samples.append((time.perf_counter() - started) * 1000)
        everything += samples
        metrics[f"{prefix}_{label}_p50_ms"] = round(statistics.median(samples), 1)
    metrics[f"{prefix}_p50_ms"] = round(statistics.median(everything), 1)
    metrics[f"{prefix}_p95_ms"] = round(_percentile(everything, 0.95), 1)
    return metrics
