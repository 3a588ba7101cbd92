"""The group pages: a member sees only what was opened; anyone else gets 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from circleback.groups.models import IntroRequest, Membership
from circleback.groups.services import (
    coach_grant,
    invitation_create,
    opening_close,
    opening_open,
)
from circleback.groups.tests.factories import club
from circleback.loops.models import Lead, LoopStep
from circleback.people.models import Person

PASSWORD = "correct horse battery staple"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(alice, bob, charlie):
    return club(alice, bob)


def test_a_member_sees_only_opened_fields(world, alice) -> None:
    page = signed_in(alice).get(f"/groups/{world.group.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vera Holt" in text and "VP Engineering" in text and "Sam Okafor" in text
    assert "Quinn Secret" not in text
    assert "vera@globex.example" not in text and "7946" not in text and "divorcing" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/groups/{g}/",
        "/groups/{g}/ask/{p}/",
    ],
)
def test_an_outsider_gets_404_on_every_page(world, charlie, path) -> None:
    url = path.format(g=world.group.uuid, p=world.vera.uuid)
    assert signed_in(charlie).get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "invite/",
        "leave/",
        "open/",
        "add/",
        "coach/",
        "close/{o}/",
        "ask/{p}/",
        "invitations/{i}/revoke/",
    ],
)
def test_an_outsider_gets_404_on_every_post(world, alice, bob, charlie, path) -> None:
    opening = world.group.openings.filter(owner=bob).first()
    invitation, _token = invitation_create(owner=alice, group=world.group)
    url = f"/groups/{world.group.uuid}/" + path.format(
        o=opening.uuid, p=world.vera.uuid, i=invitation.uuid
    )
    assert signed_in(charlie).post(url, {"reason": "x", "consent": "on"}).status_code == 404
    assert Membership.objects.filter(owner=charlie).count() == 0


def test_a_closed_person_is_gone_at_once(world, alice, bob) -> None:
    client = signed_in(alice)
    opening_close(owner=bob, group=world.group, person=world.vera)
    assert "Vera Holt" not in client.get(f"/groups/{world.group.uuid}/").content.decode()
    assert client.get(f"/groups/{world.group.uuid}/ask/{world.vera.uuid}/").status_code == 404
    page = client.get(f"/paths/org/{world.globex.uuid}/").content.decode()
    assert "Vera Holt" not in page and "Sam Okafor" in page


def test_the_ways_in_page_shows_group_ways(world, alice, charlie) -> None:
    page = signed_in(alice).get(f"/paths/org/{world.globex.uuid}/").content.decode()
    assert "Maya Rosen (Thursday club) knows Vera Holt, VP Engineering at Globex Inc." in page
    assert f"/groups/{world.group.uuid}/ask/{world.vera.uuid}/" in page


def test_asking_accepting_gives_a_referral_only_after_accept(world, alice, bob, charlie) -> None:
    seeker = signed_in(alice)
    response = seeker.post(
        f"/groups/{world.group.uuid}/ask/{world.vera.uuid}/",
        {"reason": "I'm moving into platform engineering and would value 20 minutes."},
    )
    assert response.status_code == 302
    request = IntroRequest.objects.get()
    assert not Person.objects.filter(owner=alice, full_name="Vera Holt").exists()
    # charlie can't see or answer it; alice can't answer her own
    assert (
        signed_in(charlie)
        .post(f"/groups/requests/{request.uuid}/answer/", {"decision": "accept"})
        .status_code
        == 404
    )
    assert (
        seeker.post(f"/groups/requests/{request.uuid}/answer/", {"decision": "accept"}).status_code
        == 404
    )
    member = signed_in(bob)
    inbox = member.get("/groups/requests/").content.decode()
    assert "platform engineering" in inbox
    assert (
        member.post(
            f"/groups/requests/{request.uuid}/answer/", {"decision": "accept", "answer": "Happy to"}
        ).status_code
        == 302
    )
    vera = Person.objects.get(owner=alice, full_name="Vera Holt")
    assert vera.title == "VP Engineering" and vera.source == "referral"
    assert not vera.emails.exists() and vera.notes == ""  # nothing beyond the opened fields
    lead = Lead.objects.get(owner=alice)
    assert lead.referred == vera and lead.referrer.full_name == "Maya Rosen"
    assert LoopStep.objects.filter(owner=bob, kind="name_expect_call", person=world.vera).exists()
    assert "accepted" in seeker.get("/groups/requests/").content.decode()


def test_declining_tells_the_seeker_kindly_and_gives_nothing(world, alice, bob) -> None:
    seeker = signed_in(alice)
    seeker.post(f"/groups/{world.group.uuid}/ask/{world.vera.uuid}/", {"reason": "Advice"})
    request = IntroRequest.objects.get()
    signed_in(bob).post(f"/groups/requests/{request.uuid}/answer/", {"decision": "decline"})
    assert not Person.objects.filter(owner=alice, full_name="Vera Holt").exists()
    assert (
        "can't make this introduction just now" in seeker.get("/groups/requests/").content.decode()
    )


def test_an_invitation_link_works_once(world, alice, charlie) -> None:
    _inv, token = invitation_create(owner=alice, group=world.group)
    outsider = signed_in(charlie)
    assert outsider.get(f"/groups/join/{token}/").status_code == 200
    assert outsider.post(f"/groups/join/{token}/").status_code == 302
    assert Membership.objects.filter(owner=charlie, group=world.group).exists()
    assert outsider.get(f"/groups/join/{token}/").status_code == 404
    assert signed_in(charlie).get("/groups/join/nonsense/").status_code == 404


def test_joining_needs_sign_in(world, alice) -> None:
    _inv, token = invitation_create(owner=alice, group=world.group)
    response = Client().get(f"/groups/join/{token}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_invite_button_shows_a_link_once(world, alice, bob) -> None:
    page = signed_in(alice).post(f"/groups/{world.group.uuid}/invite/").content.decode()
    assert re.search(r"/groups/join/[\w-]{20,}/", page)
    # a member who is not an organiser can't invite
    response = signed_in(bob).post(f"/groups/{world.group.uuid}/invite/", follow=True)
    assert "Only an organiser" in response.content.decode()


def test_opening_from_the_page_needs_consent(world, bob) -> None:
    client = signed_in(bob)
    url = f"/groups/{world.group.uuid}/open/"
    refused = client.post(url, {"what": "person", "person": "Quinn Secret"})
    assert refused.status_code == 400
    assert (
        client.post(url, {"what": "person", "person": "Quinn Secret", "consent": "on"}).status_code
        == 302
    )


def test_a_revoked_coach_sees_nothing_at_once(world, alice, bob) -> None:
    coach_grant(owner=bob, coach=alice, group=world.group, parts=["loops", "journal"])
    coach = signed_in(alice)
    assert coach.get("/groups/coaching/bob/").status_code == 200
    assert "Maya Rosen" in coach.get("/groups/coaching/").content.decode()
    log = signed_in(bob).get("/groups/coaching/").content.decode()
    assert "saw your loop counts" in log
    signed_in(bob).post("/groups/coaching/alice/revoke/")
    assert coach.get("/groups/coaching/bob/").status_code == 404
    assert "Maya Rosen" not in coach.get("/groups/coaching/").content.decode()


def test_empty_states(alice) -> None:
    client = signed_in(alice)
    assert "No groups yet" in client.get("/groups/").content.decode()
    assert "No one has asked you" in client.get("/groups/requests/").content.decode()
    assert "No coach can see anything" in client.get("/groups/coaching/").content.decode()


def test_organisers_see_and_withdraw_invitation_links(world, alice, bob, charlie) -> None:
    invitation, token = invitation_create(owner=alice, group=world.group)
    url = f"/groups/{world.group.uuid}/"
    page = signed_in(alice).get(url).content.decode()
    assert "Invitation links" in page and "waiting to be used" in page and token not in page
    assert "Invitation links" not in signed_in(bob).get(url).content.decode()  # not an organiser
    revoke = f"{url}invitations/{invitation.uuid}/revoke/"
    refused = signed_in(bob).post(revoke, follow=True)
    assert "Only an organiser" in refused.content.decode()
    done = signed_in(alice).post(revoke, follow=True)
    assert "Withdrawn" in done.content.decode() and "withdrawn" in done.content.decode()
    joining = signed_in(charlie).get(f"/groups/join/{token}/")
    assert joining.status_code == 404
    assert "withdrew this invitation link" in joining.content.decode()
    assert signed_in(alice).post(f"{url}invitations/not-a-uuid/revoke/").status_code == 404


def test_the_opening_form_takes_the_person_the_picker_chose(world, bob) -> None:
    """Two people of one name: the picker's choice (its hidden id) says which; a typed name
    alone lists both to choose from; an id of someone else's is a 404."""
    from circleback.people.services.people import person_create

    twin = person_create(owner=bob, full_name="Quinn Secret", contact_list="B", if_exists="new")
    client = signed_in(bob)
    url = f"/groups/{world.group.uuid}/open/"
    typed = client.post(url, {"what": "person", "person": "Quinn Secret", "consent": "on"})
    assert typed.status_code == 400
    page = typed.content.decode()
    assert page.count('name="person_choice"') == 2 and "data-person-picker" in page
    picked = client.post(
        url,
        {
            "what": "person",
            "person": "Quinn Secret",
            "person_picked": str(twin.uuid),
            "consent": "on",
        },
    )
    assert picked.status_code == 302
    assert world.group.openings.get(owner=bob, kind="person", person=twin)
    chosen = client.post(
        url,
        {
            "what": "person",
            "person": "Quinn",
            "person_choice": str(world.quinn.uuid),
            "consent": "on",
        },
    )
    assert chosen.status_code == 302
    assert world.group.openings.filter(owner=bob, kind="person", person=world.quinn).exists()
    theirs = Person.objects.create(owner=world.globex.owner, full_name="Not Bobs")
    stolen = client.post(
        url, {"what": "person", "person": "x", "person_picked": str(theirs.uuid), "consent": "on"}
    )
    assert stolen.status_code == 404


def test_requests_asked_of_a_member_wait_on_the_loops_page(world, alice, bob, charlie) -> None:
    from circleback.groups.services import intro_request_ask

    assert "asked of you" not in signed_in(bob).get("/loops/").content.decode()
    asked = intro_request_ask(
        owner=alice, group=world.group, person_uuid=str(world.vera.uuid), reason="Platform advice"
    )
    page = signed_in(bob).get("/loops/").content.decode()
    assert "Introductions fellow members asked of you (1)" in page
    assert "alice (Thursday club) asks to meet Vera Holt at Globex Inc." in page
    assert "Platform advice" in page and f"/groups/requests/{asked.uuid}/answer/" in page
    for outsider in (alice, charlie):  # the seeker and an outsider see nothing to answer
        assert "asked of you" not in signed_in(outsider).get("/loops/").content.decode()
    answered = signed_in(bob).post(
        f"/groups/requests/{asked.uuid}/answer/",
        {"decision": "accept", "answer": "Happy to", "next": "/loops/"},
    )
    assert answered.status_code == 302 and answered["Location"] == "/loops/"
    assert Lead.objects.get(owner=alice).referred.full_name == "Vera Holt"
    after = signed_in(bob).get("/loops/").content.decode()
    assert "asked of you" not in after
    # bob's own loop: tell Vera to expect a call
    assert LoopStep.objects.filter(owner=bob, done_at__isnull=True).exists()


def test_declining_from_the_loops_page_comes_back_there(world, alice, bob) -> None:
    from circleback.groups.services import intro_request_ask

    asked = intro_request_ask(
        owner=alice, group=world.group, person_uuid=str(world.vera.uuid), reason="Advice"
    )
    declined = signed_in(bob).post(
        f"/groups/requests/{asked.uuid}/answer/",
        {"decision": "decline", "next": "/loops/"},
        follow=True,
    )
    assert declined.redirect_chain[-1][0] == "/loops/"
    assert "Declined" in declined.content.decode()
    assert IntroRequest.objects.get().state == "declined"
    assert not Lead.objects.filter(owner=alice).exists()


def test_the_ways_in_index_counts_group_ways_in(world, alice, bob, charlie) -> None:
    from circleback.people.services.organisations import organisation_create

    page = signed_in(alice).get("/paths/").content.decode()
    assert "2 through your groups" in page  # Vera (by person) and Sam (list A) at Globex
    organisation_create(owner=charlie, name="Globex", is_target=True)
    assert "through your groups" not in signed_in(charlie).get("/paths/").content.decode()
    opening_close(owner=bob, group=world.group, person=world.vera)
    assert "1 through your groups" in signed_in(alice).get("/paths/").content.decode()


def test_group_counts_take_the_same_statements_for_one_target_or_many(world, alice) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.groups.queries import group_ways_in_counts
    from circleback.people.services.organisations import organisation_create

    with CaptureQueriesContext(connection) as one:
        assert group_ways_in_counts(alice, [world.globex], 10) == {world.globex.pk: 2}
    others = [organisation_create(owner=alice, name=f"Target {n}") for n in range(8)]
    with CaptureQueriesContext(connection) as many:
        counts = group_ways_in_counts(alice, [world.globex, *others], 10)
    assert counts == {world.globex.pk: 2} and len(many) == len(one) <= 6


def _nodes(plan: dict) -> list[dict]:
    return [plan, *(n for child in plan.get("Plans", []) for n in _nodes(child))]


def test_group_counts_stop_reading_at_the_limit_whatever_the_targets_size(
    world, alice, bob
) -> None:
    """The index's count a target is bounded: its statement reads a target's opened people
    only up to the limit (a LIMIT in a sub-query a target: each member's organisation of that
    name by its unique index, its people by person_org_dm), so a target with 40 opened
    people costs what one with 10 does. On PostgreSQL the executed
    plan shows it: the people scan stops at the limit."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.groups.queries import group_ways_in_counts
    from circleback.people.services.people import person_create

    for n in range(40):
        person_create(
            owner=bob,
            full_name=f"Bob's {n}",
            organisation=world.vera.organisation,
            contact_list="B",
        )
    opening_open(owner=bob, group=world.group, contact_list="B", consent=True)
    with CaptureQueriesContext(connection) as statements:
        assert group_ways_in_counts(alice, [world.globex], 10) == {world.globex.pk: 10}
    assert group_ways_in_counts(alice, [world.globex], 50) == {world.globex.pk: 43}
    count = statements.captured_queries[-1]["sql"]
    assert "LIMIT 10" in count and len(statements) <= 6
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + count)
            plan = cursor.fetchone()[0][0]["Plan"]
            people = [n for n in _nodes(plan) if n.get("Relation Name") == "people_person"]
            assert people and all(n["Actual Rows"] <= 10 for n in people), json.dumps(plan)
            assert any(n["Node Type"] == "Limit" for n in _nodes(plan))
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + count)
            steps = " | ".join(row[-1] for row in cursor.fetchall())
            assert "SCALAR SUBQUERY" in steps and "SCAN people_" not in steps, steps
            assert "(owner_id=? AND normalized_name=?)" in steps, steps  # the unique index
            assert "USING INDEX person_org_dm (organisation_id=?)" in steps, steps
            assert "USING INDEX person_org_dm" in steps, steps


# Pages that show only the signed-in account's own groups, requests and coaches: an outsider
# gets them (200) with nothing of a group they are not in. `join` is the invitation itself:
# it is meant for someone outside (`test_an_invitation_link_works_once`).
OWN_ONLY = {"list", "requests", "coaching"}
FOR_OUTSIDERS = {"join"}


def _group_rows() -> dict[str, int]:
    from django.apps import apps

    return {
        m.__name__: m._default_manager.count() for m in apps.get_app_config("groups").get_models()
    }


def test_every_group_view_is_a_404_to_an_outsider(world, alice, bob, charlie) -> None:
    """Walks the groups URL configuration, so a view added later is covered without anyone
    remembering to: every view that names a group, a person, an opening, an invitation, a
    post, a request or a coach answers charlie 404 (405 for the method it does not take),
    writes nothing, and the pages of his own show nothing of the club."""
    from django.urls import reverse

    from circleback.groups import urls
    from circleback.groups.services import board_post, intro_request_ask

    coach_grant(owner=bob, coach=alice, group=world.group, parts=["loops"])
    invitation, _token = invitation_create(owner=alice, group=world.group)
    post = board_post(owner=alice, group=world.group, kind="ask", what="advice", text="CV?")
    request = intro_request_ask(
        owner=alice, group=world.group, person_uuid=str(world.vera.uuid), reason="Advice"
    )
    values = {
        "uuid": str(world.group.uuid),
        "person": str(world.vera.uuid),
        "opening": str(world.group.openings.filter(owner=bob).first().uuid),
        "invitation": str(invitation.uuid),
        "post": str(post.uuid),
        "username": "bob",  # bob lets alice coach him; charlie is no one's coach
    }
    outsider = signed_in(charlie)
    before = _group_rows()
    checked = set()
    for pattern in urls.urlpatterns:
        name = pattern.name
        if name in FOR_OUTSIDERS:
            continue
        if name in OWN_ONLY:
            page = outsider.get(reverse(f"groups:{name}")).content.decode()
            assert "Thursday club" not in page and "Vera Holt" not in page, name
            checked.add(name)
            continue
        kwargs = {k: values[k] for k in pattern.pattern.converters}
        if name == "answer":
            kwargs = {"uuid": str(request.uuid)}
        url = reverse(f"groups:{name}", kwargs=kwargs)
        got = outsider.get(url).status_code
        sent = outsider.post(
            url, {"reason": "x", "consent": "on", "shown": "1", "helper": "bob", "thanks": "x"}
        ).status_code
        assert {got, sent} <= {404, 405} and 404 in {got, sent}, (name, got, sent)
        checked.add(name)
    assert _group_rows() == before
    assert checked == {p.name for p in urls.urlpatterns} - FOR_OUTSIDERS


def test_an_invitation_link_expires(world, alice, charlie) -> None:
    import datetime as dt

    from circleback.groups.queries import invitations_of
    from circleback.ops import clock

    start = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    with clock.at(start):
        _inv, token = invitation_create(owner=alice, group=world.group, days=2)
    outsider = signed_in(charlie)
    with clock.at(start + dt.timedelta(days=1, hours=23)):
        assert outsider.get(f"/groups/join/{token}/").status_code == 200  # still good
    with clock.at(start + dt.timedelta(days=2, minutes=1)):
        page = outsider.get(f"/groups/join/{token}/")
        assert page.status_code == 404 and "expired" in page.content.decode()
        outsider.post(f"/groups/join/{token}/")
        assert not Membership.objects.filter(owner=charlie).exists()
        assert [i.state for i in invitations_of(owner=alice, group=world.group)] == ["expired"]


def _pager(page: str, label: str) -> list[str]:
    """The links of the pager called `label` on the page."""
    nav = re.search(rf'<nav class="pager" aria-label="{label}">(.*?)</nav>', page, re.S)
    assert nav, label
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav[1])]


def test_the_whole_board_is_reachable_a_page_at_a_time(world, alice, bob, charlie) -> None:
    """GIVEN 120 posts (past the 100 the page used to stop at), WHEN bob follows the board's
    pager, THEN each post shows once, newest first, the oldest on page 3; charlie, outside,
    gets 404 on any page of it."""
    import time_machine

    from circleback.groups.tests.factories import many_posts

    with time_machine.travel("2026-11-01 10:00Z", tick=False):
        many_posts(world.group, alice, 120)
    client = signed_in(bob)
    url = f"/groups/{world.group.uuid}/"
    seen: list[str] = []
    query = ""
    for number in (1, 2, 3):
        page = client.get(url + query).content.decode()
        assert f"Page {number} of 3" in page
        seen += re.findall(r"asks for advice: (Post \d{3})", page)
        query = f"?board={number + 1}"
        assert (url + query in _pager(page, "Pages of the board")) == (number < 3)
    assert seen == [f"Post {i:03}" for i in range(119, -1, -1)]
    assert "Vera Holt" in client.get(url + "?board=3").content.decode()  # the rest still shows
    assert signed_in(charlie).get(url + "?board=2").status_code == 404


def test_every_request_is_reachable_a_page_at_a_time(world, alice, bob, charlie) -> None:
    """GIVEN alice asked bob 120 times, the last still waiting, WHEN each follows the pager of
    their list, THEN every request shows once (the waiting one first for bob, with its
    answer form coming back to the page it was on); charlie sees none of them."""
    import time_machine

    from circleback.groups.services import intro_request_ask
    from circleback.groups.tests.factories import many_requests

    with time_machine.travel("2026-11-01 10:00Z", tick=False):
        many_requests(world, alice, bob, 119)
        waiting = intro_request_ask(
            owner=alice, group=world.group, person_uuid=str(world.sam.uuid), reason="Waiting"
        )
    for who, param, label, heading in (
        (bob, "asked", "Pages of requests asked of you", "Asked of you (120)"),
        (alice, "sent", "Pages of requests you asked", "You asked (120)"),
    ):
        client = signed_in(who)
        seen: list[str] = []
        for number in (1, 2, 3):
            page = client.get(f"/groups/requests/?{param}={number}").content.decode()
            assert heading in page and f"Page {number} of 3" in page, who
            links = _pager(page, label)
            assert (f"?{param}={number + 1}" in links) == (number < 3), (who, number, links)
            if who == bob:
                seen += re.findall(r"“(Reason \d{3}|Waiting)”", page)
            else:
                seen += re.findall(r"Maya Rosen about (\w+)", page)
        if who == bob:
            assert seen == ["Waiting"] + [f"Reason {i:03}" for i in range(118, -1, -1)]
        else:  # the newest first: the waiting one about Sam was made last
            assert seen == ["Sam"] + ["Vera"] * 119
    first = signed_in(bob).get("/groups/requests/?asked=1").content.decode()
    assert f'action="/groups/requests/{waiting.uuid}/answer/"' in first
    assert '<input type="hidden" name="next" value="/groups/requests/?asked=1">' in first
    answered = signed_in(bob).post(
        f"/groups/requests/{waiting.uuid}/answer/",
        {"decision": "decline", "next": "/groups/requests/?asked=2"},
    )
    assert answered.status_code == 302 and answered["Location"] == "/groups/requests/?asked=2"
    outsider = signed_in(charlie).get("/groups/requests/?asked=2&sent=2").content.decode()
    assert "Reason" not in outsider and "Thursday club" not in outsider
    assert "Asked of you (" not in outsider and "You asked (" not in outsider


def test_every_opened_person_is_reachable_a_page_at_a_time(world, alice, bob, charlie) -> None:
    """GIVEN 230 people opened to the club (past the 200 the page used to stop at), one kept
    closed, WHEN alice follows the opened people's pager, THEN each shows once, by member then
    name, and the heading says how many; the closed one never shows; charlie gets 404."""
    from circleback.groups.tests.factories import many_opened

    many_opened(world, bob, 228)
    kept = Person.objects.create(owner=bob, full_name="Kept Closed", contact_list="A")
    opening_close(owner=bob, group=world.group, person=kept)
    client = signed_in(alice)
    url = f"/groups/{world.group.uuid}/"
    seen: list[str] = []
    for number in (1, 2, 3, 4, 5):
        page = client.get(f"{url}?opened={number}").content.decode()
        assert "People other members opened (230)" in page and "Kept Closed" not in page
        links = _pager(page, "Pages of people other members opened")
        assert (f"{url}?opened={number + 1}" in links) == (number < 5), (number, links)
        seen += re.findall(r'<th scope="row">([^<]+)<', page)
    assert seen == [f"Listed {n:03}" for n in range(228)] + ["Sam Okafor", "Vera Holt"]
    assert signed_in(charlie).get(f"{url}?opened=2").status_code == 404


def test_every_invitation_link_is_reachable_a_page_at_a_time(world, alice, bob, charlie) -> None:
    """GIVEN 120 invitation links (past the 20 the page used to stop at), WHEN alice, an
    organiser, follows their pager, THEN each shows once, newest first, and the heading says
    how many; withdrawing one on page 2 comes back to page 2, and the page a new link is shown
    on pages as the group's page does; bob, a member but no organiser, sees no links on any
    page; charlie gets 404."""
    from circleback.groups.tests.factories import many_invitations

    made = many_invitations(world.group, alice, 120)
    client = signed_in(alice)
    url = f"/groups/{world.group.uuid}/"
    seen: list[str] = []
    for number in (1, 2, 3):
        page = client.get(f"{url}?invitations={number}").content.decode()
        assert "Invitation links (120)" in page and f"Page {number} of 3" in page
        links = _pager(page, "Pages of invitation links")
        assert (f"{url}?invitations={number + 1}" in links) == (number < 3), (number, links)
        seen += re.findall(r"/invitations/([0-9a-f-]{36})/revoke/", page)
    assert seen == [str(i.uuid) for i in reversed(made)]
    second = client.get(f"{url}?invitations=2").content.decode()
    back = f"{url}?invitations=2#invitations-h"
    assert f'<input type="hidden" name="next" value="{back}">' in second
    withdrawn = client.post(f"{url}invitations/{made[60].uuid}/revoke/", {"next": back})
    assert withdrawn.status_code == 302 and withdrawn["Location"] == back
    assert "withdrawn" in client.get(f"{url}?invitations=2").content.decode()
    answer = client.post(f"{url}invite/").content.decode()  # the new link, on the page
    assert "Invitation links (121)" in answer and "invite-link" in answer
    assert f"{url}?invitations=2" in _pager(answer, "Pages of invitation links")
    for number in (1, 2, 3):
        member = signed_in(bob).get(f"{url}?invitations={number}")
        assert member.status_code == 200
        assert "Invitation links" not in member.content.decode()
        assert "/revoke/" not in member.content.decode()
    assert signed_in(charlie).get(f"{url}?invitations=2").status_code == 404


def test_the_board_filters_as_the_api_does(world, alice, bob, charlie) -> None:
    """?kind, ?what and ?closed narrow the board (its pager keeps them); a value the API would
    refuse is said on the filter, with a 400 and no posts; charlie gets 404 whatever he asks."""
    import time_machine

    from circleback.groups.services import board_close, board_post
    from circleback.groups.tests.factories import many_posts

    with time_machine.travel("2026-11-01 10:00Z", tick=False):
        many_posts(world.group, alice, 60)
    offer = board_post(owner=bob, group=world.group, kind="offer", what="article", text="A read")
    board_post(owner=bob, group=world.group, kind="offer", what="advice", text="Salary chat")
    board_close(owner=bob, post=offer, helper=alice, thanks="Thanks")
    client = signed_in(alice)
    url = f"/groups/{world.group.uuid}/"

    def posts(query: str) -> list[str]:
        page = client.get(url + query)
        assert page.status_code == 200, query
        return re.findall(r"(?:asks for|offers) [\w ]+: ([\w ]+)", page.content.decode())

    assert posts("?kind=offer") == ["Salary chat", "A read"]
    assert posts("?kind=offer&closed=false") == ["Salary chat"]
    assert posts("?closed=true") == ["A read"]
    assert posts("?what=article") == ["A read"]
    assert posts("?kind=offer&what=mock_interview") == []
    asks = client.get(url + "?kind=ask&what=advice").content.decode()
    assert "Page 1 of 2" in asks
    assert _pager(asks, "Pages of the board") == [url + "?kind=ask&what=advice&board=2"]
    assert len(posts("?kind=ask&what=advice&board=2")) == 10
    assert 'id="board_kind"' in asks and '<option value="ask" selected>' in asks
    bad = client.get(url + "?kind=favour&closed=maybe")
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "Select a valid choice. favour is not one of the available choices." in text
    assert "Select a valid choice. maybe is not one of the available choices." in text
    assert "Post 0" not in text and "Salary chat" not in text
    assert "Vera Holt" in text  # the rest of the page still shows
    assert signed_in(charlie).get(url + "?kind=offer").status_code == 404
    assert signed_in(charlie).get(url + "?kind=favour").status_code == 404


def test_what_you_opened_and_the_members_come_a_page_at_a_time(world, alice, bob, charlie) -> None:
    """GIVEN bob opened 60 more people one by one, and the group has 60 more members, WHEN
    bob follows each list's pager THEN every opening and every member shows once, in order,
    and the headings say how many; closing one on page 2 comes back to page 2 and the
    count drops; alice sees none of bob's openings on any page; charlie gets 404."""
    from circleback.accounts.models import User
    from circleback.groups.services import member_add
    from circleback.groups.tests.factories import many_openings

    opened = many_openings(world.group, bob, 60)  # after Vera and list A
    joined = User.objects.bulk_create(User(username=f"member{n:03}") for n in range(60))
    for user in joined:
        member_add(owner=alice, group=world.group, user=user)
    client = signed_in(bob)
    url = f"/groups/{world.group.uuid}/"
    mine: list[str] = []
    members: list[str] = []
    for number in (1, 2):
        page = client.get(f"{url}?mine={number}").content.decode()
        assert "What you opened (62)" in page
        assert (f"{url}?mine=2" in _pager(page, "Pages of what you opened")) == (number == 1)
        section = page.split('id="mine-h"', 1)[1].split("<h3>Open more</h3>", 1)[0]
        mine += re.findall(r"<li>\s*(.+?)\s*<span", section)
        page = client.get(f"{url}?members={number}").content.decode()
        assert "Members (62)" in page
        assert (f"{url}?members=2" in _pager(page, "Pages of members")) == (number == 1)
        members += re.findall(r'<span class="hint">(\S+) · ', page.split('id="members-h"')[1])
    people = ["Vera Holt"] + [f"Opened {n:04}" for n in range(60)]
    assert mine == [*people, "Everyone on list A"]  # people first, then lists
    assert sorted(members) == sorted(["alice", "bob"] + [u.username for u in joined])
    assert len(members) == len(set(members)) == 62
    back = f"{url}?mine=2#mine-h"
    closed = client.post(f"{url}close/{opened[55].uuid}/", {"next": back})
    assert closed.status_code == 302 and closed["Location"] == back
    assert "What you opened (61)" in client.get(f"{url}?mine=2").content.decode()
    for number in (1, 2):
        other = signed_in(alice).get(f"{url}?mine={number}").content.decode()
        assert "Opened 00" not in other.split('id="mine-h"', 1)[1].split("Open more", 1)[0]
    assert signed_in(charlie).get(f"{url}?mine=2").status_code == 404
