"""A happy path through every area's endpoints, each checked against what the services did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from circleback.api.tests.conftest import ApiClient
from circleback.journal.models import Interaction
from circleback.loops.models import Lead, LoopStep, Meeting
from circleback.people.models import Organisation, Person
from circleback.people.queries import with_details
from circleback.people.serializers import people_to_dicts

pytestmark = pytest.mark.django_db


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:800]
    return response.json()


def test_people_organisations_ties_and_tags(alice: Any, alice_api: ApiClient) -> None:
    ada = ok(
        alice_api.call(
            "POST",
            "people",
            {
                "full_name": "Ada Quill",
                "organization": "Hooli",
                "emails": ["ada@example.org"],
                "phones": ["+44 20 7946 0958"],
                "links": ["https://www.linkedin.com/in/ada-quill"],
                "tags": ["mentor", "data"],
                "list": "B",
                "closeness": 4,
            },
        ),
        201,
    )
    assert ada["organization"] == "Hooli" and ada["tags"] == ["data", "mentor"]
    bart = ok(alice_api.call("POST", "people", {"full_name": "Bart Nguyen", "list": "C"}), 201)
    changed = ok(
        alice_api.call(
            "PATCH", f"people/{bart['uuid']}", {"introduced_by": ada["uuid"], "tags": ["x"]}
        )
    )
    assert changed["introduced_by"] == ada["uuid"] and changed["tags"] == ["x"]
    assert [p["full_name"] for p in ok(alice_api.call("GET", "people?tag=mentor"))["items"]] == [
        "Ada Quill"
    ]
    tie_body = {"person": ada["uuid"], "other": bart["uuid"], "kind": "colleague"}
    tie = ok(alice_api.call("POST", "ties", tie_body), 201)
    assert ok(alice_api.call("POST", "ties", tie_body)) == tie  # the same again: 200, no change
    ties = ok(alice_api.call("GET", f"people/{bart['uuid']}/ties"))["items"]
    assert [t["other_name"] for t in ties] == ["Ada Quill"] and ties[0]["uuid"] == tie["uuid"]
    org = ok(alice_api.call("GET", f"organisations/{ada['organization_uuid']}"))
    updated = ok(
        alice_api.call(
            "PATCH",
            f"organisations/{org['uuid']}",
            {"is_target": True, "stage": "networking", "priority": 1},
        )
    )
    assert (updated["is_target"], updated["stage"], updated["priority"]) == (True, "networking", 1)
    assert ok(alice_api.call("GET", "organisations?targets=true"))["items"][0]["people_count"] == 1
    assert {t["name"] for t in ok(alice_api.call("GET", "tags"))["items"]} >= {"data", "x"}
    assert ok(alice_api.call("DELETE", f"ties/{tie['uuid']}"))["deleted"]
    assert ok(alice_api.call("DELETE", f"people/{bart['uuid']}"))["deleted"]
    assert not Person.objects.filter(uuid=bart["uuid"]).exists()


def test_a_list_page_is_what_the_shared_serializer_writes(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    introducer = make_person(alice, "Ada Quill", emails=["a@example.org"], tags=["Zed", "alpha"])
    make_person(
        alice,
        "Bart Nguyen",
        organisation="Hooli",
        introduced_by=introducer,
        phones=["+1 202 555 0101"],
        links=["https://example.org/bart"],
        met_on=dt.date(2024, 5, 1),
    )
    page = ok(alice_api.call("GET", "people"))["items"]
    expected = people_to_dicts(
        with_details(Person.objects.filter(owner=alice).order_by("full_name"))
    )
    for row in page:
        row.pop("organization_uuid")
        row.pop("etag")
    assert page == expected


def test_journal_events_and_search(alice: Any, alice_api: ApiClient, make_person: Any) -> None:
    ada = make_person(alice, "Ada Quill")
    bart = make_person(alice, "Bart Nguyen")
    entry = ok(
        alice_api.call(
            "POST",
            "journal",
            {"summary": "Coffee with Ada", "kind": "meeting", "people": [str(ada.uuid)]},
        ),
        201,
    )
    fixed = ok(
        alice_api.call(
            "PATCH", f"journal/{entry['uuid']}", {"people": [str(ada.uuid), str(bart.uuid)]}
        )
    )
    assert {p["full_name"] for p in fixed["people"]} == {"Ada Quill", "Bart Nguyen"}
    bart.refresh_from_db()
    assert bart.last_contact_at is not None  # the clock follows who took part
    event = ok(
        alice_api.call(
            "POST",
            "journal/events",
            {
                "event": "Fintech Forum",
                "contacts": [{"full_name": "Cleo Park", "organization": "Initech"}],
            },
        ),
        201,
    )
    assert [p["full_name"] for p in event["people"]] == ["Cleo Park"]
    listed = ok(alice_api.call("GET", f"journal?person={ada.uuid}&kind=meeting"))["items"]
    assert [e["summary"] for e in listed] == ["Coffee with Ada"]
    found = ok(alice_api.call("GET", "search?q=cle"))
    assert [p["full_name"] for p in found["people"]] == ["Cleo Park"]
    assert ok(alice_api.call("DELETE", f"journal/{entry['uuid']}"))["deleted"]
    assert not Interaction.objects.filter(uuid=entry["uuid"]).exists()


def test_meetings_prep_outcome_referrals_and_cancel(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli")
    when = (timezone.now() + dt.timedelta(days=2)).isoformat()
    meeting = ok(
        alice_api.call(
            "POST",
            "meetings",
            {"person": str(ada.uuid), "scheduled_for": when, "purposes": ["advice", "referrals"]},
        ),
        201,
    )
    prep = ok(alice_api.call("GET", f"meetings/{meeting['uuid']}/prep"))
    assert prep["person"]["full_name"] == "Ada Quill" and prep["questions"]
    outcome = ok(
        alice_api.call(
            "POST",
            f"meetings/{meeting['uuid']}/outcome",
            {
                "learned": "They hire in spring",
                "referrals": [{"full_name": "Dana Lee", "organization": "Hooli"}],
                "offered": {"kind": "advice", "note": "Review their deck", "standing": True},
            },
        )
    )
    assert outcome["meeting"]["status"] == "held"
    assert [p["full_name"] for p in outcome["referrals"]] == ["Dana Lee"]
    assert Lead.objects.filter(uuid=outcome["leads"][0], referrer=ada).exists()
    other = ok(
        alice_api.call("POST", "meetings", {"person": str(ada.uuid), "scheduled_for": when}), 201
    )
    cancelled = ok(alice_api.call("POST", f"meetings/{other['uuid']}/cancel", {"note": "ill"}))
    assert cancelled["status"] == "cancelled"
    assert Meeting.objects.get(uuid=other["uuid"]).status == "cancelled"


def test_leads_loops_snooze_and_thank_yous(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    lead = ok(
        alice_api.call(
            "POST", "leads", {"referrer": str(ada.uuid), "full_name": "Dana Lee", "about": "data"}
        ),
        201,
    )
    moved = ok(alice_api.call("POST", f"leads/{lead['uuid']}/advance", {"to": "contacted"}))
    assert moved["next_step"]["kind"] == "lead_meet"
    assert ok(alice_api.call("GET", f"leads/{lead['uuid']}"))["state"] == "contacted"
    step = moved["next_step"]["uuid"]
    until = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    snoozed = ok(alice_api.call("POST", f"loops/{step}/snooze", {"until": until}))
    assert snoozed["snoozed_until"] == until
    assert step in [s["uuid"] for s in ok(alice_api.call("GET", "loops"))["items"]]
    favour = ok(
        alice_api.call(
            "POST", "favours", {"person": str(ada.uuid), "direction": "received", "kind": "advice"}
        ),
        201,
    )
    owed = ok(alice_api.call("GET", "thank-yous"))["items"]
    assert [s["person"]["full_name"] for s in owed] == ["Ada Quill"]
    ok(alice_api.call("POST", f"loops/{owed[0]['uuid']}/thank-you", {"how": "card"}))
    assert ok(alice_api.call("GET", "thank-yous"))["items"] == []
    assert LoopStep.objects.get(uuid=owed[0]["uuid"]).done_at is not None
    assert ok(alice_api.call("GET", f"favours/{favour['uuid']}"))["kind"] == "advice"


def test_favours_offers_introductions_shares_permissions_and_drafts(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli")
    bart = make_person(alice, "Bart Nguyen")
    name = ok(
        alice_api.call(
            "POST", "favours/names-given", {"helped": str(ada.uuid), "name": str(bart.uuid)}
        ),
        201,
    )
    assert name["name_given"]["full_name"] == "Bart Nguyen"
    balances = ok(alice_api.call("GET", "favours-balances"))["items"]
    assert balances[0]["given"] == 1
    offer = ok(
        alice_api.call("POST", "standing-offers", {"person": str(ada.uuid), "offer": "CV review"}),
        201,
    )
    taken = ok(alice_api.call("POST", f"standing-offers/{offer['uuid']}/taken-up"))
    assert taken["taken_up_on"] is not None
    intro = ok(
        alice_api.call(
            "POST",
            "introductions",
            {"person_x": str(ada.uuid), "person_y": str(bart.uuid), "reason": "Both in data"},
        ),
        201,
    )
    ok(alice_api.call("POST", f"introductions/{intro['uuid']}/advance", {"to": "asked_x"}))
    assert ok(alice_api.call("GET", f"introductions/{intro['uuid']}"))["state"] != "proposed"
    ok(
        alice_api.call(
            "POST", "introduction-requests", {"via": str(ada.uuid), "target": str(bart.uuid)}
        ),
        201,
    )
    share = ok(
        alice_api.call(
            "POST", "shares", {"people": [str(ada.uuid)], "title": "Hiring in data", "url": ""}
        ),
        201,
    )
    assert [p["full_name"] for p in share["people"]] == ["Ada Quill"]
    permission = ok(alice_api.call("POST", "permissions", {"person": str(ada.uuid)}), 201)
    revoked = ok(alice_api.call("POST", f"permissions/{permission['uuid']}/revoke"))
    assert revoked["revoked_on"] is not None
    draft = ok(
        alice_api.call("POST", "drafts/outreach", {"person": str(ada.uuid), "purposes": ["advice"]})
    )
    assert "Ada" in draft["body"] and "job" not in draft["subject"].lower()
    assert ok(alice_api.call("DELETE", f"shares/{share['uuid']}"))["deleted"]


def test_cadences_snoozes_goals_pitch_agenda_and_health(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", contact_list="A")
    kit = ok(alice_api.call("PUT", f"people/{ada.uuid}/cadence", {"days": 14}))
    assert kit["cadence_days"] == 14 and not kit["cadence_is_default"]
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert (
        ok(alice_api.call("PUT", f"people/{ada.uuid}/snooze", {"until": until}))["snoozed_until"]
        == until
    )
    assert ok(alice_api.call("GET", "snoozes"))["items"][0]["until"] == until
    ok(alice_api.call("DELETE", f"people/{ada.uuid}/snooze"))
    assert ok(alice_api.call("PATCH", "cadences", {"list_b_days": 45}))["list_b_days"] == 45
    goals = ok(alice_api.call("PATCH", "goals", {"new_contacts": 4}))
    assert {g["metric"]: g["target"] for g in goals["goals"]}["new_contacts"] == 4
    pitch = ok(alice_api.call("POST", "pitches", {"text": "I build data teams that ship."}), 201)
    practice = ok(
        alice_api.call("POST", f"pitches/{pitch['uuid']}/practices", {"person": str(ada.uuid)}),
        201,
    )
    assert practice["advice"] == ""  # list A first, as the articles advise
    assert ok(alice_api.call("GET", "practices"))["items"][0]["uuid"] == practice["uuid"]
    entry = ok(alice_api.call("POST", f"people/{ada.uuid}/reconnect", {}), 201)
    assert Interaction.objects.filter(uuid=entry["journal_entry"]).exists()
    agenda = ok(alice_api.call("GET", "agenda"))
    assert agenda["today"] == timezone.localdate().isoformat() or agenda["today"]
    health = ok(alice_api.call("GET", "health"))
    assert health["total"] == 1 and health["lists"]["A"] == 1


def test_ways_in_and_suggestions(alice: Any, alice_api: ApiClient, make_person: Any) -> None:
    from circleback.people.services.ties import tie_set

    friend = make_person(alice, "Ada Quill", contact_list="B", closeness=4)
    target = make_person(alice, "Dana Lee", organisation="Globex", is_decision_maker=True)
    tie_set(owner=alice, person=friend, other=target, kind="colleague", strength=4)
    org = Organisation.objects.get(owner=alice, name="Globex")
    ways = ok(alice_api.call("GET", f"organisations/{org.uuid}/ways-in"))
    assert ways["paths"] and ways["paths"][0]["people"][-1]["name"] == "Dana Lee"
    assert "Ada Quill" in ways["paths"][0]["sentence"]
    draft = ok(
        alice_api.call("POST", "ways-in/draft", {"people": [str(friend.uuid), str(target.uuid)]})
    )
    assert draft["to"] == str(friend.uuid) and "Dana" in draft["body"]
    assert ok(alice_api.call("GET", "suggestions/introductions"))["next"] is None
    assert isinstance(ok(alice_api.call("GET", "suggestions/informers?title=data"))["items"], list)


def test_import_upload_preview_confirm_and_export(alice: Any, alice_api: ApiClient) -> None:
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Ray\r\nEMAIL:eve@example.org\r\nEND:VCARD\r\n"
    response = alice_api.client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("eve.vcf", vcard), "list": "A", "tags": "phone"},
        HTTP_AUTHORIZATION=f"Bearer {alice_api.secret}",
    )
    preview = ok(response, 201)
    assert preview["status"] == "previewed" and preview["report"]["created"] == 1
    assert not Person.objects.filter(owner=alice).exists()  # nothing written before confirming
    done = ok(alice_api.call("POST", f"imports/{preview['uuid']}/confirm", {}))
    assert done["status"] == "imported"
    eve = Person.objects.get(owner=alice)
    assert eve.full_name == "Eve Ray" and eve.contact_list == "A"
    again = alice_api.call("POST", f"imports/{preview['uuid']}/confirm", {})
    assert again.status_code == 409
    bad = alice_api.client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("x.csv", b"\x00\x01 not a contacts file")},
        HTTP_AUTHORIZATION=f"Bearer {alice_api.secret}",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    exported = alice_api.call("GET", "export?format=json")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/json")
    assert b"Eve Ray" in b"".join(exported.streaming_content)
    vcf = alice_api.call("GET", "export?format=vcard")
    assert b"FN:Eve Ray" in b"".join(vcf.streaming_content)


def test_a_persons_photo_is_served_with_its_type_read_from_the_bytes(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    from circleback.people.models import Photo

    ada = make_person(alice, "Ada Quill")
    assert alice_api.call("GET", f"people/{ada.uuid}/photo").status_code == 404
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    Photo.objects.create(person=ada, content_type="image/jpeg", data=png)
    response = alice_api.call("GET", f"people/{ada.uuid}/photo")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == png
