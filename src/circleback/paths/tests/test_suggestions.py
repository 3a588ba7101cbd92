from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from circleback.paths.queries.suggestions import connector_suggestions, informer_suggestions
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set


def test_it_suggests_pairs_who_share_interests_or_an_industry(alice):
    fintech = organisation_create(owner=alice, name="Pay Co", industry="Fintech")
    bank = organisation_create(owner=alice, name="Bank Co", industry="Fintech")
    ana = person_create(owner=alice, full_name="Ana Ames", organisation=fintech, tags=["design"])
    ben = person_create(owner=alice, full_name="Ben Bell", organisation=bank, tags=["design"])
    person_create(owner=alice, full_name="Cy Cole", tags=["gardening"])
    [only] = connector_suggestions(owner=alice)
    assert {only.a, only.b} == {ana, ben}
    assert only.reason == "both work in Fintech; both interested in design"


def test_it_skips_pairs_already_tied_colleagues_and_list_c(alice):
    org = organisation_create(owner=alice, name="Same Co")
    a = person_create(owner=alice, full_name="A One", tags=["python"], organisation=org)
    b = person_create(owner=alice, full_name="B Two", tags=["python"], organisation=org)
    c = person_create(owner=alice, full_name="C Three", tags=["python"])
    person_create(owner=alice, full_name="D Target", tags=["python"], contact_list="C")
    tie_set(owner=alice, person=a, other=c)
    pairs = {frozenset((s.a.full_name, s.b.full_name)) for s in connector_suggestions(owner=alice)}
    assert pairs == {frozenset(("B Two", "C Three"))}
    del b


def test_it_ignores_other_accounts(alice, charlie):
    person_create(owner=alice, full_name="Hana Hire", tags=["hiring"])
    person_create(owner=charlie, full_name="Luis Look", tags=["looking"])
    assert connector_suggestions(owner=alice) == []


def test_informers_are_ranked_by_interests_then_organisation_and_industry(alice):
    globex = organisation_create(owner=alice, name="Globex", industry="Logistics")
    tagged = person_create(owner=alice, full_name="Tia Tagged", tags=["logistics", "ports"])
    works = person_create(owner=alice, full_name="Will Works", organisation=globex)
    noted = person_create(owner=alice, full_name="Nora Noted", notes="Loves talking about ports")
    person_create(owner=alice, full_name="Unrelated Person", tags=["cooking"])
    ranked = informer_suggestions(
        owner=alice, title="Globex bets on new ports", topics=["Logistics", "ports"]
    )
    assert [s.person for s in ranked] == [tagged, works, noted]
    assert ranked[0].reason == "interested in logistics, ports"
    assert "it mentions Globex, where they work; works in Logistics" in ranked[1].reason
    assert ranked[2].reason == "your notes mention ports"


def test_informers_need_something_to_match(alice):
    with pytest.raises(ValidationError):
        informer_suggestions(owner=alice, title="  ", topics=[" "])
    with pytest.raises(ValidationError):
        informer_suggestions(owner=alice, title="x", limit=0)
