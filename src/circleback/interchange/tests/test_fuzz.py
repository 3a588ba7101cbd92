"""Whatever the bytes, a parser returns records or raises InterchangeError — nothing else."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from circleback.interchange.formats import FORMATS, detect
from circleback.interchange.records import InterchangeError

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = [p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.suffix in (".csv", ".vcf")]
PIECES = [
    b"BEGIN:VCARD\r\n",
    b"END:VCARD\r\n",
    b"VERSION:2.1\r\n",
    b"N;ENCODING=QUOTED-PRINTABLE;CHARSET=x-unknown:=C3=\r\n",
    b"PHOTO;ENCODING=b:!!!\r\n",
    b"PHOTO:data:image/png;base64,iVBORw0KGgo=\r\n",
    b"BDAY:--1399\r\n",
    b'TEL;TYPE="a:b":1\r\n',
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    b'"unterminated,\n',
    b"Notes:,,,,,,\n",
    b'{"format": "circleback-backup", "version": 1, "people": [{"full_name": 1}]}',
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff\xfe",
]


def _check(module: object, data: bytes) -> None:
    with contextlib.suppress(InterchangeError):
        module.parse(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(FORMATS))
@given(data=st.binary(max_size=2000))
def test_parsers_survive_any_bytes(name: str, data: bytes) -> None:
    _check(FORMATS[name], data)


@pytest.mark.parametrize("name", sorted(FORMATS))
@given(
    sample=st.sampled_from(SAMPLES),
    cut=st.integers(min_value=0, max_value=4000),
    junk=st.lists(st.sampled_from(PIECES), max_size=6),
    flip=st.integers(min_value=0, max_value=4000),
)
def test_parsers_survive_damaged_real_files(
    name: str, sample: bytes, cut: int, junk: list[bytes], flip: int
) -> None:
    data = bytearray(sample[:cut] + b"".join(junk) + sample[cut:])
    if data:
        data[flip % len(data)] ^= 0x5A
    _check(FORMATS[name], bytes(data))


@given(st.text(max_size=500).map(lambda t: t.encode("utf-8")))
def test_detection_survives_any_text(data: bytes) -> None:
    with contextlib.suppress(InterchangeError):
        detect(data)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "people",
                        "full_name",
                        "emails",
                        "photo",
                        "birthday",
                        "ties",
                        "people_a",
                        "occurred_at",
                        "tags",
                        "list",
                        "closeness",
                        "data",
                        "address",
                        "uuid",
                    ]
                ),
                children,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_the_backup_parser_survives_any_json_shape(value: object) -> None:
    import json

    document = {"format": "circleback-backup", "version": 1, "people": [value], "ties": value}
    _check(FORMATS["json"], json.dumps(document).encode())
