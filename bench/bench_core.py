"""The foundation's numbers: search, the people list, the home and person pages, generation.

- search_p50_ms / search_p95_ms: `circleback.search.queries.search` (people and journal, 20
  hits) over realistic queries: first-name prefixes, family names, organisation prefixes,
  accented names typed without accents, two-word queries.
- people_page_p50_ms / people_page_p95_ms (and page_people_p95_ms, the same p95 under the
  web issue's name): server time of GET on the people list, logged in as the owner, over a
  mix of the default sort, a search and a filter; people_page_{default,search,filter}_p50_ms
  break it down.
- page_home_p95_ms, page_person_p95_ms: the home page, and person pages (people with many and
  few ties and entries).
- *_queries: SQL statements per request, the first thing to look at when a page is slow.
- demo_generate_s: generating the 20,000-person network (measured when it was generated).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

SEARCH_QUERIES = 300
PAGE_REQUESTS = 40
WARM_UP = 5


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _timed(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def search_queries(owner: Any, count: int, seed: int = 11) -> list[str]:
    """What people type: prefixes of names and organisations, accents left out, two words."""
    from circleback.people.models import Organisation, Person
    from circleback.text import fold

    rng = random.Random(seed)
    people = list(
        Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("given_name", "family_name", "title")
    )
    orgs = list(
        Organisation.objects.filter(owner=owner).order_by("pk").values_list("name", flat=True)
    )
    accented = [p for p in people if fold(p[0] + p[1]) != (p[0] + p[1]).lower()]
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(people)[0][: rng.randint(2, 4)],  # "Chl"
        lambda: rng.choice(people)[1],  # "Okafor"
        lambda: rng.choice(orgs).split()[0][: rng.randint(3, 6)],  # "Northw"
        lambda: fold(" ".join(rng.choice(accented)[:2])) if accented else "jose",  # "chloe dubois"
        lambda: " ".join(rng.choice(people)[:2]),  # "Ada Quill"
        lambda: f"{rng.choice(people)[0]} {rng.choice(orgs).split()[0][:3]}",  # "Ada Nor"
        lambda: rng.choice(people)[2].split()[-1][:5] if rng.random() < 0.5 else "referral",
    ]
    return [rng.choice(makers)() or "ada" for _ in range(count)]


def _bench_search(owner: Any) -> dict[str, float]:
    from circleback.journal.queries import search

    queries = search_queries(owner, SEARCH_QUERIES)
    for text in queries[:WARM_UP]:
        search(owner=owner, text=text)
    samples = []
    for text in queries:
        started = time.perf_counter()
        search(owner=owner, text=text)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "search_p50_ms": round(statistics.median(samples), 2),
        "search_p95_ms": round(_percentile(samples, 0.95), 2),
        "search_max_ms": round(max(samples), 2),
    }


def _client(owner: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def _people_url() -> str:
    from django.urls import NoReverseMatch, reverse

    for name in ("people", "home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    raise RuntimeError("no URL named 'people' or 'home'")


def _bench_pages(owner: Any, notes: list[str]) -> dict[str, float]:
    from django.urls import NoReverseMatch, reverse

    from circleback.people.models import Person

    client = _client(owner)
    metrics: dict[str, float] = {}
    people_url = _people_url()
    rng = random.Random(5)
    names = list(
        Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("given_name", flat=True)[:2000]
    )
    variants = {
        "default": [people_url],
        "search": [f"{people_url}?q={rng.choice(names)[:3]}" for _ in range(PAGE_REQUESTS)],
        "filter": [
            f"{people_url}?list=C",
            f"{people_url}?list=B&closeness=3",
            f"{people_url}?list=A&sort=-last_contact",
        ],
    }
    everything: list[float] = []
    for label, urls in variants.items():
        for url in urls[:WARM_UP]:
            _get(client, url)
        samples = []
        for i in range(PAGE_REQUESTS):
            url = urls[i % len(urls)]
            samples += _timed(lambda url=url: _get(client, url), 1)
        everything += samples
        metrics[f"people_page_{label}_p50_ms"] = round(statistics.median(samples), 1)
        metrics[f"people_page_{label}_queries"] = _queries(client, urls[0])
    metrics["people_page_p50_ms"] = round(statistics.median(everything), 1)
    metrics["people_page_p95_ms"] = round(_percentile(everything, 0.95), 1)
    metrics["page_people_p95_ms"] = metrics["people_page_p95_ms"]

    home = reverse("home")
    for _ in range(WARM_UP):
        _get(client, home)
    samples = _timed(lambda: _get(client, home), PAGE_REQUESTS)
    metrics["page_home_p50_ms"] = round(statistics.median(samples), 1)
    metrics["page_home_p95_ms"] = round(_percentile(samples, 0.95), 1)
    metrics["page_home_queries"] = _queries(client, home)

    try:
        reverse("person", kwargs={"uuid": "00000000-0000-0000-0000-000000000000"})
    except NoReverseMatch:
        notes.append("page_person_p95_ms skipped: no URL named 'person' yet")
        return metrics
    # The busiest people (hubs with hundreds of ties and entries) and ordinary ones.
    from django.db.models import Count

    busiest = list(
        Person.objects.filter(owner=owner)
        .annotate(n=Count("interactions"))
        .order_by("-n")
        .values_list("uuid", flat=True)[:10]
    )
    ordinary = list(
        Person.objects.filter(owner=owner).order_by("pk").values_list("uuid", flat=True)[::1000]
    )
    urls = [reverse("person", kwargs={"uuid": str(u)}) for u in busiest + ordinary]
    for url in urls[:WARM_UP]:
        _get(client, url)
    samples = [
        s for _ in range(2) for url in urls for s in _timed(lambda url=url: _get(client, url), 1)
    ]
    metrics["page_person_p50_ms"] = round(statistics.median(samples), 1)
    metrics["page_person_p95_ms"] = round(_percentile(samples, 0.95), 1)
    metrics["page_person_busiest_queries"] = _queries(client, urls[0])
    return metrics


def run(ctx: Any) -> dict[str, Any]:
    notes: list[str] = []
    metrics: dict[str, Any] = {}
    if ctx.generate_s is not None:
        metrics["demo_generate_s"] = ctx.generate_s
    metrics.update(_bench_search(ctx.owner))
    metrics.update(_bench_pages(ctx.owner, notes))
    if notes:
        metrics["core_notes"] = notes
    return metrics
