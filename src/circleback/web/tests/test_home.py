"""The home dashboard and its weekly activity chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from circleback.accounts.models import User
from circleback.journal.queries import interactions_per_week
from circleback.journal.services import interaction_log
from circleback.web.charts import weekly_chart
from circleback.web.tests.fixtures import Network, build_network

pytestmark = pytest.mark.django_db


def test_a_new_user_is_taught_what_to_do_first(alice_client: Client) -> None:
    html = alice_client.get("/").content.decode()
    assert "Add the first person you'd like to reconnect with" in html
    assert 'href="/import/">import your LinkedIn connections</a>' in html
    assert 'id="agenda"' in html
    assert "Nothing logged in the last six months yet" in html


def test_it_shows_recent_activity_quick_capture_and_an_accessible_chart(
    alice_client: Client, network: Network
) -> None:
    html = alice_client.get("/").content.decode()
    assert "Coffee number 0" in html and "Person 11 Example" in html
    assert 'action="/journal/new/"' in html and 'action="/people/new/"' in html
    assert '<title id="chart-title">' in html and '<desc id="chart-desc">' in html
    assert "12 entries in 26 weeks" in html
    assert '<table class="visually-hidden">' in html


def test_the_home_page_makes_the_same_bounded_number_of_queries_every_day(
    alice_client: Client, alice: User
) -> None:
    # 7 for the page itself (the first steps and the people count are one) and about 11 for
    # the embedded agenda (loops overdue, thank-yous, meetings, reconnects, gives): a fixed
    # number per section, none per person or entry. This network grades no one closer than
    # acquaintance, so the gives look twice (friendlier people first): one more. The job
    # search's sections (interviews and follow-ups due) are one query for both: one more.
    # The introductions a give suggests rotate with the day; the day's candidate pairs are
    # checked in one lookup, so every day of the month costs the same.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel("2026-12-03 12:00:00+00:00", tick=False):
        build_network(alice, size=36)
    counts = []
    for day in range(1, 31):
        with time_machine.travel(dt.datetime(2026, 12, day, 12, tzinfo=dt.UTC), tick=False):
            alice_client.force_login(alice)
            with CaptureQueriesContext(connection) as queries:
                assert alice_client.get("/").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1 and counts[0] <= 22, counts


def test_an_outsider_sees_nothing_of_alices(charlie_client: Client, network: Network) -> None:
    html = charlie_client.get("/").content.decode()
    assert "Person 0" not in html and "Coffee number" not in html


@time_machine.travel("2026-03-04 23:30:00+00:00", tick=False)  # a Wednesday
def test_weeks_are_counted_in_the_users_time_zone(alice: User, make_person: Any) -> None:
    from django.utils import timezone

    ada = make_person(alice, "Ada Quill")
    # Sunday 23:30 in UTC is already Monday in Tokyo.
    interaction_log(
        owner=alice,
        summary="Late call",
        people=[ada],
        occurred_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
    )
    interaction_log(
        owner=alice, summary="Old", people=[ada], occurred_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    with timezone.override("Asia/Tokyo"):
        weeks = interactions_per_week(owner=alice, weeks=26)
    assert len(weeks) == 26 and weeks[-1] == (dt.date(2026, 3, 2), 1)
    assert sum(n for _, n in weeks) == 1
    with timezone.override("UTC"):
        weeks = interactions_per_week(owner=alice, weeks=26)
    assert weeks[-2] == (dt.date(2026, 2, 23), 1) and weeks[-1][1] == 0


def test_the_chart_scales_bars_to_the_busiest_week() -> None:
    monday = dt.date(2026, 1, 5)
    chart = weekly_chart([(monday + dt.timedelta(weeks=i), n) for i, n in enumerate([0, 2, 4])])
    assert chart.bars[0].height == 0
    assert chart.bars[2].height == 2 * chart.bars[1].height
    assert chart.busiest.count == 4 and chart.total == 6 and chart.peak == 4
    assert weekly_chart([]).bars == []


def test_weeks_count_only_your_own_entries(alice: User, charlie: User, make_person: Any) -> None:
    when = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)
    interaction_log(
        owner=alice, summary="Mine", people=[make_person(alice, "Ada")], occurred_at=when
    )
    for _ in range(3):
        interaction_log(
            owner=charlie, summary="Theirs", people=[make_person(charlie, "Cy")], occurred_at=when
        )
    weeks = interactions_per_week(owner=alice, weeks=4, now=when)
    assert [n for _, n in weeks] == [0, 0, 0, 1]


def test_a_new_account_is_guided_through_three_first_steps(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    from django.utils import timezone

    from circleback.loops.services.meetings import meeting_schedule

    page = alice_client.get("/").content.decode()
    assert "Your first steps" in page and "(3 to go)" in page
    assert "Import contacts" in page

    ada = make_person(alice, "Ada Quill", organisation="Globex")
    make_person(alice, "Bart Nguyen", organisation="Globex")
    make_person(alice, "Chloé Martin", organisation="Initech")
    page = alice_client.get("/").content.decode()
    assert "(2 to go)" in page
    # Where your people work, most first, each a target in one click.
    assert page.index("Make Globex a target") < page.index("Make Initech a target")

    globex = ada.organisation
    alice_client.post(f"/organisations/{globex.uuid}/target/", {"next": "/"})
    assert "(1 to go)" in alice_client.get("/").content.decode()

    meeting_schedule(owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(days=2))
    assert "Your first steps" not in alice_client.get("/").content.decode()
