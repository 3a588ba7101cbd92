"""Group ways in on a big group: 200 members, each opening 2,000 people.

`run(ctx)` makes its own accounts (it does not touch ctx.owner's data): MEMBERS members of one
group, each with PEOPLE_EACH people at organisations drawn (power-law) from a shared pool of
names, each spelling them their own way ("Org 17" / "Org 17 Inc."), as separate users do.
Each member opens list B to the group, a tenth open a tag as well, and a few people are kept
closed, so every kind of opening is read. Then it measures, warm, for one member:

- group_paths_p50_ms: `group_ways_in` to a target organisation (median over TARGETS targets
  of varied size), the query the Ways in page and `paths --group` run;
- group_paths_p95_ms: the same, 95th percentile;
- group_opened_people: how many people are open to the group in all;
- group_page_opened_p50_ms: `opened_to_group`, the group page's list of people other members
  opened (its first 200, by member and name), median over REPEATS warm runs;
- group_page_opened_statements: how many SQL statements that list takes (set-based: the same
  at any size);
- group_index_counts_p50_ms: `group_ways_in_counts`, the Ways in index's "N through your
  groups" for INDEX_TARGETS of the seeker's organisations, the biggest first (each count stops
  at the page's limit, so the biggest targets cost what small ones do), median over REPEATS;
- group_index_counts_statements: how many SQL statements those counts take.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from typing import Any

import numpy as np

MEMBERS = int(os.environ.get("CIRCLEBACK_BENCH_GROUP_MEMBERS", "200"))
PEOPLE_EACH = int(os.environ.get("CIRCLEBACK_BENCH_GROUP_PEOPLE", "2000"))
ORG_POOL = 3000
TARGETS = 20
INDEX_TARGETS = 50
REPEATS = 5


def run(ctx: Any) -> dict[str, float]:
    from circleback.accounts.models import User

    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        [User(username=f"bench-group-{tag}-{n}") for n in range(MEMBERS)]
    )
    users = list(User.objects.filter(username__startswith=f"bench-group-{tag}-").order_by("pk"))
    try:
        return _measure(users)
    finally:
        if os.environ.get("CIRCLEBACK_BENCH_KEEP") != "1":
            _drop(users)


def _generate(users: list[Any]) -> Any:
    from django.db import transaction

    from circleback.groups.models import Group, Membership, Opening
    from circleback.people.models import Organisation, Person, Tag
    from circleback.text import normalize_org_name

    rng = np.random.default_rng(7)
    # Organisation sizes follow a power law: a few names nearly everyone has people at.
    weights = 1.0 / np.arange(1, ORG_POOL + 1) ** 1.1
    weights /= weights.sum()
    group = Group.objects.create(name="Bench club")
    with transaction.atomic():
        Membership.objects.bulk_create(
            [
                Membership(group=group, owner=u, role="organiser" if i == 0 else "member")
                for i, u in enumerate(users)
            ]
        )
        for i, user in enumerate(users):
            picks = rng.choice(ORG_POOL, size=PEOPLE_EACH, p=weights)
            names = sorted(set(picks.tolist()))
            spelled = {n: f"Org {n}" + (" Inc." if (n + i) % 3 == 0 else "") for n in names}
            orgs = Organisation.objects.bulk_create(
                [
                    Organisation(
                        owner=user, name=spelled[n], normalized_name=normalize_org_name(spelled[n])
                    )
                    for n in names
                ],
                batch_size=2000,
            )
            org_ids = dict(
                Organisation.objects.filter(owner=user).values_list("normalized_name", "pk")
            )
            del orgs
            lists = rng.choice(["A", "B", "C"], size=PEOPLE_EACH, p=[0.15, 0.6, 0.25])
            Person.objects.bulk_create(
                [
                    Person(
                        owner=user,
                        full_name=f"Person {i}-{k}",
                        title="Director" if k % 17 == 0 else "Engineer",
                        organisation_id=org_ids[normalize_org_name(spelled[int(picks[k])])],
                        contact_list=str(lists[k]),
                        closeness=int(1 + k % 5),
                        is_decision_maker=k % 17 == 0,
                    )
                    for k in range(PEOPLE_EACH)
                ],
                batch_size=2000,
            )
            Opening.objects.create(
                group=group, owner=user, kind="list", contact_list="B", consent="bench"
            )
            if i % 10 == 0:
                tag = Tag.objects.create(owner=user, name="open")
                ids = list(
                    Person.objects.filter(owner=user, contact_list="A").values_list("pk", flat=True)
                )
                Person.tags.through.objects.bulk_create(
                    [Person.tags.through(person_id=pk, tag_id=tag.pk) for pk in ids]
                )
                Opening.objects.create(group=group, owner=user, kind="tag", tag=tag, consent="b")
            for pk in Person.objects.filter(owner=user, contact_list="B").values_list(
                "pk", flat=True
            )[:3]:
                Opening.objects.create(
                    group=group, owner=user, kind="except", person_id=pk, consent="bench"
                )
    return group


def _measure(users: list[Any]) -> dict[str, float]:
    from django.db import connection

    from circleback.groups.queries import group_ways_in, opened_people
    from circleback.people.models import Organisation

    started = time.perf_counter()
    group = _generate(users)
    generate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeker = users[1]
    # The seeker's own organisations are the targets: big, middling and small ones.
    theirs = list(Organisation.objects.filter(owner=seeker).order_by("name"))
    step = max(1, len(theirs) // TARGETS)
    targets = theirs[::step][:TARGETS]
    timings = []
    found = 0
    for target in targets:
        group_ways_in(owner=seeker, organisation=target, group=group)  # warm
        for _ in range(REPEATS):
            t = time.perf_counter()
            ways = group_ways_in(owner=seeker, organisation=target, group=group)
            timings.append((time.perf_counter() - t) * 1000)
        found += len(ways)
    timings.sort()
    page_ms, statements = _page(seeker, group)
    index_ms, index_statements = _index(seeker, theirs)
    return {
        "group_paths_p50_ms": round(statistics.median(timings), 2),
        "group_paths_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "group_members": MEMBERS,
        "group_people": MEMBERS * PEOPLE_EACH,
        "group_opened_people": opened_people(viewer=seeker, group=group).count(),
        "group_ways_found": found,
        "group_page_opened_p50_ms": page_ms,
        "group_page_opened_statements": statements,
        "group_index_counts_p50_ms": index_ms,
        "group_index_counts_statements": index_statements,
        "group_generate_s": round(generate_s, 1),
    }


def _page(seeker: Any, group: Any) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.groups.queries import opened_to_group

    opened_to_group(viewer=seeker, group=group)  # warm
    timings = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        opened_to_group(viewer=seeker, group=group)
        timings.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as queries:
        opened_to_group(viewer=seeker, group=group)
    return round(statistics.median(timings), 2), len(queries)


def _index(seeker: Any, theirs: list[Any]) -> tuple[float, int]:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from circleback.groups.queries import group_ways_in_counts
    from circleback.people.models import Organisation

    # The seeker's biggest organisations by name across the group: the worst case for a count.
    sizes = dict(
        Organisation.objects.filter(normalized_name__in=[o.normalized_name for o in theirs])
        .values("normalized_name")
        .annotate(n=Count("people"))
        .values_list("normalized_name", "n")
    )
    targets = sorted(theirs, key=lambda o: -sizes.get(o.normalized_name, 0))[:INDEX_TARGETS]
    group_ways_in_counts(seeker, targets, 10)  # warm
    timings = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        group_ways_in_counts(seeker, targets, 10)
        timings.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as queries:
        group_ways_in_counts(seeker, targets, 10)
    return round(statistics.median(timings), 2), len(queries)


def _drop(users: list[Any]) -> None:
    """Every row of the bench members, a statement a table (the ORM would cascade row by
    row for minutes)."""
    from django.db import connection, transaction

    from circleback.accounts.models import User
    from circleback.groups.models import Group, Membership, Opening
    from circleback.people.models import Organisation, Person, Tag

    ids = [u.pk for u in users]
    group_ids = list(Membership.objects.filter(owner_id__in=ids).values_list("group_id", flat=True))
    with transaction.atomic():
        Opening.objects.filter(owner_id__in=ids)._raw_delete(connection.alias)
        Membership.objects.filter(owner_id__in=ids)._raw_delete(connection.alias)
        Group.objects.filter(pk__in=group_ids)._raw_delete(connection.alias)
        Person.tags.through.objects.filter(person__owner_id__in=ids).delete()
        Person.objects.filter(owner_id__in=ids)._raw_delete(connection.alias)
        Tag.objects.filter(owner_id__in=ids)._raw_delete(connection.alias)
        Organisation.objects.filter(owner_id__in=ids)._raw_delete(connection.alias)
        User.objects.filter(pk__in=ids)._raw_delete(connection.alias)
