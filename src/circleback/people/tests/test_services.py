from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from circleback.journal.models import Participation
from circleback.journal.services import interaction_log
from circleback.operations.erase import people_erase
from circleback.operations.merge import person_merge
from circleback.people.models import Email, Organisation, Person, Tag, Tie
from circleback.people.services.organisations import organisation_create, organisation_update
from circleback.people.services.people import (
    people_set_list,
    person_create,
    person_update,
)
from circleback.people.services.tags import people_tag, people_untag
from circleback.people.services.ties import tie_set


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Email.objects.count(),
        Organisation.objects.count(),
        Tag.objects.count(),
        Tie.objects.count(),
    )


def test_it_creates_a_person_with_details_organisation_and_tags(alice):
    ada = person_create(
        owner=alice,
        full_name="Ada Quill",
        emails=["ada@x.org"],
        phones=["+44 20 7946 0018"],
        links=["linkedin.com/in/adaquill/"],
        organisation="Hooli",
        title="VP Eng",
        contact_list="b",
        tags=["mentor", "Mentor", "fintech"],
    )
    assert (ada.given_name, ada.family_name) == ("Ada", "Quill")
    assert ada.contact_list == "B"
    assert ada.organisation.name == "Hooli"
    assert [e.address for e in ada.emails.all()] == ["ada@x.org"]
    assert ada.phones.get().normalized == "+442079460018"
    assert ada.links.get().normalized == "linkedin.com/in/adaquill"
    assert ada.links.get().kind == "linkedin"
    assert sorted(t.name for t in ada.tags.all()) == ["fintech", "mentor"]


def test_it_treats_spellings_of_one_organisation_as_one(alice):
    a = person_create(owner=alice, full_name="A One", organisation="Hooli, Inc.")
    b = person_create(owner=alice, full_name="B Two", organisation="HOOLI inc")
    c = person_create(owner=alice, full_name="C Three", organisation="The Hooli Company")
    assert a.organisation_id == b.organisation_id == c.organisation_id
    assert Organisation.objects.get().name == "Hooli, Inc."


def test_it_keeps_organisations_apart_between_owners(alice, charlie):
    a = person_create(owner=alice, full_name="A One", organisation="Hooli")
    c = person_create(owner=charlie, full_name="C One", organisation="Hooli")
    assert a.organisation_id != c.organisation_id


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"full_name": "   "}, "full_name", "needs a name"),
        ({"full_name": "X", "emails": ["not-an-email"]}, "emails", "not an email address"),
        ({"full_name": "X", "contact_list": "D"}, "contact_list", "use A, B or C"),
        ({"full_name": "X", "closeness": 9}, "closeness", ""),
        ({"full_name": "X", "phones": ["ab"]}, "phones", "three digits"),
        ({"full_name": "X", "links": ["javascript:alert(1)"]}, "links", "not a web address"),
        ({"full_name": "X", "tags": [""]}, "tags", "can't be empty"),
        ({"full_name": "X", "tags": ["t" * 61]}, "tags", "too long"),
        ({"full_name": "X" * 201}, "full_name", ""),
        ({"full_name": "X", "cadence_days": 0}, "cadence_days", ""),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(alice, fields, field, fragment):
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        person_create(owner=alice, organisation="Hooli", **fields)
    assert field in raised.value.message_dict
    assert fragment in " ".join(raised.value.message_dict[field])
    assert _counts() == before


def test_it_replaces_details_on_update(alice):
    ada = person_create(owner=alice, full_name="Ada Quill", emails=["a@x.org"], tags=["x"])
    person_update(person=ada, emails=["b@x.org", "B@X.org"], tags=["y"], title="CTO")
    ada.refresh_from_db()
    assert [e.address for e in ada.emails.all()] == ["b@x.org"]
    assert [t.name for t in ada.tags.all()] == ["y"]
    assert ada.title == "CTO"


def test_an_update_that_fails_leaves_the_person_as_it_was(alice):
    ada = person_create(owner=alice, full_name="Ada Quill", emails=["a@x.org"])
    with pytest.raises(ValidationError):
        person_update(person=ada, title="CTO", emails=["nope"])
    ada.refresh_from_db()
    assert ada.title == ""
    assert [e.address for e in ada.emails.all()] == ["a@x.org"]


def test_a_person_cannot_have_introduced_themselves(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    with pytest.raises(ValidationError, match="introduced themselves"):
        person_update(person=ada, introduced_by=ada)


def test_an_introducer_must_be_in_the_same_network(alice, charlie):
    theirs = person_create(owner=charlie, full_name="Zed")
    with pytest.raises(ValidationError, match="not in your network"):
        person_create(owner=alice, full_name="Ada", introduced_by=theirs)


def test_ties_are_undirected_and_updated_in_place(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    bart = person_create(owner=alice, full_name="Bart Nguyen")
    tie_set(owner=alice, person=bart, other=ada, kind="colleague", strength=3)
    tie = tie_set(owner=alice, person=ada, other=bart, kind="friend", strength=4)
    assert Tie.objects.count() == 1
    assert (tie.kind, tie.strength) == ("friend", 4)
    assert tie.person_a_id < tie.person_b_id


@pytest.mark.parametrize(
    ("kind", "strength", "message"),
    [("colleague", 0, "from 1 to 5"), ("colleague", 6, "from 1 to 5"), ("enemy", 3, "not a kind")],
)
def test_it_refuses_bad_ties(alice, kind, strength, message):
    ada = person_create(owner=alice, full_name="Ada Quill")
    bart = person_create(owner=alice, full_name="Bart Nguyen")
    with pytest.raises(ValidationError, match=message):
        tie_set(owner=alice, person=ada, other=bart, kind=kind, strength=strength)
    assert Tie.objects.count() == 0


def test_it_refuses_a_tie_to_oneself(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    with pytest.raises(ValidationError, match="themselves"):
        tie_set(owner=alice, person=ada, other=ada)


def test_it_refuses_a_tie_to_someone_elses_person(alice, charlie):
    ada = person_create(owner=alice, full_name="Ada Quill")
    zed = person_create(owner=charlie, full_name="Zed")
    with pytest.raises(ValidationError, match="in your network"):
        tie_set(owner=alice, person=ada, other=zed)


def test_it_merges_people_without_losing_a_value(alice):
    ada = person_create(
        owner=alice,
        full_name="Ada Quill",
        emails=["ada@x.org"],
        tags=["mentor"],
        notes="Met at PyCon",
    )
    dupe = person_create(
        owner=alice,
        if_exists="new",  # the duplicate being merged
        full_name="Ada Q.",
        emails=["ADA@x.org", "ada@home.org"],
        phones=["+1 415 555 0100"],
        title="CTO",
        organisation="Globex",
        tags=["fintech"],
        notes="Loves sailing",
    )
    third = person_create(owner=alice, full_name="Cy Twombly", introduced_by=dupe)
    tie_set(owner=alice, person=dupe, other=third, kind="colleague", strength=4)
    tie_set(owner=alice, person=ada, other=dupe, kind="other", strength=1)
    entry = interaction_log(owner=alice, summary="Lunch", people=[ada, dupe, third])

    kept = person_merge(keep=ada, other=dupe)

    assert not Person.objects.filter(pk=dupe.pk).exists()
    assert sorted(e.address for e in kept.emails.all()) == ["ada@home.org", "ada@x.org"]
    assert kept.phones.count() == 1
    assert kept.title == "CTO" and kept.organisation.name == "Globex"
    assert sorted(t.name for t in kept.tags.all()) == ["fintech", "mentor"]
    assert "Met at PyCon" in kept.notes and "Loves sailing" in kept.notes
    assert "Ada Q." in kept.notes  # the losing name is kept in the notes
    third.refresh_from_db()
    assert third.introduced_by_id == kept.pk
    tie = Tie.objects.get()
    assert {tie.person_a_id, tie.person_b_id} == {kept.pk, third.pk}
    assert tie.strength == 4
    assert Participation.objects.filter(interaction=entry).count() == 2


def test_merge_can_prefer_the_other_persons_values(alice):
    ada = person_create(owner=alice, full_name="Ada Quill", title="Engineer")
    dupe = person_create(owner=alice, full_name="Ada Quill-Smith", title="VP Eng")
    kept = person_merge(keep=ada, other=dupe, prefer_other=["full_name", "title"])
    assert (kept.full_name, kept.title) == ("Ada Quill-Smith", "VP Eng")
    assert "Engineer" in kept.notes


def test_it_refuses_to_merge_across_owners(alice, charlie):
    ada = person_create(owner=alice, full_name="Ada Quill")
    zed = person_create(owner=charlie, full_name="Zed")
    with pytest.raises(ValidationError):
        person_merge(keep=ada, other=zed)
    assert Person.objects.count() == 2


def test_bulk_actions_touch_only_the_owners_people(alice, charlie):
    mine = [person_create(owner=alice, full_name=f"P{i}") for i in range(3)]
    theirs = person_create(owner=charlie, full_name="Zed")
    ids = [p.pk for p in mine] + [theirs.pk]
    assert people_tag(owner=alice, person_ids=ids, tag_names=["event"]) == 3
    assert not theirs.tags.exists()
    assert people_set_list(owner=alice, person_ids=ids, contact_list="c") == 3
    theirs.refresh_from_db()
    assert theirs.contact_list == "B"
    assert people_untag(owner=alice, person_ids=ids, tag_names=["EVENT"]) == 3
    assert not Person.tags.through.objects.exists()
    assert people_erase(owner=alice, person_ids=ids) == 3
    assert list(Person.objects.all()) == [theirs]


def test_it_refuses_a_duplicate_organisation_and_an_unknown_stage(alice):
    organisation_create(owner=alice, name="Globex", is_target=True, priority=1)
    with pytest.raises(ValidationError, match="already have"):
        organisation_create(owner=alice, name="globex corp")
    org = Organisation.objects.get()
    with pytest.raises(ValidationError):
        organisation_update(organisation=org, stage="dreaming")
    org.refresh_from_db()
    assert org.stage == "researching"


def test_it_refuses_to_merge_two_people_a_lead_links(alice):
    from circleback.loops.models import Lead
    from circleback.loops.services.leads import lead_create

    maya = person_create(owner=alice, full_name="Maya Rosen")
    dana = person_create(owner=alice, full_name="Dana Li")
    lead_create(owner=alice, referrer=maya, referred=dana)
    with pytest.raises(ValidationError, match="two different people"):
        person_merge(keep=maya, other=dana)
    assert Person.objects.count() == 2
    assert Lead.objects.filter(referrer=maya, referred=dana).exists()


def test_merging_moves_leads_and_meetings_to_the_kept_person(alice):
    from circleback.loops.models import Lead
    from circleback.loops.services.leads import lead_create

    maya = person_create(owner=alice, full_name="Maya Rosen")
    dupe = person_create(owner=alice, full_name="Maya R.")
    dana = person_create(owner=alice, full_name="Dana Li")
    lead = lead_create(owner=alice, referrer=dupe, referred=dana)
    person_merge(keep=maya, other=dupe)
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.referrer_id == maya.pk
