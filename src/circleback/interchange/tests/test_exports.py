"""Reading stored values back for the exports."""

from __future__ import annotations


def test_stored_sqlite_timestamps_read_back_exactly_as_isoformat_writes_them():
    import datetime as _dt

    from circleback.interchange.exports import _db_iso

    for moment in (
        _dt.datetime(2026, 11, 20, 14, 30),
        _dt.datetime(2026, 11, 20, 14, 30, 0, 123456),
        _dt.datetime(1999, 1, 2, 3, 4, 5, 7),
    ):
        assert _db_iso(str(moment)) == moment.replace(tzinfo=_dt.UTC).isoformat()
    aware = _dt.datetime(2026, 11, 20, 14, 30, tzinfo=_dt.UTC)
    assert _db_iso(aware) == aware.isoformat()
