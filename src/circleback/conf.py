"""Typed readers for Circleback's environment variables.

Each helper fails loudly with a message that names the variable and says what a valid value
looks like, so a typo in a deployment is caught at start-up, not at the first request.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import platformdirs


class ConfigError(Exception):
    """A setting read from the environment has a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0, true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where this user's database, secret key and uploads live.

    `CIRCLEBACK_HOME` wins; otherwise the platform's user data directory
    (e.g. ~/.local/share/circleback on Linux).
    """
    raw = os.environ.get("CIRCLEBACK_HOME")
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("circleback"))
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the data directory {path}: {exc.strerror}. "
            "Set CIRCLEBACK_HOME to a directory you can write to."
        ) from None
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Owner-only access (0700 for a directory, 0600 for a file) to something that holds
    personal data, tightening what an older version or a loose umask left readable.

    Only what this user owns is changed; a path shared on purpose (owned by someone else)
    is left as it is.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid != os.geteuid():
        return
    wanted = 0o700 if path.is_dir() else 0o600
    if status.st_mode & 0o777 != wanted:
        with contextlib.suppress(PermissionError):
            path.chmod(wanted)


def create_private_file(path: Path) -> None:
    """Create `path` empty and owner-only if it does not exist yet (never truncating it), so
    that whatever writes it next never leaves it readable by others, whatever the umask."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        make_private(path)


def secret_key(home: Path) -> str:
    """The secret key: CIRCLEBACK_SECRET_KEY, or one generated once into the data directory."""
    explicit = os.environ.get("CIRCLEBACK_SECRET_KEY")
    if explicit:
        if len(explicit) < 32:
            raise ConfigError("CIRCLEBACK_SECRET_KEY must be at least 32 characters long.")
        return explicit
    path = home / "secret_key"
    if path.exists():
        make_private(path)
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions, and never overwrite a key another process just wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
