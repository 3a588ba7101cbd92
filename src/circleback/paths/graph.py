"""The owner's network as compact arrays, and the bounded best-first search over them.

Nodes are the owner's people (node i ↔ `ids[i]`, ids sorted); "you" is implicit: your link
to node i is `you[i]` (0 when you don't know them first-hand). Ties are an undirected CSR
adjacency — `nbr[indptr[i]:indptr[i+1]]` are i's neighbours, `w` the tie_link weights —
so 100,000 people and 1,000,000 ties take about 30 MB and a search never touches the
database.

The search finds the best simple paths you → p1 → … → t with t in a target set:

1. Bounds, backwards from the targets: H_r(v) is the best score of any walk of at most r
   more ties from v to a target (including ending at v). H_0 is end(t) on targets; each
   level pushes the previous one across the ties of its non-zero nodes only, so the work is
   the neighbourhood of the organisation, not the graph.
2. A* forwards from you, where a partial path's priority is its score so far * H of the hops
   it has left. H is exact for walks and an upper bound for simple paths, so complete paths
   come off the heap in exactly descending score order; children are generated lazily in
   sorted chunks, so a hub with thousands of ties costs one partial sort, not a heap push
   per neighbour. Paths that would repeat a person are never generated.
3. Diversity: at most MAX_PER_FIRST_HOP paths per first person are taken while there are
   others to take; the rest wait in an overflow that fills the list at the end.

The loaded graph is cached per owner, keyed by a version stamp from one aggregate query, so
it is reloaded exactly when people, ties or the journal change. The cache is per process,
bounded, and never shared between owners.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction, Participation
from circleback.paths import scoring
from circleback.people.models import Person, Tie

KINDS: tuple[str, ...] = tuple(Tie.Kind.values)
KIND_CODES: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
_KIND_FACTORS = np.array([scoring.KIND_FACTOR.get(k, 0.8) for k in KINDS], dtype=np.float32)
LISTS = ("A", "B", "C")

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]

CHUNK = 64  # children sorted at a time
MAX_POPS = 200_000  # a hard bound on one search's work


@dataclass
class PeopleGraph:
    owner_id: int
    stamp: str
    ids: IntArray  # sorted person pks; node i is ids[i]
    organisation: IntArray  # organisation pk or -1
    decision_maker: npt.NDArray[np.bool_]
    you: FloatArray  # your_link, 0 where you don't know them first-hand
    interactions: Int32Array
    indptr: IntArray
    nbr: Int32Array
    w: FloatArray
    kind: npt.NDArray[np.int8]
    strength: npt.NDArray[np.int8]
    loaded_at: float = 0.0
    # The database-wide change marker seen when `stamp` was last confirmed (see graph_for).
    marker: tuple[object, ...] | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def tie_count(self) -> int:
        return len(self.nbr) // 2

    def nbytes(self) -> int:
        arrays = (
            self.ids, self.organisation, self.decision_maker, self.you, self.interactions,
            self.indptr, self.nbr, self.w, self.kind, self.strength,
        )  # fmt: skip
        return int(sum(a.nbytes for a in arrays))

    def nodes_of(self, person_ids: Sequence[int]) -> IntArray:
        """Node indexes of these person pks (unknown pks are dropped)."""
        where, found = node_positions(self.ids, np.asarray(person_ids, dtype=np.int64))
        return where[found]

    def node_of(self, person_id: int) -> int | None:
        found = self.nodes_of([person_id])
        return int(found[0]) if len(found) else None

    def neighbours(self, node: int) -> Int32Array:
        return self.nbr[self.indptr[node] : self.indptr[node + 1]]

    def tie_between(self, a: int, b: int) -> tuple[int, int] | None:
        """(strength, kind code) of the tie between two nodes, if any."""
        lo, hi = self.indptr[a], self.indptr[a + 1]
        hits = np.flatnonzero(self.nbr[lo:hi] == b)
        if not len(hits):
            return None
        e = lo + int(hits[0])
        return int(self.strength[e]), int(self.kind[e])

    # --- search -------------------------------------------------------------------------

    def bounds(self, ends: FloatArray, max_ties: int = scoring.MAX_IN_BETWEEN) -> list[FloatArray]:
        """H_0..H_max_ties: the best walk score from each node to a target within r ties."""
        levels = [ends]
        for _ in range(max_ties):
            previous = levels[-1]
            current = ends.copy()
            sources = np.flatnonzero(previous)
            if len(sources):
                starts = self.indptr[sources]
                counts = self.indptr[sources + 1] - starts
                total = int(counts.sum())
                if total:
                    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
                    edges = offsets + np.arange(total)
                    values = self.w[edges] * np.repeat(previous[sources], counts)
                    values *= np.float32(scoring.LENGTH_PENALTY)
                    np.maximum.at(current, self.nbr[edges], values)
            levels.append(current)
        return levels

    def best_paths(
        self,
        targets: IntArray,
        *,
        first_hop_factor: FloatArray | None = None,
        limit: int = 10,
        per_first_hop: int = scoring.MAX_PER_FIRST_HOP,
    ) -> list[tuple[float, tuple[int, ...]]]:
        """The `limit` best diverse paths as (score, nodes p1…t), best first."""
        if self.size == 0 or len(targets) == 0 or limit <= 0:
            return []
        ends = np.zeros(self.size, dtype=np.float32)
        ends[targets] = np.where(
            self.decision_maker[targets], scoring.DECISION_MAKER_END, scoring.OTHER_END
        ).astype(np.float32)
        levels = self.bounds(ends)
        hops = self.you if first_hop_factor is None else self.you * first_hop_factor
        root = hops * levels[scoring.MAX_IN_BETWEEN]
        search = _Search(self, levels, ends, hops, limit, per_first_hop)
        return search.run(root)


class _Children:
    """A partial path's children in descending priority, sorted a chunk at a time."""

    __slots__ = ("nodes", "pos", "prio", "sorted_upto")

    def __init__(self, nodes: npt.NDArray[np.int64], prio: FloatArray) -> None:
        keep = prio > 0
        self.nodes = nodes[keep]
        self.prio = prio[keep]
        self.pos = 0
        self.sorted_upto = 0

    def _sort_next(self) -> None:
        rest = len(self.prio) - self.sorted_upto
        take = min(CHUNK, rest)
        tail_p = self.prio[self.sorted_upto :]
        tail_n = self.nodes[self.sorted_upto :]
        if take < rest:
            part = np.argpartition(-tail_p, take - 1)
            tail_p[:], tail_n[:] = tail_p[part], tail_n[part]
        order = np.argsort(-tail_p[:take], kind="stable")
        tail_p[:take], tail_n[:take] = tail_p[:take][order], tail_n[:take][order]
        self.sorted_upto += take

    def peek(self) -> float | None:
        if self.pos >= len(self.prio):
            return None
        if self.pos >= self.sorted_upto:
            self._sort_next()
        return float(self.prio[self.pos])

    def take(self) -> int:
        node = int(self.nodes[self.pos])
        self.pos += 1
        return node


@dataclass
class _Search:
    graph: PeopleGraph
    levels: list[FloatArray]
    ends: FloatArray
    hops: FloatArray  # your_link * first_hop for each possible first person
    limit: int
    per_first_hop: int
    taken: list[tuple[float, tuple[int, ...]]] = field(default_factory=list)
    overflow: list[tuple[float, tuple[int, ...]]] = field(default_factory=list)
    per_first: dict[int, int] = field(default_factory=dict)
    heap: list[tuple[float, int, tuple[int, ...], float, _Children | None]] = field(
        default_factory=list
    )
    counter: Iterator[int] = field(default_factory=lambda: iter(range(1 << 62)))

    def _push_children(self, path: tuple[int, ...], score: float, children: _Children) -> None:
        best = children.peek()
        if best is not None:
            heapq.heappush(self.heap, (-best, next(self.counter), path, score, children))

    def _expand(self, path: tuple[int, ...], score: float) -> None:
        """Push the continuations of a partial path (score so far excludes the end)."""
        g = self.graph
        node = path[-1]
        ties_left = scoring.MAX_HOPS - len(path)
        if self.ends[node] > 0:
            # Ending here is a child of its own, with priority = its final score.
            final = score * float(self.ends[node])
            heapq.heappush(self.heap, (-final, next(self.counter), path, final, None))
        if ties_left <= 0:
            return
        lo, hi = g.indptr[node], g.indptr[node + 1]
        nbrs = g.nbr[lo:hi].astype(np.int64)
        prio = g.w[lo:hi] * self.levels[ties_left - 1][nbrs]
        prio *= np.float32(score * scoring.LENGTH_PENALTY)
        if len(path) > 1:
            prio[np.isin(nbrs, path)] = 0
        self._push_children(path, score * scoring.LENGTH_PENALTY, _Children(nbrs, prio))

    def _full(self, first: int) -> bool:
        return self.per_first.get(first, 0) >= self.per_first_hop and (
            len(self.overflow) >= self.limit
        )

    def run(self, root: FloatArray) -> list[tuple[float, tuple[int, ...]]]:
        nodes = np.flatnonzero(root)
        self._push_children((), 1.0, _Children(nodes, root[nodes].copy()))
        pops = 0
        while self.heap and len(self.taken) < self.limit and pops < MAX_POPS:
            pops += 1
            _, _, path, score, children = heapq.heappop(self.heap)
            if children is None:  # a complete path
                self._accept(score, path)
                continue
            if path and self._full(path[0]):
                continue  # enough through this first person: drop the whole subtree
            child = children.take()
            self._push_children(path, score, children)
            if not path:
                if not self._full(child):
                    self._expand((child,), float(self.hops[child]))
            else:
                tie = self._tie_weight(path[-1], child)
                self._expand((*path, child), score * tie)
        # Diverse paths first (in score order), then the best of the rest.
        return [*self.taken, *self.overflow][: self.limit]

    def _tie_weight(self, a: int, b: int) -> float:
        g = self.graph
        lo, hi = g.indptr[a], g.indptr[a + 1]
        hit = int(np.flatnonzero(g.nbr[lo:hi] == b)[0])
        return float(g.w[lo + hit])

    def _accept(self, score: float, path: tuple[int, ...]) -> None:
        first = path[0]
        if self.per_first.get(first, 0) < self.per_first_hop:
            self.per_first[first] = self.per_first.get(first, 0) + 1
            self.taken.append((score, path))
        elif len(self.overflow) < self.limit:
            self.overflow.append((score, path))


# --- loading ------------------------------------------------------------------------------


# What the version stamp reads: for each table of an owner's rows, aggregates that each come
# from one index (a COUNT over the narrow owner index, a MAX off the end of an (owner, x)
# index). Counts catch deletions, the newest id catches additions, the newest updated_at and
# last_contact_at catch edits in place and new contact.
_STAMP: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Person, ("COUNT(*)", "MAX(id)", "MAX(updated_at)", "MAX(last_contact_at)")),
    (Tie, ("COUNT(*)", "MAX(id)", "MAX(updated_at)")),
    (Participation, ("COUNT(*)", "MAX(id)")),
    (Interaction, ("COUNT(*)", "MAX(updated_at)")),
)


def version_stamp(owner: User) -> str:
    """Changes whenever the people, ties or journal entries the graph is built from change.

    One round trip, kept cheap on purpose because it runs before every search whose
    database may have changed: each aggregate is its own scalar subquery, so the database
    answers it from one index (a grouped digest would scan every row of the widest one).
    Today's date is part of it because recency is measured from today.
    """
    connection = connections[Person.objects.db]
    quote = connection.ops.quote_name
    subqueries = [
        f"(SELECT {aggregate} FROM {quote(model._meta.db_table)} WHERE owner_id = %s)"
        for model, aggregates in _STAMP
        for aggregate in aggregates
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(subqueries)}", [owner.pk] * len(subqueries))
        row = cursor.fetchone()
    return f"{timezone.localdate().isoformat()}|{row}"


class Epoch(Func):
    """A timestamp as whole seconds since 1970 (NULL stays NULL), computed by the database
    so that loading never parses a datetime in Python."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            # julianday, not strftime('%s'): a literal %s would clash with placeholders.
            template="CAST((julianday(%(expressions)s) - 2440587.5) * 86400.0 AS INTEGER)",
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        )


def _int_columns(queryset: QuerySet[Any], names: Sequence[str]) -> npt.NDArray[np.int64]:
    """The named all-integer, never-NULL columns of a values() query as an (n, k) array.

    The database returns each column as a single comma-separated text (GROUP_CONCAT on
    SQLite, STRING_AGG on PostgreSQL) that NumPy parses in C. Fetching a million rows one
    tuple at a time would make a Python object of every value, which was most of the
    graph's load time. The aggregates share one pass over the rows, so the columns stay
    aligned; the row count read with them checks that every value parsed.
    """
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        joined = [f"STRING_AGG(CAST({quote(name)} AS TEXT), ',')" for name in names]
    else:
        joined = [f"GROUP_CONCAT({quote(name)}, ',')" for name in names]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {', '.join(joined)} FROM ({sql}) rows_", params)
        count, *texts = cursor.fetchone()
    out = np.zeros((count, len(names)), dtype=np.int64)
    for j, text in enumerate(texts if count else ()):
        column = np.fromstring(text, dtype=np.int64, sep=",")
        if len(column) != count:
            raise ValueError(f"column {names[j]!r}: parsed {len(column)} of {count} values")
        out[:, j] = column
    return out


_KIND_CODE = Case(
    *[When(kind=k, then=Value(i)) for i, k in enumerate(KINDS)],
    default=Value(KIND_CODES["other"]),
    output_field=IntegerField(),
)
_LIST_CODE = Case(
    When(contact_list="C", then=Value(1)), default=Value(0), output_field=IntegerField()
)
_DM_CODE = Case(
    When(is_decision_maker=True, then=Value(1)), default=Value(0), output_field=IntegerField()
)


def load_graph(owner: User, stamp: str = "") -> PeopleGraph:
    """Build the owner's graph from the database: three queries, no model instances, no
    Python object per row."""
    now = timezone.now().timestamp()
    people = _int_columns(
        Person.objects.filter(owner=owner)
        .order_by()
        .values(
            "id",
            org=Coalesce("organisation_id", Value(-1)),
            packed=F("closeness") + _LIST_CODE * 8 + _DM_CODE * 16,
            seen=Coalesce(Epoch("last_contact_at"), Value(-1)),
        ),
        ["id", "org", "packed", "seen"],
    )
    people = people[np.argsort(people[:, 0], kind="stable")]
    ids = people[:, 0].copy()
    n = len(ids)
    packed = people[:, 2]
    closeness = (packed % 8).astype(np.int8)
    on_list_c = (packed // 8) % 2 == 1
    decision_maker = (packed // 16) % 2 == 1
    seen = people[:, 3]
    days_since = np.where(seen >= 0, (now - seen) / 86400.0, np.nan)
    organisation = people[:, 1].copy()
    del people

    interactions = np.zeros(n, dtype=np.int32)
    they = np.zeros(n, dtype=np.int32)
    you_reached = np.zeros(n, dtype=np.int32)
    journal = _int_columns(
        # The entry's owner named too (it is always the participation's): a condition the
        # join can read from the entries' (owner, id) index, where without it PostgreSQL
        # hashed the whole journal, every account's, to keep this owner's entries.
        Participation.objects.filter(owner=owner, interaction__owner=owner)
        .values("person_id")
        .annotate(
            n=Count("pk"),
            they=Count("pk", filter=Q(interaction__direction__in=["incoming", "mutual"])),
            you=Count("pk", filter=Q(interaction__direction__in=["outgoing", "mutual"])),
        )
        .order_by(),
        ["person_id", "n", "they", "you"],
    )
    if len(journal) and n:
        where, known = node_positions(ids, journal[:, 0])
        interactions[where[known]] = journal[known, 1]
        they[where[known]] = journal[known, 2]
        you_reached[where[known]] = journal[known, 3]

    you = scoring.your_links(
        closeness=closeness,
        days_since=days_since,
        interactions=interactions,
        they_reached=they,
        you_reached=you_reached,
        first_hand=~on_list_c | (interactions > 0),
    )

    ties = _int_columns(
        Tie.objects.filter(owner=owner)
        .order_by()
        .values("person_a_id", "person_b_id", code=F("strength") * 16 + _KIND_CODE),
        ["person_a_id", "person_b_id", "code"],
    )
    return build_graph(
        owner_id=owner.pk,
        stamp=stamp,
        ids=ids,
        organisation=organisation,
        decision_maker=decision_maker,
        you=you,
        interactions=interactions,
        tie_a=ties[:, 0],
        tie_b=ties[:, 1],
        tie_strength=(ties[:, 2] // 16).astype(np.int8),
        tie_kind=(ties[:, 2] % 16).astype(np.int8),
    )


def node_positions(ids: IntArray, values: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Where each of `values` sits in the sorted `ids` (0 where absent), and whether present.

    A person's ids are nearly contiguous, so for many values (a million tie ends) a direct
    table over their range answers in one gather, several times faster than a binary search
    per value. A few values (a request's people), or a range far wider than the people (one
    account's ids scattered in a big shared table), take the binary search instead of
    allocating the table.
    """
    n = len(ids)
    if n == 0:
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    low = int(ids[0])
    span = int(ids[-1]) - low + 1
    if span <= 4 * n + 1_000_000 and 16 * len(values) >= span:
        table = np.full(span, -1, dtype=np.int32)
        table[ids - low] = np.arange(n, dtype=np.int32)
        offset = values - low
        inside = (offset >= 0) & (offset < span)
        where = np.full(len(values), -1, dtype=np.int64)
        where[inside] = table[offset[inside]]
        found = where >= 0
        where[~found] = 0
        return where, found
    where = np.minimum(np.searchsorted(ids, values), n - 1)
    return where, ids[where] == values


def build_graph(
    *,
    owner_id: int,
    stamp: str,
    ids: IntArray,
    organisation: IntArray,
    decision_maker: npt.NDArray[np.bool_],
    you: FloatArray,
    interactions: Int32Array,
    tie_a: IntArray,
    tie_b: IntArray,
    tie_strength: npt.NDArray[np.int8],
    tie_kind: npt.NDArray[np.int8],
) -> PeopleGraph:
    """The CSR graph from columns; ties whose ends are not among `ids` are ignored."""
    n = len(ids)
    if n and len(tie_a):
        ia, found_a = node_positions(ids, tie_a)
        ib, found_b = node_positions(ids, tie_b)
        ok = found_a & found_b & (ia != ib)
        ia, ib = ia[ok], ib[ok]
        tie_strength, tie_kind = tie_strength[ok], tie_kind[ok]
    else:
        ia = ib = np.zeros(0, dtype=np.int64)
        tie_strength = np.zeros(0, dtype=np.int8)
        tie_kind = np.zeros(0, dtype=np.int8)
    src = np.concatenate([ia, ib]).astype(np.int32)
    dst = np.concatenate([ib, ia]).astype(np.int32)
    order = np.argsort(src, kind="stable")
    strength2 = np.concatenate([tie_strength, tie_strength])[order]
    kind2 = np.concatenate([tie_kind, tie_kind])[order]
    weights = (strength2.astype(np.float32) / np.float32(5.0)) * _KIND_FACTORS[kind2]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return PeopleGraph(
        owner_id=owner_id,
        stamp=stamp,
        ids=ids,
        organisation=organisation,
        decision_maker=decision_maker,
        you=you,
        interactions=interactions,
        indptr=indptr,
        nbr=dst[order],
        w=weights.astype(np.float32),
        kind=kind2,
        strength=strength2,
        loaded_at=timezone.now().timestamp(),
    )


# --- the per-owner cache ------------------------------------------------------------------

_CACHE_SIZE = 4
_cache: OrderedDict[int, PeopleGraph] = OrderedDict()
_lock = threading.Lock()


def database_marker(using: str = "default") -> tuple[object, ...] | None:
    """A value that changes whenever anything at all may have been committed to the database,
    read in well under a millisecond; None where there is no such cheap signal.

    SQLite: `PRAGMA data_version` moves when another connection commits, and the
    connection's `total_changes` when this one writes. PostgreSQL: the current snapshot
    (xmin:xmax:in-progress) is the same text exactly when no write transaction has started
    or finished since. Inside a transaction block neither is reliable for our own
    uncommitted writes on PostgreSQL, so there it says None and the stamp is read.
    """
    connection = connections[using]
    if connection.in_atomic_block and connection.vendor != "sqlite":
        return None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            (version,) = cursor.fetchone()
        return ("sqlite", timezone.localdate(), id(raw), version, raw.total_changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current_snapshot()::text")
            (snapshot,) = cursor.fetchone()
        return ("postgresql", timezone.localdate(), snapshot)
    return None


def graph_for(owner: User) -> PeopleGraph:
    """The owner's graph, reloaded when its version stamp changed since it was cached.

    When nothing at all was committed to the database since the stamp was last confirmed
    (`database_marker`), even the stamp query is skipped.
    """
    marker = database_marker()
    with _lock:
        cached = _cache.get(owner.pk)
        if cached is not None and marker is not None and cached.marker == marker:
            _cache.move_to_end(owner.pk)
            return cached
    # Read in this order — marker, stamp, rows — so a change in between makes the next
    # call look again rather than trust stale rows.
    stamp = version_stamp(owner)
    with _lock:
        cached = _cache.get(owner.pk)
        if cached is not None and cached.stamp == stamp and cached.owner_id == owner.pk:
            cached.marker = marker
            _cache.move_to_end(owner.pk)
            return cached
    graph = load_graph(owner, stamp)
    graph.marker = marker
    with _lock:
        _cache[owner.pk] = graph
        _cache.move_to_end(owner.pk)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return graph


def cache_clear() -> None:
    with _lock:
        _cache.clear()
