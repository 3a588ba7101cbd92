"""Settings for the test suite: the real settings, a private data directory, a fast hasher."""

import atexit
import os
import shutil
import tempfile

# One data directory per test process (each pytest-xdist worker, each run): workers never share
# a file, nor do two suites running at once on one machine (a worker's sweep of orphaned upload
# files would otherwise take another run's). Removed when the process ends.
if "CIRCLEBACK_HOME" not in os.environ:
    _home = tempfile.mkdtemp(
        prefix=f"circleback-test-home-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
    )
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
    os.environ["CIRCLEBACK_HOME"] = _home
os.environ.setdefault("CIRCLEBACK_SECRET_KEY", "test-secret-key-" + "x" * 40)
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from circleback.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CIRCLEBACK_WELCOME_ENABLED = True

# The test database on SQLite is in memory (each xdist worker has its own). Said outright:
# pytest-django gives each worker's test database a suffix unless the name is ":memory:", and
# it cannot tell our SQLite engine (circleback.db.sqlite3) is SQLite.
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "circleback.db.sqlite3":
        _database.setdefault("TEST", {})["NAME"] = ":memory:"
