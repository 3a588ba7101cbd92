"""Settings for the test suite: the real settings, a private data directory, a fast hasher."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CIRCLEBACK_HOME", str(Path(tempfile.gettempdir()) / "circleback-test-home"))
os.environ.setdefault("CIRCLEBACK_SECRET_KEY", "test-secret-key-" + "x" * 40)
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from circleback.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CIRCLEBACK_WELCOME_ENABLED = True
