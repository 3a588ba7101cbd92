"""demo_generate: a realistic, deterministic, owner-scoped sample network."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Min

from circleback.accounts.models import User
from circleback.db.tests.once import rolled_back_afterwards
from circleback.demo.services import DemoReport, demo_generate
from circleback.journal.models import Interaction, Participation
from circleback.journal.queries import search
from circleback.people.models import Email, Link, Organisation, Person, Phone, Tag, Tie
from circleback.search.models import SearchDocument
from circleback.text import fold

FROZEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
OWNED = [Person, Organisation, Tag, Email, Phone, Link, Tie, Interaction, Participation]


def _generate(owner: User, **options: Any) -> DemoReport:
    with time_machine.travel(FROZEN, tick=False):
        return demo_generate(owner=owner, **options)


def _snapshot(owner: User) -> dict[str, list[Any]]:
    """The network as plain values, independent of ids and UUIDs."""
    people = list(Person.objects.filter(owner=owner).order_by("pk"))
    index = {p.pk: i for i, p in enumerate(people)}
    return {
        "people": [
            (p.full_name, p.title, p.contact_list, p.closeness, p.is_decision_maker, p.how_we_met)
            for p in people
        ],
        "organisations": list(
            Organisation.objects.filter(owner=owner)
            .order_by("pk")
            .values_list("name", "industry", "is_target", "priority", "stage")
        ),
        "ties": sorted(
            (index[a], index[b], kind, strength)
            for a, b, kind, strength in Tie.objects.filter(owner=owner).values_list(
                "person_a_id", "person_b_id", "kind", "strength"
            )
        ),
        "journal": list(
            Interaction.objects.filter(owner=owner)
            .order_by("pk")
            .values_list("occurred_at", "kind", "direction", "summary", "notes")
        ),
    }


def test_it_makes_the_same_network_for_the_same_seed(alice: User, bob: User) -> None:
    _generate(alice, people=120, seed=5)
    _generate(bob, people=120, seed=5)
    assert _snapshot(alice) == _snapshot(bob)


def test_it_makes_another_network_for_another_seed(alice: User, bob: User) -> None:
    _generate(alice, people=120, seed=5)
    _generate(bob, people=120, seed=6)
    assert _snapshot(alice)["people"] != _snapshot(bob)["people"]


def test_it_refuses_to_mix_into_an_existing_network(alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill")
    before = {m.__name__: m.objects.count() for m in OWNED}  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as error:
        _generate(alice, people=50)
    assert "already has 1 person" in str(error.value) and "--force" in str(error.value)
    assert {m.__name__: m.objects.count() for m in OWNED} == before  # type: ignore[attr-defined]


def test_force_adds_a_second_network_beside_the_first(alice: User) -> None:
    _generate(alice, people=60, seed=1)
    report = _generate(alice, people=60, seed=1, force=True)
    assert report.people == 60
    assert Person.objects.filter(owner=alice).count() == 120


@pytest.mark.parametrize(
    "options",
    [
        {"people": 0},
        {"people": -3},
        {"people": 200_001},
        {"years": 0},
        {"years": 31},
        {"seed": -1},
        {"interactions_per_person": -1},
    ],
)
def test_it_rejects_bad_values_and_writes_nothing(alice: User, options: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as error:
        _generate(alice, **options)
    assert set(error.value.message_dict) == {next(iter(options))}
    assert Person.objects.count() == Organisation.objects.count() == Tag.objects.count() == 0


def test_it_reports_progress_up_to_the_total(alice: User) -> None:
    calls: list[tuple[int, int, str]] = []
    _generate(
        alice, people=40, progress=lambda done, total, stage: calls.append((done, total, stage))
    )
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and done[-1] == calls[-1][1]
    assert [s for s in dict.fromkeys(s for _, _, s in calls)] == [
        "organisations",
        "people",
        "ties",
        "journal",
        "participants",
        "search index",
        "give and take",
    ]


def test_a_tiny_network_still_works(alice: User) -> None:
    report = _generate(alice, people=1, interactions_per_person=2)
    assert report.people == 1 and report.ties == 0 and report.interactions == 2


def test_a_second_demo_leaves_the_club_as_it_was(alice: User) -> None:
    _generate(alice, people=60, seed=1)
    from circleback.groups.models import BoardPost, Membership

    before = (Membership.objects.count(), BoardPost.objects.count())
    _generate(alice, people=60, seed=1, force=True)
    assert (Membership.objects.count(), BoardPost.objects.count()) == before


def test_the_job_search_happened_at_times_of_day_not_the_minute_the_demo_ran(
    alice: User,
) -> None:
    """Run at 03:17 (an odd minute, at night): the interviews are in working hours on the
    half hour, and what the job search put in the journal was done at a time of day a person
    keeps — none of it at the minute the demo ran."""
    from zoneinfo import ZoneInfo

    from circleback.jobs.models import Interview

    ran = dt.datetime(2026, 11, 20, 3, 17, 41, tzinfo=dt.UTC)
    alice.time_zone = "Europe/London"
    alice.save(update_fields=["time_zone"])
    with time_machine.travel(ran, tick=False):
        demo_generate(owner=alice, people=120, seed=3)
    zone = ZoneInfo("Europe/London")
    interviews = list(Interview.objects.filter(owner=alice))
    assert interviews
    for interview in interviews:
        local = interview.scheduled_for.astimezone(zone)
        assert 9 <= local.hour <= 17 and local.minute in (0, 30), local
    entries = list(Interaction.objects.filter(owner=alice, source="jobs"))
    assert entries
    for entry in entries:
        local = entry.occurred_at.astimezone(zone)
        assert 8 <= local.hour <= 20, (entry.summary, local)
        assert (local.minute, local.second) != (17, 41), (entry.summary, local)


class TestAThreeHundredPersonNetwork:
    """What the demo makes, read from one 300-person network made once for these tests (each
    test's changes are rolled back; see circleback.db.tests.once)."""

    @pytest.fixture(scope="class")
    @classmethod
    def made(cls, django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[int, DemoReport]]:
        with rolled_back_afterwards(django_db_blocker):
            with django_db_blocker.unblock():
                owner = User(username="alice", time_zone="Europe/London")
                owner.set_password("correct horse battery staple")
                owner.save()
                report = _generate(owner, people=300, seed=3)
            yield owner.pk, report

    @pytest.fixture
    def alice(self, db: None, made: tuple[int, DemoReport]) -> User:
        return User.objects.get(pk=made[0])

    @pytest.fixture
    def network(self, made: tuple[int, DemoReport]) -> DemoReport:
        return copy.deepcopy(made[1])

    def test_it_reports_what_it_wrote(self, alice: User, network: DemoReport) -> None:
        assert network.people == Person.objects.filter(owner=alice).count() == 300
        # Ten entries a person, and those the give and take wrote (meetings, thank-yous…).
        assert network.interactions == Interaction.objects.filter(owner=alice).count() > 3000
        assert network.ties == Tie.objects.filter(owner=alice).count()
        assert network.organisations == Organisation.objects.filter(owner=alice).count()
        assert network.participations == Participation.objects.filter(owner=alice).count()
        assert network.emails == Email.objects.filter(owner=alice).count()
        assert sum(network.lists.values()) == 300

    def test_it_puts_people_on_lists_in_plausible_proportions(
        self, alice: User, network: DemoReport
    ) -> None:
        shares = {k: v / 300 for k, v in network.lists.items()}
        assert 0.03 <= shares["A"] <= 0.15
        assert 0.50 <= shares["B"] <= 0.75
        assert 0.20 <= shares["C"] <= 0.40
        closeness = list(Person.objects.filter(owner=alice).values_list("closeness", flat=True))
        assert statistics.mean(closeness) < 2.5  # most people are met-once or acquaintances
        assert Counter(closeness)[5] < Counter(closeness)[1]

    def test_it_gives_decision_makers_titles_that_decide(
        self, alice: User, network: DemoReport
    ) -> None:
        titles = list(
            Person.objects.filter(owner=alice, is_decision_maker=True).values_list(
                "title", flat=True
            )
        )
        assert titles and network.decision_makers == len(titles)
        deciding = re.compile(r"Director|VP|Head of|Chief|CEO|Managing|Hiring Manager|Counsel")
        assert all(deciding.search(t) for t in titles), titles

    def test_it_sizes_organisations_unevenly_and_marks_a_few_targets(
        self, alice: User, network: DemoReport
    ) -> None:
        sizes = sorted(
            Organisation.objects.filter(owner=alice)
            .annotate(n=Count("people"))
            .values_list("n", flat=True),
            reverse=True,
        )
        assert sizes[0] >= 4 * statistics.median(sizes)  # Zipf: a few big, many small
        targets = Organisation.objects.filter(owner=alice, is_target=True)
        assert 1 <= targets.count() <= max(2, len(sizes) // 10)
        assert all(t.priority in range(1, 6) and t.stage for t in targets)

    def test_ties_pair_distinct_people_once_with_a_power_law_of_degrees(
        self, alice: User, network: DemoReport
    ) -> None:
        pairs = list(Tie.objects.filter(owner=alice).values_list("person_a_id", "person_b_id"))
        assert all(a < b for a, b in pairs)
        assert len(set(pairs)) == len(pairs)
        degree = Counter(x for pair in pairs for x in pair)
        degrees = sorted(degree.values())
        assert degrees[-1] >= 5 * statistics.median(degrees)
        kinds = set(Tie.objects.filter(owner=alice).values_list("kind", flat=True))
        assert {"colleague", "former_colleague", "friend", "classmate"} <= kinds

    def test_colleague_ties_stay_inside_an_organisation(
        self, alice: User, network: DemoReport
    ) -> None:
        colleagues = Tie.objects.filter(owner=alice, kind="colleague").values_list(
            "person_a__organisation_id", "person_b__organisation_id"
        )
        assert colleagues and all(a == b and a is not None for a, b in colleagues)

    def test_every_row_belongs_to_the_owner(
        self, alice: User, bob: User, network: DemoReport
    ) -> None:
        """The owner's, or the job club's fellow members' (accounts of their own), never bob's."""
        club = User.objects.filter(username__startswith="alice-club-")
        assert club.count() == 3
        for model in OWNED:
            others = model.objects.exclude(owner=alice).exclude(owner__in=club)  # type: ignore[attr-defined]
            assert others.count() == 0, model.__name__
            assert model.objects.filter(owner=alice).exists(), model.__name__  # type: ignore[attr-defined]
        assert SearchDocument.objects.exclude(owner=alice).exclude(owner__in=club).count() == 0
        people = Person.objects.filter(owner=alice)
        assert people.filter(introduced_by__isnull=False).exists()
        assert not people.exclude(introduced_by__isnull=True).exclude(introduced_by__owner=alice)
        assert not people.filter(organisation__isnull=False).exclude(organisation__owner=alice)
        assert not Participation.objects.exclude(person__owner=alice).exclude(
            person__owner__in=club
        )
        assert not Participation.objects.filter(interaction__owner=alice).exclude(
            person__owner=alice
        )

    def test_nobody_introduced_themselves_or_went_round_in_a_circle(
        self, alice: User, network: DemoReport
    ) -> None:
        introducer = dict(
            Person.objects.filter(owner=alice, introduced_by__isnull=False).values_list(
                "pk", "introduced_by_id"
            )
        )
        for start in introducer:
            seen, at = set(), start
            while at in introducer:
                assert at not in seen
                seen.add(at)
                at = introducer[at]

    def test_last_contact_is_the_newest_participation(
        self, alice: User, network: DemoReport
    ) -> None:
        newest = dict(
            Participation.objects.filter(owner=alice)
            .values("person_id")
            .annotate(m=Max("occurred_at"))
            .values_list("person_id", "m")
        )
        for pk, last in Person.objects.filter(owner=alice).values_list("pk", "last_contact_at"):
            assert last == newest.get(pk)
        assert len(newest) > 200  # most people have been in touch at least once

    def test_entries_name_one_to_three_people_at_the_entry_time(
        self, alice: User, network: DemoReport
    ) -> None:
        counts = Counter(
            Participation.objects.filter(owner=alice)
            .values("interaction_id")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        )
        assert set(counts) <= {1, 2, 3} and counts[1] > counts[2] > 0
        assert not Participation.objects.filter(owner=alice).exclude(
            occurred_at=F("interaction__occurred_at")
        )
        newest = Interaction.objects.filter(owner=alice).aggregate(m=Max("occurred_at"))["m"]
        assert newest <= FROZEN

    def test_people_were_added_before_anyone_wrote_about_them(
        self, alice: User, network: DemoReport
    ) -> None:
        first = dict(
            Participation.objects.filter(owner=alice)
            .values("person_id")
            .annotate(m=Min("occurred_at"))
            .values_list("person_id", "m")
        )
        for pk, added in Person.objects.filter(owner=alice).values_list("pk", "created_at"):
            assert pk not in first or added <= first[pk]

    def test_generated_rows_pass_the_models_own_validation(
        self, alice: User, network: DemoReport
    ) -> None:
        for person in Person.objects.filter(owner=alice)[:300]:
            person.full_clean(exclude=["owner", "organisation", "introduced_by"])
        for model in (Email, Phone, Link):
            for detail in model.objects.filter(owner=alice):
                detail.full_clean(exclude=["owner", "person"])
        # Nothing can reach a real person: reserved domains only.
        assert all(a.endswith(".example") for a in Email.objects.values_list("address", flat=True))

    def test_search_finds_an_accented_name_typed_without_accents(
        self, alice: User, network: DemoReport
    ) -> None:
        person = next(
            p
            for p in Person.objects.filter(owner=alice).order_by("pk")
            if fold(p.full_name) != p.full_name.lower() and fold(p.full_name).isascii()
        )
        hits = search(owner=alice, text=fold(person.full_name), kinds=("person",))
        assert person.pk in [h.person.pk for h in hits if h.person]
        assert fold(network.example_search) == network.example_search
        assert search(owner=alice, text=network.example_search[:3], kinds=("person",))

    def test_search_finds_generated_journal_entries(self, alice: User, network: DemoReport) -> None:
        entry = Interaction.objects.filter(owner=alice).exclude(notes="").order_by("pk").first()
        assert entry is not None
        word = max(fold(entry.summary).split(), key=len)
        hits = search(owner=alice, text=word, kinds=("interaction",), limit=5000)
        assert entry.pk in [h.interaction.pk for h in hits if h.interaction]

    def test_the_give_and_take_happened_over_the_weeks_before_not_all_at_once(
        self, alice: User, network: DemoReport
    ) -> None:
        """Home's "recently in your journal" once showed eight entries at the demo's minute."""
        from circleback.journal.queries import journal_recent
        from circleback.loops.models import Lead, LoopStep

        steps = list(
            LoopStep.objects.filter(owner=alice, interaction__isnull=False).select_related(
                "interaction"
            )
        )
        moments = [s.interaction.occurred_at for s in steps if s.interaction is not None]
        assert len(moments) >= 8
        # One action may close a few steps at once (a meeting recorded closes the lead's), never
        # the whole give and take.
        assert max(Counter(moments).values()) <= 3 and len(set(moments)) >= 12
        assert FROZEN - dt.timedelta(days=50) <= min(moments) and max(moments) <= FROZEN
        assert max(moments) - min(moments) >= dt.timedelta(days=14)
        # A step's journal entry is when the step was done.
        assert all(
            s.interaction is not None and s.interaction.occurred_at == s.done_at for s in steps
        )

        # Each lead's loop in its order: given, then each step done after the one before, and the
        # next step falling due after the one before was done.
        leads = Lead.objects.filter(owner=alice).prefetch_related("steps")
        assert leads.count() >= 6
        for lead in leads:
            chain = sorted(lead.steps.all(), key=lambda s: s.pk)
            given = chain[0].loop_started_at
            done = [s.done_at for s in chain if s.done_at is not None]
            assert done == sorted(done) and all(given < d <= FROZEN for d in done)
            for before, after in itertools.pairwise(chain):
                if before.done_at is not None and after.kind != "thank_you":
                    assert after.due_at > before.done_at
            assert lead.referred.created_at <= given  # the person came with the name

        # Home's eight: a few may share a moment (an article shared with two people), not all.
        recent = journal_recent(alice, limit=8)
        assert len({entry.occurred_at for entry in recent}) >= 5

    def test_the_owner_is_in_a_job_club_with_something_to_see(
        self, alice: User, bob: User, network: DemoReport
    ) -> None:
        from circleback.groups.models import IntroRequest
        from circleback.groups.queries import (
            board_entries,
            get_group_for,
            group_ways_in,
            opened_to_group,
            requests_waiting_for_loops,
        )

        made = network.give_and_take
        assert made["group_members"] == 4 and made["group_requests"] == 1
        group = get_group_for(alice, "Thursday job club")
        opened = opened_to_group(viewer=alice, group=group)
        assert len(opened) == made["opened_to_you"] >= 6
        assert {p.member for p in opened} == {"Maya Rosen", "Jonas Weber", "Aisha Khan"}
        board = board_entries(viewer=alice, group=group)
        assert {(p.kind, p.closed_at is not None) for p in board} == {
            ("ask", False),
            ("offer", False),
            ("ask", True),
        }
        assert any(p.mine for p in board)
        waiting = requests_waiting_for_loops(alice)
        assert waiting is not None and waiting.total == 1
        assert IntroRequest.objects.get(member=alice).seeker.get_full_name() == "Jonas Weber"
        # the club offers ways in to the owner's first target
        target = Organisation.objects.filter(owner=alice, is_target=True).order_by(
            "priority", "pk"
        )[0]
        assert group_ways_in(owner=alice, organisation=target)
        # bob, outside the club, sees none of it
        assert opened_to_group(viewer=bob, group=group) == []
        # the fellow members are accounts no one signs in to
        maya = User.objects.get(username="alice-club-maya")
        assert not maya.is_active and not maya.has_usable_password()
