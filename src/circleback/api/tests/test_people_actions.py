"""Bulk actions on people, merging, the duplicates review and photos through the API: each
checked against the database, each refusing another account's people, each failure in the
one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from circleback.api.tests.conftest import ApiClient
from circleback.interchange.models import PossibleDuplicate
from circleback.people.models import Person, Photo

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GIF = b"GIF89a" + b"\x01" * 20


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:800]
    return response.json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:800]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance", "errors"}
    return body


def fields(body: dict[str, Any]) -> set[str | None]:
    return {e["field"] for e in body["errors"]}


# --- bulk ---------------------------------------------------------------------------------


def test_it_tags_untags_and_moves_several_people_at_once(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    ids = [str(ada.uuid), str(bart.uuid)]
    got = ok(alice_api.call("POST", "people/bulk", {"action": "tag", "people": ids, "tag": "fin"}))
    assert got == {"action": "tag", "count": 2}
    assert set(Person.objects.filter(tags__name="fin").values_list("full_name", flat=True)) == {
        "Ada Quill",
        "Bart Nguyen",
    }
    ok(alice_api.call("POST", "people/bulk", {"action": "untag", "people": ids[:1], "tag": "fin"}))
    assert list(Person.objects.filter(tags__name="fin").values_list("full_name", flat=True)) == [
        "Bart Nguyen"
    ]
    ok(alice_api.call("POST", "people/bulk", {"action": "list", "people": ids, "list": "C"}))
    assert set(Person.objects.filter(owner=alice).values_list("contact_list", flat=True)) == {"C"}


def test_a_bulk_delete_erases_them_as_the_people_list_does(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    keep = make_person(alice, "Cleo Park", notes="Met through Ada Quill.")
    got = ok(
        alice_api.call(
            "POST", "people/bulk", {"action": "delete", "people": [str(ada.uuid), str(bart.uuid)]}
        )
    )
    assert got["count"] == 2
    assert list(Person.objects.filter(owner=alice).values_list("full_name", flat=True)) == [
        "Cleo Park"
    ]
    keep.refresh_from_db()
    assert "Ada Quill" not in keep.notes  # erased, not merely deleted


def test_a_bulk_action_says_what_is_missing(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ids = [str(make_person(alice, "Ada Quill").uuid)]
    assert fields(
        problem(alice_api.call("POST", "people/bulk", {"action": "tag", "people": ids}), 422)
    ) == {"tag"}
    assert fields(
        problem(alice_api.call("POST", "people/bulk", {"action": "list", "people": ids}), 422)
    ) == {"list"}
    body = problem(alice_api.call("POST", "people/bulk", {"action": "list", "people": []}), 422)
    assert fields(body) == {"people"}
    body = problem(alice_api.call("POST", "people/bulk", {"action": "shred", "people": ids}), 422)
    assert fields(body) == {"action"}


def test_another_accounts_people_are_not_found_and_nothing_changes(
    alice: Any, charlie: Any, charlie_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    own = make_person(charlie, "Carl Own")
    for action in ("tag", "list", "delete"):
        body = problem(
            charlie_api.call(
                "POST",
                "people/bulk",
                {
                    "action": action,
                    "people": [str(own.uuid), str(ada.uuid)],
                    "tag": "x",
                    "list": "C",
                },
            ),
            422,
        )
        assert fields(body) == {"people"} and str(ada.uuid) in body["errors"][0]["message"]
    assert Person.objects.filter(pk=ada.pk, contact_list="B").exists()
    assert not Person.objects.filter(tags__name="x").exists()
    assert Person.objects.filter(pk=own.pk).exists()


# --- merge --------------------------------------------------------------------------------


def test_it_merges_a_duplicate_taking_the_fields_chosen(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", title="Engineer", emails=["ada@example.org"])
    twin = make_person(alice, "Ada Q.", title="VP Engineering", emails=["ada@work.example"])
    read = alice_api.call("GET", f"people/{ada.uuid}")
    merged = alice_api.call(
        "POST",
        f"people/{ada.uuid}/merge",
        {"other": str(twin.uuid), "take_from_other": ["title"]},
        headers={"If-Match": read["ETag"]},
    )
    body = ok(merged)
    assert body["full_name"] == "Ada Quill" and body["title"] == "VP Engineering"
    assert sorted(body["emails"]) == ["ada@example.org", "ada@work.example"]
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert merged["ETag"] == alice_api.call("GET", f"people/{ada.uuid}")["ETag"] != read["ETag"]


def test_a_stale_merge_is_refused_and_changes_nothing(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, twin = make_person(alice, "Ada Quill"), make_person(alice, "Ada Q.")
    stale = alice_api.call("GET", f"people/{ada.uuid}")["ETag"]
    ok(alice_api.call("PATCH", f"people/{ada.uuid}", {"title": "CTO"}))
    problem(
        alice_api.call(
            "POST", f"people/{ada.uuid}/merge", {"other": str(twin.uuid)}, {"If-Match": stale}
        ),
        412,
    )
    assert Person.objects.filter(pk=twin.pk).exists()


def test_merging_someone_with_themselves_or_a_stranger_is_refused(
    alice: Any, charlie: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    stranger = make_person(charlie, "Ada Quill")
    body = problem(
        alice_api.call("POST", f"people/{ada.uuid}/merge", {"other": str(ada.uuid)}), 422
    )
    assert "two different people" in body["errors"][0]["message"]
    body = problem(
        alice_api.call("POST", f"people/{ada.uuid}/merge", {"other": str(stranger.uuid)}), 422
    )
    assert fields(body) == {"other"}
    assert Person.objects.filter(pk=stranger.pk).exists()


# --- duplicates ---------------------------------------------------------------------------


def _pair(owner: Any, one: Person, two: Person, reason: str = "similar names") -> Any:
    first, second = sorted((one, two), key=lambda p: p.pk)
    return PossibleDuplicate.objects.create(
        owner=owner, person_a=first, person_b=second, reason=reason
    )


def test_the_review_lists_pairs_with_what_they_really_share(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli", phones=["+44 20 7946 0958"])
    ada2 = make_person(alice, "Ada Quil", organisation="Hooli", phones=["+44 20 7946 0958"])
    bea = make_person(alice, "Bea Ray")
    bea2 = make_person(alice, "Bea Rae")
    _pair(alice, ada, ada2, reason="stored when paired")
    _pair(alice, bea, bea2, reason="similar names at no organisation")
    page = ok(alice_api.call("GET", "duplicates?limit=1"))
    assert len(page["items"]) == 1 and page["next"]
    second = ok(alice_api.call("GET", page["next"]))
    assert second["next"] is None
    items = page["items"] + second["items"]
    assert [i["person_a"]["full_name"][:3] for i in items] == ["Ada", "Bea"]
    assert "phone" in items[0]["reason"] and items[0]["person_a"]["organization"] == "Hooli"
    assert items[1]["reason"] == "similar names at no organisation"


def test_keeping_a_pair_apart_or_merging_it_takes_it_off_the_list(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, ada2 = make_person(alice, "Ada Quill"), make_person(alice, "Ada Quil")
    bea, bea2 = make_person(alice, "Bea Ray"), make_person(alice, "Bea Rae")
    apart, twins = _pair(alice, ada, ada2), _pair(alice, bea, bea2)
    got = ok(alice_api.call("POST", f"duplicates/{apart.uuid}/keep-apart", {}))
    assert got == {"uuid": str(apart.uuid), "status": "kept_apart"}
    kept = ok(alice_api.call("POST", f"duplicates/{twins.uuid}/merge", {"keep": "b"}))
    assert kept["kept"]["uuid"] == str(twins.person_b.uuid)
    assert not Person.objects.filter(pk=twins.person_a_id).exists()
    assert ok(alice_api.call("GET", "duplicates"))["items"] == []
    problem(alice_api.call("POST", f"duplicates/{apart.uuid}/keep-apart", {}), 404)


def test_a_pair_read_with_its_etag_merges_and_a_stale_one_changes_nothing(
    alice: Any, charlie_api: ApiClient, alice_api: ApiClient, make_person: Any
) -> None:
    ada, ada2 = make_person(alice, "Ada Quill"), make_person(alice, "Ada Quil")
    pair = _pair(alice, ada, ada2)
    read = alice_api.call("GET", f"duplicates/{pair.uuid}")
    assert ok(read)["uuid"] == str(pair.uuid) and read["ETag"]
    problem(charlie_api.call("GET", f"duplicates/{pair.uuid}"), 404)
    # Someone edits one of the two after the pair was read: the merge is refused.
    ok(alice_api.call("PATCH", f"people/{ada2.uuid}", {"title": "CTO"}))
    stale = alice_api.call(
        "POST", f"duplicates/{pair.uuid}/merge", {"keep": "a"}, {"If-Match": read["ETag"]}
    )
    problem(stale, 412)
    assert Person.objects.filter(pk=ada2.pk, title="CTO").exists()
    fresh = alice_api.call("GET", f"duplicates/{pair.uuid}")["ETag"]
    assert fresh != read["ETag"]
    kept = ok(
        alice_api.call("POST", f"duplicates/{pair.uuid}/merge", {"keep": "a"}, {"If-Match": fresh})
    )
    assert kept["kept"]["uuid"] == str(ada.uuid)
    assert not Person.objects.filter(pk=ada2.pk).exists()


def test_a_bulk_action_with_stale_etags_names_who_changed_and_does_nothing(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    ids = [str(ada.uuid), str(bart.uuid)]
    etags = [alice_api.call("GET", f"people/{u}")["ETag"] for u in ids]
    ok(alice_api.call("PATCH", f"people/{bart.uuid}", {"title": "Founder"}))
    body = {"action": "list", "people": ids, "list": "A"}
    refused = problem(
        alice_api.call("POST", "people/bulk", body, {"If-Match": ", ".join(etags)}), 412
    )
    assert [e["message"] for e in refused["errors"]] == [f"{bart.uuid} changed since read"]
    assert set(Person.objects.filter(owner=alice).values_list("contact_list", flat=True)) != {"A"}
    etags[1] = alice_api.call("GET", f"people/{bart.uuid}")["ETag"]
    got = ok(alice_api.call("POST", "people/bulk", body, {"If-Match": ", ".join(etags)}))
    assert got == {"action": "list", "count": 2}
    assert set(Person.objects.filter(owner=alice).values_list("contact_list", flat=True)) == {"A"}
    # Without If-Match, as before: the last write wins.
    ok(alice_api.call("POST", "people/bulk", {**body, "list": "B"}))


# --- photos -------------------------------------------------------------------------------


def _upload(api: ApiClient, person: Person, data: bytes, **headers: str) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return api.client.post(
        f"/api/v1/people/{person.uuid}/photo",
        {"file": SimpleUploadedFile("me.png", data, content_type="image/jpeg")},
        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
        **extra,
    )


def test_it_sets_replaces_and_removes_a_photo(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    set_ = _upload(alice_api, ada, PNG)
    body = ok(set_)
    assert body["content_type"] == "image/png" and body["size"] == len(PNG)  # read from bytes
    got = alice_api.call("GET", f"people/{ada.uuid}/photo")
    assert got.content == PNG and got["ETag"] == set_["ETag"]
    problem(_upload(alice_api, ada, GIF, **{"If-Match": '"stale"'}), 412)
    assert bytes(Photo.objects.get(person=ada).data) == PNG
    replaced = ok(_upload(alice_api, ada, GIF, **{"If-Match": set_["ETag"]}))
    assert replaced["content_type"] == "image/gif"
    removed = ok(alice_api.call("DELETE", f"people/{ada.uuid}/photo"))
    assert removed["content_type"] is None and not Photo.objects.filter(person=ada).exists()
    problem(alice_api.call("GET", f"people/{ada.uuid}/photo"), 404)


def test_a_photo_that_is_not_a_picture_or_too_big_is_refused_on_the_file(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    body = problem(_upload(alice_api, ada, b"%PDF-1.7 not a picture"), 422)
    assert fields(body) == {"file"} and "JPEG, PNG, GIF or WebP" in body["errors"][0]["message"]
    body = problem(_upload(alice_api, ada, PNG + b"\x00" * (5 * 1024 * 1024)), 413)
    assert fields(body) == {"file"}
    assert not Photo.objects.filter(person=ada).exists()


def test_the_photo_rule_is_the_models_own(alice: Any, make_person: Any) -> None:
    """Every interface (API, import, restore) meets the same validator on the field."""
    from django.core.exceptions import ValidationError

    photo = Photo(person=make_person(alice, "Ada Quill"), content_type="image/png", data=b"x")
    with pytest.raises(ValidationError) as caught:
        photo.full_clean()
    assert "data" in caught.value.message_dict


def test_an_upload_without_a_multipart_boundary_is_a_400_problem_not_a_crash(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    """schemathesis found it: a multipart Content-Type without its boundary was a 500."""
    ada = make_person(alice, "Ada Quill")
    response = alice_api.client.post(
        f"/api/v1/people/{ada.uuid}/photo",
        data=b"anything",
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {alice_api.secret}",
    )
    body = problem(response, 400)
    assert body["errors"][0]["field"] == "Content-Type"
