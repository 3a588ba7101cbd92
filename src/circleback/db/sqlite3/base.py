"""Django's SQLite backend, told how many query parameters this SQLite really allows.

Django assumes SQLite's old compile-time default of 999 parameters per statement, so a bulk
insert of people (about twenty columns) goes out fifty rows at a time. SQLite 3.32+ allows
32,766 by default (Debian's build, 250,000); reading the real limit lets imports and demo
generation write hundreds of rows per statement.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.features import DatabaseFeatures as SQLiteFeatures

from circleback.conf import create_private_file, make_private

# Very long statements cost more to parse than they save; past this there is no gain.
_CEILING = 32_766


def _variable_limit() -> int:
    probe = sqlite3.connect(":memory:")
    try:
        return max(999, min(probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), _CEILING))
    finally:
        probe.close()


class DatabaseFeatures(SQLiteFeatures):
    max_query_params = _variable_limit()


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        """Open the database, first making sure it and its journal files are owner-only:
        SQLite creates a new database with the process's umask (often 0644), and its -wal
        and -shm files with the database's own permissions."""
        name = str(conn_params.get("database", ""))
        if name and name != ":memory:" and not name.startswith("file:"):
            path = Path(name)
            if path.parent.is_dir():
                create_private_file(path)
                for suffix in ("-wal", "-shm", "-journal"):
                    make_private(path.with_name(path.name + suffix))
        return super().get_new_connection(conn_params)
