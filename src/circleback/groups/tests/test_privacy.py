"""Another member's people never enter the viewer's own paths, suggestions, search or exports:
only the group's own pages and ways in show what was opened."""

from __future__ import annotations

import json

from circleback.groups.tests.factories import club
from circleback.interchange.exports import export_csv, export_vcard
from circleback.operations.backup.services import backup_export
from circleback.paths.graph import cache_clear
from circleback.paths.queries.paths import paths_to_organisation
from circleback.paths.queries.suggestions import connector_suggestions, informer_suggestions
from circleback.search.queries import search_people_ids

OPENED = ("Vera Holt", "Sam Okafor")


def test_opened_people_stay_out_of_the_viewers_own_reads(alice, bob, make_person) -> None:
    c = club(alice, bob)
    cache_clear()
    make_person(alice, "Own Contact", organisation="Globex", contact_list="B")
    own = paths_to_organisation(owner=alice, organisation=c.globex, limit=50).as_dict()
    assert not any(name in json.dumps(own) for name in OPENED)
    assert search_people_ids(owner=alice, text="Vera", limit=10) == []
    assert search_people_ids(owner=alice, text="Okafor", limit=10) == []
    suggestions = [s.as_dict() for s in connector_suggestions(owner=alice, limit=50)]
    suggestions += [
        s.as_dict()
        for s in informer_suggestions(owner=alice, title="Engineering", topics=["globex"])
    ]
    assert not any(name in json.dumps(suggestions) for name in OPENED)
    exported = backup_export(owner=alice).decode()
    assert not any(name in exported for name in OPENED)
    for write in (export_csv, export_vcard):
        text = write(owner=alice).decode()
        assert "Own Contact" in text  # the export is real: the viewer's own person is in it
        assert not any(name in text for name in OPENED)
