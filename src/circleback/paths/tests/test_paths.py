from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from circleback.journal.models import Participation
from circleback.journal.services import interaction_log
from circleback.operations.erase import person_erase
from circleback.paths.graph import KINDS, cache_clear, graph_for, load_graph, node_positions
from circleback.paths.queries.paths import paths_to_organisation, paths_to_person
from circleback.paths.tests.factories import network
from circleback.people.models import Person, Tie
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_delete, tie_set


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


def names(path) -> list[str]:
    return [s.person.full_name for s in path.steps]


def test_it_prefers_the_strong_longer_path_over_the_short_weak_one(alice):
    net = network(alice)
    result = paths_to_organisation(owner=alice, organisation=net.globex)
    assert names(result.paths[0]) == ["Maya Rosen", "Sam Okafor", "Dana Li"]
    # The weak tie is not discarded: it is still offered, lower down.
    assert ["Wes Tan", "Dana Li"] in [names(p) for p in result.paths]
    # Ways to the decision maker first (however short a way to someone else), then by score.
    ends = [p.ends_at_decision_maker for p in result.paths]
    assert True in ends and False in ends and ends == sorted(ends, reverse=True)
    for group in (True, False):
        scores = [p.score for p in result.paths if p.ends_at_decision_maker is group]
        assert scores == sorted(scores, reverse=True)
    assert result.paths[0].why == "Ends at a decision maker, who can say yes."
    assert result.paths[-1].why.endswith("could introduce you to whoever decides.")


def test_a_short_strong_way_to_an_engineer_comes_after_any_way_to_the_decision_maker(alice):
    net = network(alice)
    # You know Lee (Globex, not a decision maker) well and directly: one short, strong step.
    Person.objects.filter(pk=net.lee.pk).update(contact_list="B", closeness=5)
    # ... while every way to Dana, the decision maker, runs through weak ties.
    tie_set(owner=alice, person=net.maya, other=net.sam, kind="other", strength=1)
    tie_set(owner=alice, person=net.sam, other=net.dana, kind="other", strength=1)
    result = paths_to_organisation(owner=alice, organisation=net.globex)
    by_end = [names(p)[-1] for p in result.paths]
    assert by_end.index("Lee Park") > max(i for i, n in enumerate(by_end) if n == "Dana Li")
    assert any(p.score > result.paths[0].score for p in result.paths if names(p) == ["Lee Park"])


def test_it_explains_each_path_in_words(alice):
    net = network(alice)
    best = paths_to_organisation(owner=alice, organisation=net.globex).paths[0]
    assert best.sentence.startswith("You → Maya Rosen (career contact, inner circle; last spoke 3")
    assert "weeks ago; 1 interaction in your journal)" in best.sentence
    assert "→ Sam Okafor (Maya's colleague at Globex)" in best.sentence
    assert best.sentence.endswith("→ Dana Li (Director, Globex; decision maker; Sam's colleague)")


def test_a_short_weak_path_wins_when_the_long_one_is_weaker_still(alice):
    net = network(alice)
    tie_set(owner=alice, person=net.maya, other=net.sam, kind="other", strength=1)
    tie_set(owner=alice, person=net.sam, other=net.dana, kind="other", strength=1)
    tie_set(owner=alice, person=net.wes, other=net.dana, kind="colleague", strength=5)
    result = paths_to_organisation(owner=alice, organisation=net.globex)
    assert names(result.paths[0]) == ["Wes Tan", "Dana Li"]


def test_paths_never_repeat_a_person(alice):
    net = network(alice)
    # A triangle around Sam tempts a walk back through Maya.
    tie_set(owner=alice, person=net.maya, other=net.dana, kind="friend", strength=1)
    tie_set(owner=alice, person=net.wes, other=net.maya, kind="friend", strength=5)
    tie_set(owner=alice, person=net.wes, other=net.sam, kind="friend", strength=5)
    result = paths_to_organisation(owner=alice, organisation=net.globex, limit=50)
    assert len(result.paths) > 3
    for path in result.paths:
        pks = [s.person.pk for s in path.steps]
        assert len(pks) == len(set(pks)), path.sentence
        assert len(pks) <= 4


def test_it_ends_at_the_organisation_and_prefers_decision_makers(alice):
    net = network(alice)
    tie_set(owner=alice, person=net.maya, other=net.lee, kind="colleague", strength=5)
    result = paths_to_organisation(owner=alice, organisation=net.globex, limit=50)
    for path in result.paths:
        assert path.target.organisation_id == net.globex.pk
    # Lee is one hop closer than Dana but can't say yes: Dana's path still ranks first.
    assert names(result.paths[0])[-1] == "Dana Li"


def test_others_data_never_enters_your_paths(alice, charlie):
    net = network(alice)
    theirs = organisation_create(owner=charlie, name="Globex")
    ceo = person_create(
        owner=charlie, full_name="Chuck", organisation=theirs, is_decision_maker=True
    )
    friend = person_create(owner=charlie, full_name="Charlie's friend", closeness=5)
    tie_set(owner=charlie, person=friend, other=ceo, strength=5)
    # Even a tie row owned by charlie between alice's people is ignored.
    Tie.objects.create(owner=charlie, person_a=net.wes, person_b=net.lee, strength=5)
    Tie.objects.create(owner=alice, person_a=net.dana, person_b=friend, strength=5)
    result = paths_to_organisation(owner=alice, organisation=net.globex, limit=50)
    everyone = {s.person.owner_id for p in result.paths for s in p.steps}
    assert everyone == {alice.pk}
    assert ["Wes Tan", "Lee Park"] not in [names(p) for p in result.paths]
    with pytest.raises(ValidationError):
        paths_to_organisation(owner=alice, organisation=theirs)
    assert paths_to_organisation(owner=charlie, organisation=theirs).paths[0].target == ceo


def test_deleted_people_vanish_from_paths(alice):
    net = network(alice)
    assert paths_to_organisation(owner=alice, organisation=net.globex).paths
    person_erase(person=net.sam)
    result = paths_to_organisation(owner=alice, organisation=net.globex)
    assert all("Sam Okafor" not in names(p) for p in result.paths)
    assert names(result.paths[0]) == ["Wes Tan", "Dana Li"]


def test_a_new_tie_shows_up_in_the_next_query(alice):
    net = network(alice)
    before = paths_to_organisation(owner=alice, organisation=net.globex)
    assert ["Maya Rosen", "Lee Park"] not in [names(p) for p in before.paths]
    tie_set(owner=alice, person=net.maya, other=net.lee, kind="friend", strength=4)
    after = paths_to_organisation(owner=alice, organisation=net.globex)
    assert ["Maya Rosen", "Lee Park"] in [names(p) for p in after.paths]
    tie_delete(
        tie=Tie.objects.get(
            person_a=min(net.maya.pk, net.lee.pk), person_b=max(net.maya.pk, net.lee.pk)
        )
    )
    again = paths_to_organisation(owner=alice, organisation=net.globex)
    assert ["Maya Rosen", "Lee Park"] not in [names(p) for p in again.paths]


def test_a_stronger_tie_is_seen_without_any_other_change(alice):
    net = network(alice)

    def via_maya_to_dana() -> float:
        paths = paths_to_organisation(owner=alice, organisation=net.globex).paths
        return next(p.score for p in paths if names(p) == ["Maya Rosen", "Sam Okafor", "Dana Li"])

    before = via_maya_to_dana()
    tie_set(owner=alice, person=net.sam, other=net.dana, kind="colleague", strength=2)
    assert via_maya_to_dana() == pytest.approx(before * 2 / 5)


def test_a_new_interaction_moves_a_path_up(alice, make_person):
    org = organisation_create(owner=alice, name="Hooli")
    boss = make_person(alice, "Gavin B", organisation=org, is_decision_maker=True, contact_list="C")
    old = make_person(alice, "Ola Old", contact_list="B", closeness=3)
    new = make_person(alice, "Nia New", contact_list="B", closeness=3)
    tie_set(owner=alice, person=old, other=boss, strength=4)
    tie_set(owner=alice, person=new, other=boss, strength=4)
    interaction_log(
        owner=alice,
        summary="Lunch",
        people=[old],
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    assert names(paths_to_organisation(owner=alice, organisation=org).paths[0])[0] == "Ola Old"
    interaction_log(owner=alice, summary="Call", people=[new], direction="incoming")
    interaction_log(owner=alice, summary="Reply", people=[new], direction="outgoing")
    assert names(paths_to_organisation(owner=alice, organisation=org).paths[0])[0] == "Nia New"


def test_the_graph_is_reused_until_something_changes(alice, django_assert_max_num_queries):
    net = network(alice)
    first = graph_for(alice)
    # Nothing changed: one tiny query on SQLite (the database's change marker), two on
    # PostgreSQL inside the test's transaction (no marker there, so the stamp is read).
    with django_assert_max_num_queries(1 if connection.vendor == "sqlite" else 2):
        assert graph_for(alice) is first
    person_create(owner=alice, full_name="Someone New")
    assert graph_for(alice) is not first
    assert graph_for(alice).size == first.size + 1
    del net


def test_at_most_two_paths_share_a_first_person_before_the_rest_are_filled(alice, make_person):
    org = organisation_create(owner=alice, name="Umbrella")
    hub = make_person(alice, "Hub Person", contact_list="A", closeness=5)
    weak = make_person(alice, "Faint Tie", contact_list="B", closeness=1)
    staff = [
        make_person(alice, f"Staff {i}", organisation=org, contact_list="C", is_decision_maker=True)
        for i in range(5)
    ]
    for person in staff:
        tie_set(owner=alice, person=hub, other=person, kind="colleague", strength=5)
    tie_set(owner=alice, person=weak, other=staff[0], kind="other", strength=1)
    result = paths_to_organisation(owner=alice, organisation=org, limit=5)
    firsts = [p.first.full_name for p in result.paths]
    # Two through the hub, two through the faint tie (the second goes back via the hub),
    # and only then a third through the hub, although it scores higher than both faint ones.
    assert firsts == ["Hub Person", "Hub Person", "Faint Tie", "Faint Tie", "Hub Person"]
    assert result.paths[4].score > result.paths[2].score


def test_with_no_path_it_says_so_and_suggests_openings(alice, make_person):
    net = network(alice)
    far = organisation_create(owner=alice, name="Far Away Freight", industry="Logistics")
    make_person(alice, "Nobody Known", organisation=far, contact_list="C")
    ex = make_person(
        alice, "Ex Employee", contact_list="B", notes="Spent 5 years at Far Away Freight"
    )
    peer = make_person(alice, "Pat Peer", contact_list="B", organisation=net.initech)
    result = paths_to_organisation(owner=alice, organisation=far)
    assert result.paths == []
    by_kind = {(o.kind, o.person.full_name) for o in result.openings}
    assert ("industry", "Pat Peer") in by_kind
    assert ("former", "Ex Employee") in by_kind
    # Maya knows Sam at Globex, a neighbour in the same industry.
    assert ("neighbour", "Maya Rosen") in by_kind
    reasons = {o.person.full_name: o.reason for o in result.openings}
    assert reasons["Maya Rosen"] == "knows Sam Okafor at Globex, also in Logistics"
    del ex, peer


def test_an_organisation_with_nobody_has_no_paths(alice):
    empty = organisation_create(owner=alice, name="Empty Co")
    result = paths_to_organisation(owner=alice, organisation=empty)
    assert result.people_there == 0 and result.paths == []


def test_paths_to_a_person_end_at_that_person(alice):
    net = network(alice)
    result = paths_to_person(owner=alice, person=net.sam)
    assert [names(p) for p in result.paths] == [
        ["Maya Rosen", "Sam Okafor"],
        ["Wes Tan", "Dana Li", "Sam Okafor"],
    ]


def test_you_already_know_someone_there(alice):
    net = network(alice)
    interaction_log(owner=alice, summary="Met Lee at a meetup", people=[net.lee])
    result = paths_to_organisation(owner=alice, organisation=net.globex, limit=50)
    assert ["Lee Park"] in [names(p) for p in result.paths]


@pytest.mark.parametrize("limit", [0, -1, 51, 1000])
def test_it_refuses_a_limit_out_of_range(alice, limit):
    net = network(alice)
    with pytest.raises(ValidationError) as info:
        paths_to_organisation(owner=alice, organisation=net.globex, limit=limit)
    assert "limit" in info.value.message_dict


def test_your_link_follows_the_documented_formula(alice):
    net = network(alice)
    graph = graph_for(alice)
    maya = graph.node_of(net.maya.pk)
    expected = 0.40 * 5 / 5 + 0.25 / (1 + 21 / 90) + 0.20 * (1 - math.exp(-1 / 6)) + 0.15 * 1
    assert float(graph.you[maya]) == pytest.approx(expected, abs=1e-3)
    # Wes: closeness 1, never spoken to — a weak tie, floored but never dropped.
    assert float(graph.you[graph.node_of(net.wes.pk)]) == pytest.approx(0.08)
    # Dana is on list C and you've never spoken: not someone you know first-hand.
    assert float(graph.you[graph.node_of(net.dana.pk)]) == 0


@pytest.mark.parametrize("spread", [1, 10_000_000], ids=["contiguous ids", "scattered ids"])
def test_node_positions_finds_exactly_the_ids_present(spread):
    rng = np.random.default_rng(3)
    ids = np.unique(rng.integers(1, 200 * spread, size=150)).astype(np.int64)
    values = np.concatenate([ids, ids + 1, [0, -5, ids[-1] + 10**9]]).astype(np.int64)
    where, found = node_positions(ids, values)
    assert found.tolist() == [v in set(ids.tolist()) for v in values.tolist()]
    assert (ids[where[found]] == values[found]).all()
    empty_where, empty_found = node_positions(np.zeros(0, dtype=np.int64), values)
    assert not empty_found.any() and len(empty_where) == len(values)


def test_the_loaded_graph_holds_every_tie_with_its_strength_and_kind(alice, charlie):
    net = network(alice)
    network(charlie)  # someone else's network in the same tables stays out
    graph = load_graph(alice)
    people = list(Person.objects.filter(owner=alice).order_by("pk"))
    assert graph.ids.tolist() == [p.pk for p in people]
    assert graph.decision_maker.tolist() == [p.is_decision_maker for p in people]
    index = {pk: i for i, pk in enumerate(graph.ids.tolist())}
    expected = set()
    for tie in Tie.objects.filter(owner=alice):
        a, b = index[tie.person_a_id], index[tie.person_b_id]
        expected |= {(a, b, tie.strength, tie.kind), (b, a, tie.strength, tie.kind)}
    loaded = {
        (node, int(graph.nbr[k]), int(graph.strength[k]), KINDS[int(graph.kind[k])])
        for node in range(graph.size)
        for k in range(graph.indptr[node], graph.indptr[node + 1])
    }
    assert loaded == expected and graph.tie_count == len(expected) // 2
    assert (
        graph.interactions[index[net.maya.pk]]
        == Participation.objects.filter(person=net.maya).count()
    )
