"""Every page fits a 375 px phone: no sideways scrolling on any page the URL conf serves,
filled with the demo network (and a group, a member coached, an upload previewed).

The pages are read from the URL conf, not listed by hand: a new URL is either a page this walk
knows how to fill (ARGS), or an action, download or feed it says it is not (NOT_PAGES) — an
unknown one fails the test, so a new page can't be missed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from circleback.accounts.models import User

pytestmark = pytest.mark.browser

PHONE = 375
FIXTURES = Path(__file__).resolve().parents[2] / "interchange" / "tests" / "fixtures"

# URLs that are no page to look at: POST-only actions, downloads, JSON, pictures, feeds, the
# API's own pages (its documentation is not ours to lay out), sign-out.
NOT_PAGES = {
    "api_site:",
    "welcome",  # the first run, before any account: test_the_first_run_fits_a_phone
    "login",  # signed out: visited before signing in
    "logout",
    "people_suggest",
    "people_bulk",
    "tie_add",
    "tie_delete",
    "person_log",
    "organisation_target",
    "journal_delete",
    "loops:step_advance",
    "loops:offer_taken_up",
    "loops:permission_revoke",
    "loops:share_delete",
    "loops:favour_delete",
    "loops:meeting_cancel",
    "loops:meeting_delete",
    "paths:ego",
    "paths:ask",
    "groups:answer",
    "groups:revoke",
    "groups:join",
    "groups:invite",
    "groups:add",
    "groups:leave",
    "groups:open",
    "groups:close",
    "groups:ask",
    "groups:grant",
    "groups:post",
    "groups:close_post",
    "groups:balance",
    "groups:revoke_invitation",
    "jobs:opening_advance",
    "jobs:opening_ask",
    "jobs:opening_person_add",
    "jobs:opening_person_remove",
    "jobs:interview_add",
    "jobs:opening_delete",
    "jobs:interview_cancel",
    "jobs:follow_up_done",
    "interchange:import_confirm",
    "interchange:import_status",
    "interchange:duplicate_resolve",
    "interchange:export",
    "interchange:photo",
    "insights:give",
    "insights:new_role_dismiss",
    "insights:pitch_practice",
    "insights:reconnect",
    "insights:cadence",
    "insights:snooze",
    "reminders:digest",
    "reminders:calendar",
    "reminders:digest_verify_send",
    "reminders:verify",
    "reminders:unsubscribe",
    "reminders:feed",
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    """(name, route, pattern) of every URL, resolvers' prefixes included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name or ''}" if namespace else (pattern.name or "")
            yield name, prefix + str(pattern.pattern), pattern


def _fill(owner: User) -> dict[str, Callable[[], list[str]]]:
    """How to fill each page's arguments from the owner's data: name -> args."""
    from circleback.groups.models import Membership
    from circleback.interchange.models import ImportUpload
    from circleback.jobs.models import FollowUp, Interview, Opening
    from circleback.journal.models import Interaction
    from circleback.loops.models import Favour, LoopStep, Meeting
    from circleback.people.models import Organisation, Person

    def person() -> str:
        found = Person.objects.filter(owner=owner, organisation__isnull=False).first()
        assert found is not None
        return str(found.uuid)

    def two() -> list[str]:
        return [str(p.uuid) for p in Person.objects.filter(owner=owner).order_by("pk")[:2]]

    def organisation() -> str:
        found = Organisation.objects.filter(owner=owner, is_target=True).first()
        assert found is not None
        return str(found.uuid)

    def first(model: Any, **where: Any) -> Callable[[], list[str]]:
        def read() -> list[str]:
            found = model.objects.filter(**where).order_by("pk").first()
            assert found is not None, f"the walk has no {model.__name__} {where}"
            return [str(found.uuid)]

        return read

    meeting_held = first(Meeting, owner=owner, status="held")
    return {
        "person": lambda: [person()],
        "person_edit": lambda: [person()],
        "person_delete": lambda: [person()],
        "person_merge": lambda: [person()],
        "person_merge_confirm": two,
        "organisation": lambda: [organisation()],
        "organisation_edit": lambda: [organisation()],
        "organisation_delete": lambda: [organisation()],
        "journal_edit": first(Interaction, owner=owner),
        "loops:meeting_prep": first(Meeting, owner=owner, status="scheduled"),
        "loops:meeting_log": meeting_held,
        "loops:meeting_edit": meeting_held,
        "loops:step_snooze": first(LoopStep, owner=owner, done_at=None),
        "loops:step_thank_you": first(LoopStep, owner=owner, kind="thank_you", done_at=None),
        "loops:favour_edit": first(Favour, owner=owner),
        "paths:organisation": lambda: [organisation()],
        "paths:person": lambda: [person()],
        "groups:show": lambda: [
            str(Membership.objects.filter(owner=owner).select_related("group").first().group.uuid)
        ],
        "groups:coach_member": lambda: ["bea"],
        "jobs:opening_detail": first(Opening, owner=owner),
        "jobs:opening_edit": first(Opening, owner=owner),
        "jobs:interview_prep": first(Interview, owner=owner),
        "jobs:follow_up_thank_you": first(FollowUp, owner=owner, kind="thank_you"),
        "interchange:import_detail": first(ImportUpload, owner=owner),
    }


def _path(owner: User) -> str:
    from circleback.people.models import Tie

    tie = Tie.objects.filter(owner=owner).select_related("person_a", "person_b").first()
    assert tie is not None
    return f"path={tie.person_a.uuid},{tie.person_b.uuid}"


# Pages that need a query to be a page at all.
QUERIES: dict[str, Callable[[User], str]] = {"paths:draft": _path}


def _story(owner: User) -> None:
    """What the demo doesn't hold: a group of your own with a member you coach, two
    namesakes, an upload previewed."""
    from circleback.groups.services import coach_grant, group_create, member_add
    from circleback.interchange.models import ImportUpload
    from circleback.interchange.upload_files import upload_keep
    from circleback.people.services.people import person_create

    group = group_create(owner=owner, name="Alumni coaching circle")
    # A member who has alice as their coach, so the coach's page of them is a page.
    member = User.objects.create_user(username="bea", password="a long passphrase 9")
    member_add(owner=owner, group=group, user=member)
    coach_grant(owner=member, coach=owner, group=group)
    person_create(owner=owner, full_name="Ada Quill", organisation="Hooli")
    person_create(owner=owner, full_name="Ada Quil", organisation="Hooli", if_exists="new")
    waiting = ImportUpload(owner=owner, filename="linkedin_connections_2024.csv", format="linkedin")
    waiting.size = upload_keep(
        waiting.uuid, (FIXTURES / "linkedin_connections_2024.csv").read_bytes()
    )
    waiting.save()


def test_every_page_fits_a_375_px_phone(phone_page: Any, alice: User) -> None:
    from conftest import sign_in

    from circleback.demo.services import demo_generate

    alice.first_name, alice.last_name = "Alice", "Marchetti"
    alice.save()
    demo_generate(owner=alice, people=80, seed=3)
    _story(alice)
    fill = _fill(alice)
    page = phone_page
    page.goto("/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    sign_in(page, "alice")

    unknown, visited, wide = [], [], []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if name in NOT_PAGES or name.startswith("api:") or name.startswith("api_site:"):
            continue
        arguments = list(pattern.pattern.converters)
        if arguments and name not in fill:
            unknown.append(f"{name} ({route})")
            continue
        url = "/" + route
        if arguments:
            for key, value in zip(arguments, fill[name](), strict=True):
                url = url.replace(f"<str:{key}>", value)
        if name in QUERIES:
            url += "?" + QUERIES[name](alice)
        try:
            response = page.goto(url)
        except Exception as exc:  # a POST-only URL answers 405 with no page at all
            unknown.append(f"{name} ({url}): {str(exc).splitlines()[0]}")
            continue
        if response is None or response.status >= 400:
            unknown.append(f"{name} ({url}) answered {response and response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            unknown.append(f"{name} ({route}) is not HTML: add it to NOT_PAGES")
            continue
        visited.append(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide.append(f"{url} is {width} px wide")
    assert not unknown, "pages the walk can't fill or isn't told about: " + "; ".join(unknown)
    assert not wide, "; ".join(wide)
    print(f"{len(visited)} pages at {PHONE} px")
    assert len(visited) >= 50, visited


def test_the_first_run_fits_a_375_px_phone(phone_page: Any, transactional_db: None) -> None:
    assert not User.objects.exists()
    response = phone_page.goto("/welcome/")
    assert response is not None and response.status == 200
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE
