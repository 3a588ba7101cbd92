"""A vCard's REV (when the card was last changed) starts the keep-in-touch clock, as LinkedIn's
"Connected On" does: an address book from years ago is not "in touch today" after an import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from circleback.interchange.formats import vcard
from circleback.interchange.services import import_file
from circleback.people.models import Person

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent / "corpus"


def _card(rev: str) -> bytes:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Ada Quill", "N:Quill;Ada;;;", f"REV:{rev}"]
    return ("\r\n".join([*lines, "END:VCARD"]) + "\r\n").encode()


@pytest.mark.parametrize(
    ("rev", "when"),
    [
        ("20180115T101500Z", dt.datetime(2018, 1, 15, 10, 15, tzinfo=dt.UTC)),
        ("2012-03-05T13:32:54Z", dt.datetime(2012, 3, 5, 13, 32, 54, tzinfo=dt.UTC)),
        ("2019-06-02", dt.datetime(2019, 6, 2, 12, tzinfo=dt.UTC)),
        ("20190602T115709+0200", dt.datetime(2019, 6, 2, 9, 57, 9, tzinfo=dt.UTC)),
    ],
)
def test_rev_is_when_the_card_last_changed(rev: str, when: dt.datetime) -> None:
    (record,) = vcard.parse(_card(rev)).people
    assert record.last_contact_at == when


def test_a_rev_that_is_no_date_costs_the_value_and_is_reported() -> None:
    result = vcard.parse(_card("last tuesday"))
    (record,) = result.people
    assert record.last_contact_at is None and record.full_name == "Ada Quill"
    assert any("REV" in p.where and "not a date" in p.reason for p in result.problems)


def test_a_rev_in_the_future_is_not_a_last_contact() -> None:
    (record,) = vcard.parse(_card("20990101T000000Z")).people
    assert record.last_contact_at is None


def test_importing_outlooks_card_dates_the_contact_from_its_rev(alice) -> None:
    """Outlook's vCard 2.1 (fixture in this folder) says REV:20180115T101500Z."""
    import_file(owner=alice, data=(FIXTURES / "vcard21_outlook_n_lists_qp.vcf").read_bytes())
    person = Person.objects.get(owner=alice)
    assert person.last_contact_at == dt.datetime(2018, 1, 15, 10, 15, tzinfo=dt.UTC)
