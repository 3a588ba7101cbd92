"""Speed and memory of introduction paths on 100,000 people and 1,000,000 ties.

`run(ctx)` makes its own account (it does not touch ctx.owner's data) with a network of
realistic shape — organisations of power-law size, people in communities around them,
power-law degrees, most ties inside a community, a year of journal — inserted in bulk, then
measures on that one graph:

- paths_cold_s: top-10 paths to a target organisation from a cold cache, loading included;
- paths_p50_ms: the same query once the graph is loaded (search and the explanation
  queries), median over 20 target organisations;
- paths_request_p50_ms: the same with the version-stamp check a request makes first;
- paths_search_p50_ms: the in-memory search alone;
- paths_stamp_ms: the version-stamp query alone;
- paths_rss_mb: memory the loaded graph keeps (tracemalloc), paths_load_peak_mb its peak;
- networkx_p50_ms: the straightforward NetworkX way (Dijkstra from you over -log weights,
  then filter by organisation) on the same graph, built outside the timing;
- networkx_ratio: networkx_p50_ms / paths_p50_ms.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from _accounts import drop_account

PEOPLE = int(os.environ.get("CIRCLEBACK_BENCH_PATHS_PEOPLE", "100000"))
TIES = int(os.environ.get("CIRCLEBACK_BENCH_PATHS_TIES", "1000000"))
INTERACTIONS = PEOPLE // 3
ORGANISATIONS = max(20, PEOPLE // 200)
TARGETS = 20
INDUSTRIES = [
    "Logistics", "Fintech", "Healthcare", "Retail", "Education", "Energy", "Media", "Games",
    "Biotech", "Insurance", "Travel", "Public sector", "Manufacturing", "Telecoms", "Security",
]  # fmt: skip
KINDS = ["colleague", "former_colleague", "manager", "friend", "family", "classmate",
         "mentor", "client", "other"]  # fmt: skip
CHUNK = 50_000


def _uuids(n: int, vendor: str) -> list[Any]:
    raw = os.urandom(16 * n)
    if vendor == "sqlite":
        text = raw.hex()
        return [text[i * 32 : i * 32 + 32] for i in range(n)]
    return [uuid.UUID(bytes=raw[i * 16 : i * 16 + 16]) for i in range(n)]


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def generate(owner: Any, seed: int = 7) -> dict[str, Any]:
    """Bulk-insert the network for `owner`; returns what the measurements need."""
    from django.db import connection, transaction

    from circleback.journal.models import Interaction, Participation
    from circleback.people.models import Organisation, Person, Tie

    rng = np.random.default_rng(seed)
    vendor = connection.vendor
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = connection.ops.adapt_datetimefield_value(now)

    with transaction.atomic():
        # Organisations: sizes follow a power law; the first TARGETS are targets.
        org_rows = [
            (owner.pk, u, f"Org {i}", f"org {i}", "", INDUSTRIES[i % len(INDUSTRIES)], "",
             i < TARGETS, 1 if i < TARGETS else None, "researching", "", stamp, stamp)
            for i, u in enumerate(_uuids(ORGANISATIONS, vendor))
        ]  # fmt: skip
        _insert(
            Organisation._meta.db_table,
            ["owner_id", "uuid", "name", "normalized_name", "domain", "industry", "location",
             "is_target", "priority", "stage", "notes", "created_at", "updated_at"],
            org_rows,
        )  # fmt: skip
        org_ids = np.asarray(
            Organisation.objects.filter(owner=owner).order_by("pk").values_list("pk", flat=True)
        )
        org_size = rng.pareto(1.2, ORGANISATIONS) + 1
        org_of = rng.choice(ORGANISATIONS, size=PEOPLE, p=org_size / org_size.sum())
        has_org = rng.random(PEOPLE) < 0.85

        # The journal first, so each person's last contact is known when they are inserted.
        activity = rng.pareto(1.1, PEOPLE) + 1
        on_list = rng.choice(["A", "B", "C"], size=PEOPLE, p=[0.1, 0.55, 0.35])
        talk_p = activity * (on_list != "C")
        who = rng.choice(PEOPLE, size=INTERACTIONS, p=talk_p / talk_p.sum())
        seconds_ago = rng.integers(0, 3 * 365 * 86400, INTERACTIONS)
        newest = np.full(PEOPLE, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(newest, who, seconds_ago)

        adapt = connection.ops.adapt_datetimefield_value
        person_rows = []
        for i, u in enumerate(_uuids(PEOPLE, vendor)):
            org = int(org_ids[org_of[i]]) if has_org[i] else None
            seen = (
                None
                if newest[i] == np.iinfo(np.int64).max
                else adapt(now - dt.timedelta(seconds=int(newest[i])))
            )
            person_rows.append((
                owner.pk, u, str(on_list[i]), f"Person {i}", "Person", str(i), "", org, "", "",
                int(rng.integers(1, 6)), bool(rng.random() < 0.05), "", "demo", seen, stamp,
                stamp,
            ))  # fmt: skip
        _insert(
            Person._meta.db_table,
            ["owner_id", "uuid", "contact_list", "full_name", "given_name", "family_name",
             "title", "organisation_id", "location", "how_we_met", "closeness",
             "is_decision_maker", "notes", "source", "last_contact_at", "created_at",
             "updated_at"],
            person_rows,
        )  # fmt: skip
        del person_rows
        person_ids = np.asarray(
            Person.objects.filter(owner=owner).order_by("pk").values_list("pk", flat=True)
        )

        # Ties: power-law degrees, 80% inside a community (the organisation), the rest anywhere.
        p = activity / activity.sum()
        community = np.where(has_org, org_of, ORGANISATIONS + (np.arange(PEOPLE) % 500))
        order = np.argsort(community, kind="stable")
        sizes = np.bincount(community)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        pairs: set[int] = set()
        while len(pairs) < TIES:
            k = int((TIES - len(pairs)) * 1.2) + 1000
            a = rng.choice(PEOPLE, size=k, p=p)
            b = rng.choice(PEOPLE, size=k, p=p)
            inside = rng.random(k) < 0.8
            ca = community[a[inside]]
            b[inside] = order[starts[ca] + (rng.random(inside.sum()) * sizes[ca]).astype(np.int64)]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            keys = (lo[lo != hi] * PEOPLE + hi[lo != hi]).tolist()
            for key in keys:
                pairs.add(key)
                if len(pairs) >= TIES:
                    break
        keys_arr = np.fromiter(pairs, dtype=np.int64, count=len(pairs))
        del pairs
        lo_ids = person_ids[keys_arr // PEOPLE].tolist()
        hi_ids = person_ids[keys_arr % PEOPLE].tolist()
        kinds = rng.choice(KINDS, size=len(keys_arr)).tolist()
        strengths = rng.integers(1, 6, len(keys_arr)).tolist()
        uuids = _uuids(len(keys_arr), vendor)
        tie_rows = [
            (owner.pk, uuids[i], lo_ids[i], hi_ids[i], kinds[i], strengths[i], "", stamp)
            for i in range(len(keys_arr))
        ]
        del uuids, lo_ids, hi_ids, kinds, strengths
        _insert(
            Tie._meta.db_table,
            ["owner_id", "uuid", "person_a_id", "person_b_id", "kind", "strength", "notes",
             "created_at"],
            tie_rows,
        )  # fmt: skip
        del tie_rows

        directions = rng.choice(["outgoing", "incoming", "mutual"], size=INTERACTIONS).tolist()
        when = [adapt(now - dt.timedelta(seconds=int(s))) for s in seconds_ago]
        _insert(
            Interaction._meta.db_table,
            ["owner_id", "uuid", "occurred_at", "kind", "direction", "summary", "notes",
             "source", "external_key", "created_at"],
            [
                (owner.pk, u, when[i], "call", directions[i], "Catch-up", "", "demo", "", stamp)
                for i, u in enumerate(_uuids(INTERACTIONS, vendor))
            ],
        )  # fmt: skip
        interaction_ids = list(
            Interaction.objects.filter(owner=owner).order_by("pk").values_list("pk", flat=True)
        )
        _insert(
            Participation._meta.db_table,
            ["owner_id", "interaction_id", "person_id", "occurred_at"],
            [
                (owner.pk, interaction_ids[i], int(person_ids[who[i]]), when[i])
                for i in range(INTERACTIONS)
            ],
        )
    targets = list(Organisation.objects.filter(owner=owner, is_target=True).order_by("pk"))
    return {"targets": targets, "person_ids": person_ids}


def _p50_ms(work: Callable[[], object], items: list[Any], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            work_item = work(item)  # type: ignore[call-arg]
            times.append((time.perf_counter() - started) * 1000)
            del work_item
    return round(statistics.median(times), 2)


def _networkx_top10(graph: Any, you: Any, at_org: set[int]) -> list[Any]:
    import networkx as nx

    distances, paths = nx.single_source_dijkstra(graph, you, weight="cost")
    found = sorted((d, n) for n, d in distances.items() if n in at_org)[:10]
    return [paths[n] for _, n in found]


def run(ctx: Any) -> dict[str, float]:
    from circleback.accounts.models import User

    owner = User.objects.create(username=f"bench-paths-{uuid.uuid4().hex[:8]}")
    try:
        return _measure(owner)
    finally:
        # Never leave a million ties behind in the shared bench database, even on failure.
        if os.environ.get("CIRCLEBACK_BENCH_KEEP") != "1":
            drop_account(owner)


def _measure(owner: Any) -> dict[str, float]:
    from django.db import connection

    from circleback.paths import graph as graph_module
    from circleback.paths.queries.paths import paths_to_organisation

    started = time.perf_counter()
    data = generate(owner)
    generate_s = time.perf_counter() - started
    targets = data["targets"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    colds = []
    for organisation in targets[:3]:
        graph_module.cache_clear()
        t = time.perf_counter()
        paths_to_organisation(owner=owner, organisation=organisation, limit=10)
        colds.append(time.perf_counter() - t)

    graph_module.cache_clear()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loaded = graph_module.graph_for(owner)
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Once loaded: the search and the explanation queries, the graph already in hand.
    paths_p50 = _p50_ms(
        lambda o: paths_to_organisation(owner=owner, organisation=o, limit=10, graph=loaded),
        targets,
    )
    # A whole request as the web page makes it: version-stamp check included.
    request_p50 = _p50_ms(
        lambda o: paths_to_organisation(owner=owner, organisation=o, limit=10), targets
    )
    target_nodes = [np.flatnonzero(loaded.organisation == o.pk) for o in targets]
    search_p50 = _p50_ms(lambda nodes: loaded.best_paths(nodes, limit=10), target_nodes)
    stamp_p50 = _p50_ms(lambda _: graph_module.version_stamp(owner), [None] * 5)
    found = [len(loaded.best_paths(nodes, limit=10)) for nodes in target_nodes]

    # The straightforward way, on the same graph; building it is not timed.
    import networkx as nx

    nxg = nx.Graph()
    you = -1
    contacts = np.flatnonzero(loaded.you > 0)
    nxg.add_weighted_edges_from(
        ((you, int(n), -math.log(float(loaded.you[n]))) for n in contacts), weight="cost"
    )
    src = np.repeat(np.arange(loaded.size), np.diff(loaded.indptr))
    upper = src < loaded.nbr
    nxg.add_weighted_edges_from(
        zip(
            src[upper].tolist(),
            loaded.nbr[upper].tolist(),
            (-np.log(loaded.w[upper]) - math.log(0.8)).tolist(),
            strict=True,
        ),
        weight="cost",
    )
    nx_times = []
    for organisation in targets[:3]:
        at_org = set(np.flatnonzero(loaded.organisation == organisation.pk).tolist())
        t = time.perf_counter()
        _networkx_top10(nxg, you, at_org)
        nx_times.append((time.perf_counter() - t) * 1000)
    nx_p50 = statistics.median(nx_times)

    result = {
        "paths_people": float(loaded.size),
        "paths_ties": float(loaded.tie_count),
        "paths_generate_s": round(generate_s, 1),
        "paths_cold_s": round(statistics.median(colds), 3),
        "paths_p50_ms": paths_p50,
        "paths_search_p50_ms": search_p50,
        "paths_request_p50_ms": request_p50,
        "paths_stamp_ms": stamp_p50,
        "paths_rss_mb": round((after - before) / 2**20, 1),
        "paths_load_peak_mb": round((peak - before) / 2**20, 1),
        "paths_found_min": float(min(found)),
        "networkx_p50_ms": round(nx_p50, 1),
        "networkx_ratio": round(nx_p50 / paths_p50, 1),
    }
    return result
